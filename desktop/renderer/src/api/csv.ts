// CSV export of what a list shows: the same columns, the current filter and
// sort, every page of it (not only the page on screen), up to a limit.
//
// Two dialects. "excel" is what a spreadsheet opens as it is in the chosen
// language: French Excel splits on semicolons (its list separator, since the
// comma is its decimal mark) and reads "49,90"; times are local, as
// "2026-11-24 14:30:00", which Excel reads as a date in either language; a
// byte-order mark tells it the file is UTF-8 (without it, "Lefèvre" comes out
// as "LefÃ¨vre"). "rfc4180" is for programs: commas, a dot, times in UTC
// ISO 8601, no byte-order mark.
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { Language } from '../i18n/index.ts';

export type CsvDialect = 'excel' | 'rfc4180';

/** A decimal amount such as a price: written with the dialect's decimal mark. */
export interface CsvDecimal {
  decimal: string;
}

export type CsvValue = string | number | boolean | undefined | Date | CsvDecimal;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

export interface CsvFormat {
  separator: ',' | ';';
  decimalMark: '.' | ',';
  /** Local "yyyy-mm-dd hh:mm:ss", or UTC ISO 8601. */
  localTime: boolean;
  bom: boolean;
}

export function csvFormat(dialect: CsvDialect, language: Language): CsvFormat {
  if (dialect === 'rfc4180') return { separator: ',', decimalMark: '.', localTime: false, bom: false };
  return language === 'fr'
    ? { separator: ';', decimalMark: ',', localTime: true, bom: true }
    : { separator: ',', decimalMark: '.', localTime: true, bom: true };
}

/** A Timestamp as a CSV cell (empty when unset). */
export function csvTime(ts: Timestamp | undefined): Date | undefined {
  return ts ? timestampDate(ts) : undefined;
}

/** Spreadsheets run cells that start with these as formulas: quote them as text. */
const FORMULA_START = /^[=+\-@\t\r]/;

const pad = (n: number) => String(n).padStart(2, '0');

function localTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function text(value: CsvValue, format: CsvFormat): string {
  if (value === undefined) return '';
  if (value instanceof Date) return format.localTime ? localTime(value) : value.toISOString();
  if (typeof value === 'object') return value.decimal.replace('.', format.decimalMark);
  if (typeof value === 'number') return String(value).replace('.', format.decimalMark);
  return String(value);
}

function cell(value: CsvValue, format: CsvFormat): string {
  let out = text(value, format);
  // Numbers, dates and decimals are ours; only text can carry a formula.
  if (typeof value === 'string' && FORMULA_START.test(out)) out = `'${out}`;
  const special = format.separator === ';' ? /[";\r\n]/ : /[",\r\n]/;
  return special.test(out) ? `"${out.replaceAll('"', '""')}"` : out;
}

export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[], format: CsvFormat = csvFormat('rfc4180', 'en')): string {
  const lines = [columns.map((c) => cell(c.header, format)).join(format.separator)];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row), format)).join(format.separator));
  return `${format.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
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
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
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

const DIALECT_KEY = 'console.csvDialect';

export function storedDialect(): CsvDialect {
  try {
    return localStorage.getItem(DIALECT_KEY) === 'rfc4180' ? 'rfc4180' : 'excel';
  } catch {
    return 'excel';
  }
}

export function storeDialect(dialect: CsvDialect): void {
  try {
    localStorage.setItem(DIALECT_KEY, dialect);
  } catch {
    // Kept for this window only.
  }
}
