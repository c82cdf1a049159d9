// Webhook delivery under the conditions it must survive (issue 22): two server
// instances on one PostgreSQL send each attempt once; a server killed with
// SIGKILL in the middle of a delivery loses no event (the next one takes the
// claim over when its lease runs out). A real HTTP receiver started by the test.
import { afterEach, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { systemClock } from '../server/platform/core/clock.ts';
import { createDatabase } from './support/databases.ts';
import { ADMIN_ID, ADMIN_SECRET, createReseller, describeEachDatabase, startServer, type TestServer } from './support/server.ts';
import { receiver, type Receiver } from './support/webhooks.ts';

const ROOT = join(import.meta.dirname, '..');
const FAST = {
  WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_BASE_MS: '10000', WEBHOOK_RETRY_MAX_MS: '60000', WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_CLAIM_LEASE_MS: '1500', JOB_INTERVAL_MS: '3600000',
};

/** `npm start`'s entry point as its own process, as operators run it. */
function startProcess(databaseUrl: string, env: Record<string, string>): { child: ChildProcess; url: Promise<string>; exited: Promise<unknown>; output: () => string } {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, ADMIN_CLIENT_ID: ADMIN_ID, ADMIN_CLIENT_SECRET: ADMIN_SECRET,
      LOG_LEVEL: 'info', RATE_LIMIT_PER_SECOND: '0', ...env,
    },
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) { clearInterval(timer); resolve(JSON.parse(line).url); }
    }, 20);
    exited.then((code) => { clearInterval(timer); reject(new Error(`server exited with ${code}: ${out}`)); });
  });
  return { child, url, exited, output: () => out };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describeEachDatabase('webhook delivery', (kind) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  });

  it.skipIf(kind !== 'postgresql')('two instances on one database send each attempt once', async () => {
    // Generous timeouts: on a busy machine a slow answer must not count as a failure (and be retried).
    const env = { ...FAST, WEBHOOK_TIMEOUT_MS: '15000', WEBHOOK_CLAIM_LEASE_MS: '30000' };
    const one = await startServer(kind, { env });
    cleanup.push(() => one.close());
    const two = await startServer(kind, { env, database: one.database });
    cleanup.push(() => two.app.close());
    const r: Receiver = await receiver();
    cleanup.push(() => r.close());
    const seller = await createReseller(one, 'Twin Instances');
    let failing = true;
    // Slow answers, so both instances are busy at once.
    r.answer = () => (failing ? 503 : 200);
    await one.call('EventService', 'CreateWebhookEndpoint', { url: r.url, eventTypes: ['EVENT_TYPE_CLIENT_REGISTERED'] }, seller.token);
    const EVENTS = 60;
    for (let i = 0; i < EVENTS; i++) {
      expect((await one.call('ClientService', 'RegisterClient', { name: `Twin ${i}`, code: `TWIN-${i}` }, seller.token)).status).toBe(200);
    }
    const both = async () => {
      const now = new Date(Math.max(Date.now(), one.clock.now().getTime(), two.clock.now().getTime()));
      one.clock.set(now);
      two.clock.set(now);
      await Promise.all([one.app.deliverWebhooks(), two.app.deliverWebhooks(), one.app.deliverWebhooks(), two.app.deliverWebhooks()]);
    };
    const counts = () => {
      const byEvent = new Map<string, number>();
      for (const q of r.requests) {
        const id = JSON.parse(q.body).eventId as string;
        byEvent.set(id, (byEvent.get(id) ?? 0) + 1);
      }
      return byEvent;
    };
    // First attempt: every event once, failed.
    await both();
    expect(r.requests).toHaveLength(EVENTS);
    expect(new Set(counts().values())).toEqual(new Set([1]));
    // Second attempt, after the backoff: every event once more, delivered.
    failing = false;
    one.clock.advance(15_000);
    two.clock.advance(15_000);
    await both();
    expect(r.requests).toHaveLength(2 * EVENTS);
    expect(new Set(counts().values())).toEqual(new Set([2]));
    // Nothing more to send, from either.
    one.clock.advance(600_000);
    two.clock.advance(600_000);
    await both();
    expect(r.requests).toHaveLength(2 * EVENTS);
  }, 60_000);

  it('SIGKILL in the middle of a delivery loses no event: the next instance takes the claim over once its lease runs out', async () => {
    const database = await createDatabase(kind);
    cleanup.push(() => database.drop());
    const r = await receiver();
    cleanup.push(() => r.close());
    // The receiver holds every request open: the first server is killed while it waits.
    r.answer = () => 'hang';
    const proc = startProcess(database.url, { ...FAST, JOB_INTERVAL_MS: '100', WEBHOOK_TIMEOUT_MS: '60000', WEBHOOK_CLAIM_LEASE_MS: '120000' });
    cleanup.push(async () => { proc.child.kill('SIGKILL'); await proc.exited; });
    const url = await proc.url;
    const call = async (service: string, method: string, body: unknown, token?: string) => {
      const response = await fetch(`${url}/reseller.v1.${service}/${method}`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
      });
      return response.json() as Promise<any>;
    };
    const admin = (await call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET })).accessToken;
    const resellerId = (await call('AccessService', 'CreateReseller', { name: 'Killed Mid-Delivery' }, admin)).reseller.resellerId;
    const credential = await call('AccessService', 'CreateCredential', { role: 'ROLE_RESELLER', resellerId, displayName: 'kill' }, admin);
    const token = (await call('AuthService', 'CreateToken', { clientId: credential.credential.clientId, clientSecret: credential.clientSecret })).accessToken;
    await call('EventService', 'CreateWebhookEndpoint', { url: r.url, eventTypes: ['EVENT_TYPE_CLIENT_REGISTERED'] }, token);
    const EVENTS = 5;
    for (let i = 0; i < EVENTS; i++) await call('ClientService', 'RegisterClient', { name: `Killed ${i}`, code: `KILL-${i}` }, token);
    // The server's own job claims and sends them; the receiver holds them.
    await until(() => r.requests.length >= 1, 'the first delivery').catch((error) => {
      throw new Error(`${error.message}; server said:\n${proc.output().slice(-3000)}`);
    });
    proc.child.kill('SIGKILL');
    await proc.exited;
    const inFlight = new Set(r.requests.map((q) => JSON.parse(q.body).eventId as string));
    const sentBefore = r.requests.length;

    // A new instance on the same database, the receiver now answering.
    r.answer = () => 200;
    const next: TestServer = await startServer(kind, { env: FAST, database, clock: systemClock });
    cleanup.push(() => next.app.close());
    const events: string[] = (await next.call('EventService', 'ListEvents', { types: ['EVENT_TYPE_CLIENT_REGISTERED'] }, token)).body.events.map((e: any) => e.eventId);
    expect(events).toHaveLength(EVENTS);
    await next.app.deliverWebhooks();
    // The events the dead instance had not claimed go at once; the ones it was
    // sending wait for its claims' lease to run out (no double send while it
    // might still be alive). It sends a batch side by side, so it may have
    // claimed more than the receiver had seen when it was killed: those wait too.
    const afterRestart = r.requests.slice(sentBefore).map((q) => JSON.parse(q.body).eventId as string);
    expect(afterRestart.filter((id) => inFlight.has(id))).toEqual([]);
    expect(new Set(afterRestart).size).toBe(afterRestart.length);
    // Past the lease (two minutes on): the claims are taken over, and every event has arrived.
    const late = await startServer(kind, { env: FAST, database, clock: { now: () => new Date(Date.now() + 130_000) } });
    cleanup.push(() => late.app.close());
    await late.app.deliverWebhooks();
    const takenOver = r.requests.slice(sentBefore + afterRestart.length).map((q) => JSON.parse(q.body).eventId as string);
    // Every event the dead instance was sending among them, and after the restart each event sent exactly once.
    expect(takenOver.filter((id) => inFlight.has(id)).sort()).toEqual([...inFlight].sort());
    expect([...afterRestart, ...takenOver].sort()).toEqual([...events].sort());
  }, 60_000);
});
