// A list's body: its loading and error states, its rows and its pager. While
// a new page (or a new filter's answer) loads, the previous rows stay on
// screen dimmed and marked busy, with the progress bar at the top of the
// window (Shell), and the pager says it is loading: an old answer is never
// shown as if it were the new one, and the table does not jump.
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ListParams } from '../api/lists.ts';
import { DataTable, type Column, type Sort } from './DataTable.tsx';
import { Pager } from './Pager.tsx';
import { Empty, QueryView } from './States.tsx';

export function ListView<D, T>({ query, rows, nextPageToken, caption, columns, rowKey, sort, list, empty, what, above, total }: {
  query: UseQueryResult<D, unknown>;
  rows: (data: D) => readonly T[];
  nextPageToken: (data: D) => string;
  caption: string;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  sort?: Sort;
  /** The list's state in the address; without it, no pager. */
  list?: ListParams;
  empty: ReactNode;
  what: string;
  /** Shown above the table with the same data (totals). */
  above?: (data: D) => ReactNode;
  total?: (data: D) => number | undefined;
}) {
  const stale = query.isPlaceholderData;
  return (
    <QueryView query={query} what={what}>
      {(data) => {
        const shown = rows(data);
        const next = nextPageToken(data);
        return (
          <>
            {above?.(data)}
            {shown.length === 0
              ? <div className={stale ? 'is-stale' : undefined} aria-busy={stale || undefined}><Empty>{empty}</Empty></div>
              : <DataTable caption={caption} columns={columns} rows={shown} rowKey={rowKey} sort={sort} stale={stale} />}
            {list && (shown.length > 0 || list.pages.hasPrevious) && (
              <Pager pages={list.pages} nextPageToken={next} shown={shown.length} fetching={stale}
                pageSize={list.pageSize} onPageSize={list.setPageSize} total={total?.(data)} />
            )}
          </>
        );
      }}
    </QueryView>
  );
}
