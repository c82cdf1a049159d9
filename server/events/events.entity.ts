// Events and their webhooks: the outbox of what happened (one row per event,
// written in the change's own transaction), each reseller's gapless sequence,
// the endpoints events are POSTed to, the deliveries due, and every attempt.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties, tenantFilter } from '../platform/data/entity.ts';
import { Reseller } from '../access/access.entity.ts';

/**
 * One event. `payload` is the whole reseller.v1.Event (its state included)
 * in Protobuf binary, base64: what the stream, the list and the webhook body
 * are made from, exactly as it was when the change committed.
 */
export const EventRecord = defineEntity({
  name: 'EventRecord',
  tableName: 'event',
  properties: {
    id: p.uuid().primary(),
    reseller: () => p.manyToOne(Reseller),
    /** 1, 2, 3, ... per reseller, in commit order (event_sequence's row lock orders them). */
    sequence: p.bigint('number'),
    type: p.string().length(48),
    objectType: p.string().length(32),
    objectId: p.string().length(128),
    occurredAt: p.datetime(),
    payload: p.text(),
  },
  filters: tenantFilter,
  uniques: [{ name: 'event_reseller_sequence_unique', properties: ['reseller', 'sequence'] }],
  indexes: [
    { name: 'event_reseller_time_idx', properties: ['reseller', 'occurredAt'] },
    // The retention job's cutoff, over every reseller.
    { name: 'event_time_idx', properties: ['occurredAt'] },
  ],
});
export type EventRecord = InferEntity<typeof EventRecord>;

/**
 * Each reseller's last event sequence number. Recording an event increments
 * it, which locks the row until the transaction ends: events of one reseller
 * commit one after the other, so a reader that has seen sequence n has seen
 * every event before it (no event can commit later with a smaller number).
 */
export const EventSequence = defineEntity({
  name: 'EventSequence',
  properties: {
    reseller: () => p.manyToOne(Reseller).primary(),
    lastSequence: p.bigint('number'),
  },
});
export type EventSequence = InferEntity<typeof EventSequence>;

export type EndpointStatusName = 'active' | 'paused' | 'disabled';

/** A URL a reseller's events are POSTed to, signed with its secret. */
export const WebhookEndpoint = defineEntity({
  name: 'WebhookEndpoint',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    url: p.string().length(2048),
    description: p.string().length(200),
    /** The event type names delivered; empty: every type. */
    eventTypes: p.json<string[]>(),
    status: p.string().length(16).$type<EndpointStatusName>(),
    disabledReason: p.string().length(500).nullable(),
    /**
     * The signing secret. Kept as is, not hashed: the server signs with it.
     * Readable by no method (shown once, on creation and rotation).
     */
    secret: p.string().length(128),
    previousSecret: p.string().length(128).nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    lastSuccessAt: p.datetime().nullable(),
  },
  filters: tenantFilter,
  indexes: [{ name: 'webhook_endpoint_reseller_idx', properties: ['reseller', 'createdAt'] }],
});
export type WebhookEndpoint = InferEntity<typeof WebhookEndpoint>;

export type DeliveryStatusName = 'pending' | 'sending' | 'delivered' | 'failed';

/**
 * One event to deliver to one endpoint, until it succeeds or its retry period
 * ends. Claimed by one instance at a time (status `sending` with a lease: a
 * claim whose lease ran out is taken again, so a crash loses nothing).
 */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  properties: {
    id: p.uuid().primary(),
    reseller: () => p.manyToOne(Reseller),
    endpointId: p.uuid(),
    eventId: p.uuid(),
    eventType: p.string().length(48),
    status: p.string().length(16).$type<DeliveryStatusName>(),
    attempts: p.integer(),
    createdAt: p.datetime(),
    nextAttemptAt: p.datetime(),
    claimToken: p.uuid().nullable(),
    claimedUntil: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
  },
  filters: tenantFilter,
  indexes: [
    { name: 'webhook_delivery_due_idx', properties: ['status', 'nextAttemptAt'] },
    { name: 'webhook_delivery_endpoint_idx', properties: ['endpointId', 'status'] },
    // An event's deliveries (the retention job keeps events a pending one waits on).
    { name: 'webhook_delivery_event_idx', properties: ['eventId', 'status'] },
  ],
});
export type WebhookDelivery = InferEntity<typeof WebhookDelivery>;

export type AttemptOutcomeName = 'succeeded' | 'failed' | 'refused';

/** One POST of one event to one endpoint, as it went. */
export const WebhookAttempt = defineEntity({
  name: 'WebhookAttempt',
  properties: {
    id: p.uuid().primary(),
    reseller: () => p.manyToOne(Reseller),
    endpointId: p.uuid(),
    deliveryId: p.uuid(),
    eventId: p.uuid(),
    eventType: p.string().length(48),
    attemptedAt: p.datetime(),
    attemptNumber: p.integer(),
    outcome: p.string().length(16).$type<AttemptOutcomeName>(),
    httpStatus: p.integer(),
    latencyMs: p.integer(),
    excerpt: p.string().length(500),
  },
  filters: tenantFilter,
  indexes: [
    { name: 'webhook_attempt_endpoint_idx', properties: ['endpointId', 'attemptedAt', 'id'] },
    // An event's attempts, deleted with it by the retention job.
    { name: 'webhook_attempt_event_idx', properties: ['eventId'] },
  ],
});
export type WebhookAttempt = InferEntity<typeof WebhookAttempt>;
