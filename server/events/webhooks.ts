// Webhook delivery: the worker that POSTs each due delivery, signed, to its
// endpoint, and what keeps it safe.
//
// - Claimed atomically: one UPDATE takes a batch of due rows (PostgreSQL:
//   `FOR UPDATE SKIP LOCKED`, so instances side by side take different rows;
//   SQLite has a single writer), marking each `sending` with a claim token and
//   a lease. Two instances never send the same attempt; a claim whose lease ran
//   out (its instance died mid-delivery) is taken again: at least once, never lost.
// - Signed: `Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`,
//   one v1 per live secret (two during a rotation's overlap).
// - Retried with exponential backoff and jitter until the retry window (72 h
//   by default) has passed; then the delivery fails, and an endpoint that has
//   not succeeded since the delivery began is disabled, told by an event.
// - No SSRF: the host's resolved addresses are checked, and the connection is
//   made to the address checked (no second lookup to rebind); private,
//   loopback and link-local addresses are refused unless configured. Timeouts
//   and a cap on the answer read.
import { createHmac, randomBytes } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { toJsonString } from '@bufbuild/protobuf';
import type { Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import { EventSchema } from '../../gen/reseller/v1/events_pb.js';
import type { AttemptOutcomeName, DeliveryStatusName, EndpointStatusName, EventRecord, WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './events.entity.ts';
import { endpointById, eventForDelivery, recordEvent } from './events.queries.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import type { Clock } from '../platform/core/clock.ts';
import type { Config } from '../platform/core/config.ts';
import { systemEm, type Orm } from '../platform/data/database.ts';
import { query, type DataSource, type Db } from '../platform/data/query.ts';
import { ALL_RESELLERS } from '../platform/data/scope.ts';
import { OneAtATime, type Job } from '../platform/data/jobs.ts';
import type { Logger } from '../platform/observability/logger.ts';

type Tables = InferKyselyDB<typeof EventRecord | typeof WebhookEndpoint | typeof WebhookDelivery | typeof WebhookAttempt>;
type WebhooksDb = Kysely<Tables>;

/** Who may be called, timeouts and retries: the server's configuration (WEBHOOK_* settings). */
export type WebhookSettings = Config['webhooks'];

/** The most of an answer read; the rest is dropped. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** The most of an answer kept with its attempt. */
const EXCERPT_CHARS = 500;
const BATCH = 20;

// --- Signatures

/** A new signing secret: `whsec_` and 32 random bytes. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The Webhook-Signature header for `body` sent at `seconds`, one v1 per secret. */
export function signatureHeader(secrets: string[], seconds: number, body: string): string {
  return [`t=${seconds}`, ...secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex')}`)].join(',');
}

// --- Addresses

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
const internal = new BlockList();
for (const [net, bits] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10], ['169.254.0.0', 16], ['192.0.0.0', 24], ['198.18.0.0', 15]] as const) {
  internal.addSubnet(net, bits, 'ipv4');
}
internal.addSubnet('fc00::', 7, 'ipv6');
internal.addSubnet('fe80::', 10, 'ipv6');
const never = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) never.addSubnet(net, bits, 'ipv4');
never.addAddress('::', 'ipv6');
never.addSubnet('ff00::', 8, 'ipv6');

export type AddressPolicy = Pick<WebhookSettings, 'allowPrivate' | 'allowLoopback'>;

/** Why an address may not be called, or undefined when it may. */
export function addressRefusal(address: string, policy: AddressPolicy): string | undefined {
  let ip = address;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (never.check(ip, family)) return `${address} is not a unicast address`;
  if (loopback.check(ip, family)) return policy.allowLoopback ? undefined : `${address} is a loopback address`;
  if (internal.check(ip, family)) return policy.allowPrivate ? undefined : `${address} is a private or link-local address`;
  return undefined;
}

/** Thrown when the URL's host resolves to an address that may not be called. */
export class AddressRefused extends Error {
  readonly code = 'EWEBHOOKADDRESS';
}

