// EventService: a reseller's events (listed and streamed) and its webhook
// endpoints (registered, paused, rotated, deleted, their attempts, redelivery).
import { create } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import {
  CreateWebhookEndpointRequestSchema, CreateWebhookEndpointResponseSchema, EventService, WebhookEndpointStatus,
  type CreateWebhookEndpointRequest, type DeleteWebhookEndpointRequest, type EventType, type ListDeliveryAttemptsRequest,
  type ListEventsRequest, type ListWebhookEndpointsRequest, type RedeliverEventsRequest, type RotateWebhookSecretRequest,
  type StreamEventsRequest, type StreamEventsResponse, type UpdateWebhookEndpointRequest,
} from '../../gen/reseller/v1/events_pb.js';
import { WebhookDelivery, WebhookEndpoint } from './events.entity.ts';
import {
  attemptPage, endpointById, endpointPage, eventById, eventPage, eventsInRange, eventTypeName, insertDelivery, jsonList, type EventTypeName,
} from './events.queries.ts';
import { newSecret, urlRefusal, type AddressPolicy } from './webhooks.ts';
import { dbIn, emOf, principalOf, readerOf, scopeOf } from '../platform/rpc/context.ts';
import { checkEtag, notFound } from '../platform/rpc/errors.ts';
import { validate, type Validator } from '../platform/rpc/validation.ts';
import { idempotent } from '../platform/data/idempotency.ts';
import { pageOf, type Order } from '../platform/data/pagination.ts';
import { ALL_RESELLERS } from '../platform/data/scope.ts';
import type { Em } from '../platform/data/database.ts';
import type { Clock } from '../platform/core/clock.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';

export interface EventServiceSettings {
  clock: Clock;
  webhooks: AddressPolicy;
  /** How often a stream looks for new events once caught up. */
  streamPollMs: number;
  /** How often a caught-up stream says it is alive. */
  streamHeartbeatMs: number;
  /** Aborted when the server stops: open streams end, so the graceful stop is not held open. */
  stopping: AbortSignal;
}

const DEFAULT_OVERLAP_SECONDS = 86_400;
const MAX_OVERLAP_SECONDS = 7 * 86_400;
/** Redeliveries one call may schedule. */
const MAX_REDELIVER = 1000;
const STREAM_BATCH = 100;

const byTime: Order = { field: 'createdAt', direction: 'asc', type: 'date' };
const byTimeDesc: Order = { field: 'attemptedAt', direction: 'desc', type: 'date' };
const bySequence: Order = { field: 'sequence', direction: 'asc', type: 'string' };

/** The reseller a request acts for: a reseller's own (reseller_id empty or its own), or the one staff name. */
function resellerOf(v: Validator, ctx: HandlerContext, requested: string): string {
  const principal = principalOf(ctx);
  if (principal.resellerId) {
    if (requested && requested.toLowerCase() !== principal.resellerId) v.add('resellerId', 'must be empty or your own reseller id', 'NOT_ALLOWED');
    return principal.resellerId;
  }
  if (!requested) v.add('resellerId', 'is required for staff credentials', 'REQUIRED');
  return v.id('resellerId', requested);
}

function typeNamesOf(v: Validator, field: string, types: EventType[]): EventTypeName[] {
  const names: EventTypeName[] = [];
  for (const type of types) {
    const name = eventTypeName(type);
    if (!name) v.add(field, `${type} is not an event type of the catalogue`, 'INVALID_VALUE');
    else if (!names.includes(name)) names.push(name);
  }
  if (names.length > 16) v.add(field, 'may list at most 16 types', 'TOO_MANY');
  return names;
}

function endpointNotFound(id: string) {
  return notFound('WEBHOOK_ENDPOINT_NOT_FOUND', 'webhook endpoint', id);
}

