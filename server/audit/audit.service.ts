// AuditService: the audit trail, for staff.
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { AuditAction, AuditEventSchema, type AuditService, type ListAuditEventsRequest } from '../../gen/reseller/v1/audit_pb.js';
import { AuditEvent, type AuditActionName } from './audit.entity.ts';
import { emOf } from '../platform/rpc/context.ts';
import { pageOf } from '../platform/data/pagination.ts';
import { validate } from '../platform/rpc/validation.ts';

const actionValues: Record<AuditActionName, AuditAction> = { create: AuditAction.CREATE, update: AuditAction.UPDATE, delete: AuditAction.DELETE };

export function auditEventMessage(event: AuditEvent) {
  return create(AuditEventSchema, {
    eventId: event.id, time: timestampFromDate(event.time), requestId: event.requestId,
    actorCredentialId: event.actorCredentialId ?? '', actorClientId: event.actorClientId, resellerId: event.resellerId ?? '',
    method: event.method, objectType: event.objectType, objectId: event.objectId, action: actionValues[event.action],
    changedFields: event.changedFields,
  });
}

export class AuditServiceImpl implements ServiceImpl<typeof AuditService> {
  async listAuditEvents(req: ListAuditEventsRequest, ctx: HandlerContext) {
    const v = validate();
    const resellerId = v.optionalId('resellerId', req.resellerId);
    const actor = v.optionalId('actorCredentialId', req.actorCredentialId);
    const objectType = v.optionalText('objectType', req.objectType, 64);
    const objectId = v.optionalText('objectId', req.objectId, 64);
    const start = req.startTime ? timestampDate(req.startTime) : undefined;
    const end = req.endTime ? timestampDate(req.endTime) : undefined;
    if (start && end && start >= end) v.add('endTime', 'must be after startTime', 'INVALID_RANGE');
    v.check();
    const p = await pageOf(ctx, req, { field: 'time', direction: 'desc', type: 'date' },
      ['audit', resellerId ?? '', actor ?? '', objectType ?? '', objectId ?? '', start?.toISOString() ?? '', end?.toISOString() ?? '']);
    const time = { ...(start ? { $gte: start } : {}), ...(end ? { $lt: end } : {}) };
    const where = {
      ...(resellerId ? { resellerId } : {}),
      ...(actor ? { actorCredentialId: actor } : {}),
      ...(objectType ? { objectType } : {}),
      ...(objectId ? { objectId } : {}),
      ...(start || end ? { time } : {}),
    };
    const rows = await emOf(ctx).find(AuditEvent, { $and: [where, p.after] }, { orderBy: p.orderBy, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows);
    return { events: items.map(auditEventMessage), nextPageToken };
  }
}