/** A lookup for http.request that refuses a host if any of its addresses may not be called. */
function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family as number | undefined }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((a) => addressRefusal(a.address, policy)).find((r) => r !== undefined);
      if (refused || addresses.length === 0) return callback(new AddressRefused(`${hostname}: ${refused ?? 'no address'}`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** Why a webhook URL may not be registered, or undefined. Resolved addresses are checked again at each delivery. */
export function urlRefusal(raw: string, policy: AddressPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) !== 0;
  const isLoopbackHost = literal ? loopback.check(host.replace(/^::ffff:/i, ''), isIP(host.replace(/^::ffff:/i, '')) === 6 ? 'ipv6' : 'ipv4') : host === 'localhost';
  if (url.protocol === 'http:') {
    if (!(policy.allowLoopback && isLoopbackHost)) return 'must be https (http only on a loopback address, where the server allows it for development)';
  } else if (url.protocol !== 'https:') {
    return 'must be an https URL';
  }
  if (literal) {
    const refused = addressRefusal(host, policy);
    if (refused) return `names an address the server may not call (${refused})`;
  }
  return undefined;
}

// --- One POST

export interface PostResult {
  outcome: 'succeeded' | 'failed' | 'refused';
  status: number;
  latencyMs: number;
  excerpt: string;
}

/** POSTs `body` to `url` and reads at most MAX_RESPONSE_BYTES of the answer. Never throws. */
export function postWebhook(url: string, body: string, headers: Record<string, string>, settings: WebhookSettings): Promise<PostResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (result: Omit<PostResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: latency(), excerpt: result.excerpt.slice(0, EXCERPT_CHARS) });
    };
    const parsed = new URL(url);
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const refused = addressRefusal(host, settings);
      if (refused) return done({ outcome: 'refused', status: 0, excerpt: `refused: ${refused}` });
    }
    const client = parsed.protocol === 'https:' ? https : http;
    const request = client.request(parsed, {
      method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: guardedLookup(settings), agent: false,
    }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size >= MAX_RESPONSE_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_RESPONSE_BYTES) response.destroy();
      });
      const finish = () => {
        const status = response.statusCode ?? 0;
        done({ outcome: status >= 200 && status < 300 ? 'succeeded' : 'failed', status, excerpt: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8') });
      };
      response.on('end', finish);
      response.on('close', finish);
      response.on('error', finish);
    });
    timer = setTimeout(() => {
      request.destroy();
      done({ outcome: 'failed', status: 0, excerpt: `timed out after ${settings.timeoutMs} ms` });
    }, settings.timeoutMs);
    request.on('error', (error) => {
      if (error instanceof AddressRefused) done({ outcome: 'refused', status: 0, excerpt: `refused: ${error.message}` });
      else done({ outcome: 'failed', status: 0, excerpt: `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${error.message}` });
    });
    request.end(body);
  });
}

// --- The worker's statements

interface ClaimArgs { token: string; now: Date; until: Date; limit: number; dialect: string }

// Due: pending and due, or sending with a lease run out; only for active endpoints.
const claimQuery = query((db: WebhooksDb, p: ClaimArgs, args) => db.updateTable('webhook_delivery')
  .set((eb) => ({ status: 'sending', claim_token: p.token, claimed_until: p.until, attempts: eb('attempts', '+', 1) }))
  .where('id', 'in', (eb) => {
    let due = eb.selectFrom('webhook_delivery as d').innerJoin('webhook_endpoint as w', 'w.id', 'd.endpoint_id').select('d.id')
      .where('w.status', '=', 'active')
      .where((w) => w.or([
        w.and([w('d.status', '=', 'pending'), w('d.next_attempt_at', '<=', p.now)]),
        w.and([w('d.status', '=', 'sending'), w('d.claimed_until', '<', p.now)]),
      ]))
      .orderBy('d.next_attempt_at', 'asc').limit(p.limit);
    if (args.dialect === 'postgresql') due = due.forUpdate('d').skipLocked();
    return due;
  })
  .returning(['id', 'reseller_id', 'endpoint_id', 'event_id', 'event_type', 'attempts', 'created_at']), (args) => args.dialect);

const endpointSecretsQuery = query((db: WebhooksDb, p: { id: string }) => db.selectFrom('webhook_endpoint as w')
  .select(['w.id', 'w.url', 'w.secret', 'w.previous_secret', 'w.previous_secret_expires_at', 'w.last_success_at']).where('w.id', '=', p.id));

const insertAttempt = query((db: WebhooksDb, p: {
  id: string; resellerId: string; endpointId: string; deliveryId: string; eventId: string; eventType: string; time: Date; attemptNumber: number;
  outcome: AttemptOutcomeName; status: number; latencyMs: number; excerpt: string;
}) => db.insertInto('webhook_attempt').values({
  id: p.id, reseller_id: p.resellerId, endpoint_id: p.endpointId, delivery_id: p.deliveryId, event_id: p.eventId, event_type: p.eventType,
  attempted_at: p.time, attempt_number: p.attemptNumber, outcome: p.outcome, http_status: p.status, latency_ms: p.latencyMs, excerpt: p.excerpt,
}));

