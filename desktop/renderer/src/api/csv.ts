// CSV export of what a list shows: the same columns, the current filter and
// sort, every page of it (not only the page on screen), up to a limit.

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | undefined;
}

/** Spreadsheets run cells that start with these as formulas: quote them as text. */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string | number | boolean | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Reads every page of a list, following nextPageToken, up to `limit` rows. */
export async function readAllPages<T>(
  fetchPage: (pageToken: string) => Promise<{ items: T[]; nextPageToken: string }>,
  limit = 10_000,
): Promise<{ rows: T[]; truncated: boolean }> {
  const rows: T[] = [];
  let token = '';
  do {
    const page = await fetchPage(token);
    rows.push(...page.items);
    token = page.nextPageToken;
  } while (token && rows.length < limit);
  return { rows: rows.slice(0, limit), truncated: token !== '' || rows.length > limit };
}

/** Hands the text to the browser (or Electron) as a file download. */
export function downloadCsv(filename: string, text: string): void {
  // The BOM makes spreadsheet programs read the file as UTF-8.
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name that says what and when: clients-2026-11-24.csv */
export function csvFilename(what: string, now = new Date()): string {
  return `${what}-${now.toISOString().slice(0, 10)}.csv`;
}
