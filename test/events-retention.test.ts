// Events' retention (issue 22): the events.purge job deletes the events older
// than EVENT_RETENTION_DAYS with their deliveries and attempts, keeps an event
// a delivery still waits on, and never reuses a sequence number. Through the
// wire on both databases; the test clock is moved past the retention.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../server/platform/core/config.ts';
import { createReseller, describeEachDatabase, startServer, type TestReseller, type TestServer } from './support/server.ts';
import { receiver, type Receiver } from './support/webhooks.ts';

const DAY_MS = 86_400_000;
const ENV = {
  WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_BASE_MS: '10000', WEBHOOK_RETRY_MAX_MS: '60000', WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_CLAIM_LEASE_MS: '5000', JOB_INTERVAL_MS: '3600000', EVENT_RETENTION_DAYS: '4',
};

it('EVENT_RETENTION_DAYS: 30 by default, at least 4 days, 0 and non-numbers refused with a clear message', () => {
  expect(loadConfig({}).eventRetentionDays).toBe(30);
  expect(loadConfig({ EVENT_RETENTION_DAYS: '4' }).eventRetentionDays).toBe(4);
  expect(() => loadConfig({ EVENT_RETENTION_DAYS: '0' })).toThrow(/EVENT_RETENTION_DAYS must be at least 4 .*72 h webhook retry window/);
  expect(() => loadConfig({ EVENT_RETENTION_DAYS: '3' })).toThrow(/EVENT_RETENTION_DAYS must be at least 4/);
  expect(() => loadConfig({ EVENT_RETENTION_DAYS: 'forever' })).toThrow(/EVENT_RETENTION_DAYS must be a whole number from 4 to 3650, got "forever"/);
});

describeEachDatabase('events retention', (kind) => {
  let server: TestServer;
  let a: TestReseller;
  let r: Receiver;

  beforeAll(async () => {
    server = await startServer(kind, { env: ENV });
    a = await createReseller(server, 'Retention Reseller');
    r = await receiver();
  }, 60_000);
  afterAll(async () => {
    await r?.close();
    await server?.close();
  });

  /** A call with a token taken now (the clock moves days: an older token would have expired). */
  async function ok(service: string, method: string, body: unknown): Promise<any> {
    const token = (await server.call('AuthService', 'CreateToken', { clientId: a.clientId, clientSecret: a.clientSecret })).body.accessToken;
    const answer = await server.call(service, method, body, token);
    expect(answer.status, `${method}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  }
  const events = async () => (await ok('EventService', 'ListEvents', { pageSize: 200 })).events as any[];
  const register = async (code: string) => (await ok('ClientService', 'RegisterClient', { name: `Bakery ${code}`, code })).client.clientId as string;

  it('old events go with their deliveries and attempts, newer ones stay, a pending delivery keeps its event, sequences go on', async () => {
    const old = await register('RET-OLD');
    const endpoint = (await ok('EventService', 'CreateWebhookEndpoint', { url: r.url, eventTypes: ['EVENT_TYPE_CLIENT_REGISTERED'] })).endpoint;
    // Delivered now: an old event with a delivery and an attempt, both done.
    const delivered = await register('RET-DELIVERED');
    // The test clock stands still while calls stamp their changes with the real time.
    server.clock.set(new Date());
    await server.app.deliverWebhooks();
    expect(r.requests).toHaveLength(1);
    expect((await ok('EventService', 'ListDeliveryAttempts', { endpointId: endpoint.endpointId })).attempts).toHaveLength(1);
    // Refused by the receiver, then its endpoint paused: this event's delivery waits (pending, to be retried).
    r.answer = () => 500;
    const waiting = await register('RET-WAITING');
    server.clock.set(new Date());
    await server.app.deliverWebhooks();
    expect(r.requests).toHaveLength(2);
    let etag = (await ok('EventService', 'UpdateWebhookEndpoint', { endpointId: endpoint.endpointId, status: 'WEBHOOK_ENDPOINT_STATUS_PAUSED' })).endpoint.etag;
    await sleep(200);
    const recent = await register('RET-RECENT');

    const before = await events();
    const time = (id: string) => Date.parse(before.find((e) => e.objectId === id).time);
    const sequenceOf = (list: any[], id: string) => Number(list.find((e) => e.objectId === id)?.sequence);
    expect(time(recent) - time(waiting)).toBeGreaterThanOrEqual(100);
    // Past the retention for every event but `recent`.
    server.clock.set(new Date(time(recent) - 50 + 4 * DAY_MS));
    const done = await server.app.runDueJobs();
    expect(done['events.purge']).toBe(before.length - 2);

    const after = await events();
    expect(after.map((e) => e.objectId)).toEqual([waiting, recent]);
    expect(after.map((e) => e.objectId)).not.toContain(old);
    expect(after.map((e) => e.objectId)).not.toContain(delivered);
    // The delivered event's attempt went with it; the waiting delivery's stays.
    expect((await ok('EventService', 'ListDeliveryAttempts', { endpointId: endpoint.endpointId })).attempts.map((x: any) => x.eventId))
      .toEqual([after[0].eventId]);
    // A cursor older than what is kept starts at the oldest event kept.
    expect((await ok('EventService', 'ListEvents', { afterSequence: '1' })).events.map((e: any) => e.objectId)).toEqual([waiting, recent]);

    // Resumed: the waiting delivery is made, then its event goes too.
    r.answer = () => 200;
    etag = (await ok('EventService', 'UpdateWebhookEndpoint', { endpointId: endpoint.endpointId, status: 'WEBHOOK_ENDPOINT_STATUS_ACTIVE', etag })).endpoint.etag;
    const again = await server.app.runDueJobs();
    expect(again['events.purge']).toBe(1);
    expect(r.requests).toHaveLength(3);
    expect(JSON.parse(r.requests[2]!.body).objectId).toBe(waiting);
    expect((await events()).map((e) => e.objectId)).toEqual([recent]);
    expect((await ok('EventService', 'ListDeliveryAttempts', { endpointId: endpoint.endpointId })).attempts).toEqual([]);

    // The sequence goes on after the purge: no number is reused.
    const next = await register('RET-NEXT');
    const last = await events();
    expect(sequenceOf(last, next)).toBe(sequenceOf(after, recent) + 1);
    expect(sequenceOf(last, recent)).toBe(before.length);
    expect(sequenceOf(last, next)).toBe(before.length + 1);
    // Nothing more is due.
    expect((await server.app.runDueJobs())['events.purge']).toBe(0);
  });
});