const finishDelivery = query((db: WebhooksDb, p: { id: string; token: string; status: DeliveryStatusName; next: Date; deliveredAt: Date | null }) => db.updateTable('webhook_delivery')
  .set({ status: p.status, next_attempt_at: p.next, delivered_at: p.deliveredAt, claim_token: null, claimed_until: null })
  .where('id', '=', p.id).where('claim_token', '=', p.token).returning('id'));

const markSuccess = query((db: WebhooksDb, p: { id: string; time: Date }) => db.updateTable('webhook_endpoint')
  .set({ last_success_at: p.time }).where('id', '=', p.id));

const disableEndpoint = query((db: WebhooksDb, p: { id: string; reason: string; time: Date }) => db.updateTable('webhook_endpoint')
  .set((eb) => ({ status: 'disabled' as EndpointStatusName, disabled_reason: p.reason, updated_at: p.time, version: eb('version', '+', 1) }))
  .where('id', '=', p.id).where('status', '=', 'active'));

const dropDelivery = query((db: WebhooksDb, p: { id: string }) => db.deleteFrom('webhook_delivery').where('id', '=', p.id));

const dueCountQuery = query((db: WebhooksDb, p: { now: Date }) => db.selectFrom('webhook_delivery as d')
  .innerJoin('webhook_endpoint as w', 'w.id', 'd.endpoint_id')
  .select((eb) => eb.fn.countAll<number>().as('n')).where('w.status', '=', 'active')
  .where((w) => w.or([
    w.and([w('d.status', '=', 'pending'), w('d.next_attempt_at', '<=', p.now)]),
    w.and([w('d.status', '=', 'sending'), w('d.claimed_until', '<', p.now)]),
  ])));

const oldestUndeliveredQuery = query((db: WebhooksDb, _p: Record<string, never>) => db.selectFrom('webhook_delivery as d')
  .select((eb) => eb.fn.min('d.created_at').as('oldest')).where('d.status', 'in', ['pending', 'sending']));

/** When the oldest delivery not yet made (nor given up) began; undefined when none waits. */
export async function oldestUndelivered(source: DataSource): Promise<Date | undefined> {
  const row = await oldestUndeliveredQuery.first({ source, kysely: source.reader }, ALL_RESELLERS, {});
  return row?.oldest === null || row?.oldest === undefined ? undefined : source.date(row.oldest);
}

/** The wait before the next attempt after `failed` failed attempts: base × 2^(n-1), at most max, ±20 % jitter. */
export function retryDelayMs(failed: number, settings: Pick<WebhookSettings, 'retryBaseMs' | 'retryMaxMs'>): number {
  const plain = Math.min(settings.retryBaseMs * 2 ** Math.max(0, failed - 1), settings.retryMaxMs);
  return Math.round(plain * (0.8 + Math.random() * 0.4));
}

export interface WebhookWorkerDeps {
  orm: Orm;
  source: DataSource;
  clock: Clock;
  logger: Logger;
  settings: WebhookSettings;
  /** Told each attempt's outcome (the deliveries counter). */
  onAttempt?: (outcome: PostResult['outcome']) => void;
}

export interface WebhookReport {
  succeeded: number;
  failed: number;
}

export class WebhookWorker {
  readonly #deps: WebhookWorkerDeps;
  readonly #runs = new OneAtATime<WebhookReport>();

  constructor(deps: WebhookWorkerDeps) {
    this.#deps = deps;
  }