async function requireEndpoint(em: Em, id: string): Promise<WebhookEndpoint> {
  const endpoint = await em.findOne(WebhookEndpoint, { id });
  if (!endpoint) throw endpointNotFound(id);
  return endpoint;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export class EventServiceImpl implements ServiceImpl<typeof EventService> {
  readonly #settings: EventServiceSettings;

  constructor(settings: EventServiceSettings) {
    this.#settings = settings;
  }

  #checkUrl(v: Validator, field: string, raw: string): string {
    const url = raw.trim();
    if (!url) v.add(field, 'is required', 'REQUIRED');
    else if (url.length > 2048) v.add(field, 'must be at most 2048 characters', 'TOO_LONG');
    else {
      const refused = urlRefusal(url, this.#settings.webhooks);
      if (refused) v.add(field, refused, 'WEBHOOK_URL_NOT_ALLOWED');
    }
    return url;
  }

  async listEvents(req: ListEventsRequest, ctx: HandlerContext) {
    const v = validate();
    const resellerId = resellerOf(v, ctx, req.resellerId);
    const types = typeNamesOf(v, 'types', req.types);
    if (req.afterSequence < 0n) v.add('afterSequence', 'must not be negative', 'OUT_OF_RANGE');
    v.check();
    const p = await pageOf(ctx, req, bySequence, ['events', resellerId, types.join(','), String(req.afterSequence)]);
    // The page token's cursor carries the last sequence number as text.
    const after = p.cursor ? Number(p.cursor.value) : Number(req.afterSequence);
    const rows = await eventPage(readerOf(ctx), scopeOf(ctx), { resellerId, afterSequence: after, types, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows, (row) => ({ value: String(row.sequence), id: row.event.eventId }));
    return { events: items.map((row) => row.event), nextPageToken };
  }

  async *streamEvents(req: StreamEventsRequest, ctx: HandlerContext): AsyncGenerator<StreamEventsResponse> {
    const v = validate();
    const resellerId = resellerOf(v, ctx, req.resellerId);
    const types = typeNamesOf(v, 'types', req.types);
    const afterEventId = v.optionalId('afterEventId', req.afterEventId);
    if (req.afterSequence < 0n) v.add('afterSequence', 'must not be negative', 'OUT_OF_RANGE');
    v.check();
    const db = readerOf(ctx);
    const scope = scopeOf(ctx);
    let after = Number(req.afterSequence);
    if (afterEventId) {
      const from = await eventById(db, scope, resellerId, afterEventId);
      if (!from) throw notFound('EVENT_NOT_FOUND', 'event', afterEventId);
      after = from.sequence;
    }
    const signal = AbortSignal.any([ctx.signal, this.#settings.stopping]);
    let heartbeatAt = 0;
    while (!signal.aborted) {
      const rows = await eventPage(db, scope, { resellerId, afterSequence: after, types, limit: STREAM_BATCH });
      for (const row of rows) {
        yield { $typeName: 'reseller.v1.StreamEventsResponse', kind: { case: 'event', value: row.event } };
        after = row.sequence;
      }
      if (rows.length === STREAM_BATCH) continue;
      // Caught up: say so at once, then every heartbeat interval while nothing happens.
      const now = Date.now();
      if (rows.length > 0 || now - heartbeatAt >= this.#settings.streamHeartbeatMs) {
        heartbeatAt = now;
        yield {
          $typeName: 'reseller.v1.StreamEventsResponse',
          kind: { case: 'heartbeat', value: { $typeName: 'reseller.v1.StreamHeartbeat', sequence: BigInt(after), time: timestamp(this.#settings.clock.now()) } },
        };
      }
      await sleep(this.#settings.streamPollMs, signal);
    }
  }

  async createWebhookEndpoint(req: CreateWebhookEndpointRequest, ctx: HandlerContext) {
    const v = validate();
    const resellerId = resellerOf(v, ctx, req.resellerId);
    const url = this.#checkUrl(v, 'url', req.url);
    const description = v.optionalText('description', req.description, 200) ?? '';
    const types = typeNamesOf(v, 'eventTypes', req.eventTypes);
    v.check();
    return idempotent({
      ctx, requestSchema: CreateWebhookEndpointRequestSchema, request: req, responseSchema: CreateWebhookEndpointResponseSchema,
      // A retry gets the endpoint, never the secret again.
      stored: (response) => ({ ...response, signingSecret: '' }),
    }, async (em) => {
      const secret = newSecret();
      const endpoint = em.create(WebhookEndpoint, {
        reseller: resellerId, url, description, eventTypes: types, status: 'active', disabledReason: null,
        secret, previousSecret: null, previousSecretExpiresAt: null, lastSuccessAt: null,
      });
      await em.flush();
      const message = await endpointById(dbIn(ctx, em), scopeOf(ctx), endpoint.id, this.#settings.clock.now());
      return create(CreateWebhookEndpointResponseSchema, { endpoint: message, signingSecret: secret });
    });
  }

  async listWebhookEndpoints(req: ListWebhookEndpointsRequest, ctx: HandlerContext) {
    const v = validate();
    const resellerId = resellerOf(v, ctx, req.resellerId);
    v.check();
    const p = await pageOf(ctx, req, byTime, ['webhook-endpoints', resellerId]);
    const rows = await endpointPage(readerOf(ctx), scopeOf(ctx), {
      resellerId, cursorTime: p.cursor?.value as Date | undefined, cursorId: p.cursor?.id, limit: p.limit,
    }, this.#settings.clock.now());
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { endpoints: items.map((row) => row.message), nextPageToken };
  }

  async updateWebhookEndpoint(req: UpdateWebhookEndpointRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('endpointId', req.endpointId);
    const url = req.url === undefined ? undefined : this.#checkUrl(v, 'url', req.url);
    const description = req.description === undefined ? undefined : (v.optionalText('description', req.description, 200) ?? '');
    const types = typeNamesOf(v, 'eventTypes', req.eventTypes);
    if (!req.replaceEventTypes && req.eventTypes.length > 0) v.add('eventTypes', 'is only read with replaceEventTypes set', 'NOT_ALLOWED');
    if (![WebhookEndpointStatus.UNSPECIFIED, WebhookEndpointStatus.ACTIVE, WebhookEndpointStatus.PAUSED].includes(req.status)) {
      v.add('status', 'must be ACTIVE (resume) or PAUSED (pause)', 'INVALID_VALUE');
    }
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const endpoint = await requireEndpoint(em as Em, id);
      checkEtag('webhook endpoint', endpoint, req.etag);
      if (url !== undefined) endpoint.url = url;
      if (description !== undefined) endpoint.description = description;
      if (req.replaceEventTypes) endpoint.eventTypes = types;
      if (req.status === WebhookEndpointStatus.ACTIVE) {
        endpoint.status = 'active';
        endpoint.disabledReason = null;
      } else if (req.status === WebhookEndpointStatus.PAUSED) {
        endpoint.status = 'paused';
      }
      await em.flush();
      return { endpoint: await endpointById(dbIn(ctx, em as Em), scopeOf(ctx), id, this.#settings.clock.now()) };
    });
  }

  async deleteWebhookEndpoint(req: DeleteWebhookEndpointRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('endpointId', req.endpointId);
    v.check();
    await emOf(ctx).transactional(async (em) => {
      const endpoint = await requireEndpoint(em as Em, id);
      await em.nativeDelete(WebhookDelivery, { endpointId: endpoint.id });
      em.remove(endpoint);
      await em.flush();
    });
    return {};
  }

  async rotateWebhookSecret(req: RotateWebhookSecretRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('endpointId', req.endpointId);
    if (req.overlapSeconds < 0 || req.overlapSeconds > MAX_OVERLAP_SECONDS) v.add('overlapSeconds', `must be from 0 to ${MAX_OVERLAP_SECONDS}`, 'OUT_OF_RANGE');
    v.check();
    const overlap = req.expireNow ? 0 : req.overlapSeconds || DEFAULT_OVERLAP_SECONDS;
    return emOf(ctx).transactional(async (em) => {
      const endpoint = await requireEndpoint(em as Em, id);
      const now = this.#settings.clock.now();
      const secret = newSecret();
      endpoint.previousSecret = overlap > 0 ? endpoint.secret : null;
      endpoint.previousSecretExpiresAt = overlap > 0 ? new Date(now.getTime() + overlap * 1000) : null;
      endpoint.secret = secret;
      await em.flush();
      return { endpoint: await endpointById(dbIn(ctx, em as Em), scopeOf(ctx), id, now), signingSecret: secret };
    });
  }

  async listDeliveryAttempts(req: ListDeliveryAttemptsRequest, ctx: HandlerContext) {
    const v = validate();
    const endpointId = v.id('endpointId', req.endpointId);
    const eventId = v.optionalId('eventId', req.eventId);
    v.check();
    const db = readerOf(ctx);
    if (!(await endpointById(db, scopeOf(ctx), endpointId, this.#settings.clock.now()))) throw endpointNotFound(endpointId);
    const p = await pageOf(ctx, req, byTimeDesc, ['delivery-attempts', endpointId, eventId ?? '']);
    const rows = await attemptPage(db, scopeOf(ctx), { endpointId, eventId, cursorTime: p.cursor?.value as Date | undefined, cursorId: p.cursor?.id, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { attempts: items.map((row) => row.message), nextPageToken };
  }

  async redeliverEvents(req: RedeliverEventsRequest, ctx: HandlerContext) {
    const v = validate();
    const endpointId = v.id('endpointId', req.endpointId);
    const eventId = v.optionalId('eventId', req.eventId);
    if (!eventId && (!req.startTime || !req.endTime)) v.add('eventId', 'or both startTime and endTime are required', 'REQUIRED');
    const start = req.startTime ? timestampDate(req.startTime) : undefined;
    const end = req.endTime ? timestampDate(req.endTime) : undefined;
    if (start && end && start >= end) v.add('endTime', 'must be after startTime', 'INVALID_RANGE');
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const endpoint = await requireEndpoint(em as Em, endpointId);
      const resellerId = endpoint.reseller.id;
      const db = dbIn(ctx, em as Em);
      const scope = scopeOf(ctx);
      let events: { id: string; type: string }[];
      if (eventId) {
        const found = await eventById(db, scope, resellerId, eventId);
        if (!found) throw notFound('EVENT_NOT_FOUND', 'event', eventId);
        events = [{ id: eventId, type: found.type }];
      } else {
        const wanted = jsonList(endpoint.eventTypes);
        events = (await eventsInRange(db, scope, { resellerId, start: start!, end: end!, limit: MAX_REDELIVER }))
          .filter((e) => wanted.length === 0 || wanted.includes(e.type));
      }
      const now = this.#settings.clock.now();
      for (const event of events) {
        await insertDelivery.run(db, ALL_RESELLERS, { id: uuidv7(), resellerId, endpointId, eventId: event.id, eventType: event.type, time: now });
      }
      return { scheduled: events.length };
    });
  }
}

