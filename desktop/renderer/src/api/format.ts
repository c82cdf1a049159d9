// How values read on screen and in exports.
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(ts: Timestamp | undefined): string {
  return ts ? dateTime.format(timestampDate(ts)) : '';
}

/** ISO 8601 for CSV: sortable and unambiguous in any locale. */
export function isoTime(ts: Timestamp | undefined): string {
  return ts ? timestampDate(ts).toISOString() : '';
}

/**
 * The last block of a UUID, enough to tell objects apart on screen. (Our ids
 * are UUIDv7: the first blocks are a timestamp, the same for a whole batch.)
 */
export function shortId(id: string): string {
  return `…${id.split('-').pop() ?? id}`;
}

/** Money from integer minor units: 4900n EUR → "€49.00" (the currency's own number of decimals). */
export function formatMoney(money: { amountMinor: bigint; currency: string } | undefined): string {
  if (!money || !money.currency) return '';
  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(Number(money.amountMinor) / 10 ** digits);
}

/** Money for CSV: a plain decimal without grouping ("49.00"), the currency in its own column. */
export function decimalMoney(money: { amountMinor: bigint; currency: string } | undefined): string {
  if (!money || !money.currency) return '';
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (Number(money.amountMinor) / 10 ** digits).toFixed(digits);
}
