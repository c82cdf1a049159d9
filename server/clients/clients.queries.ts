// The client feature's read side: each message (Client with its sites, Site,
// Equipment) is projected here once, from typed queries (platform/data/query.ts),
// for the read methods and for the answers of write methods alike (run inside
// the write's transaction, after its flush).
//
// The messages are written as object literals, every field given: what
// create() makes, without its reflection over the schema (a ListClients page
// is 50 clients and 100 timestamps). A field added to the contract fails to
// compile here until it is filled in.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import {
  ClientStatus, EquipmentKind,
  type Client as ClientMessage, type Equipment as EquipmentMessage, type Site as SiteMessage,
} from '../../gen/reseller/v1/clients_pb.js';
import type { Client, ClientStatusName, Equipment, EquipmentKindName, Site } from './clients.entity.ts';
import type { Smartphone } from '../catalog/catalog.entity.ts';
import { query, type DataSource, type Db, type Row } from '../platform/data/query.ts';
import type { Scope } from '../platform/data/scope.ts';
import type { Cursor, Direction } from '../platform/data/pagination.ts';
import { notFound } from '../platform/rpc/errors.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';

type Tables = InferKyselyDB<typeof Client | typeof Site | typeof Equipment | typeof Smartphone>;
type ClientsDb = Kysely<Tables>;

export const statusValues: Record<ClientStatusName, ClientStatus> = { active: ClientStatus.ACTIVE, inactive: ClientStatus.INACTIVE };
export const kindValues: Record<EquipmentKindName, EquipmentKind> = {
  desk_phone: EquipmentKind.DESK_PHONE, smartphone: EquipmentKind.SMARTPHONE, softphone: EquipmentKind.SOFTPHONE,
  dect_base: EquipmentKind.DECT_BASE, gateway: EquipmentKind.GATEWAY,
};

// --- Client, with its counts (columns the database's triggers keep) and, for GetClient, its sites.

const CLIENT_COLUMNS = ['c.id', 'c.reseller_id', 'c.name', 'c.code', 'c.name_key', 'c.status', 'c.created_at', 'c.updated_at', 'c.version', 'c.site_count', 'c.equipment_count'] as const;

type ClientRow = Row<Tables['client'], typeof CLIENT_COLUMNS>;

function clientOf(source: DataSource, row: ClientRow, sites: SiteMessage[]): ClientMessage {
  return {
    $typeName: 'reseller.v1.Client', clientId: row.id, resellerId: row.reseller_id, name: row.name, code: row.code, status: statusValues[row.status],
    sites, siteCount: Number(row.site_count), equipmentCount: Number(row.equipment_count),
    createTime: timestamp(source.date(row.created_at)), updateTime: timestamp(source.date(row.updated_at)), etag: `v${row.version}`,
  };
}

// GetClient in one statement: the client joined with its sites (one row a
// site, or one row of nulls for a client with none), read from the covering
// index site_client_name_covering_idx. Its site count is the number of sites.
const clientWithSitesQuery = query((db: ClientsDb, p: { id: string }) => db.selectFrom('client as c')
  .leftJoin('site as s', 's.client_id', 'c.id')
  .select([...CLIENT_COLUMNS, 's.id as site_id', 's.name as site_name', 's.created_at as site_created_at', 's.version as site_version', 's.equipment_count as site_equipment_count'])
  .where('c.id', '=', p.id)
  .orderBy('s.name', 'asc').orderBy('s.id', 'asc'));

/** GetClient's answer (and every client-changing method's): the client with its counts and its sites by name, or CLIENT_NOT_FOUND. */
export async function clientWithSites(db: Db, scope: Scope, id: string): Promise<ClientMessage> {
  const rows = await clientWithSitesQuery.run(db, scope, { id });
  const first = rows[0];
  if (!first) throw notFound('CLIENT_NOT_FOUND', 'client', id);
  const sites = first.site_id === null ? [] : rows.map((r) => siteOf(db.source, {
    id: r.site_id!, client_id: r.id, name: r.site_name!, created_at: r.site_created_at!, version: r.site_version!, equipment_count: r.site_equipment_count!,
  }));
  return clientOf(db.source, { ...first, site_count: sites.length }, sites);
}

export interface ClientPageArgs {
  /** Staff's filter on one reseller; a reseller's scope limits the rows already. */
  resellerId?: string;
  status?: ClientStatusName;
  /** A LIKE pattern on the folded name and code (escaped with \), or undefined. */
  pattern?: string;
  order: { column: 'created_at' | 'name_key' | 'code'; direction: Direction };
  cursor?: Cursor;
  limit: number;
}

