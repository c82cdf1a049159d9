// Values that read the same in every language: short ids, and money as plain
// decimals for forms. What depends on the language (dates, money and numbers
// on screen) is in i18n/format.ts.

/**
 * The last block of a UUID, enough to tell objects apart on screen. (Our ids
 * are UUIDv7: the first blocks are a timestamp, the same for a whole batch.)
 */
export function shortId(id: string): string {
  return `…${id.split('-').pop() ?? id}`;
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
