// Message keys as values: status labels and options live in tables of keys
// (typed, so a wrong key fails tsc) and are translated where they are shown.
import type { ParseKeys, TFunction } from 'i18next';

export type MessageKey = ParseKeys<'translation'>;

/** The shape fr.ts must have: every key of en.ts, each a string. */
export type Messages<T> = { readonly [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

/**
 * t() for a key held in a variable (a label table's entry). i18next's typed
 * t() accepts literal keys only; the tables are typed MessageKey, so a wrong
 * key still fails tsc where it is written.
 */
export function tr(t: TFunction, key: MessageKey, values?: Record<string, unknown>): string {
  return (t as unknown as (key: string, values?: Record<string, unknown>) => string)(key, values);
}
