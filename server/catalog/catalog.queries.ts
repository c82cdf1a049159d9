// The catalog's read side: the Offering and Smartphone messages, each
// projected once from typed queries (platform/data/query.ts), for the read
// methods and for the answers of write methods (inside their transaction,
// after the flush). The catalog is every reseller's: no reseller condition.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import {
  BillingPeriod, OfferingKind, SmartphoneAvailability,
  type Offering as OfferingMessage, type Smartphone as SmartphoneMessage,
} from '../../gen/reseller/v1/catalog_pb.js';
import type { BillingPeriodName, Offering, OfferingKindName, Smartphone, SmartphoneAvailabilityName } from './catalog.entity.ts';
import { query, type Db, type Row } from '../platform/data/query.ts';
import type { Scope } from '../platform/data/scope.ts';
import type { Cursor } from '../platform/data/pagination.ts';
import { notFound } from '../platform/rpc/errors.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';

type Tables = InferKyselyDB<typeof Offering | typeof Smartphone>;
type CatalogDb = Kysely<Tables>;

export const kindValues: Record<OfferingKindName, OfferingKind> = {
  setup: OfferingKind.SETUP, subscription: OfferingKind.SUBSCRIPTION, option: OfferingKind.OPTION,
};
export const periodValues: Record<BillingPeriodName, BillingPeriod> = {
  one_time: BillingPeriod.ONE_TIME, monthly: BillingPeriod.MONTHLY, yearly: BillingPeriod.YEARLY,
};
export const availabilityValues: Record<SmartphoneAvailabilityName, SmartphoneAvailability> = {
  in_stock: SmartphoneAvailability.IN_STOCK, out_of_stock: SmartphoneAvailability.OUT_OF_STOCK, discontinued: SmartphoneAvailability.DISCONTINUED,
};

function money(amountMinor: unknown, currency: string) {
  return { $typeName: 'reseller.v1.Money' as const, amountMinor: BigInt(amountMinor as number), currency };
}

// --- Offering

const OFFERING_COLUMNS = [
  'o.id', 'o.code', 'o.name', 'o.short_description', 'o.long_description', 'o.price_minor', 'o.currency', 'o.kind', 'o.billing_period',
  'o.associated_codes', 'o.project_form', 'o.included_quantity', 'o.retired_at', 'o.created_at', 'o.updated_at', 'o.version',
] as const;
type OfferingRow = Row<Tables['offering'], typeof OFFERING_COLUMNS>;

function offeringOf(db: Db, row: OfferingRow): OfferingMessage {
  const retired = row.retired_at === null ? undefined : timestamp(db.source.date(row.retired_at));
  // JSON: text on SQLite, parsed already by PostgreSQL's driver.
  const associated = typeof row.associated_codes === 'string' ? JSON.parse(row.associated_codes) as string[] : row.associated_codes;
  return {
    $typeName: 'reseller.v1.Offering', code: row.code, name: row.name, shortDescription: row.short_description, longDescription: row.long_description,
    price: money(row.price_minor, row.currency), kind: kindValues[row.kind], billingPeriod: periodValues[row.billing_period],
    associatedCodes: associated, projectForm: Boolean(row.project_form), retired: retired !== undefined, retireTime: retired,
    createTime: timestamp(db.source.date(row.created_at)), updateTime: timestamp(db.source.date(row.updated_at)), etag: `v${row.version}`,
    includedQuantity: Number(row.included_quantity),
  };
}

const offeringQuery = query((db: CatalogDb, p: { code: string }) => db.selectFrom('offering as o').select(OFFERING_COLUMNS).where('o.code', '=', p.code));

/** GetOffering's answer (and UpsertOffering's and RetireOffering's), or OFFERING_NOT_FOUND. */
export async function offeringByCode(db: Db, scope: Scope, code: string): Promise<OfferingMessage> {
  const row = await offeringQuery.first(db, scope, { code });
  if (!row) throw notFound('OFFERING_NOT_FOUND', 'offering', code, { metadata: { code } });
  return offeringOf(db, row);
}

