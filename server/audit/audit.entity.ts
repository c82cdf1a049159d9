// One row per change to one object, written in the change's own transaction.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export type AuditActionName = 'create' | 'update' | 'delete';

export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  properties: {
    id: p.uuid().primary(),
    time: p.datetime(),
    requestId: p.string().length(64),
    actorCredentialId: p.uuid().nullable(),
    /** The credential's public client id, the staff person's e-mail (at the time), or `system`. */
    actorClientId: p.string().length(254),
    /** The staff person who made the change (plain column: the trail outlives them). */
    actorStaffUserId: p.uuid().nullable(),
    /** Their session. */
    actorSessionId: p.uuid().nullable(),
    // Plain columns, not foreign keys: the trail outlives what it describes.
    resellerId: p.uuid().nullable(),
    method: p.string().length(200),
    objectType: p.string().length(64),
    objectId: p.string().length(64),
    action: p.string().length(8).$type<AuditActionName>(),
    changedFields: p.json<string[]>(),
    /** The object's name or code when the event was recorded (null for events before labels were kept). */
    label: p.string().length(300).nullable(),
  },
  indexes: [
    { name: 'audit_event_time_idx', properties: ['time', 'id'] },
    { name: 'audit_event_reseller_time_idx', properties: ['resellerId', 'time', 'id'] },
    { name: 'audit_event_object_idx', properties: ['objectType', 'objectId', 'time'] },
    { name: 'audit_event_actor_idx', properties: ['actorCredentialId', 'time'] },
    { name: 'audit_event_staff_user_idx', properties: ['actorStaffUserId', 'time'] },
  ],
});
export type AuditEvent = InferEntity<typeof AuditEvent>;
