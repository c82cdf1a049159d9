// Dates, money and numbers as people read them in the chosen language, all
// through Intl (the formatters are made once per language).
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { currentLanguage, formatLocale } from './index.ts';

export interface Money {
  amountMinor: bigint;
  currency: string;
}

export interface Format {
  /** The BCP 47 locale the formatters use, for example fr-FR. */
  locale: string;
  /** 24 nov. 2026, 14:30 */
  time(ts: Timestamp | Date | undefined): string;
  /** 24 nov. 2026 */
  date(ts: Timestamp | Date | undefined): string;
  /** 49,00 € (from integer minor units, the currency's own number of decimals) */
  money(money: Money | undefined): string;
  /** 1 234 */
  number(value: number | bigint | undefined): string;
}

function asDate(ts: Timestamp | Date | undefined): Date | undefined {
  if (!ts) return undefined;
  return ts instanceof Date ? ts : timestampDate(ts);
}

export function makeFormat(locale: string): Format {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const dateOnly = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const numbers = new Intl.NumberFormat(locale);
  const currencies = new Map<string, Intl.NumberFormat>();
  return {
    locale,
    time: (ts) => { const d = asDate(ts); return d ? dateTime.format(d) : ''; },
    date: (ts) => { const d = asDate(ts); return d ? dateOnly.format(d) : ''; },
    money: (money) => {
      if (!money || !money.currency) return '';
      let format = currencies.get(money.currency);
      if (!format) {
        format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
        currencies.set(money.currency, format);
      }
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(Number(money.amountMinor) / 10 ** digits);
    },
    number: (value) => (value === undefined ? '' : numbers.format(value)),
  };
}

/** The formatters of the language on screen; a component using it re-renders when the language changes. */
export function useFormat(): Format {
  const { i18n } = useTranslation();
  const language = currentLanguage(i18n);
  return useMemo(() => makeFormat(formatLocale(language)), [language]);
}
