// "Export CSV": every row of the list as filtered and sorted now, in the
// dialect chosen beside it (for Excel in the console's language, or RFC 4180),
// a choice kept for next time.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { csvFilename, csvFormat, downloadCsv, readAllPages, storeDialect, storedDialect, toCsv, type CsvDialect } from '../api/csv.ts';
import { currentLanguage } from '../i18n/index.ts';
import { csvColumns, type Column } from './DataTable.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { SelectFilter } from './filters.tsx';

export function ExportButton<T>({ file, columns, fetchPage }: {
  /** The file name's first word, in the console's language: clients-2026-11-24.csv. */
  file: string;
  columns: readonly Column<T>[];
  fetchPage: (pageToken: string) => Promise<{ items: T[]; nextPageToken: string }>;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [dialect, setDialect] = useState<CsvDialect>(storedDialect);
  const run = async () => {
    setBusy(true);
    setError(null);
    setNote('');
    try {
      const { rows, truncated } = await readAllPages(fetchPage);
      downloadCsv(csvFilename(file), toCsv(csvColumns(columns), rows, csvFormat(dialect, currentLanguage(i18n))));
      setNote(truncated ? t('export.truncated', { count: rows.length }) : t('export.done', { count: rows.length }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export">
      <SelectFilter label={t('export.format')} value={dialect} inline
        onChange={(v) => { const d = v === 'rfc4180' ? 'rfc4180' : 'excel'; setDialect(d); storeDialect(d); }}
        options={[{ value: 'excel', label: t('export.excel') }, { value: 'rfc4180', label: t('export.rfc4180') }]} />
      <button type="button" className="btn" onClick={() => void run()} disabled={busy}>{busy ? t('export.busy') : t('export.button')}</button>
      <span className="export-note" role="status" aria-live="polite">{note}</span>
      {error !== null && <ErrorNotice error={error} title={t('export.failed')} />}
    </div>
  );
}
