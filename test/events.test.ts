// Events for partners (issue 22): the outbox, signed webhooks with retries,
// and the stream, through the wire on both databases, with a real HTTP
// receiver started by the test.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventService } from '../gen/reseller/v1/events_pb.js';
import { createReseller, describeEachDatabase, startServer, type TestReseller, type TestServer } from './support/server.ts';
import { receiver, verify, type Receiver } from './support/webhooks.ts';

const FAST = {
  WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_BASE_MS: '10000', WEBHOOK_RETRY_MAX_MS: '60000', WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_CLAIM_LEASE_MS: '5000', JOB_INTERVAL_MS: '3600000', EVENT_STREAM_POLL_MS: '20', EVENT_STREAM_HEARTBEAT_MS: '60000',
};

describeEachDatabase('events and webhooks', (kind) => {
  let server: TestServer;
  let a: TestReseller;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    server = await startServer(kind, { env: FAST });
    a = await createReseller(server, 'Events Reseller');
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });

  async function ok(service: string, method: string, body: unknown, token = a.token): Promise<any> {
    const answer = await server.call(service, method, body, token);
    expect(answer.status, `${method}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  }

  /**
   * Runs the delivery job now. The test clock stands still while calls stamp
   * their changes with the real time: it is moved up to the real time first.
   */
  async function deliver(on: TestServer = server): Promise<void> {
    if (on.clock.now().getTime() < Date.now()) on.clock.set(new Date());
    await on.app.deliverWebhooks();
  }

  async function newReceiver(): Promise<Receiver> {
    const r = await receiver();
    receivers.push(r);
    return r;
  }

  it('a change records its event in the same transaction: ListEvents shows client.registered with the client as it was', async () => {
    const client = (await ok('ClientService', 'RegisterClient', { name: 'Evented Bakery', code: 'EVT-1' })).client;
    const listed = await ok('EventService', 'ListEvents', {});
    const event = listed.events.find((e: any) => e.objectId === client.clientId);
    expect(event).toMatchObject({ type: 'EVENT_TYPE_CLIENT_REGISTERED', typeName: 'client.registered', resellerId: a.resellerId, objectType: 'Client' });
    expect(event.client).toMatchObject({ clientId: client.clientId, name: 'Evented Bakery', code: 'EVT-1' });
    // A refused change leaves no event.
    const before = listed.events.length;
    expect((await server.call('ClientService', 'RegisterClient', { name: 'Twin', code: 'EVT-1' }, a.token)).status).toBe(409);
    expect((await ok('EventService', 'ListEvents', {})).events.length).toBe(before);
    // Sequences are 1, 2, 3, ... per reseller.
    const all = (await ok('EventService', 'ListEvents', {})).events.map((e: any) => Number(e.sequence));
    expect(all).toEqual(all.map((_: number, i: number) => i + 1));
  });

  it('a job\'s change records its event too: an installed interface gives interface.activated', async () => {
    const tag = `evt${Date.now() % 1e8}`;
    const created = await ok('InterfaceService', 'CreateInterface', {
      guid: `guid-${tag}`, offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], subdomain: `shop-${tag}`,
      contact: { lastName: 'Martin', firstName: 'Claire', company: 'Acme', address: '1 rue', postalCode: '69003', city: 'Lyon', country: 'FR', phone: '+33 4 72 00 00 00', email: 'c@example.com' },
    });
    server.clock.advance((server.app.config.interfaceInstallDelaySeconds + 1) * 1000);
    await server.app.runDueJobs();
    const events = (await ok('EventService', 'ListEvents', { types: ['EVENT_TYPE_INTERFACE_ACTIVATED'] })).events;
    expect(events.map((e: any) => e.objectId)).toContain(created.key);
    const activated = events.find((e: any) => e.objectId === created.key);
    expect(activated.interface).toMatchObject({ key: created.key, status: 'INTERFACE_STATUS_ACTIVE' });
  });

  it('the end of access and the final deletion, made by jobs, are told once each: interface.access_ended, interface.deleted; reactivation too', async () => {
    // Its own server: the clock moves months on.
    // The clock moves 92 days: a retention longer than that keeps the events this test reads.
    const own = await startServer(kind, { env: { ...FAST, EVENT_RETENTION_DAYS: '3650' } });
    try {
      const d = await createReseller(own, 'Lifecycle Reseller');
      const call = async (service: string, method: string, body: unknown) => {
        const token = (await own.call('AuthService', 'CreateToken', { clientId: d.clientId, clientSecret: d.clientSecret })).body.accessToken;
        const answer = await own.call(service, method, body, token);
        expect(answer.status, `${method}: ${JSON.stringify(answer.body)}`).toBe(200);
        return answer.body;
      };
      const order = (tag: string) => call('InterfaceService', 'CreateInterface', {
        guid: `guid-${tag}`, offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], subdomain: `shop-${tag}`,
        contact: { lastName: 'Martin', firstName: 'Claire', company: 'Acme', address: '1 rue', postalCode: '69003', city: 'Lyon', country: 'FR', phone: '+33 4 72 00 00 00', email: 'c@example.com' },
      });
      const kept = (await order('kept')).key;
      const gone = (await order('gone')).key;
      await call('InterfaceService', 'DeleteInterface', { key: kept });
      await call('InterfaceService', 'ReactivateInterface', { key: kept });
      await call('InterfaceService', 'DeleteInterface', { key: gone });
      const types = async () => (await call('EventService', 'ListEvents', { pageSize: 200 })).events
        .filter((e: any) => e.objectType === 'Interface').map((e: any) => `${e.typeName} ${e.objectId === kept ? 'kept' : 'gone'}`);
      expect(await types()).toEqual(['interface.reactivated kept']);
      own.clock.advance(32 * 86_400_000);
      await own.app.runDueJobs();
      await own.app.runDueJobs();
      // `gone` was deactivated before its installation: never activated.
      expect(await types()).toEqual(['interface.reactivated kept', 'interface.activated kept', 'interface.access_ended gone']);
      own.clock.advance(60 * 86_400_000);
      await own.app.runDueJobs();
      await own.app.runDueJobs();
      const all = await types();
      expect(all.filter((t: string) => t === 'interface.access_ended gone')).toHaveLength(1);
      expect(all.at(-1)).toBe('interface.deleted gone');
    } finally {
      await own.close();
    }
  });

  it('docs/events.md: the signature snippet runs as written', async () => {
    const docs = readFileSync(join(import.meta.dirname, '..', 'docs', 'events.md'), 'utf8');
    const snippet = /```js\n([\s\S]*?)```/.exec(docs)![1]!;
    const file = join(mkdtempSync(join(tmpdir(), 'events-doc-')), 'verify.mjs');
    writeFileSync(file, snippet);
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect(run.stdout.trim().split('\n')).toEqual(['true', 'false']);
  });

  it('webhooks: the POST carries the event JSON and a signature that verifies with the secret shown once', async () => {
    const r = await newReceiver();
    const created = await ok('EventService', 'CreateWebhookEndpoint', { url: r.url, eventTypes: ['EVENT_TYPE_CLIENT_REGISTERED'], description: 'test' });
    const secret = created.signingSecret;
    expect(secret).toMatch(/^whsec_/);
    // Never shown again.
    const listed = await ok('EventService', 'ListWebhookEndpoints', {});
    expect(JSON.stringify(listed)).not.toContain(secret);
    const client = (await ok('ClientService', 'RegisterClient', { name: 'Signed Bakery', code: 'EVT-SIG' })).client;
    await ok('ClientService', 'DeactivateClient', { clientId: client.clientId }); // another type: not for this endpoint
    await deliver();
    expect(r.requests).toHaveLength(1);
    const [request] = r.requests;
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ typeName: 'client.registered', objectId: client.clientId, client: { name: 'Signed Bakery' } });
    expect(request!.headers['webhook-id']).toBe(body.eventId);
    const nowSeconds = Math.floor(server.clock.now().getTime() / 1000);
    expect(verify(String(request!.headers['webhook-signature']), request!.body, secret, nowSeconds)).toBe(true);
    expect(verify(String(request!.headers['webhook-signature']), request!.body.replace('Signed', 'Forged'), secret, nowSeconds)).toBe(false);
    expect(verify(String(request!.headers['webhook-signature']), request!.body, 'whsec_wrong', nowSeconds)).toBe(false);
    // Each attempt is recorded.
    const attempts = await ok('EventService', 'ListDeliveryAttempts', { endpointId: created.endpoint.endpointId });
    expect(attempts.attempts).toHaveLength(1);
    expect(attempts.attempts[0]).toMatchObject({ eventId: body.eventId, outcome: 'DELIVERY_OUTCOME_SUCCEEDED', httpStatus: 200, responseExcerpt: 'ok', attemptNumber: 1 });

    // Rotation with an overlap: both secrets sign until it ends.
    const rotated = await ok('EventService', 'RotateWebhookSecret', { endpointId: created.endpoint.endpointId, overlapSeconds: 3600 });
    expect(rotated.signingSecret).not.toBe(secret);
    await ok('ClientService', 'RegisterClient', { name: 'Rotated Bakery', code: 'EVT-ROT' });
    await deliver();
    const second = r.requests[1]!;
    expect(verify(String(second.headers['webhook-signature']), second.body, rotated.signingSecret, nowSeconds)).toBe(true);
    expect(verify(String(second.headers['webhook-signature']), second.body, secret, nowSeconds)).toBe(true);
    await ok('EventService', 'DeleteWebhookEndpoint', { endpointId: created.endpoint.endpointId });
  });

  it('a receiver that fails and then recovers gets every event, retried with backoff; redelivery on request', async () => {
    const r = await newReceiver();
    let failing = true;
    r.answer = () => (failing ? 503 : 200);
    const endpoint = (await ok('EventService', 'CreateWebhookEndpoint', { url: r.url, eventTypes: ['EVENT_TYPE_CLIENT_REGISTERED'] })).endpoint;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await ok('ClientService', 'RegisterClient', { name: `Flaky ${i}`, code: `EVT-FL-${i}` })).client.clientId);
    await deliver();
    expect(r.requests).toHaveLength(3);
    // Not due again before the backoff.
    await deliver();
    expect(r.requests).toHaveLength(3);
    server.clock.advance(15_000);
    await deliver();
    expect(r.requests).toHaveLength(6);
    failing = false;
    server.clock.advance(30_000);
    await deliver();
    const delivered = new Set(r.requests.slice(6).map((q) => JSON.parse(q.body).objectId));
    expect([...delivered].sort()).toEqual([...ids].sort());
    // Nothing left to send.
    server.clock.advance(600_000);
    const before = r.requests.length;
    await deliver();
    expect(r.requests.length).toBe(before);
    const attempts = (await ok('EventService', 'ListDeliveryAttempts', { endpointId: endpoint.endpointId })).attempts;
    expect(attempts.filter((x: any) => x.outcome === 'DELIVERY_OUTCOME_FAILED')).toHaveLength(6);
    expect(attempts.filter((x: any) => x.outcome === 'DELIVERY_OUTCOME_SUCCEEDED')).toHaveLength(3);
    expect(attempts.find((x: any) => x.outcome === 'DELIVERY_OUTCOME_FAILED')).toMatchObject({ httpStatus: 503, responseExcerpt: 'receiver says no' });

    // Redeliver one event, then a time range.
    const eventId = JSON.parse(r.requests.at(-1)!.body).eventId;
    expect((await ok('EventService', 'RedeliverEvents', { endpointId: endpoint.endpointId, eventId })).scheduled).toBe(1);
    await deliver();
    expect(JSON.parse(r.requests.at(-1)!.body).eventId).toBe(eventId);
    const range = await ok('EventService', 'RedeliverEvents', {
      endpointId: endpoint.endpointId, startTime: new Date(Date.now() - 86_400_000).toISOString(), endTime: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(range.scheduled).toBeGreaterThanOrEqual(3);
    await ok('EventService', 'DeleteWebhookEndpoint', { endpointId: endpoint.endpointId });
  });

  it('an endpoint that keeps failing for the whole retry window is disabled and its owner told (webhook_endpoint.disabled); paused endpoints get nothing', async () => {
    // Its own server: the clock moves three days on (every token expires on the way).
    const own = await startServer(kind, { env: FAST });
    const d = await createReseller(own, 'Disabled Reseller');
    const fresh = async () => (await own.call('AuthService', 'CreateToken', { clientId: d.clientId, clientSecret: d.clientSecret })).body.accessToken as string;
    const ok = async (service: string, method: string, body: unknown): Promise<any> => {
      const answer = await own.call(service, method, body, await fresh());
      expect(answer.status, `${method}: ${JSON.stringify(answer.body)}`).toBe(200);
      return answer.body;
    };
    const deliverOwn = () => deliver(own);
    try {
    const r = await newReceiver();
    r.answer = () => 500;
    const endpoint = (await ok('EventService', 'CreateWebhookEndpoint', { url: r.url, eventTypes: ['EVENT_TYPE_CLIENT_REGISTERED'] })).endpoint;
    await ok('ClientService', 'RegisterClient', { name: 'Doomed Hook', code: 'EVT-DOOM' });
    await deliverOwn();
    // 72 hours and more, attempt after attempt.
    for (let hours = 0; hours <= 74; hours += 2) {
      own.clock.advance(2 * 3_600_000);
      await deliverOwn();
    }
    const after = (await ok('EventService', 'ListWebhookEndpoints', {})).endpoints.find((e: any) => e.endpointId === endpoint.endpointId);
    expect(after.status).toBe('WEBHOOK_ENDPOINT_STATUS_DISABLED');
    expect(after.disabledReason).toMatch(/failed for 72 h/);
    const told = (await ok('EventService', 'ListEvents', { types: ['EVENT_TYPE_WEBHOOK_ENDPOINT_DISABLED'] })).events;
    expect(told.map((e: any) => e.objectId)).toContain(endpoint.endpointId);
    // Disabled: no more attempts. Resume, then pause: a paused endpoint gets nothing new.
    const count = r.requests.length;
    await ok('EventService', 'UpdateWebhookEndpoint', { endpointId: endpoint.endpointId, status: 'WEBHOOK_ENDPOINT_STATUS_ACTIVE' });
    await ok('EventService', 'UpdateWebhookEndpoint', { endpointId: endpoint.endpointId, status: 'WEBHOOK_ENDPOINT_STATUS_PAUSED' });
    await ok('ClientService', 'RegisterClient', { name: 'Paused Hook', code: 'EVT-PAUSE' });
    own.clock.advance(3_600_000);
    await deliverOwn();
    expect(r.requests.length).toBe(count);
    } finally {
      await own.close();
    }
  });

  it('SSRF: private, link-local and (unless allowed) loopback addresses are refused, resolved names included', async () => {
    const strict = await startServer(kind, { database: server.database, env: { ...FAST, WEBHOOK_ALLOW_LOOPBACK: 'false' } });
    try {
      for (const url of ['http://127.0.0.1:9/x', 'https://10.0.0.8/x', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/x', 'https://[::ffff:192.168.1.1]/x', 'ftp://example.com/x']) {
        const answer = await strict.call('EventService', 'CreateWebhookEndpoint', { url }, a.token);
        expect(answer.status, url).toBe(400);
        expect(answer.body.details[0].debug.fieldViolations[0].reason, url).toBe(url.startsWith('ftp') ? 'WEBHOOK_URL_NOT_ALLOWED' : 'WEBHOOK_URL_NOT_ALLOWED');
      }
      // A name is checked by the addresses it resolves to, when delivering: nothing is sent.
      const r = await newReceiver();
      const port = new URL(r.url).port;
      const endpoint = (await strict.call('EventService', 'CreateWebhookEndpoint', { url: `https://localhost:${port}/hooks`, eventTypes: ['EVENT_TYPE_CLIENT_REGISTERED'] }, a.token)).body.endpoint;
      await strict.call('ClientService', 'RegisterClient', { name: 'SSRF Bakery', code: 'EVT-SSRF' }, a.token);
      await deliver(strict);
      expect(r.connections).toBe(0);
      const attempts = (await strict.call('EventService', 'ListDeliveryAttempts', { endpointId: endpoint.endpointId }, a.token)).body.attempts;
      expect(attempts[0]).toMatchObject({ outcome: 'DELIVERY_OUTCOME_REFUSED', httpStatus: 0 });
      expect(attempts[0].responseExcerpt).toMatch(/loopback/);
      await strict.call('EventService', 'DeleteWebhookEndpoint', { endpointId: endpoint.endpointId }, a.token);
    } finally {
      await strict.app.close();
    }
  });

  it('the stream sends the backlog, then live events, and resumes after the last event id without a gap, over Connect, gRPC and gRPC-Web', async () => {
    const b = await createReseller(server, `Stream Reseller ${kind}`);
    for (let i = 0; i < 3; i++) await ok('ClientService', 'RegisterClient', { name: `Streamed ${i}`, code: `EVT-ST-${i}` }, b.token);
    for (const protocol of ['connect', 'grpc', 'grpc-web'] as const) {
      const client = server.client(EventService, b.token, protocol);
      const seen: string[] = [];
      let lastId = '';
      const controller = new AbortController();
      // First connection: read the backlog and one live event, then drop it.
      const first = client.streamEvents({}, { signal: controller.signal });
      let live = false;
      for await (const message of first) {
        if (message.kind.case === 'event') {
          seen.push(message.kind.value.objectId);
          lastId = message.kind.value.eventId;
          if (live) break;
        } else if (!live) {
          live = true;
          await ok('ClientService', 'RegisterClient', { name: `Live ${protocol}`, code: `EVT-LIVE-${protocol}` }, b.token);
        }
      }
      controller.abort();
      // Events committed while disconnected.
      await ok('ClientService', 'RegisterClient', { name: `Missed ${protocol}`, code: `EVT-MISS-${protocol}` }, b.token);
      const resumed = client.streamEvents({ afterEventId: lastId });
      const again: bigint[] = [];
      for await (const message of resumed) {
        if (message.kind.case === 'heartbeat') break;
        again.push(message.kind.value!.sequence);
        seen.push(message.kind.value!.objectId);
      }
      const all = (await ok('EventService', 'ListEvents', { pageSize: 200 }, b.token)).events;
      expect(seen, protocol).toEqual(all.map((e: any) => e.objectId));
      expect(again.length).toBeGreaterThan(0);
    }
  });

  it('a reseller cannot read or stream another reseller\'s events', async () => {
    const c = await createReseller(server, `Other Reseller ${kind}`);
    const answer = await server.call('EventService', 'ListEvents', { resellerId: a.resellerId }, c.token);
    expect(answer.status).toBe(400);
    const own = await server.call('EventService', 'ListEvents', {}, c.token);
    expect(own.body.events).toEqual([]);
  });

  it('metrics: events produced, deliveries by outcome, oldest undelivered age', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^reseller_events_produced (\d+)/m.exec(text)?.[1])).toBeGreaterThan(5);
    expect(text).toMatch(/^reseller_webhook_deliveries_total\{outcome="succeeded"\} \d+/m);
    expect(text).toMatch(/^reseller_webhook_deliveries_total\{outcome="failed"\} \d+/m);
    expect(text).toMatch(/^reseller_webhook_oldest_undelivered_seconds \d+/m);
  });
});