// One ListClients page. The cursor is a row value, not `a < ? or (a = ? and
// id < ?)`: both databases then seek the (reseller, sort key, id) index to
// it, where the `or` form made SQLite walk the index from the top (a deep
// page cost tens of times the first: docs/performance.md).
const clientPageQuery = query((db: ClientsDb, p: ClientPageArgs & { cursorValue: string | Date; cursorId: string }, args) => {
  const column = `c.${args.order.column}` as const;
  const direction = args.order.direction;
  let q = db.selectFrom('client as c').select(CLIENT_COLUMNS);
  if (args.resellerId !== undefined) q = q.where('c.reseller_id', '=', p.resellerId!);
  if (args.status !== undefined) q = q.where('c.status', '=', p.status!);
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('c.search_text')} like ${p.pattern} escape '\\'`);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple(column, 'c.id'), direction === 'asc' ? '>' : '<', eb.tuple(p.cursorValue as string, p.cursorId)));
  return q.orderBy(column, direction).orderBy('c.id', direction).limit(p.limit);
}, (args) => `${args.resellerId !== undefined}${args.status !== undefined}${args.pattern !== undefined}${args.cursor !== undefined}${args.order.column}${args.order.direction}`);

/** One ListClients page's rows (args.limit of them at most), each with what the page token is made of. */
export async function clientPage(db: Db, scope: Scope, args: ClientPageArgs): Promise<{ message: ClientMessage; cursor: (column: string) => Cursor }[]> {
  const rows = await clientPageQuery.run(db, scope, { ...args, cursorValue: args.cursor?.value ?? '', cursorId: args.cursor?.id ?? '' });
  return rows.map((row) => ({
    message: clientOf(db.source, row, []),
    cursor: (column) => ({ value: column === 'created_at' ? db.source.date(row.created_at) : column === 'name_key' ? row.name_key : row.code, id: row.id }),
  }));
}

// --- Site

function siteOf(source: DataSource, row: SiteRow): SiteMessage {
  return {
    $typeName: 'reseller.v1.Site', siteId: row.id, clientId: row.client_id, name: row.name, equipmentCount: Number(row.equipment_count),
    createTime: timestamp(source.date(row.created_at)), etag: `v${row.version}`,
  };
}

const SITE_COLUMNS = ['s.id', 's.client_id', 's.name', 's.created_at', 's.version', 's.equipment_count'] as const;
type SiteRow = Row<Tables['site'], typeof SITE_COLUMNS>;

const siteQuery = query((db: ClientsDb, p: { id: string }) => db.selectFrom('site as s').select(SITE_COLUMNS).where('s.id', '=', p.id));

/** A site as CreateSite and UpdateSite answer it, or SITE_NOT_FOUND. */
export async function siteById(db: Db, scope: Scope, id: string): Promise<SiteMessage> {
  const row = await siteQuery.first(db, scope, { id });
  if (!row) throw notFound('SITE_NOT_FOUND', 'site', id);
  return siteOf(db.source, row);
}

const sitePageQuery = query((db: ClientsDb, p: { clientId: string; cursorName: string; cursorId: string; limit: number }, args) => {
  let q = db.selectFrom('site as s').select(SITE_COLUMNS).where('s.client_id', '=', p.clientId);
  if (args.cursorId) q = q.where((eb) => eb(eb.refTuple('s.name', 's.id'), '>', eb.tuple(p.cursorName, p.cursorId)));
  return q.orderBy('s.name', 'asc').orderBy('s.id', 'asc').limit(p.limit);
}, (args) => (args.cursorId ? 'after' : 'first'));

// The sites of several clients at once (ListClients' includeSites, seed 001
// /clients/all): a fixed number of ids a statement, so it is compiled once;
// a short batch repeats its first id.
const SITES_BATCH = 50;
const sitesOfClientsQuery = query((db: ClientsDb, p: Record<string, string>) => db.selectFrom('site as s').select(SITE_COLUMNS)
  .where('s.client_id', 'in', Array.from({ length: SITES_BATCH }, (_, i) => p[`id${i}`]!))
  .orderBy('s.name', 'asc').orderBy('s.id', 'asc'));

/** Each client's sites by name, with their equipment counts (clients with none have an empty list). */
export async function sitesOfClients(db: Db, scope: Scope, clientIds: string[]): Promise<Map<string, SiteMessage[]>> {
  const byClient = new Map(clientIds.map((id) => [id, [] as SiteMessage[]]));
  for (let start = 0; start < clientIds.length; start += SITES_BATCH) {
    const batch = clientIds.slice(start, start + SITES_BATCH);
    const args = Object.fromEntries(Array.from({ length: SITES_BATCH }, (_, i) => [`id${i}`, batch[i] ?? batch[0]!]));
    for (const row of await sitesOfClientsQuery.run(db, scope, args)) byClient.get(row.client_id)?.push(siteOf(db.source, row));
  }
  return byClient;
}

/** A page of a client's sites by name. */
export async function sitePage(db: Db, scope: Scope, clientId: string, cursor: Cursor | undefined, limit: number) {
  const rows = await sitePageQuery.run(db, scope, { clientId, cursorName: (cursor?.value as string) ?? '', cursorId: cursor?.id ?? '', limit });
  return rows.map((row) => ({ message: siteOf(db.source, row), cursor: { value: row.name, id: row.id } }));
}

// --- Equipment

function equipmentOf(source: DataSource, row: EquipmentRow): EquipmentMessage {
  return {
    $typeName: 'reseller.v1.Equipment', equipmentId: row.id, siteId: row.site_id, clientId: row.client_id, kind: kindValues[row.kind],
    pbxDeviceId: row.pbx_device_id ?? '', smartphoneId: row.smartphone_id ?? '', serialNumber: row.serial_number ?? '', label: row.label ?? '',
    createTime: timestamp(source.date(row.created_at)), etag: `v${row.version}`,
    smartphone: row.sp_id === null ? undefined : {
      $typeName: 'reseller.v1.SmartphoneSummary', smartphoneId: row.sp_id, sku: row.sp_sku!, brand: row.sp_brand!, model: row.sp_model!,
      storageGb: Number(row.sp_storage_gb), colour: row.sp_colour!,
    },
  };
}

const EQUIPMENT_COLUMNS = ['e.id', 'e.site_id', 'e.client_id', 'e.kind', 'e.pbx_device_id', 'e.smartphone_id', 'e.serial_number', 'e.label', 'e.created_at', 'e.version'] as const;
const SMARTPHONE_COLUMNS = ['sp.id as sp_id', 'sp.sku as sp_sku', 'sp.brand as sp_brand', 'sp.model as sp_model', 'sp.storage_gb as sp_storage_gb', 'sp.colour as sp_colour'] as const;
type EquipmentRow = Row<Tables['equipment'], typeof EQUIPMENT_COLUMNS> & {
  sp_id: string | null; sp_sku: string | null; sp_brand: string | null; sp_model: string | null; sp_storage_gb: number | null; sp_colour: string | null;
};

/**
 * Equipment with the catalog smartphone its smartphone_id names (the catalog
 * is every reseller's: no tenancy on it). smartphone_id is text, the
 * smartphone's id a UUID on PostgreSQL: the join compares them as text.
 */
function equipmentWithSmartphone(db: ClientsDb) {
  return db.selectFrom('equipment as e')
    .leftJoin('smartphone as sp', (join) => join.on((eb) => eb(eb.cast<string>('sp.id', 'text'), '=', eb.ref('e.smartphone_id'))))
    .select([...EQUIPMENT_COLUMNS, ...SMARTPHONE_COLUMNS]);
}

const equipmentQuery = query((db: ClientsDb, p: { id: string }) => equipmentWithSmartphone(db).where('e.id', '=', p.id));

/** A piece of equipment as AddEquipment and UpdateEquipment answer it, or EQUIPMENT_NOT_FOUND. */
export async function equipmentById(db: Db, scope: Scope, id: string): Promise<EquipmentMessage> {
  const row = await equipmentQuery.first(db, scope, { id });
  if (!row) throw notFound('EQUIPMENT_NOT_FOUND', 'equipment', id);
  return equipmentOf(db.source, row);
}

const equipmentPageQuery = query((db: ClientsDb, p: { clientId: string; siteId: string; cursorTime: Date; cursorId: string; limit: number }, args) => {
  let q = equipmentWithSmartphone(db).where('e.client_id', '=', p.clientId);
  if (args.siteId) q = q.where('e.site_id', '=', p.siteId);
  if (args.cursorId) q = q.where((eb) => eb(eb.refTuple('e.created_at', 'e.id'), '>', eb.tuple(p.cursorTime, p.cursorId)));
  return q.orderBy('e.created_at', 'asc').orderBy('e.id', 'asc').limit(p.limit);
}, (args) => `${args.siteId ? 'site' : 'client'}${args.cursorId ? 'after' : 'first'}`);

/** A page of a client's equipment (on one site, or on all), oldest first. */
export async function equipmentPage(db: Db, scope: Scope, clientId: string, siteId: string | undefined, cursor: Cursor | undefined, limit: number) {
  const rows = await equipmentPageQuery.run(db, scope, {
    clientId, siteId: siteId ?? '', cursorTime: (cursor?.value as Date) ?? new Date(0), cursorId: cursor?.id ?? '', limit,
  });
  return rows.map((row) => ({ message: equipmentOf(db.source, row), cursor: { value: db.source.date(row.created_at), id: row.id } }));
}

// --- RegisterClient's insert: one statement, no unit of work (the ORM's flush
// was most of the call). The row is what em.create would write.

// --- Names for refusals: what the caller can see of a client or site, to name it by.

const clientNameQuery = query((db: ClientsDb, p: { id: string }) => db.selectFrom('client as c').select(['c.id', 'c.name', 'c.code', 'c.status']).where('c.id', '=', p.id));

/** A client's name, code and status, or CLIENT_NOT_FOUND: a light read for requests that only check the client. */
export async function clientName(db: Db, scope: Scope, id: string): Promise<{ id: string; name: string; code: string; status: ClientStatusName }> {
  const row = await clientNameQuery.first(db, scope, { id });
  if (!row) throw notFound('CLIENT_NOT_FOUND', 'client', id);
  return row;
}

export const insertClient = query((db: ClientsDb, p: { id: string; time: Date; resellerId: string; name: string; code: string; searchText: string; nameKey: string }) =>
  db.insertInto('client').values({
    id: p.id, created_at: p.time, updated_at: p.time, version: 1, reseller_id: p.resellerId, name: p.name, code: p.code,
    search_text: p.searchText, name_key: p.nameKey, status: 'active',
  }));
