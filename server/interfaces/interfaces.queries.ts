// The interface feature's read side: the Interface and InterfaceOfferingLine
// messages, each projected once from typed queries (platform/data/query.ts),
// for the read methods and for the answers of write methods alike (run inside
// the write's transaction, after its flush).
import type { Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import {
  InterfaceStatus, type Interface as InterfaceMessage, type InterfaceOfferingLine as LineMessage,
} from '../../gen/reseller/v1/interfaces_pb.js';
import type { CustomerContact, InterfaceOfferingLine, InterfaceStatusName, ShopInterface } from './interfaces.entity.ts';
import type { Offering } from '../catalog/catalog.entity.ts';
import { statusAt } from './lifecycle.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';
import { query, type Db, type EmbeddedColumns, type Row } from '../platform/data/query.ts';
import type { Scope } from '../platform/data/scope.ts';
import type { Cursor } from '../platform/data/pagination.ts';
import { notFound } from '../platform/rpc/errors.ts';

type Tables = InferKyselyDB<typeof ShopInterface | typeof InterfaceOfferingLine | typeof Offering> & {
  shop_interface: EmbeddedColumns<typeof CustomerContact, 'contact_'>;
};
type InterfacesDb = Kysely<Tables>;

export const statusValues: Record<InterfaceStatusName, InterfaceStatus> = {
  active: InterfaceStatus.ACTIVE, deleted: InterfaceStatus.DELETED, deactivated: InterfaceStatus.DEACTIVATED, pending: InterfaceStatus.PENDING,
};

export function interfaceNotFound(key: string) {
  return notFound('INTERFACE_NOT_FOUND', 'interface', key);
}

// --- Interface

const INTERFACE_COLUMNS = [
  'i.id', 'i.reseller_id', 'i.guid', 'i.status', 'i.subdomain', 'i.url', 'i.admin_url', 'i.form_url',
  'i.contact_last_name', 'i.contact_first_name', 'i.contact_company', 'i.contact_address', 'i.contact_postal_code', 'i.contact_city',
  'i.contact_country', 'i.contact_phone', 'i.contact_email', 'i.contact_rcs', 'i.contact_ape',
  'i.created_at', 'i.installed_at', 'i.deletion_requested_at', 'i.access_end_at', 'i.deletion_at', 'i.reactivated_at', 'i.version',
] as const;
type InterfaceRow = Row<Tables['shop_interface'], typeof INTERFACE_COLUMNS>;

/** The interface as partners see it at `now`: a DEACTIVATED one past its deletion time reads DELETED (lifecycle.ts). */
function interfaceOf(db: Db, row: InterfaceRow, now: Date): InterfaceMessage {
  const date = (value: unknown) => (value === null || value === undefined ? undefined : db.source.date(value));
  const time = (value: unknown) => {
    const d = date(value);
    return d && timestamp(d);
  };
  const status = statusAt({ status: row.status, deletionAt: date(row.deletion_at) ?? null }, now);
  return {
    $typeName: 'reseller.v1.Interface', key: row.id, resellerId: row.reseller_id, guid: row.guid, status: statusValues[status],
    subdomain: status === 'deleted' ? '' : (row.subdomain ?? ''),
    url: row.url ?? '', adminUrl: row.admin_url ?? '', formUrl: status === 'pending' ? (row.form_url ?? '') : '',
    createTime: timestamp(db.source.date(row.created_at)), installTime: time(row.installed_at),
    deletionRequestTime: time(row.deletion_requested_at), accessEndTime: time(row.access_end_at), deletionTime: time(row.deletion_at),
    reactivationTime: time(row.reactivated_at),
    contact: {
      $typeName: 'reseller.v1.CustomerContact', lastName: row.contact_last_name, firstName: row.contact_first_name, company: row.contact_company,
      address: row.contact_address, postalCode: row.contact_postal_code, city: row.contact_city, country: row.contact_country,
      phone: row.contact_phone, email: row.contact_email, rcs: row.contact_rcs, ape: row.contact_ape,
    },
    etag: `v${row.version}`,
  };
}

const interfaceQuery = query((db: InterfacesDb, p: { key: string }) => db.selectFrom('shop_interface as i').select(INTERFACE_COLUMNS).where('i.id', '=', p.key));

/** GetInterface's answer (and every interface-changing method's), or INTERFACE_NOT_FOUND. */
export async function interfaceByKey(db: Db, scope: Scope, key: string, now: Date): Promise<InterfaceMessage> {
  const row = await interfaceQuery.first(db, scope, { key });
  if (!row) throw interfaceNotFound(key);
  return interfaceOf(db, row, now);
}

export interface InterfacePageArgs {
  /** Staff's filter on one reseller; a reseller's scope limits the rows already. */
  resellerId?: string;
  status?: InterfaceStatusName;
  now: Date;
  cursor?: Cursor;
  limit: number;
}

// Newest first. DEACTIVATED past its deletion time counts as DELETED (see statusAt).
const interfacePageQuery = query((db: InterfacesDb, p: InterfacePageArgs & { cursorTime: Date; cursorId: string }, args) => {
  let q = db.selectFrom('shop_interface as i').select(INTERFACE_COLUMNS);
  if (args.resellerId !== undefined) q = q.where('i.reseller_id', '=', p.resellerId!);
  switch (args.status) {
    case 'active':
    case 'pending':
      q = q.where('i.status', '=', p.status!);
      break;
    case 'deactivated':
      q = q.where('i.status', '=', 'deactivated').where('i.deletion_at', '>', p.now);
      break;
    case 'deleted':
      q = q.where((eb) => eb.or([eb('i.status', '=', 'deleted'), eb.and([eb('i.status', '=', 'deactivated'), eb('i.deletion_at', '<=', p.now)])]));
      break;
  }
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('i.created_at', 'i.id'), '<', eb.tuple(p.cursorTime, p.cursorId)));
  return q.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(p.limit);
}, (args) => `${args.resellerId !== undefined}${args.status}${args.cursor !== undefined}`);

