// The audit event of a change written without the ORM's flush (see
// server/platform/data/writes.ts): the same row the audit subscriber writes for
// the same change (same columns, call, principal and changed field names).
import type { AuditActionName } from './audit.entity.ts';
import { callContext } from '../platform/rpc/context.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { timeValue, write } from '../platform/data/writes.ts';
import type { Em } from '../platform/data/database.ts';

const INSERT_AUDIT_EVENT = `insert into audit_event (id, time, request_id, actor_credential_id, actor_client_id, reseller_id, method,
  object_type, object_id, action, changed_fields) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export interface AuditedChange {
  time: Date;
  objectType: string;
  objectId: string;
  resellerId: string | null;
  action: AuditActionName;
  /** The changed properties' names (as the ORM's change set names them), without id, createdAt, updatedAt and version. */
  changedFields: string[];
}

/** Writes the change's audit event in `tx`'s transaction; outside any call (start-up work) there is none, as with the subscriber. */
export async function writeAuditEvent(tx: Em, change: AuditedChange): Promise<void> {
  const call = callContext.getStore();
  if (!call) return;
  await write(tx, INSERT_AUDIT_EVENT, [
    uuidv7(), timeValue(tx, change.time), call.requestId, call.principal?.credentialId ?? null, call.principal?.clientId ?? 'system',
    change.resellerId ?? call.principal?.resellerId ?? null, call.method, change.objectType, change.objectId, change.action,
    JSON.stringify([...change.changedFields].sort()),
  ]);
}
