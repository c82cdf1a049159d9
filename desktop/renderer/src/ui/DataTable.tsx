// A list's table. Its columns also describe the CSV export (same headers,
// same order), so an export always matches what the screen shows. It scrolls
// sideways inside its card when it is wider than the window (1024 px is the
// window's minimum); codes and badges in it never break mid-word.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CsvColumn, CsvValue } from '../api/csv.ts';
import { useMayChange } from '../api/session.tsx';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** The value in the CSV export; columns without one (actions) are left out. */
  csv?: (row: T) => CsvValue;
  /** The server's order_by field this column sorts by, if it can. */
  sortField?: string;
  className?: string;
  /** In the CSV export only (ids too long to be useful on screen). */
  exportOnly?: boolean;
  /** Actions that change something: the column is left out for a credential that may change nothing (support). */
  changes?: boolean;
}

export interface Sort {
  /** The server's order_by value: `name`, `name desc`, ... */
  orderBy: string;
  onChange: (orderBy: string) => void;
}

export function csvColumns<T>(columns: readonly Column<T>[]): CsvColumn<T>[] {
  return columns.filter((c) => c.csv).map((c) => ({ header: c.header, value: c.csv! }));
}

function SortHeader({ column, sort }: { column: { header: string; sortField: string }; sort: Sort }) {
  const { t } = useTranslation();
  const [field, direction] = sort.orderBy.split(' ');
  const active = field === column.sortField;
  const descending = active && direction === 'desc';
  const next = active && !descending ? `${column.sortField} desc` : column.sortField;
  return (
    <button type="button" className="sort-button" onClick={() => sort.onChange(next)}
      title={active && !descending ? t('table.sortDescending', { column: column.header }) : t('table.sortBy', { column: column.header })}>
      {column.header}
      <span className="sort-mark" aria-hidden="true">{active ? (descending ? '▼' : '▲') : '↕'}</span>
    </button>
  );
}

export function DataTable<T>({ caption, columns: allColumns, rows, rowKey, sort, stale = false }: {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  sort?: Sort;
  /** The rows of the previous answer, shown dimmed while the new one loads. */
  stale?: boolean;
}) {
  const mayChange = useMayChange();
  const columns = allColumns.filter((c) => !c.exportOnly && (mayChange || !c.changes));
  return (
    <div className={stale ? 'table-wrap is-stale' : 'table-wrap'} aria-busy={stale || undefined}>
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const sortable = sort && column.sortField;
              const [field, direction] = sort?.orderBy.split(' ') ?? [];
              const ariaSort = sortable && field === column.sortField ? (direction === 'desc' ? 'descending' : 'ascending') : undefined;
              return (
                <th key={column.header} scope="col" className={column.className} aria-sort={ariaSort}>
                  {sortable ? <SortHeader column={{ header: column.header, sortField: column.sortField! }} sort={sort} /> : column.header}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => <td key={column.header} className={column.className}>{column.cell(row)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
