// The events feature's data: recording an event in the change's own
// transaction (the outbox), and the reads of events, endpoints and attempts,
// each projected here once.
//
// Features record their events explicitly where they make the change:
//   await recordEvent(dbIn(ctx, em), { type: 'client.registered', resellerId, objectId: id, state: { case: 'client', value } });
// This module imports no feature: the state is the message the feature projects.
import { sql, type Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  DeliveryOutcome, EventSchema, EventType, WebhookEndpointStatus,
  type DeliveryAttempt as AttemptMessage, type Event as EventMessage, type WebhookEndpoint as EndpointMessage,
} from '../../gen/reseller/v1/events_pb.js';
import type { AttemptOutcomeName, EndpointStatusName, EventRecord, EventSequence, WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './events.entity.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { query, type DataSource, type Db, type Row } from '../platform/data/query.ts';
import { ALL_RESELLERS, type Scope } from '../platform/data/scope.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';

type Tables = InferKyselyDB<typeof EventRecord | typeof EventSequence | typeof WebhookEndpoint | typeof WebhookDelivery | typeof WebhookAttempt>;
type EventsDb = Kysely<Tables>;

// --- The catalogue

/** Every event type, by the name partners see (`interface.activated`). */
export const EVENT_TYPES = {
  'interface.activated': EventType.INTERFACE_ACTIVATED,
  'interface.access_ended': EventType.INTERFACE_ACCESS_ENDED,
  'interface.deleted': EventType.INTERFACE_DELETED,
  'interface.reactivated': EventType.INTERFACE_REACTIVATED,
  'client.registered': EventType.CLIENT_REGISTERED,
  'client.deactivated': EventType.CLIENT_DEACTIVATED,
  'device.assigned': EventType.DEVICE_ASSIGNED,
  'charge.recorded': EventType.CHARGE_RECORDED,
  'invitation.delivered': EventType.INVITATION_DELIVERED,
  'invitation.failed': EventType.INVITATION_FAILED,
  'account.deleted': EventType.ACCOUNT_DELETED,
  'webhook_endpoint.disabled': EventType.WEBHOOK_ENDPOINT_DISABLED,
} as const satisfies Record<string, EventType>;

export type EventTypeName = keyof typeof EVENT_TYPES;

const typeNames = new Map<EventType, EventTypeName>(Object.entries(EVENT_TYPES).map(([name, value]) => [value, name as EventTypeName]));

/** The name of a type from the contract, or undefined for UNSPECIFIED and unknown numbers. */
export function eventTypeName(type: EventType): EventTypeName | undefined {
  return typeNames.get(type);
}

const objectTypes: Record<NonNullable<EventMessage['state']['case']>, string> = {
  interface: 'Interface', client: 'Client', device: 'Device', charge: 'Charge', invitation: 'Invitation', account: 'Account', webhookEndpoint: 'WebhookEndpoint',
};

// --- Recording (the outbox)

export interface NewEvent {
  type: EventTypeName;
  resellerId: string;
  /** The object's id (an interface's key, a client's id, ...). */
  objectId: string;
  /** The object as it is after the change. */
  state: EventMessage['state'];
  /** When the change happened (default: now). */
  time?: Date;
}

// The reseller's next sequence number; the row stays locked until the
// transaction ends, so one reseller's events commit in sequence order.
const nextSequence = query((db: EventsDb, p: { resellerId: string }) => db.insertInto('event_sequence')
  .values({ reseller_id: p.resellerId, last_sequence: 1 })
  .onConflict((oc) => oc.column('reseller_id').doUpdateSet({ last_sequence: sql`event_sequence.last_sequence + 1` }))
  .returning('last_sequence'));

const insertEvent = query((db: EventsDb, p: { id: string; resellerId: string; sequence: number; type: string; objectType: string; objectId: string; time: Date; payload: string }) =>
  db.insertInto('event').values({
    id: p.id, reseller_id: p.resellerId, sequence: p.sequence, type: p.type, object_type: p.objectType, object_id: p.objectId,
    occurred_at: p.time, payload: p.payload,
  }));

const activeEndpoints = query((db: EventsDb, p: { resellerId: string }) => db.selectFrom('webhook_endpoint as w')
  .select(['w.id', 'w.event_types']).where('w.reseller_id', '=', p.resellerId).where('w.status', '=', 'active'));

export const insertDelivery = query((db: EventsDb, p: { id: string; resellerId: string; endpointId: string; eventId: string; eventType: string; time: Date }) =>
  db.insertInto('webhook_delivery').values({
    id: p.id, reseller_id: p.resellerId, endpoint_id: p.endpointId, event_id: p.eventId, event_type: p.eventType, status: 'pending',
    attempts: 0, created_at: p.time, next_attempt_at: p.time, claim_token: null, claimed_until: null, delivered_at: null,
  }));

/** JSON columns: text on SQLite, parsed already by PostgreSQL's driver. */
export function jsonList(value: unknown): string[] {
  return (typeof value === 'string' ? JSON.parse(value) : value) as string[];
}

/**
 * Records an event in `db`'s transaction (the change's own), and schedules its
 * delivery to each of the reseller's active endpoints that takes its type.
 * The tables are written in the reseller's name (ALL_RESELLERS: the rows name
 * their reseller themselves), whoever the caller is (a job, staff).
 */
export async function recordEvent(db: Db, event: NewEvent): Promise<EventMessage> {
  const time = event.time ?? new Date();
  // The endpoints are read before the sequence is taken: from then until the
  // commit, every other change of this reseller waits (on PostgreSQL, one
  // statement less while the row is locked: RegisterClient's rate for one
  // reseller is bounded by that time).
  const endpoints = await activeEndpoints.run(db, ALL_RESELLERS, { resellerId: event.resellerId });
  const [row] = await nextSequence.run(db, ALL_RESELLERS, { resellerId: event.resellerId });
  const sequence = Number(row!.last_sequence);
  const id = uuidv7(time.getTime());
  const objectType = objectTypes[event.state.case!];
  const message: EventMessage = {
    $typeName: 'reseller.v1.Event', eventId: id, type: EVENT_TYPES[event.type], typeName: event.type, time: timestamp(time),
    resellerId: event.resellerId, sequence: BigInt(sequence), objectType, objectId: event.objectId, state: event.state,
  };
  await insertEvent.run(db, ALL_RESELLERS, {
    id, resellerId: event.resellerId, sequence, type: event.type, objectType, objectId: event.objectId, time,
    payload: Buffer.from(toBinary(EventSchema, message)).toString('base64'),
  });
  for (const endpoint of endpoints) {
    const types = jsonList(endpoint.event_types);
    if (types.length > 0 && !types.includes(event.type)) continue;
    await insertDelivery.run(db, ALL_RESELLERS, { id: uuidv7(), resellerId: event.resellerId, endpointId: endpoint.id, eventId: id, eventType: event.type, time });
  }
  return message;
}

const producedQuery = query((db: EventsDb, _p: Record<string, never>) => db.selectFrom('event_sequence as s')
  .select((eb) => eb.fn.sum<number>('s.last_sequence').as('n')));

/** Events recorded so far, every reseller: their last sequence numbers summed (exact across instances and rollbacks). */
export async function eventsProduced(source: DataSource): Promise<number> {
  const row = await producedQuery.first({ source, kysely: source.reader }, ALL_RESELLERS, {});
  return Number(row?.n ?? 0);
}

// --- Reading events

function eventOf(payload: string): EventMessage {
  return fromBinary(EventSchema, Buffer.from(payload, 'base64'));
}

export interface EventPageArgs {
  resellerId: string;
  afterSequence: number;
  /** Type names; empty: every type. */
  types: string[];
  limit: number;
}

// A fixed number of type slots, so the statement is compiled once a shape;
// unused slots repeat the first type.
const TYPE_SLOTS = 16;
const eventPageQuery = query((db: EventsDb, p: EventPageArgs & Record<string, unknown>, args) => {
  let q = db.selectFrom('event as e').select(['e.sequence', 'e.payload'])
    .where('e.reseller_id', '=', p.resellerId).where('e.sequence', '>', p.afterSequence);
  if (args.types.length > 0) q = q.where('e.type', 'in', Array.from({ length: TYPE_SLOTS }, (_, i) => p[`type${i}`] as string));
  return q.orderBy('e.sequence', 'asc').limit(p.limit);
}, (args) => (args.types.length > 0 ? 'typed' : 'all'));

/** A reseller's events after a sequence number, oldest first. */
export async function eventPage(db: Db, scope: Scope, args: EventPageArgs): Promise<{ sequence: number; event: EventMessage }[]> {
  const slots = Object.fromEntries(Array.from({ length: TYPE_SLOTS }, (_, i) => [`type${i}`, args.types[i] ?? args.types[0] ?? '']));
  const rows = await eventPageQuery.run(db, scope, { ...args, ...slots });
  return rows.map((row) => ({ sequence: Number(row.sequence), event: eventOf(row.payload) }));
}

const lastSequenceQuery = query((db: EventsDb, p: { resellerId: string }) => db.selectFrom('event as e')
  .select((eb) => eb.fn.max('e.sequence').as('last')).where('e.reseller_id', '=', p.resellerId));

/** The reseller's last committed sequence number (0 before its first event). */
export async function lastSequence(db: Db, scope: Scope, resellerId: string): Promise<number> {
  const row = await lastSequenceQuery.first(db, scope, { resellerId });
  return Number(row?.last ?? 0);
}

const eventByIdQuery = query((db: EventsDb, p: { id: string; resellerId: string }) => db.selectFrom('event as e')
  .select(['e.sequence', 'e.payload', 'e.type']).where('e.id', '=', p.id).where('e.reseller_id', '=', p.resellerId));

/** One of the reseller's events, or undefined. */
export async function eventById(db: Db, scope: Scope, resellerId: string, id: string): Promise<{ sequence: number; type: string; event: EventMessage } | undefined> {
  const row = await eventByIdQuery.first(db, scope, { id, resellerId });
  return row && { sequence: Number(row.sequence), type: row.type, event: eventOf(row.payload) };
}

const eventsInRangeQuery = query((db: EventsDb, p: { resellerId: string; start: Date; end: Date; limit: number }) => db.selectFrom('event as e')
  .select(['e.id', 'e.type']).where('e.reseller_id', '=', p.resellerId).where('e.occurred_at', '>=', p.start).where('e.occurred_at', '<', p.end)
  .orderBy('e.sequence', 'asc').limit(p.limit));

/** The reseller's events of a time range (at most `limit`), oldest first. */
export function eventsInRange(db: Db, scope: Scope, args: { resellerId: string; start: Date; end: Date; limit: number }) {
  return eventsInRangeQuery.run(db, scope, args);
}

const payloadQuery = query((db: EventsDb, p: { id: string }) => db.selectFrom('event as e').select(['e.payload']).where('e.id', '=', p.id));

/** An event by id, for its delivery (the worker's scope: every reseller). */
export async function eventForDelivery(db: Db, id: string): Promise<EventMessage | undefined> {
  const row = await payloadQuery.first(db, ALL_RESELLERS, { id });
  return row && eventOf(row.payload);
}

// --- Endpoints

const endpointStatusValues: Record<EndpointStatusName, WebhookEndpointStatus> = {
  active: WebhookEndpointStatus.ACTIVE, paused: WebhookEndpointStatus.PAUSED, disabled: WebhookEndpointStatus.DISABLED,
};

const ENDPOINT_COLUMNS = [
  'w.id', 'w.reseller_id', 'w.url', 'w.description', 'w.event_types', 'w.status', 'w.disabled_reason', 'w.created_at',
  'w.previous_secret_expires_at', 'w.version',
] as const;
type EndpointRow = Row<Tables['webhook_endpoint'], typeof ENDPOINT_COLUMNS>;

function endpointOf(db: Db, row: EndpointRow, now: Date): EndpointMessage {
  const previousUntil = row.previous_secret_expires_at === null ? undefined : db.source.date(row.previous_secret_expires_at);
  return {
    $typeName: 'reseller.v1.WebhookEndpoint', endpointId: row.id, resellerId: row.reseller_id, url: row.url, description: row.description,
    eventTypes: jsonList(row.event_types).map((name) => EVENT_TYPES[name as EventTypeName]).filter((t) => t !== undefined),
    status: endpointStatusValues[row.status], disabledReason: row.disabled_reason ?? '', createTime: timestamp(db.source.date(row.created_at)),
    previousSecretExpireTime: previousUntil && previousUntil > now ? timestamp(previousUntil) : undefined, etag: `v${row.version}`,
  };
}

const endpointQuery = query((db: EventsDb, p: { id: string }) => db.selectFrom('webhook_endpoint as w').select(ENDPOINT_COLUMNS).where('w.id', '=', p.id));

/** An endpoint as the methods answer it, or undefined. */
export async function endpointById(db: Db, scope: Scope, id: string, now: Date): Promise<EndpointMessage | undefined> {
  const row = await endpointQuery.first(db, scope, { id });
  return row && endpointOf(db, row, now);
}

const endpointPageQuery = query((db: EventsDb, p: { resellerId: string; cursorTime: Date; cursorId: string; limit: number }, args) => {
  let q = db.selectFrom('webhook_endpoint as w').select(ENDPOINT_COLUMNS).where('w.reseller_id', '=', p.resellerId);
  if (args.cursorId) q = q.where((eb) => eb(eb.refTuple('w.created_at', 'w.id'), '>', eb.tuple(p.cursorTime, p.cursorId)));
  return q.orderBy('w.created_at', 'asc').orderBy('w.id', 'asc').limit(p.limit);
}, (args) => (args.cursorId ? 'after' : 'first'));

/** A page of a reseller's endpoints, oldest first. */
export async function endpointPage(db: Db, scope: Scope, args: { resellerId: string; cursorTime?: Date; cursorId?: string; limit: number }, now: Date) {
  const rows = await endpointPageQuery.run(db, scope, { ...args, cursorTime: args.cursorTime ?? new Date(0), cursorId: args.cursorId ?? '' });
  return rows.map((row) => ({ message: endpointOf(db, row, now), cursor: { value: db.source.date(row.created_at), id: row.id } }));
}

// --- Attempts

const outcomeValues: Record<AttemptOutcomeName, DeliveryOutcome> = {
  succeeded: DeliveryOutcome.SUCCEEDED, failed: DeliveryOutcome.FAILED, refused: DeliveryOutcome.REFUSED,
};

const ATTEMPT_COLUMNS = ['a.id', 'a.endpoint_id', 'a.event_id', 'a.event_type', 'a.attempted_at', 'a.attempt_number', 'a.outcome', 'a.http_status', 'a.latency_ms', 'a.excerpt'] as const;

const attemptPageQuery = query((db: EventsDb, p: { endpointId: string; eventId: string; cursorTime: Date; cursorId: string; limit: number }, args) => {
  let q = db.selectFrom('webhook_attempt as a').select(ATTEMPT_COLUMNS).where('a.endpoint_id', '=', p.endpointId);
  if (args.eventId) q = q.where('a.event_id', '=', p.eventId);
  if (args.cursorId) q = q.where((eb) => eb(eb.refTuple('a.attempted_at', 'a.id'), '<', eb.tuple(p.cursorTime, p.cursorId)));
  return q.orderBy('a.attempted_at', 'desc').orderBy('a.id', 'desc').limit(p.limit);
}, (args) => `${args.eventId ? 'event' : 'all'}${args.cursorId ? 'after' : 'first'}`);

/** A page of an endpoint's attempts, newest first. */
export async function attemptPage(db: Db, scope: Scope, args: { endpointId: string; eventId?: string; cursorTime?: Date; cursorId?: string; limit: number }) {
  const rows = await attemptPageQuery.run(db, scope, {
    ...args, eventId: args.eventId ?? '', cursorTime: args.cursorTime ?? new Date(0), cursorId: args.cursorId ?? '',
  });
  return rows.map((row) => ({
    message: {
      $typeName: 'reseller.v1.DeliveryAttempt', attemptId: row.id, endpointId: row.endpoint_id, eventId: row.event_id, eventType: row.event_type,
      time: timestamp(db.source.date(row.attempted_at)), outcome: outcomeValues[row.outcome], httpStatus: row.http_status, latencyMs: row.latency_ms,
      responseExcerpt: row.excerpt, attemptNumber: row.attempt_number,
    } satisfies AttemptMessage,
    cursor: { value: db.source.date(row.attempted_at), id: row.id },
  }));
}

// --- Retention (docs/events.md): the purge job's statements, each bounded to one batch

/** Rows one purge statement deletes at most, so no statement holds its locks for long. */
export const PURGE_BATCH = 1000;

// An event expires once it is older than the cutoff and no delivery of it is
// still to be made (pending, or being sent): those keep their event until
// they are delivered or given up.
const attemptsToPurge = query((db: EventsDb, p: { cutoff: Date; limit: number }) => db.deleteFrom('webhook_attempt')
  .where('id', 'in', (eb) => eb.selectFrom('webhook_attempt as a').innerJoin('event as e', 'e.id', 'a.event_id').select('a.id')
    .where('e.occurred_at', '<', p.cutoff)
    .where((w) => w.not(w.exists(w.selectFrom('webhook_delivery as d').select('d.id')
      .whereRef('d.event_id', '=', 'e.id').where('d.status', 'in', ['pending', 'sending']))))
    .limit(p.limit))
  .returning('id'));

const deliveriesToPurge = query((db: EventsDb, p: { cutoff: Date; limit: number }) => db.deleteFrom('webhook_delivery')
  .where('id', 'in', (eb) => eb.selectFrom('webhook_delivery as d').innerJoin('event as e', 'e.id', 'd.event_id').select('d.id')
    .where('e.occurred_at', '<', p.cutoff).where('d.status', 'in', ['delivered', 'failed'])
    .where((w) => w.not(w.exists(w.selectFrom('webhook_delivery as o').select('o.id')
      .whereRef('o.event_id', '=', 'e.id').where('o.status', 'in', ['pending', 'sending']))))
    .limit(p.limit))
  .returning('id'));

// Last: an event none of whose deliveries is left (their attempts went first).
const eventsToPurge = query((db: EventsDb, p: { cutoff: Date; limit: number }) => db.deleteFrom('event')
  .where('id', 'in', (eb) => eb.selectFrom('event as e').select('e.id')
    .where('e.occurred_at', '<', p.cutoff)
    .where((w) => w.not(w.exists(w.selectFrom('webhook_delivery as d').select('d.id').whereRef('d.event_id', '=', 'e.id'))))
    .limit(p.limit))
  .returning('id'));

const expiredCountQuery = query((db: EventsDb, p: { cutoff: Date }) => db.selectFrom('event as e')
  .select((eb) => eb.fn.countAll<number>().as('n')).where('e.occurred_at', '<', p.cutoff));

/**
 * Deletes, batch after batch, the events that occurred before `cutoff` with
 * their deliveries and attempts, except the events a delivery still waits on.
 * Every reseller at once (ALL_RESELLERS, as recordEvent). The per-reseller
 * sequence (event_sequence) is never touched: numbers go on, never reused.
 * Returns how many events it deleted.
 */
export async function purgeEvents(db: Db, cutoff: Date): Promise<number> {
  for (const statement of [attemptsToPurge, deliveriesToPurge]) {
    while ((await statement.run(db, ALL_RESELLERS, { cutoff, limit: PURGE_BATCH })).length === PURGE_BATCH);
  }
  let events = 0;
  for (let n = PURGE_BATCH; n === PURGE_BATCH; events += n) {
    n = (await eventsToPurge.run(db, ALL_RESELLERS, { cutoff, limit: PURGE_BATCH })).length;
  }
  return events;
}

/** Events older than `cutoff` still stored (those the purge has yet to delete, and those a delivery keeps). */
export async function expiredEvents(db: Db, cutoff: Date): Promise<number> {
  return Number((await expiredCountQuery.first(db, ALL_RESELLERS, { cutoff }))?.n ?? 0);
}
