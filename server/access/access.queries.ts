// The access feature's reads: the credential behind each bearer token, read on
// every call (platform/security/authentication.ts), and the Reseller and
// Credential messages.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import type { Credential as CredentialMessage, Reseller as ResellerMessage } from '../../gen/reseller/v1/access_pb.js';
import type { Credential, Reseller } from './access.entity.ts';
import { roleValues } from './roles.ts';
import { query, type DataSource, type Db, type Row } from '../platform/data/query.ts';
import { ALL_RESELLERS, type Scope } from '../platform/data/scope.ts';
import type { Cursor } from '../platform/data/pagination.ts';
import { notFound } from '../platform/rpc/errors.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';
import type { FindCredential } from '../platform/security/authentication.ts';

type AccessDb = Kysely<InferKyselyDB<typeof Credential>>;

// Before any principal exists: credentials are staff's and resellers' alike, found by their id.
const credentialById = query((db: AccessDb, p: { id: string }) => db.selectFrom('credential')
  .select(['client_id', 'role', 'reseller_id', 'revoked_at']).where('id', '=', p.id));

/** The credential lookup the auth interceptor uses. */
export function credentialFinder(source: DataSource): FindCredential {
  const db = { source, kysely: source.reader };
  return async (id) => {
    const row = await credentialById.first(db, ALL_RESELLERS, { id });
    return row && { clientId: row.client_id, role: row.role, resellerId: row.reseller_id, revoked: row.revoked_at !== null };
  };
}

// --- The Reseller and Credential messages, each projected once, for the read
// methods and for the answers of write methods (inside their transaction,
// after the flush). Staff-only tables: no reseller condition applies.

type AccessTables = InferKyselyDB<typeof Reseller | typeof Credential>;
type AccessReadDb = Kysely<AccessTables>;

const RESELLER_COLUMNS = ['r.id', 'r.name', 'r.name_lower', 'r.created_at'] as const;
type ResellerRow = Row<AccessTables['reseller'], typeof RESELLER_COLUMNS>;

function resellerOf(db: Db, row: ResellerRow): ResellerMessage {
  return { $typeName: 'reseller.v1.Reseller', resellerId: row.id, name: row.name, createTime: timestamp(db.source.date(row.created_at)) };
}

const resellerQuery = query((db: AccessReadDb, p: { id: string }) => db.selectFrom('reseller as r').select(RESELLER_COLUMNS).where('r.id', '=', p.id));

/** A reseller as CreateReseller answers it, or RESELLER_NOT_FOUND. */
export async function resellerById(db: Db, scope: Scope, id: string): Promise<ResellerMessage> {
  const row = await resellerQuery.first(db, scope, { id });
  if (!row) throw notFound('RESELLER_NOT_FOUND', 'reseller', id);
  return resellerOf(db, row);
}

// By folded name (name_lower), then id: case and accents do not split the order.
const resellerPageQuery = query((db: AccessReadDb, p: { pattern?: string; cursorKey: string; cursorId: string; limit: number; cursor?: Cursor }, args) => {
  let q = db.selectFrom('reseller as r').select(RESELLER_COLUMNS);
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('r.name_lower')} like ${p.pattern} escape '\\'`);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('r.name_lower', 'r.id'), '>', eb.tuple(p.cursorKey, p.cursorId)));
  return q.orderBy('r.name_lower', 'asc').orderBy('r.id', 'asc').limit(p.limit);
}, (args) => `${args.pattern !== undefined}${args.cursor !== undefined}`);

/** One ListResellers page's rows, each with its page token's cursor. */
export async function resellerPage(db: Db, scope: Scope, args: { pattern?: string; cursor?: Cursor; limit: number }) {
  const rows = await resellerPageQuery.run(db, scope, { ...args, cursorKey: (args.cursor?.value as string) ?? '', cursorId: args.cursor?.id ?? '' });
  return rows.map((row) => ({ message: resellerOf(db, row), cursor: { value: row.name_lower, id: row.id } }));
}

const CREDENTIAL_COLUMNS = ['k.id', 'k.client_id', 'k.role', 'k.reseller_id', 'k.display_name', 'k.created_at', 'k.revoked_at'] as const;
type CredentialRow = Row<AccessTables['credential'], typeof CREDENTIAL_COLUMNS>;

function credentialOf(db: Db, row: CredentialRow): CredentialMessage {
  return {
    $typeName: 'reseller.v1.Credential', credentialId: row.id, clientId: row.client_id, role: roleValues[row.role], resellerId: row.reseller_id ?? '',
    displayName: row.display_name, createTime: timestamp(db.source.date(row.created_at)),
    revokeTime: row.revoked_at === null ? undefined : timestamp(db.source.date(row.revoked_at)),
  };
}

const credentialQuery = query((db: AccessReadDb, p: { id: string }) => db.selectFrom('credential as k').select(CREDENTIAL_COLUMNS).where('k.id', '=', p.id));

/** A credential (never its secret) as CreateCredential and RevokeCredential answer it, or CREDENTIAL_NOT_FOUND. */
export async function credentialMessageById(db: Db, scope: Scope, id: string): Promise<CredentialMessage> {
  const row = await credentialQuery.first(db, scope, { id });
  if (!row) throw notFound('CREDENTIAL_NOT_FOUND', 'credential', id);
  return credentialOf(db, row);
}

// Newest first.
const credentialPageQuery = query((db: AccessReadDb, p: { resellerId?: string; includeRevoked: boolean; cursorTime: Date; cursorId: string; limit: number; cursor?: Cursor }, args) => {
  let q = db.selectFrom('credential as k').select(CREDENTIAL_COLUMNS);
  if (args.resellerId !== undefined) q = q.where('k.reseller_id', '=', p.resellerId!);
  if (!args.includeRevoked) q = q.where('k.revoked_at', 'is', null);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('k.created_at', 'k.id'), '<', eb.tuple(p.cursorTime, p.cursorId)));
  return q.orderBy('k.created_at', 'desc').orderBy('k.id', 'desc').limit(p.limit);
}, (args) => `${args.resellerId !== undefined}${args.includeRevoked}${args.cursor !== undefined}`);

/** One ListCredentials page's rows, newest first, each with its page token's cursor. */
export async function credentialPage(db: Db, scope: Scope, args: { resellerId?: string; includeRevoked: boolean; cursor?: Cursor; limit: number }) {
  const rows = await credentialPageQuery.run(db, scope, { ...args, cursorTime: (args.cursor?.value as Date) ?? new Date(0), cursorId: args.cursor?.id ?? '' });
  return rows.map((row) => ({ message: credentialOf(db, row), cursor: { value: db.source.date(row.created_at), id: row.id } }));
}
