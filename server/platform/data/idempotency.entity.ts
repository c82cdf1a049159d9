// The first answer to each create request that carried a request_id.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  properties: {
    id: p.uuid().primary(),
    /** Who asked: the reseller id, or `staff`. Keys never collide across resellers. */
    scope: p.string().length(64),
    method: p.string().length(128),
    requestId: p.string().length(128),
    /** SHA-256 of the request without its request_id: the same key with another request is refused. */
    requestHash: p.string().length(64),
    /** The response, as protobuf binary in base64. */
    response: p.text(),
    createdAt: p.datetime(),
  },
  uniques: [{ name: 'idempotency_record_key_unique', properties: ['scope', 'method', 'requestId'] }],
});
export type IdempotencyRecord = InferEntity<typeof IdempotencyRecord>;