const offeringPageQuery = query((db: CatalogDb, p: { kind?: OfferingKindName; includeRetired: boolean; cursor?: Cursor; cursorCode: string; cursorId: string; limit: number }, args) => {
  let q = db.selectFrom('offering as o').select(OFFERING_COLUMNS);
  if (args.kind !== undefined) q = q.where('o.kind', '=', p.kind!);
  if (!args.includeRetired) q = q.where('o.retired_at', 'is', null);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('o.code', 'o.id'), '>', eb.tuple(p.cursorCode, p.cursorId)));
  return q.orderBy('o.code', 'asc').orderBy('o.id', 'asc').limit(p.limit);
}, (args) => `${args.kind !== undefined}${args.includeRetired}${args.cursor !== undefined}`);

/** One ListOfferings page's rows, by code, each with its page token's cursor. */
export async function offeringPage(db: Db, scope: Scope, args: { kind?: OfferingKindName; includeRetired: boolean; cursor?: Cursor; limit: number }) {
  const rows = await offeringPageQuery.run(db, scope, { ...args, cursorCode: (args.cursor?.value as string) ?? '', cursorId: args.cursor?.id ?? '' });
  return rows.map((row) => ({ message: offeringOf(db, row), cursor: { value: row.code, id: row.id } }));
}

// --- Smartphone

const SMARTPHONE_COLUMNS = [
  's.id', 's.sku', 's.brand', 's.model', 's.price_minor', 's.currency', 's.storage_gb', 's.colour', 's.availability', 's.created_at', 's.updated_at', 's.version',
] as const;
type SmartphoneRow = Row<Tables['smartphone'], typeof SMARTPHONE_COLUMNS>;

function smartphoneOf(db: Db, row: SmartphoneRow): SmartphoneMessage {
  return {
    $typeName: 'reseller.v1.Smartphone', smartphoneId: row.id, sku: row.sku, brand: row.brand, model: row.model,
    price: money(row.price_minor, row.currency), storageGb: Number(row.storage_gb), colour: row.colour, availability: availabilityValues[row.availability],
    createTime: timestamp(db.source.date(row.created_at)), updateTime: timestamp(db.source.date(row.updated_at)), etag: `v${row.version}`,
  };
}

const smartphoneQuery = query((db: CatalogDb, p: { id: string }) => db.selectFrom('smartphone as s').select(SMARTPHONE_COLUMNS).where('s.id', '=', p.id));

/** GetSmartphone's answer (and UpsertSmartphone's), or SMARTPHONE_NOT_FOUND. */
export async function smartphoneById(db: Db, scope: Scope, id: string): Promise<SmartphoneMessage> {
  const row = await smartphoneQuery.first(db, scope, { id });
  if (!row) throw notFound('SMARTPHONE_NOT_FOUND', 'smartphone', id);
  return smartphoneOf(db, row);
}

interface SmartphonePageArgs {
  /** The lower-cased brand, matched whole. */
  brand?: string;
  availability?: SmartphoneAvailabilityName;
  /** A LIKE pattern on the lower-cased brand, model and colour (escaped with \\), or undefined. */
  pattern?: string;
  cursor?: Cursor;
  limit: number;
}

const smartphonePageQuery = query((db: CatalogDb, p: SmartphonePageArgs & { cursorSku: string; cursorId: string }, args) => {
  let q = db.selectFrom('smartphone as s').select(SMARTPHONE_COLUMNS);
  if (args.brand !== undefined) q = q.where('s.brand_lower', '=', p.brand!);
  if (args.availability !== undefined) q = q.where('s.availability', '=', p.availability!);
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('s.search_text')} like ${p.pattern} escape '\\'`);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('s.sku', 's.id'), '>', eb.tuple(p.cursorSku, p.cursorId)));
  return q.orderBy('s.sku', 'asc').orderBy('s.id', 'asc').limit(p.limit);
}, (args) => `${args.brand !== undefined}${args.availability !== undefined}${args.pattern !== undefined}${args.cursor !== undefined}`);

/** One ListSmartphones page's rows, by SKU, each with its page token's cursor. */
export async function smartphonePage(db: Db, scope: Scope, args: SmartphonePageArgs) {
  const rows = await smartphonePageQuery.run(db, scope, { ...args, cursorSku: (args.cursor?.value as string) ?? '', cursorId: args.cursor?.id ?? '' });
  return rows.map((row) => ({ message: smartphoneOf(db, row), cursor: { value: row.sku, id: row.id } }));
}
