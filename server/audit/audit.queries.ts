// The audit trail's reads and the writes outside the ORM's flush.
//
// Writes: the same row the audit subscriber writes for the same change (same
// columns, call, principal and changed field names), for the hot creates that
// skip the unit of work (RegisterClient), and for the background jobs' state
// changes (an interface installed or deleted: its history shows them).
//
// Reads: the AuditEvent message, projected once, for ListAuditEvents.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import { AuditAction, type AuditEvent as AuditEventMessage } from '../../gen/reseller/v1/audit_pb.js';
import type { AuditActionName, AuditEvent } from './audit.entity.ts';
import { fieldKeysOf, visibleFields } from './audit.fields.ts';
import type { Credential } from '../access/access.entity.ts';
import type { StaffUser } from '../staff/staff.entity.ts';
import type { Offering, Smartphone } from '../catalog/catalog.entity.ts';
import { callContext, type Principal } from '../platform/rpc/context.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { query, type Db, type Row } from '../platform/data/query.ts';
import { ALL_RESELLERS, type Scope } from '../platform/data/scope.ts';
import { escapeLike, type Cursor } from '../platform/data/pagination.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';

type Tables = InferKyselyDB<typeof AuditEvent | typeof Credential | typeof StaffUser | typeof Offering | typeof Smartphone>;
type AuditDb = Kysely<Tables>;

export interface AuditedChange {
  time: Date;
  objectType: string;
  objectId: string;
  resellerId: string | null;
  action: AuditActionName;
  /** The changed properties' names (as the ORM's change set names them), without the hidden ones (audit.fields.ts). */
  changedFields: string[];
  /** The object's name or code (audit.fields.ts labelOf). */
  label: string | null;
}

/** Who the trail says acted: the credential (its client id), or the staff person (their e-mail) and their session; `system` for jobs. */
export function actorOf(principal: Principal | undefined) {
  const person = principal?.person;
  return {
    actorCredentialId: person ? null : (principal?.credentialId ?? null),
    actorClientId: principal?.clientId ?? 'system',
    actorStaffUserId: person?.staffUserId ?? null,
    actorSessionId: person?.sessionId || null,
  };
}

type AuditRow = ReturnType<typeof actorOf> & {
  id: string; time: Date; requestId: string; resellerId: string | null;
  method: string; objectType: string; objectId: string; action: AuditActionName; changedFields: string; label: string | null;
};

const insertAuditEvent = query((db: AuditDb, p: AuditRow) => db.insertInto('audit_event').values({
  id: p.id, time: p.time, request_id: p.requestId, actor_credential_id: p.actorCredentialId, actor_client_id: p.actorClientId,
  actor_staff_user_id: p.actorStaffUserId, actor_session_id: p.actorSessionId, reseller_id: p.resellerId, method: p.method, object_type: p.objectType, object_id: p.objectId, action: p.action,
  changed_fields: p.changedFields as unknown as string[], label: p.label,
}));

/**
 * Writes the change's audit event in `db`'s transaction, attributed to the
 * current call (or job: the job runner sets `job:<name>`); outside any
 * (start-up work) there is none, as with the subscriber.
 */
export async function writeAuditEvent(db: Db, change: AuditedChange): Promise<void> {
  const call = callContext.getStore();
  if (!call) return;
  // The trail is not a reseller's row (no tenant filter): it names the reseller itself.
  await insertAuditEvent.run(db, ALL_RESELLERS, {
    id: uuidv7(), time: change.time, requestId: call.requestId, ...actorOf(call.principal), resellerId: change.resellerId ?? call.principal?.resellerId ?? null,
    method: call.method, objectType: change.objectType, objectId: change.objectId, action: change.action,
    changedFields: JSON.stringify([...change.changedFields].sort()), label: change.label,
  });
}

// --- ListAuditEvents

const actionValues: Record<AuditActionName, AuditAction> = { create: AuditAction.CREATE, update: AuditAction.UPDATE, delete: AuditAction.DELETE };

const EVENT_COLUMNS = [
  'a.id', 'a.time', 'a.request_id', 'a.actor_credential_id', 'a.actor_client_id', 'a.reseller_id', 'a.method', 'a.object_type', 'a.object_id',
  'a.action', 'a.changed_fields', 'a.label', 'a.actor_staff_user_id', 'a.actor_session_id',
] as const;
type EventRow = Row<Tables['audit_event'], typeof EVENT_COLUMNS> & { actor_display_name: string | null };

function auditEventOf(db: Db, row: EventRow): AuditEventMessage {
  // JSON: text on SQLite, parsed already by PostgreSQL's driver.
  const stored = (typeof row.changed_fields === 'string' ? JSON.parse(row.changed_fields) : row.changed_fields) as string[];
  return {
    $typeName: 'reseller.v1.AuditEvent', eventId: row.id, time: timestamp(db.source.date(row.time)), requestId: row.request_id,
    actorCredentialId: row.actor_credential_id ?? '', actorClientId: row.actor_client_id, resellerId: row.reseller_id ?? '',
    method: row.method, objectType: row.object_type, objectId: row.object_id, action: actionValues[row.action],
    changedFields: visibleFields(stored), label: row.label ?? '', changedFieldKeys: fieldKeysOf(stored),
    actorDisplayName: row.actor_display_name ?? '', actorStaffUserId: row.actor_staff_user_id ?? '', actorSessionId: row.actor_session_id ?? '',
  };
}

