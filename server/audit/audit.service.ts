// AuditService: the audit trail, for staff.
import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import type { AuditService, ListAuditEventsRequest } from '../../gen/reseller/v1/audit_pb.js';
import { auditPage, catalogObjectId } from './audit.queries.ts';
import { readerOf, scopeOf } from '../platform/rpc/context.ts';
import { isUuid } from '../platform/core/ids.ts';
import { pageOf } from '../platform/data/pagination.ts';
import { validate } from '../platform/rpc/validation.ts';

export class AuditServiceImpl implements ServiceImpl<typeof AuditService> {
  async listAuditEvents(req: ListAuditEventsRequest, ctx: HandlerContext) {
    const v = validate();
    const resellerId = v.optionalId('resellerId', req.resellerId);
    const actorCredentialId = v.optionalId('actorCredentialId', req.actorCredentialId);
    const actor = v.optionalText('actor', req.actor, 200)?.trim() || undefined;
    const objectType = v.optionalText('objectType', req.objectType, 64);
    let objectId = v.optionalText('objectId', req.objectId, 64);
    const start = req.startTime ? timestampDate(req.startTime) : undefined;
    const end = req.endTime ? timestampDate(req.endTime) : undefined;
    if (start && end && start >= end) v.add('endTime', 'must be after startTime', 'INVALID_RANGE');
    v.check();
    const db = readerOf(ctx);
    // An offering's page knows its code, a smartphone's its SKU: the trail keeps their ids.
    if ((objectType === 'Offering' || objectType === 'Smartphone') && objectId && !isUuid(objectId)) {
      objectId = await catalogObjectId(db, scopeOf(ctx), objectType, objectId) ?? objectId;
    }
    const p = await pageOf(ctx, req, { field: 'time', direction: 'desc', type: 'date' },
      ['audit', resellerId ?? '', actorCredentialId ?? '', actor ?? '', objectType ?? '', objectId ?? '', start?.toISOString() ?? '', end?.toISOString() ?? '']);
    const rows = await auditPage(db, scopeOf(ctx), { resellerId, objectType, objectId, actorCredentialId, actor, start, end, cursor: p.cursor, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { events: items.map((row) => row.message), nextPageToken };
  }
}
