// The runtime as operators and tools meet it: one port for HTTP/1.1 and HTTP/2,
// TLS with ALPN, health, limits, logs, bootstrap, restarts, graceful shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { createDatabase, hasPostgres } from './support/databases.ts';
import { ADMIN_ID, ADMIN_SECRET, createReseller, parseAnswer, startServer, type TestServer } from './support/server.ts';

const ROOT = join(import.meta.dirname, '..');

function h2Get(url: string, path: string, options: http2.SecureClientSessionOptions = {}): Promise<{ status: number; body: string; alpn?: string | false }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url, options);
    session.on('error', reject);
    const req = session.request({ ':path': path });
    let status = 0;
    let body = '';
    req.on('response', (headers) => { status = Number(headers[':status']); });
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const alpn = (session.socket as { alpnProtocol?: string | false }).alpnProtocol;
      session.close();
      resolve({ status, body, alpn });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('one port, every protocol', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer('sqlite', { env: { MAX_REQUEST_BYTES: '2048' } }); });
  afterAll(() => server?.close());

  it('GET /healthz answers 200 when the database answers; other methods 405', async () => {
    const ok = await parseAnswer(await fetch(`${server.url}/healthz`));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 'ok' });
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('serves HTTP/1.1 and cleartext HTTP/2 with prior knowledge on the same port', async () => {
    const h1 = await fetch(`${server.url}/healthz`);
    expect(h1.status).toBe(200);
    const h2 = await h2Get(server.url, '/healthz');
    expect(h2.status).toBe(200);
    expect(JSON.parse(h2.body)).toEqual({ status: 'ok' });
  });

  it('recognises the HTTP/2 preface even when it arrives in pieces', async () => {
    const port = Number(new URL(server.url).port);
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise((r) => socket.once('connect', r));
    let received = Buffer.alloc(0);
    // The server's first frame: a frame header (9 bytes) of type SETTINGS (4).
    const settings = new Promise<void>((resolve) => socket.on('data', (d) => {
      received = Buffer.concat([received, d]);
      if (received.length >= 9) resolve();
    }));
    await new Promise((r) => socket.write('PRI * HTTP/2.0\r\n', r));
    // The input itself is paced: the rest comes a moment later, so that the
    // server reads the preface in two pieces (there is nothing to wait for:
    // the server says nothing until the preface is whole).
    await new Promise((r) => setTimeout(r, 50));
    // The rest of the preface, then an empty SETTINGS frame.
    socket.write(Buffer.concat([Buffer.from('\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]));
    await settings;
    socket.destroy();
    expect(received[3]).toBe(4);
  });

  it('emits fields with default values in JSON', async () => {
    const reseller = await createReseller(server, 'Defaults');
    const answer = await server.call('ClientService', 'RegisterClient', { name: 'Zero', code: 'Z' }, reseller.token);
    expect(answer.body.client).toHaveProperty('equipmentCount', 0);
    expect(answer.body.client).toHaveProperty('sites', []);
  });

  it('refuses a request over the size limit (MAX_REQUEST_BYTES)', async () => {
    const reseller = await createReseller(server, 'Big');
    const answer = await server.call('ClientService', 'RegisterClient', { name: 'x'.repeat(5000), code: 'BIG' }, reseller.token);
    expect(answer.body.code).toBe('resource_exhausted');
    expect(answer.status).toBe(429);
    expect(answer.body.details[0].debug).toMatchObject({ reason: 'REQUEST_TOO_LARGE', domain: 'reseller.v1.ClientService' });
  });

  it('answers a body that is not JSON with invalid_argument and an ErrorDetail', async () => {
    const answer = await parseAnswer(await fetch(`${server.url}/reseller.v1.ClientService/ListClients`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json',
    }));
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_argument');
    expect(answer.body.details).toHaveLength(1);
    expect(answer.body.details[0].debug.reason).toBe('MALFORMED_REQUEST');
  });

  it('answers an unknown path with 404 and a JSON message', async () => {
    const answer = await parseAnswer(await fetch(`${server.url}/nope`));
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('not_found');
  });
});

describe('TLS with ALPN (TLS_CERT / TLS_KEY)', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    server = await startServer('sqlite', { noAdminToken: true, env: { TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem') } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('negotiates HTTP/2 by ALPN', async () => {
    expect(server.url).toMatch(/^https:/);
    const answer = await h2Get(server.url, '/healthz', { rejectUnauthorized: false });
    expect(answer.status).toBe(200);
    expect(answer.alpn).toBe('h2');
  });

  it('falls back to HTTP/1.1 for clients that only speak it', async () => {
    const { status, protocol } = await new Promise<{ status: number; protocol: string | false | null }>((resolve, reject) => {
      const req = https.get(`${server.url}/healthz`, { rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] } as https.RequestOptions, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, protocol: (res.socket as import('node:tls').TLSSocket).alpnProtocol });
      });
      req.on('error', reject);
    });
    expect(status).toBe(200);
    expect(protocol).toBe('http/1.1');
  });

  it('sends Strict-Transport-Security on every answer, HTTP/2 and HTTP/1.1, pages and RPCs, errors too', async () => {
    const hsts = (path: string, init: https.RequestOptions = {}, body?: string) => new Promise<string | undefined>((resolve, reject) => {
      const req = https.request(`${server.url}${path}`, { rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], ...init } as https.RequestOptions, (res) => {
        res.resume();
        resolve(res.headers['strict-transport-security'] as string | undefined);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(await hsts('/healthz')).toBe('max-age=31536000');
    expect(await hsts('/docs')).toBe('max-age=31536000');
    expect(await hsts('/no/such/page')).toBe('max-age=31536000');
    expect(await hsts('/reseller.v1.AuthService/CreateToken', { method: 'POST', headers: { 'content-type': 'application/json' } }, '{"clientId":"x","clientSecret":"y"}')).toBe('max-age=31536000');
    const h2 = await new Promise<unknown>((resolve, reject) => {
      const session = http2.connect(server.url, { rejectUnauthorized: false });
      session.on('error', reject);
      const req = session.request({ ':path': '/healthz' });
      req.on('response', (headers) => { resolve(headers['strict-transport-security']); req.close(); session.close(); });
      req.on('error', reject);
    });
    expect(h2).toBe('max-age=31536000');
  });
});

/** Runs `npm start`'s entry point as its own process, as operators do. */
function startProcess(env: Record<string, string>): { child: ChildProcess; output: () => string; printed: (text: string) => Promise<void>; url: Promise<string> } {
  const child = spawn(process.execPath, ['server/main.ts'], { cwd: ROOT, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env } });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  /** Resolves when the process has printed `text` (at once if it already has); fails if it exits first. */
  const printed = (text: string) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!out.includes(text)) return;
      child.stdout!.off('data', check);
      resolve();
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before printing ${text}: ${out}`)));
    check();
  });
  const url = printed('"listening"').then(() => JSON.parse(out.split('\n').find((l) => l.includes('"listening"'))!).url as string);
  return { child, output: () => out, printed, url };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function token(url: string, clientId: string, clientSecret: string) {
  return parseAnswer(await fetch(`${url}/reseller.v1.AuthService/CreateToken`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId, clientSecret }),
  }));
}

describe('the server process', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'process-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the SQLite database on first start, prints a generated admin credential once, and keeps the signing key across restarts', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'first', 'reseller.sqlite')}`, LOG_LEVEL: 'info' };
    const first = startProcess(env);
    const url = await first.url;
    const printed = /ADMIN_CLIENT_ID=(\S+)\s+ADMIN_CLIENT_SECRET=(\S+)/.exec(first.output());
    expect(printed).not.toBeNull();
    const before = await token(url, printed![1]!, printed![2]!);
    expect(before.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);

    const second = startProcess(env);
    const url2 = await second.url;
    expect(second.output()).not.toContain('ADMIN_CLIENT_SECRET=');
    const listed = await parseAnswer(await fetch(`${url2}/reseller.v1.AccessService/ListResellers`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${before.body.accessToken}` }, body: '{}',
    }));
    expect(listed.status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });

  it('writes one JSON log line per call with its request id, and never a secret or token', async () => {
    const proc = startProcess({ DATABASE_URL: `sqlite:${join(dir, 'logs.sqlite')}`, ADMIN_CLIENT_ID: ADMIN_ID, ADMIN_CLIENT_SECRET: ADMIN_SECRET, LOG_LEVEL: 'info' });
    const url = await proc.url;
    const answer = await token(url, ADMIN_ID, ADMIN_SECRET);
    await fetch(`${url}/reseller.v1.ClientService/ListClients`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${answer.body.accessToken}`, 'x-request-id': 'log-check-1' }, body: '{}',
    });
    proc.child.kill('SIGTERM');
    await exited(proc.child);
    const lines = proc.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const call = lines.find((l) => l.requestId === 'log-check-1');
    expect(call).toMatchObject({ msg: 'call', procedure: 'reseller.v1.ClientService/ListClients', code: 'ok', principal: ADMIN_ID });
    expect(proc.output()).not.toContain(ADMIN_SECRET);
    expect(proc.output()).not.toContain(answer.body.accessToken);
  });

  it('stops gracefully on SIGTERM: calls in flight when the signal comes (a write and a read, their bodies still arriving) finish and the write is stored; then the database closes cleanly', async () => {
    const file = join(dir, 'graceful.sqlite');
    const proc = startProcess({ DATABASE_URL: `sqlite:${file}`, ADMIN_CLIENT_ID: ADMIN_ID, ADMIN_CLIENT_SECRET: ADMIN_SECRET, LOG_LEVEL: 'info' });
    const url = await proc.url;
    const admin = (await token(url, ADMIN_ID, ADMIN_SECRET)).body.accessToken;
    const write = heldOpen(url, '/reseller.v1.AccessService/CreateCredential', { role: 'ROLE_SUPPORT', displayName: 'graceful-write' }, admin, 'held-write');
    const read = heldOpen(url, '/reseller.v1.AccessService/ListResellers', {}, admin, 'held-read');
    // The server has the calls (it answered their 100 Continue), not their bodies.
    await Promise.all([write.started, read.started]);
    const exit = exited(proc.child);
    proc.child.kill('SIGTERM');
    await proc.printed('stopping: finishing calls in flight');
    // It takes no new connection now...
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // ...and finishes the ones it has.
    write.finish();
    read.finish();
    const [written, listed] = await Promise.all([write.answer, read.answer]);
    expect(written.status, proc.output()).toBe(200);
    expect(JSON.parse(written.body).credential.displayName).toBe('graceful-write');
    expect(listed.status, proc.output()).toBe(200);
    expect(await exit, proc.output()).toBe(0);
    // In this order: the signal, the two calls answered, the stop.
    const lines = proc.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const at = (match: (l: any) => boolean) => lines.findIndex(match);
    const stopping = at((l) => l.msg === 'stopping: finishing calls in flight');
    expect(stopping).toBeGreaterThanOrEqual(0);
    expect(at((l) => l.requestId === 'held-write' && l.code === 'ok')).toBeGreaterThan(stopping);
    expect(at((l) => l.requestId === 'held-read' && l.code === 'ok')).toBeGreaterThan(stopping);
    expect(at((l) => l.msg === 'stopped')).toBeGreaterThan(Math.max(at((l) => l.requestId === 'held-write'), at((l) => l.requestId === 'held-read')));
    expect(existsSync(`${file}-wal`)).toBe(false); // checkpointed and closed
    // The write that was answered is stored.
    const db = new DatabaseSync(file, { readOnly: true });
    const stored = db.prepare(`select count(*) as n from credential where display_name = 'graceful-write'`).get() as { n: number };
    db.close();
    expect(stored.n).toBe(1);
  });
});

