// The audit trail's writes outside the ORM's flush: the same row the audit
// subscriber writes for the same change (same columns, call, principal and
// changed field names), for the hot creates that skip the unit of work
// (RegisterClient).
import type { Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import type { AuditActionName, AuditEvent } from './audit.entity.ts';
import { callContext } from '../platform/rpc/context.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { query, type Db } from '../platform/data/query.ts';
import { ALL_RESELLERS } from '../platform/data/scope.ts';

type AuditDb = Kysely<InferKyselyDB<typeof AuditEvent>>;

export interface AuditedChange {
  time: Date;
  objectType: string;
  objectId: string;
  resellerId: string | null;
  action: AuditActionName;
  /** The changed properties' names (as the ORM's change set names them), without id, createdAt, updatedAt and version. */
  changedFields: string[];
}

type AuditRow = {
  id: string; time: Date; requestId: string; actorCredentialId: string | null; actorClientId: string; resellerId: string | null;
  method: string; objectType: string; objectId: string; action: AuditActionName; changedFields: string;
};

const insertAuditEvent = query((db: AuditDb, p: AuditRow) => db.insertInto('audit_event').values({
  id: p.id, time: p.time, request_id: p.requestId, actor_credential_id: p.actorCredentialId, actor_client_id: p.actorClientId,
  reseller_id: p.resellerId, method: p.method, object_type: p.objectType, object_id: p.objectId, action: p.action,
  changed_fields: p.changedFields as unknown as string[],
}));

/** Writes the change's audit event in `db`'s transaction; outside any call (start-up work) there is none, as with the subscriber. */
export async function writeAuditEvent(db: Db, change: AuditedChange): Promise<void> {
  const call = callContext.getStore();
  if (!call) return;
  // The trail is not a reseller's row (no tenant filter): it names the reseller itself.
  await insertAuditEvent.run(db, ALL_RESELLERS, {
    id: uuidv7(), time: change.time, requestId: call.requestId, actorCredentialId: call.principal?.credentialId ?? null,
    actorClientId: call.principal?.clientId ?? 'system', resellerId: change.resellerId ?? call.principal?.resellerId ?? null,
    method: call.method, objectType: change.objectType, objectId: change.objectId, action: change.action,
    changedFields: JSON.stringify([...change.changedFields].sort()),
  });
}
