// What a person meets first: the server's address opened in a browser or with
// curl, and `npm start` on a port that is already taken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './support/server.ts';

const ROOT = join(import.meta.dirname, '..');

describe('GET /', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer('sqlite'); });
  afterAll(() => server?.close());

  it('points a browser to the reference and the console, with links', async () => {
    const response = await fetch(`${server.url}/`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    expect(page).toContain('<a href="/docs">');
    expect(page).toContain('<a href="/console/">');
  });

  it('points curl to the same places, as JSON', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ reference: '/docs', console: '/console/', openapi: '/openapi.json' });
  });

  it('answers 405 with Allow to another method, and 404 with a JSON error to an unknown path', async () => {
    const post = await fetch(`${server.url}/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const missing = await fetch(`${server.url}/no/such/page`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not_found' });
  });
});

describe('npm start on a busy port', () => {
  let blocker: Server;
  let port: number;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'busy-'));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(() => {
    blocker?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says so in one line and exits 1, with no stack trace', async () => {
    const child = spawn(process.execPath, ['server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` },
    });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([`cannot listen on 127.0.0.1:${port}: the port is in use (another server running?); stop it or set PORT`]);
  });
});
