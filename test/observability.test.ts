// What operators see: Prometheus metrics at /metrics and the JSON logs, which
// carry who called what but never a secret or a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Health } from '../gen/grpc/health/v1/health_pb.js';
import { ClientService } from '../gen/reseller/v1/clients_pb.js';
import { AccessService } from '../gen/reseller/v1/access_pb.js';
import { createLogger } from '../server/platform/observability/logger.ts';
import type { Em } from '../server/platform/data/database.ts';
import { ADMIN_ID, ADMIN_SECRET, createReseller, describeEachDatabase, startServer, type TestServer } from './support/server.ts';

const UNKNOWN = '01890000-0000-7000-8000-000000000000';

async function scrape(server: TestServer): Promise<{ contentType: string | null; text: string; value(sample: string): number | undefined }> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return {
    contentType: response.headers.get('content-type'),
    text,
    value(sample) {
      const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
      return line === undefined ? undefined : Number(line.slice(sample.length + 1));
    },
  };
}

describeEachDatabase('metrics at /metrics', (kind) => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer(kind); });
  afterAll(() => server?.close());

  it('counts calls by service, method, protocol and code, and times them', async () => {
    const own = await startServer(kind);
    try {
      const reseller = await createReseller(own, 'Counted');
      await own.call('ClientService', 'ListClients', {}, reseller.token);
      await own.call('ClientService', 'ListClients', {}, reseller.token);
      await own.client(ClientService, reseller.token, 'grpc').getClient({ clientId: UNKNOWN }).catch(() => undefined);
      await own.client(ClientService, reseller.token, 'grpc-web').listClients({});
      await own.call('ClientService', 'ListClients', {}); // no token
      const metrics = await scrape(own);
      expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
      const calls = (method: string, protocol: string, code: string) =>
        metrics.value(`reseller_rpc_calls_total{service="reseller.v1.ClientService",method="${method}",protocol="${protocol}",code="${code}"}`);
      expect(calls('ListClients', 'connect', 'ok')).toBe(2);
      expect(calls('ListClients', 'connect', 'unauthenticated')).toBe(1);
      expect(calls('GetClient', 'grpc', 'not_found')).toBe(1);
      expect(calls('ListClients', 'grpc-web', 'ok')).toBe(1);
      // The admin token at start and the reseller's, both over Connect.
      expect(metrics.value('reseller_rpc_calls_total{service="reseller.v1.AuthService",method="CreateToken",protocol="connect",code="ok"}')).toBe(2);
      expect(metrics.value('reseller_rpc_duration_seconds_count{service="reseller.v1.ClientService",method="ListClients",protocol="connect"}')).toBe(3);
      expect(metrics.value('reseller_rpc_duration_seconds_bucket{service="reseller.v1.ClientService",method="ListClients",protocol="connect",le="+Inf"}')).toBe(3);
      // Buckets are cumulative: each counts the calls at most that long.
      const buckets = metrics.text.split('\n').filter((l) => l.startsWith('reseller_rpc_duration_seconds_bucket{service="reseller.v1.ClientService",method="ListClients",protocol="connect",'))
        .map((l) => Number(l.split(' ').pop()));
      expect(buckets).toHaveLength(12);
      expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
      expect(metrics.value('reseller_rpc_duration_seconds_sum{service="reseller.v1.ClientService",method="ListClients",protocol="connect"}')).toBeGreaterThan(0);
    } finally {
      await own.close();
    }
  });

  it('counts a stream when it ends: a Watch the client cancels counts as canceled', async () => {
    const own = await startServer(kind);
    try {
      const abort = new AbortController();
      for await (const _ of own.client(Health, undefined, 'grpc').watch({}, { signal: abort.signal })) break;
      abort.abort();
      const watch = 'reseller_rpc_calls_total{service="grpc.health.v1.Health",method="Watch",protocol="grpc",code="canceled"}';
      for (let i = 0; i < 50 && (await scrape(own)).value(watch) === undefined; i++) await new Promise((r) => setTimeout(r, 50));
      expect((await scrape(own)).value(watch)).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('shows whether the database answers, and the PostgreSQL pool (total, idle, waiting)', async () => {
    const metrics = await scrape(server);
    expect(metrics.value(`reseller_database_up{kind="${kind}"}`)).toBe(1);
    if (kind === 'postgresql') {
      // At rest the numbers move with the scrape's own queries (the health
      // check, gauges reading the database), so only their bounds hold.
      const total = metrics.value('reseller_database_pool_connections{state="total"}')!;
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(10);
      expect(metrics.value('reseller_database_pool_connections{state="idle"}')).toBeLessThanOrEqual(total);
      // Busy: more statements than the pool's 10 connections, each holding
      // one for a while; the scrape sees a full pool and the rest queued.
      const em = server.app.orm.em.fork() as Em;
      const sleeping = Array.from({ length: 12 }, () => em.getConnection().execute('select pg_sleep(1.5)'));
      try {
        await new Promise((r) => setTimeout(r, 300));
        const busy = await scrape(server);
        expect(busy.value('reseller_database_pool_connections{state="total"}')).toBe(10);
        expect(busy.value('reseller_database_pool_connections{state="idle"}')).toBe(0);
        expect(busy.value('reseller_database_pool_connections{state="waiting"}')).toBeGreaterThanOrEqual(2);
      } finally {
        await Promise.all(sleeping);
      }
    } else {
      expect(metrics.text).not.toContain('reseller_database_pool_connections{');
    }
  });

  it('shows the background work due now, by job (the queue of the jobs)', async () => {
    const own = await startServer(kind, { env: { INTERFACE_INSTALL_DELAY_SECONDS: '0', JOB_INTERVAL_MS: '3600000' } });
    try {
      const reseller = await createReseller(own, 'Queued');
      const ordered = await own.call('InterfaceService', 'CreateInterface', {
        guid: 'queued-shop', offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'],
        contact: { lastName: 'Martin', firstName: 'Ann', company: 'Queue SARL', address: '1 rue de la Paix', postalCode: '75001', city: 'Paris', country: 'FR', phone: '+33102030405', email: 'ann@example.com' },
      }, reseller.token);
      expect(ordered.status, JSON.stringify(ordered.body)).toBe(200);
      const due = async () => (await fetch(`${own.url}/metrics`).then((r) => r.text())).split('\n').find((l) => l.startsWith('reseller_jobs_due{job="interfaces.install"} '));
      expect(await due()).toBe('reseller_jobs_due{job="interfaces.install"} 1');
      await own.app.runDueJobs();
      expect(await due()).toBe('reseller_jobs_due{job="interfaces.install"} 0');
    } finally {
      await own.close();
    }
  });

  it('includes the Node process metrics', async () => {
    const metrics = await scrape(server);
    // The values of a process that has started a server and answered calls.
    expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.value('process_resident_memory_bytes')).toBeGreaterThan(20 * 1024 * 1024);
    expect(metrics.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(5 * 1024 * 1024);
    expect(metrics.value('nodejs_heap_size_used_bytes')).toBeLessThan(metrics.value('process_resident_memory_bytes')!);
    const lag = metrics.value('nodejs_eventloop_lag_seconds');
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5);
  });

  it('shows the gauges features register (from the database or this process), and survives one that fails', async () => {
    await createReseller(server, 'Gauged');
    const rows = await (server.app.orm.em as Em).getConnection().execute<{ n: number | string }[]>('select count(*) as n from reseller');
    // The hook features use for their job queues: read from the database at each scrape.
    server.app.metrics.registerGauge('test_resellers', 'Resellers in the database (a stand-in for a job queue gauge).', async () => {
      const counted = await (server.app.orm.em as Em).getConnection().execute<{ n: number | string }[]>('select count(*) as n from reseller');
      return Number(counted[0]!.n);
    });
    server.app.metrics.registerGauge('test_queue', 'Jobs waiting, by kind (this app only).', () => [
      { labels: { kind: 'install' }, value: 3 }, { labels: { kind: 'delete' }, value: 0 },
    ], ['kind']);
    server.app.metrics.registerGauge('test_broken', 'A gauge whose source is down.', () => { throw new Error('source down'); });
    await scrape(server);
    // The failure of the first scrape is counted by the time of the next one.
    const metrics = await scrape(server);
    expect(metrics.value('test_resellers')).toBe(Number(rows[0]!.n));
    expect(metrics.value('test_queue{kind="install"}')).toBe(3);
    expect(metrics.value('test_queue{kind="delete"}')).toBe(0);
    expect(metrics.value('reseller_gauge_errors_total{gauge="test_broken"}')).toBeGreaterThanOrEqual(1);
  });

  it('keeps each app\'s numbers apart (two servers in one process)', async () => {
    const other = await startServer(kind);
    try {
      const sample = 'reseller_rpc_calls_total{service="reseller.v1.AccessService",method="ListResellers",protocol="connect",code="ok"}';
      const before = (await scrape(server)).value(sample) ?? 0;
      await other.call('AccessService', 'ListResellers', {}, other.adminToken);
      expect((await scrape(other)).value(sample)).toBe(1);
      expect((await scrape(server)).value(sample) ?? 0).toBe(before);
    } finally {
      await other.close();
    }
  });

  it('writes valid Prometheus text: each family declared once, before its samples, and no sample twice', async () => {
    await server.call('ClientService', 'ListClients', {}, server.adminToken);
    const { text } = await scrape(server);
    const declared = new Map<string, string>();
    const samples = new Set<string>();
    for (const line of text.split('\n').filter(Boolean)) {
      const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
      if (comment) {
        const key = `${comment[1]} ${comment[2]}`;
        expect(declared.has(key), `${key} declared twice`).toBe(false);
        declared.set(key, comment[3]!);
        continue;
      }
      // Prometheus parses values with Go's ParseFloat, which takes NaN in any
      // case; prom-client writes `Nan` for a lag it has not sampled yet.
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)$/.exec(line);
      expect(sample, line).not.toBeNull();
      const family = sample![1]!.replace(/_(bucket|sum|count|total|created)$/, '');
      expect(declared.has(`TYPE ${sample![1]}`) || declared.has(`TYPE ${family}`), `${line}: no TYPE before it`).toBe(true);
      expect(samples.has(`${sample![1]}${sample![2] ?? ''}`), `${line} twice`).toBe(false);
      samples.add(`${sample![1]}${sample![2] ?? ''}`);
    }
    expect(declared.get('TYPE reseller_rpc_duration_seconds')).toBe('histogram');
  });

  it('answers GET only', async () => {
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describeEachDatabase('logs', (kind) => {
  it('carry the request id, principal and reseller of each call, and never a client secret or a bearer token (LOG_LEVEL=info)', async () => {
    const written: string[] = [];
    const sink = new Writable({ write(chunk, _encoding, done) { written.push(String(chunk)); done(); } });
    const server = await startServer(kind, { env: { LOG_LEVEL: 'info' }, logger: createLogger('info', sink) });
    try {
      // CreateCredential returns a secret, CreateToken takes one and returns a token.
      const reseller = await createReseller(server, 'Logged');
      const staff = await server.client(AccessService, server.adminToken, 'grpc').createCredential({ role: 2, displayName: 'support desk' });
      const wrong = 'cs_this_is_a_wrong_secret_0123456789';
      await server.call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: wrong });
      await server.call('ClientService', 'ListClients', {}, reseller.token, { 'x-request-id': 'log-obs-1' });
      await server.client(ClientService, reseller.token, 'grpc').getClient({ clientId: UNKNOWN }).catch(() => undefined);
      await server.call('ClientService', 'ListClients', {}, 'not.a.valid-token');

      const text = written.join('');
      const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      expect(lines.find((l) => l.requestId === 'log-obs-1')).toMatchObject({
        msg: 'call', procedure: 'reseller.v1.ClientService/ListClients', protocol: 'connect', code: 'ok',
        principal: reseller.clientId, reseller: reseller.resellerId,
      });
      expect(lines.find((l) => l.procedure === 'reseller.v1.ClientService/GetClient')).toMatchObject({
        protocol: 'grpc', code: 'NotFound', reason: 'CLIENT_NOT_FOUND', principal: reseller.clientId, reseller: reseller.resellerId,
      });
      expect(lines.filter((l) => l.procedure === 'reseller.v1.AccessService/CreateCredential').length).toBe(2);
      for (const secret of [ADMIN_SECRET, reseller.clientSecret, staff.clientSecret, wrong, server.adminToken, reseller.token, 'not.a.valid-token']) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toMatch(/bearer\s+\S/i);
    } finally {
      await server.close();
    }
  });
});
