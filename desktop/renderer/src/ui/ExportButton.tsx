// "Export CSV": every row of the list as filtered and sorted now.
import { useState } from 'react';
import { csvFilename, downloadCsv, readAllPages, toCsv } from '../api/csv.ts';
import { csvColumns, type Column } from './DataTable.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';

export function ExportButton<T>({ what, columns, fetchPage }: {
  what: string;
  columns: readonly Column<T>[];
  fetchPage: (pageToken: string) => Promise<{ items: T[]; nextPageToken: string }>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const run = async () => {
    setBusy(true);
    setError(null);
    setNote('');
    try {
      const { rows, truncated } = await readAllPages(fetchPage);
      downloadCsv(csvFilename(what), toCsv(csvColumns(columns), rows));
      setNote(`${rows.length} row${rows.length === 1 ? '' : 's'} exported${truncated ? ' (the first 10,000 only: narrow the filter for the rest)' : ''}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export">
      <button type="button" className="btn" onClick={() => void run()} disabled={busy}>{busy ? 'Exporting…' : 'Export CSV'}</button>
      <span className="export-note" role="status" aria-live="polite">{note}</span>
      {error !== null && <ErrorNotice error={error} title="Export failed" />}
    </div>
  );
}