export interface AuditPageArgs {
  resellerId?: string;
  objectType?: string;
  objectId?: string;
  actorCredentialId?: string;
  /** The actor as the trail shows it (ListAuditEventsRequest.actor), already trimmed. */
  actor?: string;
  start?: Date;
  end?: Date;
  cursor?: Cursor;
  limit: number;
}

type AuditPageParams = AuditPageArgs & {
  actorUuid: boolean; actorPattern: string; actorLower: string; cursorTime: Date; cursorId: string;
};

// Newest first. The actor filter: the public client id as stored (`system`
// for jobs), or the credentials whose id, client id or display name match.
const auditPageQuery = query((db: AuditDb, p: AuditPageParams, args) => {
  let q = db.selectFrom('audit_event as a')
    .leftJoin('credential as k', 'k.id', 'a.actor_credential_id')
    .leftJoin('staff_user as u', 'u.id', 'a.actor_staff_user_id')
    .select((eb) => [...EVENT_COLUMNS, eb.fn.coalesce('k.display_name', 'u.display_name').as('actor_display_name')]);
  if (args.resellerId !== undefined) q = q.where('a.reseller_id', '=', p.resellerId!);
  if (args.objectType !== undefined) q = q.where('a.object_type', '=', p.objectType!);
  if (args.objectId !== undefined) q = q.where('a.object_id', '=', p.objectId!);
  if (args.actorCredentialId !== undefined) q = q.where('a.actor_credential_id', '=', p.actorCredentialId!);
  if (args.actor !== undefined) {
    q = q.where((eb) => eb.or([
      eb('a.actor_client_id', '=', p.actor!),
      eb('a.actor_credential_id', 'in', eb.selectFrom('credential as c').select('c.id').where((c) => c.or([
        c('c.client_id', '=', p.actor!),
        sql<SqlBool>`lower(${c.ref('c.display_name')}) like ${p.actorPattern} escape '\\'`,
        // A UUID is compared with the id column only when it is one (PostgreSQL would refuse other text).
        ...(args.actorUuid ? [c('c.id', '=', p.actorLower)] : []),
      ]))),
      // A staff person: by e-mail (stored as the client id above), id or a part of their name.
      eb('a.actor_staff_user_id', 'in', eb.selectFrom('staff_user as su').select('su.id').where((u) => u.or([
        sql<SqlBool>`lower(${u.ref('su.display_name')}) like ${p.actorPattern} escape '\\'`,
        ...(args.actorUuid ? [u('su.id', '=', p.actorLower)] : []),
      ]))),
    ]));
  }
  if (args.start !== undefined) q = q.where('a.time', '>=', p.start!);
  if (args.end !== undefined) q = q.where('a.time', '<', p.end!);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('a.time', 'a.id'), '<', eb.tuple(p.cursorTime, p.cursorId)));
  return q.orderBy('a.time', 'desc').orderBy('a.id', 'desc').limit(p.limit);
}, (args) => [args.resellerId, args.objectType, args.objectId, args.actorCredentialId, args.actor, args.start, args.end, args.cursor]
  .map((value) => (value === undefined ? '0' : '1')).join('') + String(args.actorUuid));

/** One ListAuditEvents page's rows, newest first, each with its page token's cursor. */
export async function auditPage(db: Db, scope: Scope, args: AuditPageArgs) {
  const actor = args.actor ?? '';
  const rows = await auditPageQuery.run(db, scope, {
    ...args, actorUuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(actor), actorLower: actor.toLowerCase(),
    actorPattern: `%${escapeLike(actor.toLowerCase())}%`,
    cursorTime: (args.cursor?.value as Date) ?? new Date(0), cursorId: args.cursor?.id ?? '',
  });
  return rows.map((row) => ({ message: auditEventOf(db, row as EventRow), cursor: { value: db.source.date(row.time), id: row.id } }));
}

// The catalog's objects are named by code (offering) and SKU (smartphone) in the API; the trail keeps their ids.
const offeringIdQuery = query((db: AuditDb, p: { code: string }) => db.selectFrom('offering as o').select('o.id').where('o.code', '=', p.code));
const smartphoneIdQuery = query((db: AuditDb, p: { sku: string }) => db.selectFrom('smartphone as s').select('s.id').where('s.sku', '=', p.sku));

/** The id the trail records for an offering's code or a smartphone's SKU; undefined when none has it. */
export async function catalogObjectId(db: Db, scope: Scope, objectType: 'Offering' | 'Smartphone', codeOrSku: string): Promise<string | undefined> {
  const row = objectType === 'Offering'
    ? await offeringIdQuery.first(db, scope, { code: codeOrSku })
    : await smartphoneIdQuery.first(db, scope, { sku: codeOrSku });
  return row?.id;
}
