// Previous / next through a list's pages (the server hands out the cursors,
// kept in the address), how many rows a page holds, and a total where the
// API gives one. While the next page loads it says so; the rows on screen are
// the old page's, dimmed (ListView).
import { useTranslation } from 'react-i18next';
import type { Pages } from '../api/lists.ts';
import { useFormat } from '../i18n/format.ts';
import { PAGE_SIZES, SelectFilter } from './filters.tsx';

export function Pager({ pages, nextPageToken, shown, fetching, pageSize, onPageSize, total }: {
  pages: Pages;
  nextPageToken: string | undefined;
  shown: number;
  fetching: boolean;
  pageSize?: string;
  onPageSize?: (size: string) => void;
  /** The number of rows the filter keeps, where the API can count them cheaply. */
  total?: number;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const where = pages.pageNumber === undefined ? t('pager.laterPage') : t('pager.page', { number: pages.pageNumber });
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      {pageSize && onPageSize && <SelectFilter label={t('pager.rowsPerPage')} value={pageSize} onChange={onPageSize} options={PAGE_SIZES} inline />}
      <span className="pager-status" aria-live="polite">
        {fetching ? t('pager.loading', { where }) : t('pager.status', { where, shown: format.number(shown), count: shown })}
        {total !== undefined && !fetching && ` · ${t('pager.total', { total: format.number(total), count: total })}`}
      </span>
      <button type="button" className="btn" onClick={pages.previous} disabled={!pages.hasPrevious || fetching}>{t('pager.previous')}</button>
      <button type="button" className="btn" onClick={() => nextPageToken && pages.next(nextPageToken)} disabled={!nextPageToken || fetching}>{t('pager.next')}</button>
    </nav>
  );
}
