// The devices feature's read side: the Device and Charge messages, each
// projected once from typed queries (platform/data/query.ts), for the read
// methods and for the answers of write methods (inside their transaction,
// after the flush). A charge carries its client's name and code, read with it.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import { SoftphoneClientType, type Charge as ChargeMessage, type Device as DeviceMessage } from '../../gen/reseller/v1/devices_pb.js';
import type { Money } from '../../gen/reseller/v1/common_pb.js';
import type { Charge, DeviceLink, SoftphoneClientTypeName } from './devices.entity.ts';
import type { Client, Equipment } from '../clients/clients.entity.ts';
import { query, type Db, type Row } from '../platform/data/query.ts';
import type { Scope } from '../platform/data/scope.ts';
import type { Cursor } from '../platform/data/pagination.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';

type Tables = InferKyselyDB<typeof DeviceLink | typeof Charge | typeof Equipment | typeof Client>;
type DevicesDb = Kysely<Tables>;

export const typeValues: Record<SoftphoneClientTypeName, SoftphoneClientType> = {
  desktop: SoftphoneClientType.DESKTOP, mobile: SoftphoneClientType.MOBILE, webrtc: SoftphoneClientType.WEBRTC, crm: SoftphoneClientType.CRM,
};

function money(amountMinor: unknown, currency: string): Money {
  return { $typeName: 'reseller.v1.Money', amountMinor: BigInt(amountMinor as number | string), currency };
}

// --- Device: a link with its equipment's PBX device id.

const DEVICE_COLUMNS = ['l.id', 'l.client_id', 'l.account_id', 'l.equipment_id', 'l.client_type', 'l.created_at', 'l.assigned_at', 'e.pbx_device_id'] as const;

function deviceOf(db: Db, row: Row<Tables['device_link'] & Pick<Tables['equipment'], 'pbx_device_id'>, typeof DEVICE_COLUMNS>): DeviceMessage {
  return {
    $typeName: 'reseller.v1.Device', deviceId: row.pbx_device_id ?? '', equipmentId: row.equipment_id, clientId: row.client_id, accountId: row.account_id,
    clientType: row.client_type === null ? SoftphoneClientType.UNSPECIFIED : typeValues[row.client_type],
    linkTime: timestamp(db.source.date(row.created_at)), assignTime: row.assigned_at === null ? undefined : timestamp(db.source.date(row.assigned_at)),
  };
}

const deviceQuery = query((db: DevicesDb, p: { id: string }) => db.selectFrom('device_link as l')
  .innerJoin('equipment as e', 'e.id', 'l.equipment_id').select(DEVICE_COLUMNS).where('l.id', '=', p.id));

/** A link as LinkDevice, AssignDevice and UnassignDevice answer it (its row exists: the caller just read or wrote it). */
export async function deviceByLink(db: Db, scope: Scope, linkId: string): Promise<DeviceMessage> {
  const row = await deviceQuery.first(db, scope, { id: linkId });
  if (!row) throw new Error(`device link ${linkId} vanished within its own transaction`);
  return deviceOf(db, row);
}

const accountDevicesQuery = query((db: DevicesDb, p: { accountId: string }) => db.selectFrom('device_link as l')
  .innerJoin('equipment as e', 'e.id', 'l.equipment_id').select(DEVICE_COLUMNS)
  .where('l.account_id', '=', p.accountId).orderBy('l.created_at', 'asc').orderBy('l.id', 'asc'));

/** ListAccountDevices: the account's devices, oldest link first. */
export async function accountDevices(db: Db, scope: Scope, accountId: string): Promise<DeviceMessage[]> {
  return (await accountDevicesQuery.run(db, scope, { accountId })).map((row) => deviceOf(db, row));
}

// --- Charge, with its client's name and code.

const CHARGE_COLUMNS = [
  'ch.id', 'ch.reseller_id', 'ch.client_id', 'ch.account_id', 'ch.device_id', 'ch.description', 'ch.offering_code', 'ch.quantity',
  'ch.unit_price_minor', 'ch.total_minor', 'ch.currency', 'ch.charged_at', 'c.name as client_name', 'c.code as client_code',
] as const;
type ChargeRow = Row<Tables['charge'], typeof CHARGE_COLUMNS> & { client_name: string | null; client_code: string | null };

