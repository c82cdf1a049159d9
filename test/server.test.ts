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
    await new Promise((r) => socket.once('connect', r));
    const frames: Buffer[] = [];
    socket.on('data', (d) => frames.push(d));
    socket.write('PRI * HTTP/2.0\r\n');
    await new Promise((r) => setTimeout(r, 50));
    // The rest of the preface, then an empty SETTINGS frame.
    socket.write(Buffer.concat([Buffer.from('\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]));
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    const received = Buffer.concat(frames);
    expect(received.length).toBeGreaterThanOrEqual(9);
    expect(received[3]).toBe(4); // the server's first frame is its SETTINGS
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
});

/** Runs `npm start`'s entry point as its own process, as operators do. */
function startProcess(env: Record<string, string>): { child: ChildProcess; output: () => string; url: Promise<string> } {
  const child = spawn(process.execPath, ['server/main.ts'], { cwd: ROOT, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env } });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) { clearInterval(timer); resolve(JSON.parse(line).url); }
    }, 20);
    child.once('exit', (code) => { clearInterval(timer); reject(new Error(`server exited with ${code}: ${out}`)); });
  });
  return { child, output: () => out, url };
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

  it('stops gracefully on SIGTERM: calls in flight (reads and writes) finish, then the database closes cleanly', async () => {
    const file = join(dir, 'graceful.sqlite');
    const proc = startProcess({ DATABASE_URL: `sqlite:${file}`, ADMIN_CLIENT_ID: ADMIN_ID, ADMIN_CLIENT_SECRET: ADMIN_SECRET, LOG_LEVEL: 'info' });
    const url = await proc.url;
    // Each CreateToken hashes with scrypt: a handful of them keep the server busy a while.
    // Twelve connections, opened and warmed first, so the calls below travel on
    // connections the server has already accepted.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 12 });
    const post = (path: string, body: object, headers: Record<string, string> = {}) => new Promise<number>((resolve, reject) => {
      const req = http.request(`${url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
    const admin = (await token(url, ADMIN_ID, ADMIN_SECRET)).body.accessToken;
    await Promise.all(Array.from({ length: 12 }, () => post('/healthz', {}).catch(() => 0)));
    let killedAt = 0;
    const finishedAt: number[] = [];
    // Eight reads and four writes (CreateCredential stores a row, after hashing its secret with scrypt).
    const calls = Array.from({ length: 12 }, (_, i) => (i % 3 === 2
      ? post('/reseller.v1.AccessService/CreateCredential', { role: 'ROLE_SUPPORT', displayName: `graceful-${i}` }, { authorization: `Bearer ${admin}` })
      : post('/reseller.v1.AuthService/CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET }))
      .then((status) => { finishedAt.push(performance.now()); return { status }; }));
    await new Promise((r) => setTimeout(r, 50));
    const exit = exited(proc.child);
    proc.child.kill('SIGTERM');
    killedAt = performance.now();
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.status), proc.output()).toEqual(Array(12).fill(200));
    // Some calls were still running when the signal came, and they finished.
    expect(finishedAt.some((t) => t > killedAt)).toBe(true);
    expect(await exit, proc.output()).toBe(0);
    agent.destroy();
    expect(existsSync(`${file}-wal`)).toBe(false); // checkpointed and closed
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // The writes that were answered are stored.
    const db = new DatabaseSync(file, { readOnly: true });
    const stored = db.prepare(`select count(*) as n from credential where display_name like 'graceful-%'`).get() as { n: number };
    db.close();
    expect(stored.n).toBe(4);
  });
});

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
