// Money on the wire is `Money` (int64 minor units + ISO 4217 currency), never
// a float; in the database it is an integer column of minor units beside a
// currency column.
import { create } from '@bufbuild/protobuf';
import { MoneySchema, type Money } from '../../../gen/reseller/v1/common_pb.js';
import type { Validator } from './validation.ts';

const CURRENCY = /^[A-Z]{3}$/;
/** Stored in a 32-bit integer column: 20 million in major units is far beyond any list price. */
export const MAX_AMOUNT_MINOR = 2_000_000_000;

export function moneyMessage(amountMinor: number, currency: string): Money {
  return create(MoneySchema, { amountMinor: BigInt(amountMinor), currency });
}

/** Checks a required price: zero or more, below the maximum, in a three-letter currency. */
export function validPrice(v: Validator, field: string, money: Money | undefined): { amountMinor: number; currency: string } {
  if (!money) {
    v.add(field, 'is required', 'REQUIRED');
    return { amountMinor: 0, currency: '' };
  }
  if (money.amountMinor < 0n || money.amountMinor > BigInt(MAX_AMOUNT_MINOR)) {
    v.add(`${field}.amountMinor`, `must be from 0 to ${MAX_AMOUNT_MINOR} (minor units)`, 'OUT_OF_RANGE');
  }
  const currency = money.currency.trim();
  if (!CURRENCY.test(currency)) v.add(`${field}.currency`, 'must be a three-letter ISO 4217 code in capitals, such as EUR', 'INVALID_FORMAT');
  return { amountMinor: Number(money.amountMinor), currency };
}