function chargeOf(db: Db, row: ChargeRow): ChargeMessage {
  return {
    $typeName: 'reseller.v1.Charge', chargeId: row.id, resellerId: row.reseller_id, clientId: row.client_id, accountId: row.account_id, deviceId: row.device_id,
    item: {
      $typeName: 'reseller.v1.ChargeItem', description: row.description, offeringCode: row.offering_code, quantity: Number(row.quantity),
      unitPrice: money(row.unit_price_minor, row.currency), total: money(row.total_minor, row.currency),
    },
    createTime: timestamp(db.source.date(row.charged_at)), clientName: row.client_name ?? '', clientCode: row.client_code ?? '',
  };
}

function chargesWithClient(db: DevicesDb) {
  return db.selectFrom('charge as ch').leftJoin('client as c', 'c.id', 'ch.client_id').select(CHARGE_COLUMNS);
}

const chargeQuery = query((db: DevicesDb, p: { id: string }) => chargesWithClient(db).where('ch.id', '=', p.id));

/** A charge as AssignDevice answers it (just written in the same transaction). */
export async function chargeById(db: Db, scope: Scope, id: string): Promise<ChargeMessage> {
  const row = await chargeQuery.first(db, scope, { id });
  if (!row) throw new Error(`charge ${id} vanished within its own transaction`);
  return chargeOf(db, row as ChargeRow);
}

export interface ChargeFilter {
  /** Staff's filter on one reseller; a reseller's scope limits the rows already. */
  resellerId?: string;
  clientId?: string;
  /** A LIKE pattern on the folded name and code of the charge's client (escaped with \\), or undefined. */
  clientPattern?: string;
  start?: Date;
  end?: Date;
}

type FilterParams = ChargeFilter & { cursor?: Cursor; cursorTime: Date; cursorId: string; limit: number };

/** The filter's conditions, for the page and for the totals alike. */
function filtered(eb: ExpressionBuilder<Tables & { ch: Tables['charge'] }, 'ch'>, p: FilterParams, args: FilterParams): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (args.resellerId !== undefined) conditions.push(eb('ch.reseller_id', '=', p.resellerId!));
  if (args.clientId !== undefined) conditions.push(eb('ch.client_id', '=', p.clientId!));
  if (args.clientPattern !== undefined) {
    conditions.push(eb('ch.client_id', 'in', eb.selectFrom('client as fc').select('fc.id')
      .where((w) => sql<SqlBool>`${w.ref('fc.search_text')} like ${p.clientPattern} escape '\\'`)));
  }
  if (args.start !== undefined) conditions.push(eb('ch.charged_at', '>=', p.start!));
  if (args.end !== undefined) conditions.push(eb('ch.charged_at', '<', p.end!));
  return eb.and(conditions);
}

function filterShape(args: FilterParams): string {
  return [args.resellerId, args.clientId, args.clientPattern, args.start, args.end, args.cursor].map((v) => (v === undefined ? '0' : '1')).join('');
}

// Newest first.
const chargePageQuery = query((db: DevicesDb, p: FilterParams, args) => {
  let q = chargesWithClient(db).where((eb) => filtered(eb, p, args));
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('ch.charged_at', 'ch.id'), '<', eb.tuple(p.cursorTime, p.cursorId)));
  return q.orderBy('ch.charged_at', 'desc').orderBy('ch.id', 'desc').limit(p.limit);
}, filterShape);

/** One ListCharges page's rows, newest first, each with its page token's cursor. */
export async function chargePage(db: Db, scope: Scope, filter: ChargeFilter, cursor: Cursor | undefined, limit: number) {
  const rows = await chargePageQuery.run(db, scope, { ...filter, cursor, cursorTime: (cursor?.value as Date) ?? new Date(0), cursorId: cursor?.id ?? '', limit });
  return rows.map((row) => ({ message: chargeOf(db, row as ChargeRow), cursor: { value: db.source.date(row.charged_at), id: row.id } }));
}

const chargeTotalsQuery = query((db: DevicesDb, p: FilterParams, args) => db.selectFrom('charge as ch')
  .select((eb) => ['ch.currency', eb.fn.sum<number | string>('ch.total_minor').as('total')])
  .where((eb) => filtered(eb, p, args))
  .groupBy('ch.currency').orderBy('ch.currency', 'asc'), filterShape);

/** The totals of every charge the filter keeps (all pages), one per currency. */
export async function chargeTotals(db: Db, scope: Scope, filter: ChargeFilter): Promise<Money[]> {
  const rows = await chargeTotalsQuery.run(db, scope, { ...filter, cursorTime: new Date(0), cursorId: '', limit: 0 });
  return rows.map((row) => money(row.total, row.currency));
}