/** One ListInterfaces page's rows, newest first, each with what the page token is made of. */
export async function interfacePage(db: Db, scope: Scope, args: InterfacePageArgs) {
  const rows = await interfacePageQuery.run(db, scope, { ...args, cursorTime: (args.cursor?.value as Date) ?? args.now, cursorId: args.cursor?.id ?? '' });
  return rows.map((row) => ({ message: interfaceOf(db, row, args.now), cursor: { value: db.source.date(row.created_at), id: row.id } }));
}

// --- Offering lines

const LINE_COLUMNS = ['l.id', 'l.created_at', 'l.cancelled_at', 'l.form_url', 'o.code'] as const;

const linesQuery = query((db: InterfacesDb, p: { key: string }) => db.selectFrom('interface_offering_line as l')
  .innerJoin('offering as o', 'o.id', 'l.offering_id')
  .select(LINE_COLUMNS)
  .where('l.shop_interface_id', '=', p.key)
  .orderBy('l.position', 'asc').orderBy('l.id', 'asc'));

/** An interface's lines in the order ordered; `which` keeps some of them (by reference or code). */
export async function interfaceLines(db: Db, scope: Scope, key: string, which: (line: LineMessage) => boolean = () => true): Promise<LineMessage[]> {
  const rows = await linesQuery.run(db, scope, { key });
  const lines: LineMessage[] = rows.map((row) => {
    const cancelled = row.cancelled_at === null ? undefined : db.source.date(row.cancelled_at);
    return {
      $typeName: 'reseller.v1.InterfaceOfferingLine', code: row.code, reference: row.id, createTime: timestamp(db.source.date(row.created_at)),
      cancelled: cancelled !== undefined, cancelTime: cancelled && timestamp(cancelled), formUrl: row.form_url ?? '',
    };
  });
  return lines.filter(which);
}
