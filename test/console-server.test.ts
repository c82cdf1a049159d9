// The server's side of the console: the renderer build served at /console
// (content types, CSP, client-side routes, a clear 503 without a build), and
// CORS for the Electron app, which calls the API from app://console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_CSP, consoleHandler } from '../server/platform/http/console.ts';
import { ConfigError, loadConfig } from '../server/platform/core/config.ts';
import { ADMIN_ID, ADMIN_SECRET, startServer, type TestServer } from './support/server.ts';

const DIST = join(import.meta.dirname, '..', 'desktop', 'renderer', 'dist');

/** A raw request: fetch would normalise the ../ this test needs to send. */
function rawGet(url: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('console served at /console', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer('sqlite'); });
  afterAll(() => server?.close());

  it('serves index.html with a CSP header that keeps scripts and API calls on this origin', async () => {
    const answer = await fetch(`${server.url}/console/`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(answer.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("connect-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    expect(await answer.text()).toBe(readFileSync(join(DIST, 'index.html'), 'utf8'));
  });

  it('serves the hashed assets with their content types, cached for good', async () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const style = /href="(\/console\/assets\/[^"]+\.css)"/.exec(html)![1]!;
    const js = await fetch(`${server.url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await fetch(`${server.url}${style}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers the console\'s own routes with index.html (client-side routing)', async () => {
    for (const path of ['/console/clients', '/console/clients/01890000-0000-7000-8000-000000000000', '/console/resellers?x=1']) {
      const answer = await fetch(`${server.url}${path}`);
      expect(answer.status, path).toBe(200);
      expect(await answer.text()).toContain('<div id="root">');
    }
  });

  it('redirects /console to /console/', async () => {
    const answer = await fetch(`${server.url}/console`, { redirect: 'manual' });
    expect(answer.status).toBe(308);
    expect(answer.headers.get('location')).toBe('/console/');
  });

  it('answers a missing asset with 404, not with the app', async () => {
    const answer = await fetch(`${server.url}/console/assets/index-gone.js`);
    expect(answer.status).toBe(404);
  });

  it('never serves a file outside the build', async () => {
    for (const path of ['/console/../package.json', '/console/%2e%2e/%2e%2e/package.json', '/console/..%2f..%2f..%2fpackage.json']) {
      const answer = await rawGet(server.url, path);
      expect(answer.body, path).not.toContain('"name": "reseller-platform"');
    }
  });

  it('answers GET and HEAD only', async () => {
    const head = await fetch(`${server.url}/console/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${server.url}/console/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('leaves the API and its 404 for unknown paths as they were', async () => {
    const token = await server.call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET });
    expect(token.status).toBe(200);
    expect((await fetch(`${server.url}/consoles`)).status).toBe(404);
  });
});

describe('console without a build', () => {
  let empty: string;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    empty = mkdtempSync(join(tmpdir(), 'console-missing-'));
    const serve = consoleHandler(empty);
    server = http.createServer((req, res) => void serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(empty, { recursive: true, force: true });
  });

  it('answers 503 with a message saying to run the build', async () => {
    const answer = await fetch(`${url}/console/`);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await answer.text()).toMatch(/not built yet: run `npm run build`/);
  });
});

describe('CORS for the desktop app', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer('sqlite', { env: { CORS_ORIGINS: 'https://console.example.com' } }); });
  afterAll(() => server?.close());

  const preflight = (origin: string) => fetch(`${server.url}/reseller.v1.ClientService/ListClients`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,connect-protocol-version' },
  });

  it('allows the desktop app\'s origin (app://console) to call with a bearer token', async () => {
    const answer = await preflight('app://console');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('app://console');
    expect(answer.headers.get('access-control-allow-methods')).toBe('POST, GET');
    expect(answer.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(answer.headers.get('access-control-allow-headers')).toMatch(/Connect-Protocol-Version/);
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets an allowed origin read the answer, errors included', async () => {
    const ok = await fetch(`${server.url}/reseller.v1.AuthService/CreateToken`, {
      method: 'POST', headers: { origin: 'app://console', 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: ADMIN_ID, clientSecret: ADMIN_SECRET }),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('app://console');
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/);
    const refused = await fetch(`${server.url}/reseller.v1.ClientService/ListClients`, {
      method: 'POST', headers: { origin: 'app://console', 'content-type': 'application/json' }, body: '{}',
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('app://console');
  });

  it('adds the origins listed in CORS_ORIGINS', async () => {
    const answer = await preflight('https://console.example.com');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
  });

  it('refuses any other origin: no allow-origin header, so the browser blocks the call', async () => {
    const answer = await preflight('https://evil.example.com');
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${server.url}/healthz`, { headers: { origin: 'https://evil.example.com' } });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS_ORIGINS takes origins only: no path, no wildcard', () => {
    expect(loadConfig({ CORS_ORIGINS: ' https://a.example.com , http://localhost:5173 ' }).corsOrigins)
      .toEqual(['app://console', 'https://a.example.com', 'http://localhost:5173']);
    expect(loadConfig({}).corsOrigins).toEqual(['app://console']);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.com/path' })).toThrow(/no path/);
  });
});