  /** The background job (the JobRunner runs it every JOB_INTERVAL_MS). */
  job(): Job {
    return {
      name: 'webhooks.deliver',
      run: async () => (await this.deliverDue()).succeeded,
      due: async ({ now }) => Number((await dueCountQuery.first(this.#db(), ALL_RESELLERS, { now }))?.n ?? 0),
    };
  }

  /** Waits for a run in progress. */
  async stop(): Promise<void> {
    await this.#runs.idle();
  }

  /** Delivers everything due now (after a run in progress in this instance). Tests call it. */
  async deliverDue(): Promise<WebhookReport> {
    return this.#runs.run(() => this.#run());
  }

  /** Statements outside a transaction, on a connection that writes (the reader is SQLite's read replica). */
  #db(): Db {
    return { source: this.#deps.source, kysely: this.#deps.orm.em.fork().getKysely() };
  }

  async #run(): Promise<WebhookReport> {
    const { clock, settings, source } = this.#deps;
    const report: WebhookReport = { succeeded: 0, failed: 0 };
    for (;;) {
      const now = clock.now();
      const token = uuidv7();
      const claimed = await claimQuery.run(this.#db(), ALL_RESELLERS, {
        token, now, until: new Date(now.getTime() + settings.claimLeaseMs), limit: BATCH, dialect: source.dialect,
      });
      // Sent side by side: one slow receiver does not hold up the batch.
      const results = await Promise.all(claimed.map((row) => this.#deliver(row, token)));
      for (const ok of results) {
        if (ok) report.succeeded++;
        else report.failed++;
      }
      if (claimed.length < BATCH) return report;
    }
  }

  async #deliver(row: { id: string; reseller_id: string; endpoint_id: string; event_id: string; event_type: string; attempts: number; created_at: unknown }, token: string): Promise<boolean> {
    const { clock, settings, logger, source } = this.#deps;
    const db = this.#db();
    const endpoint = await endpointSecretsQuery.first(db, ALL_RESELLERS, { id: row.endpoint_id });
    const event = await eventForDelivery(db, row.event_id);
    if (!endpoint || !event) {
      await dropDelivery.run(db, ALL_RESELLERS, { id: row.id });
      return false;
    }
    const sentAt = clock.now();
    const seconds = Math.floor(sentAt.getTime() / 1000);
    const secrets = [endpoint.secret];
    if (endpoint.previous_secret && endpoint.previous_secret_expires_at !== null && source.date(endpoint.previous_secret_expires_at) > sentAt) {
      secrets.push(endpoint.previous_secret);
    }
    const body = toJsonString(EventSchema, event, { alwaysEmitImplicit: true });
    const result = await postWebhook(endpoint.url, body, {
      'content-type': 'application/json', 'user-agent': 'reseller-platform-webhooks/1',
      'webhook-id': event.eventId, 'webhook-timestamp': String(seconds), 'webhook-signature': signatureHeader(secrets, seconds, body),
    }, settings);
    this.#deps.onAttempt?.(result.outcome);
    const after = clock.now();
    const succeeded = result.outcome === 'succeeded';
    const createdAt = source.date(row.created_at);
    const giveUp = !succeeded && after.getTime() - createdAt.getTime() >= settings.retryWindowMs;
    const next = succeeded || giveUp ? after : new Date(after.getTime() + retryDelayMs(row.attempts, settings));
    await systemEm(this.#deps.orm).transactional(async (em) => {
      const tx: Db = { source, kysely: em.getKysely() };
      const finished = await finishDelivery.run(tx, ALL_RESELLERS, {
        id: row.id, token, status: succeeded ? 'delivered' : giveUp ? 'failed' : 'pending', next, deliveredAt: succeeded ? after : null,
      });
      // Our claim ran out and another run took the delivery: its attempt is the one that counts.
      if (finished.length === 0) return;
      await insertAttempt.run(tx, ALL_RESELLERS, {
        id: uuidv7(), resellerId: row.reseller_id, endpointId: row.endpoint_id, deliveryId: row.id, eventId: row.event_id, eventType: row.event_type,
        time: sentAt, attemptNumber: row.attempts, outcome: result.outcome, status: result.status, latencyMs: result.latencyMs, excerpt: result.excerpt,
      });
      if (succeeded) await markSuccess.run(tx, ALL_RESELLERS, { id: row.endpoint_id, time: after });
      const lastSuccess = endpoint.last_success_at === null ? undefined : source.date(endpoint.last_success_at);
      if (giveUp && (!lastSuccess || lastSuccess < createdAt)) {
        const reason = `every attempt to deliver event ${row.event_id} failed for ${Math.round(settings.retryWindowMs / 3_600_000)} h (last: ${result.excerpt.slice(0, 200) || result.status})`;
        await disableEndpoint.run(tx, ALL_RESELLERS, { id: row.endpoint_id, reason, time: after });
        const state = await endpointById(tx, ALL_RESELLERS, row.endpoint_id, after);
        if (state) {
          await recordEvent(tx, { type: 'webhook_endpoint.disabled', resellerId: row.reseller_id, objectId: row.endpoint_id, state: { case: 'webhookEndpoint', value: state }, time: after });
        }
        logger.warn({ endpointId: row.endpoint_id, resellerId: row.reseller_id, reason }, 'webhook endpoint disabled after persistent failure');
      }
    });
    if (!succeeded) {
      logger.info({ endpointId: row.endpoint_id, eventId: row.event_id, attempt: row.attempts, outcome: result.outcome, status: result.status, giveUp }, 'webhook delivery failed');
    }
    return succeeded;
  }
}
