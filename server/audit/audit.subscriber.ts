// Records an AuditEvent for every entity a call creates, changes or deletes,
// inside the same flush (so the same transaction) as the change: a change that
// rolls back leaves no event, and no handler has to remember to write one.
import { ChangeSetType, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import { AuditEvent, type AuditActionName } from './audit.entity.ts';
import { callContext } from '../platform/rpc/context.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { HIDDEN_FIELDS, labelOf } from './audit.fields.ts';
import { actorOf } from './audit.queries.ts';

/** Bookkeeping that is not a business object: never audited. */
// A staff session's refresh tokens and recovery codes are its own bookkeeping:
// the session's start and end are in the trail, not each refresh.
const unaudited = new Set(['AuditEvent', 'IdempotencyRecord', 'SigningKey', 'Invitation', 'StaffInvitation', 'StaffRefreshToken', 'StaffRecoveryCode']);
const actions: Partial<Record<ChangeSetType, AuditActionName>> = {
  [ChangeSetType.CREATE]: 'create',
  [ChangeSetType.UPDATE]: 'update',
  [ChangeSetType.DELETE]: 'delete',
};

function resellerOf(entity: Record<string, any>, className: string, fallback: string | null): string | null {
  if (className === 'Reseller') return entity.id;
  const reseller = entity.reseller;
  if (reseller && typeof reseller === 'object' && 'id' in reseller) return reseller.id;
  if (typeof reseller === 'string') return reseller;
  return fallback;
}

export const auditSubscriber: EventSubscriber = {
  onFlush(args: FlushEventArgs) {
    const call = callContext.getStore();
    if (!call) return; // start-up work outside any call
    const time = new Date();
    for (const changeSet of args.uow.getChangeSets()) {
      const className = changeSet.meta.className;
      const action = actions[changeSet.type];
      if (!action || unaudited.has(className)) continue;
      const entity = changeSet.entity as Record<string, any>;
      const fields = action === 'delete' ? [] : Object.keys(changeSet.payload).filter((f) => !HIDDEN_FIELDS.has(f));
      if (action === 'update' && fields.length === 0) continue;
      const event = args.em.create(AuditEvent, {
        id: uuidv7(),
        time,
        requestId: call.requestId,
        ...actorOf(call.principal),
        resellerId: resellerOf(entity, className, call.principal?.resellerId ?? null),
        method: call.method,
        objectType: className,
        objectId: String(changeSet.getPrimaryKey() ?? entity.id),
        action,
        changedFields: fields.sort(),
        // A deleted entity still holds what it was called: the label outlives it.
        label: labelOf(className, entity),
      }, { persist: false });
      args.uow.computeChangeSet(event);
    }
  },
};
