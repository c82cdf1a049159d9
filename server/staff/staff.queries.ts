// The staff feature's reads: the session behind each staff person's token
// (read on every call they make: platform/security/authentication.ts), and the
// StaffUser and Session messages, each projected once. Staff-only tables: no
// reseller condition applies; the Scope is still required by every query.
import type { Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import type { Session as SessionMessage, StaffUser as StaffUserMessage } from '../../gen/reseller/v1/staff_pb.js';
import { StaffUserStatus } from '../../gen/reseller/v1/staff_pb.js';
import type { StaffSession, StaffUser, StaffUserStatusName } from './staff.entity.ts';
import { roleValues } from '../access/roles.ts';
import { query, type DataSource, type Db, type Row } from '../platform/data/query.ts';
import { ALL_RESELLERS, type Scope } from '../platform/data/scope.ts';
import type { Cursor } from '../platform/data/pagination.ts';
import { notFound } from '../platform/rpc/errors.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';
import type { FindSession } from '../platform/security/authentication.ts';

type StaffTables = InferKyselyDB<typeof StaffUser | typeof StaffSession>;
type StaffDb = Kysely<StaffTables>;

export const statusValues: Record<StaffUserStatusName, StaffUserStatus> = {
  invited: StaffUserStatus.INVITED, enrolling: StaffUserStatus.ENROLLING, active: StaffUserStatus.ACTIVE, disabled: StaffUserStatus.DISABLED,
};

// Before any principal exists: the session named by a token, with its person.
const sessionById = query((db: StaffDb, p: { id: string }) => db.selectFrom('staff_session as s')
  .innerJoin('staff_user as u', 'u.id', 's.staff_user_id')
  .select(['s.staff_user_id', 's.expires_at', 's.revoked_at', 'u.email', 'u.role', 'u.status']).where('s.id', '=', p.id));

/** The session lookup the auth interceptor uses for staff people's tokens. */
export function sessionFinder(source: DataSource): FindSession {
  const db = { source, kysely: source.reader };
  return async (id, now) => {
    const row = await sessionById.first(db, ALL_RESELLERS, { id });
    return row && {
      staffUserId: row.staff_user_id, email: row.email, role: row.role,
      live: row.revoked_at === null && row.status === 'active' && source.date(row.expires_at).getTime() > now.getTime(),
    };
  };
}

const USER_COLUMNS = ['u.id', 'u.email', 'u.display_name', 'u.role', 'u.status', 'u.created_at', 'u.disabled_at'] as const;
type UserRow = Row<StaffTables['staff_user'], typeof USER_COLUMNS>;

function staffUserOf(db: Db, row: UserRow): StaffUserMessage {
  return {
    $typeName: 'reseller.v1.StaffUser', staffUserId: row.id, email: row.email, displayName: row.display_name, role: roleValues[row.role],
    status: statusValues[row.status], createTime: timestamp(db.source.date(row.created_at)),
    disableTime: row.disabled_at === null ? undefined : timestamp(db.source.date(row.disabled_at)),
  };
}

const userQuery = query((db: StaffDb, p: { id: string }) => db.selectFrom('staff_user as u').select(USER_COLUMNS).where('u.id', '=', p.id));

/** A staff user as the write methods and sign-in answer it, or STAFF_USER_NOT_FOUND. */
export async function staffUserById(db: Db, scope: Scope, id: string): Promise<StaffUserMessage> {
  const row = await userQuery.first(db, scope, { id });
  if (!row) throw notFound('STAFF_USER_NOT_FOUND', 'staff user', id);
  return staffUserOf(db, row);
}

// By e-mail, then id.
const userPageQuery = query((db: StaffDb, p: { cursorKey: string; cursorId: string; limit: number; cursor?: Cursor }, args) => {
  let q = db.selectFrom('staff_user as u').select(USER_COLUMNS);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('u.email', 'u.id'), '>', eb.tuple(p.cursorKey, p.cursorId)));
  return q.orderBy('u.email', 'asc').orderBy('u.id', 'asc').limit(p.limit);
}, (args) => `${args.cursor !== undefined}`);

/** One ListStaffUsers page's rows, each with its page token's cursor. */
export async function staffUserPage(db: Db, scope: Scope, args: { cursor?: Cursor; limit: number }) {
  const rows = await userPageQuery.run(db, scope, { ...args, cursorKey: (args.cursor?.value as string) ?? '', cursorId: args.cursor?.id ?? '' });
  return rows.map((row) => ({ message: staffUserOf(db, row), cursor: { value: row.email, id: row.id } }));
}

const SESSION_COLUMNS = ['s.id', 's.staff_user_id', 's.device_name', 's.address', 's.created_at', 's.last_refresh_at', 's.expires_at', 's.revoked_at', 's.revoke_reason'] as const;
type SessionRow = Row<StaffTables['staff_session'], typeof SESSION_COLUMNS>;

function sessionOf(db: Db, row: SessionRow): SessionMessage {
  const time = (value: unknown) => (value === null ? undefined : timestamp(db.source.date(value)));
  return {
    $typeName: 'reseller.v1.Session', sessionId: row.id, staffUserId: row.staff_user_id, deviceName: row.device_name, address: row.address,
    createTime: time(row.created_at), lastRefreshTime: time(row.last_refresh_at), expireTime: time(row.expires_at),
    revokeTime: time(row.revoked_at), revokeReason: row.revoke_reason ?? '',
  };
}

const sessionQuery = query((db: StaffDb, p: { id: string }) => db.selectFrom('staff_session as s').select(SESSION_COLUMNS).where('s.id', '=', p.id));

/** A session as RevokeSession answers it, or SESSION_NOT_FOUND. */
export async function sessionMessageById(db: Db, scope: Scope, id: string): Promise<SessionMessage> {
  const row = await sessionQuery.first(db, scope, { id });
  if (!row) throw notFound('SESSION_NOT_FOUND', 'session', id);
  return sessionOf(db, row);
}

// Newest first; live ones only unless asked (`now` decides which have expired).
const sessionPageQuery = query((db: StaffDb, p: { staffUserId: string; now: Date; cursorTime: Date; cursorId: string; limit: number; includeEnded: boolean; cursor?: Cursor }, args) => {
  let q = db.selectFrom('staff_session as s').select(SESSION_COLUMNS).where('s.staff_user_id', '=', p.staffUserId);
  if (!args.includeEnded) q = q.where('s.revoked_at', 'is', null).where('s.expires_at', '>', p.now);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('s.created_at', 's.id'), '<', eb.tuple(p.cursorTime, p.cursorId)));
  return q.orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(p.limit);
}, (args) => `${args.includeEnded}${args.cursor !== undefined}`);

/** One ListSessions page's rows, newest first, each with its page token's cursor. */
export async function sessionPage(db: Db, scope: Scope, args: { staffUserId: string; includeEnded: boolean; now: Date; cursor?: Cursor; limit: number }) {
  const rows = await sessionPageQuery.run(db, scope, { ...args, cursorTime: (args.cursor?.value as Date) ?? new Date(0), cursorId: args.cursor?.id ?? '' });
  return rows.map((row) => ({ message: sessionOf(db, row), cursor: { value: db.source.date(row.created_at), id: row.id } }));
}
