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

/** How many decimals a currency has (EUR 2, JPY 0); 2 for a code that is not a currency, which the server refuses anyway. */
function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Money for CSV and forms: a plain decimal without grouping ("49.00"), the currency in its own column. */
export function decimalMoney(money: { amountMinor: bigint; currency: string } | undefined): string {
  if (!money || !money.currency) return '';
  const digits = currencyDigits(money.currency);
  return (Number(money.amountMinor) / 10 ** digits).toFixed(digits);
}

/**
 * Integer minor units from an amount staff typed: "49.9" or "49,90" EUR →
 * 4990n. Undefined when it is not a plain amount (no sign, no grouping) with
 * at most the currency's decimals.
 */
export function minorUnits(amount: string, currency: string): bigint | undefined {
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(amount.trim());
  if (!match) return undefined;
  const digits = currencyDigits(currency.trim());
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  return BigInt(match[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
}
