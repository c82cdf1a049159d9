// Previous / next through a list's pages (the server hands out the tokens),
// and how many rows a page holds.
import type { Pages } from '../api/lists.ts';
import { PAGE_SIZES, SelectFilter } from './filters.tsx';

export function Pager({ pages, nextPageToken, shown, fetching, pageSize, onPageSize }: {
  pages: Pages;
  nextPageToken: string | undefined;
  shown: number;
  fetching: boolean;
  pageSize?: string;
  onPageSize?: (size: string) => void;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      {pageSize && onPageSize && <SelectFilter label="Rows per page" value={pageSize} onChange={onPageSize} options={PAGE_SIZES} inline />}
      <span className="pager-status" aria-live="polite">Page {pages.pageNumber} · {shown} shown{fetching ? ' · loading…' : ''}</span>
      <button type="button" className="btn" onClick={pages.previous} disabled={!pages.hasPrevious || fetching}>← Previous</button>
      <button type="button" className="btn" onClick={() => nextPageToken && pages.next(nextPageToken)} disabled={!nextPageToken || fetching}>Next →</button>
    </nav>
  );
}