/**
 * A POST held open: its headers go at once with `Expect: 100-continue`, and
 * `started` resolves when the server has taken the call (its 100 Continue);
 * then half the body goes, and the rest when `finish()` is called.
 */
function heldOpen(url: string, path: string, body: object, token: string, requestId: string) {
  const text = Buffer.from(JSON.stringify(body));
  let finish!: () => void;
  let started!: () => void;
  const startedPromise = new Promise<void>((r) => { started = r; });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(`${url}${path}`, {
      method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'content-length': text.length, expect: '100-continue', authorization: `Bearer ${token}`, 'x-request-id': requestId },
    }, (res) => {
      let received = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { received += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: received }));
    });
    req.on('error', reject);
    req.once('continue', () => {
      req.write(text.subarray(0, text.length >> 1));
      finish = () => req.end(text.subarray(text.length >> 1));
      started();
    });
  });
  return { started: startedPromise, answer, finish: () => finish() };
}

describe.skipIf(!(await hasPostgres()))('several instances on one PostgreSQL', () => {
  /** Two servers on one new PostgreSQL database, both closed and the database dropped afterwards. */
  async function withTwoInstances(env: Record<string, string>, run: (a: TestServer, b: TestServer) => Promise<void>): Promise<void> {
    const database = await createDatabase('postgresql');
    const [a, b] = await Promise.all([startServer('postgresql', { database, env }), startServer('postgresql', { database, env })]);
    try {
      await run(a, b);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  }

  /** Revokes the reseller's (only) credential on `server`. */
  async function revokeOn(server: TestServer, resellerId: string): Promise<void> {
    const credentials = await server.call('AccessService', 'ListCredentials', { resellerId }, server.adminToken);
    const revoked = await server.call('AccessService', 'RevokeCredential', { credentialId: credentials.body.credentials[0].credentialId }, server.adminToken);
    expect(revoked.status).toBe(200);
  }

  it('share the signing key and revocations: a revoked credential is refused at once where it was revoked, and by the others once their copy is CREDENTIAL_CACHE_MS old', async () => {
    await withTwoInstances({}, async (a, b) => {
      const reseller = await createReseller(a, 'Shared');
      // A token from A works on B, and both instances now hold the credential.
      expect((await a.call('ClientService', 'ListClients', {}, reseller.token)).status).toBe(200);
      expect((await b.call('ClientService', 'ListClients', {}, reseller.token)).status).toBe(200);
      await revokeOn(b, reseller.resellerId);
      expect((await b.call('ClientService', 'ListClients', {}, reseller.token)).body.details[0].debug.reason).toBe('TOKEN_REVOKED');
      // A read it less than a second ago: it still accepts the token, for that long at most.
      expect((await a.call('ClientService', 'ListClients', {}, reseller.token)).status).toBe(200);
      a.clock.advance(999);
      expect((await a.call('ClientService', 'ListClients', {}, reseller.token)).status).toBe(200);
      a.clock.advance(1);
      const refused = await a.call('ClientService', 'ListClients', {}, reseller.token);
      expect(refused.status).toBe(401);
      expect(refused.body.details[0].debug.reason).toBe('TOKEN_REVOKED');
    });
  });

  it('with CREDENTIAL_CACHE_MS=0 every instance reads the credential on each call: a revocation on one is refused at once by the other', async () => {
    await withTwoInstances({ CREDENTIAL_CACHE_MS: '0' }, async (a, b) => {
      const reseller = await createReseller(a, 'Strict');
      expect((await a.call('ClientService', 'ListClients', {}, reseller.token)).status).toBe(200);
      await revokeOn(b, reseller.resellerId);
      const refused = await a.call('ClientService', 'ListClients', {}, reseller.token);
      expect(refused.status).toBe(401);
      expect(refused.body.details[0].debug.reason).toBe('TOKEN_REVOKED');
    });
  });
});
