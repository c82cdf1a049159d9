// The Electron shell's security settings, checked without launching Electron
// (its binary is not downloadable on these machines): the window options, the
// CSP, the navigation and window-open guards, the permission guard, the
// app:// file mapping, the preload's API, and the CSP of the built page.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync as exists, mkdtempSync, readFileSync as readFile, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll } from 'vitest';
import {
  APP_ENTRY, APP_ORIGIN, appScheme, bundleFile, bundleHeaders, contentSecurityPolicy, externalLinkAllowed, guardContents, guardSession,
  isAppUrl, menuTemplate, serverOrigin, windowOptions,
} from '../desktop/main/security.ts';
import { StaffSessionKeeper, type SecretBox, type SecretFile } from '../desktop/main/staff-session.ts';
import { checkServerAddress, ServerSettings, type SettingsFile } from '../desktop/main/server-setting.ts';
import { createApi, isSessionRequest, isSettingsRequest, SESSION_CHANNEL, SETTINGS_CHANNEL, type SessionRequest, type SettingsRequest } from '../desktop/preload/api.ts';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeEachDatabase, startServer, type TestServer } from './support/server.ts';
import { currentCode, enrolPerson, nextStep, startMailbox, type Mailbox, type Person } from './support/staff.ts';
import { DESKTOP_CONSOLE_ORIGIN } from '../server/platform/core/config.ts';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'desktop', 'renderer', 'dist');

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('Electron window', () => {
  const options = windowOptions('/app/desktop/dist/preload.cjs', 'http://localhost:8080/some/path');
  const prefs = options.webPreferences!;

  it('isolates the page: context isolation and sandbox on, no Node integration anywhere', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
  });

  it('loads the preload it is given and hands it the server origin only', () => {
    expect(prefs.preload).toBe('/app/desktop/dist/preload.cjs');
    expect(prefs.additionalArguments).toEqual(['--server-url=http://localhost:8080']);
  });

  it('opens at 1280x800', () => {
    expect([options.width, options.height]).toEqual([1280, 800]);
  });

  it('serves the app from a privileged custom scheme whose origin the server allows in CORS', () => {
    expect(appScheme.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(APP_ORIGIN).toBe(DESKTOP_CONSOLE_ORIGIN);
    expect(APP_ENTRY.startsWith(`${APP_ORIGIN}/console/`)).toBe(true);
  });
});

describe('Electron CSP', () => {
  it('allows scripts and styles from the app only, and connections to the server only', () => {
    const csp = directives(contentSecurityPolicy('https://api.example.com:8443/'));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(['https://api.example.com:8443']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy('http://localhost:8080')).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('is sent with every file of the bundle', () => {
    expect(bundleHeaders('http://localhost:8080')).toEqual({
      'content-security-policy': contentSecurityPolicy('http://localhost:8080'),
      'x-content-type-options': 'nosniff',
    });
  });

  it('refuses a server URL that is not http(s)', () => {
    expect(() => serverOrigin('file:///etc/passwd')).toThrow(/http/);
    expect(() => serverOrigin('javascript:alert(1)')).toThrow(/http/);
    expect(() => serverOrigin('not a url')).toThrow(/not a URL/);
  });

  it('refuses plain http:// to another machine, saying to use https; loopback is fine', () => {
    expect(() => serverOrigin('http://api.example.com')).toThrow(/must use https:\/\/ to reach another machine/);
    expect(() => serverOrigin('http://10.0.0.5:8080')).toThrow(/https/);
    expect(serverOrigin('http://localhost:8080/x')).toBe('http://localhost:8080');
    expect(serverOrigin('http://127.0.0.1:9000')).toBe('http://127.0.0.1:9000');
    expect(serverOrigin('http://[::1]:9000')).toBe('http://[::1]:9000');
    expect(serverOrigin('https://api.example.com')).toBe('https://api.example.com');
  });
});

describe('Electron navigation and permissions', () => {
  class FakeContents extends EventEmitter {
    openHandler?: (details: { url: string }) => { action: string };
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) { this.openHandler = handler; }
  }
  function prevented(contents: FakeContents, event: string, url?: string): boolean {
    let result = false;
    contents.emit(event, { preventDefault: () => { result = true; } }, url);
    return result;
  }

  it('opens links in the system browser only to an allow-list: the server\'s /docs and a few https origins', () => {
    expect(externalLinkAllowed('http://localhost:8080/docs', 'http://localhost:8080')).toBe(true);
    expect(externalLinkAllowed('https://connectrpc.com/docs/', 'http://localhost:8080')).toBe(true);
    expect(externalLinkAllowed('https://evil.example.com/', 'http://localhost:8080')).toBe(false);
    expect(externalLinkAllowed('http://connectrpc.com/', 'http://localhost:8080')).toBe(false);
    expect(externalLinkAllowed('http://localhost:8080/metrics', 'http://localhost:8080')).toBe(false);
    const contents = new FakeContents();
    const opened: string[] = [];
    guardContents(contents as never, (url) => opened.push(url), (url) => externalLinkAllowed(url, 'http://localhost:8080'));
    for (const url of ['https://evil.example.com/', 'https://connectrpc.com/docs']) expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://connectrpc.com/docs']);
  });

  it('has its own menu: reload and DevTools in development only', () => {
    const roles = (packaged: boolean) => JSON.stringify(menuTemplate(packaged, 'linux'));
    for (const role of ['reload', 'forceReload', 'toggleDevTools']) {
      expect(roles(false)).toContain(`"role":"${role}"`);
      expect(roles(true)).not.toContain(`"role":"${role}"`);
    }
    expect(roles(true)).toContain('"role":"editMenu"');
  });

  it('denies every new window; https links go to the system browser instead', () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    guardContents(contents as never, (url) => opened.push(url));
    expect(contents.openHandler!({ url: 'https://docs.example.com' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'http://evil.example.com' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.example.com']);
  });

  it('limits navigation and redirects to the app, and refuses <webview>', () => {
    const contents = new FakeContents();
    guardContents(contents as never, () => undefined);
    expect(prevented(contents, 'will-navigate', 'app://console/console/clients')).toBe(false);
    expect(prevented(contents, 'will-navigate', 'https://evil.example.com/')).toBe(true);
    expect(prevented(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(prevented(contents, 'will-navigate', 'http://localhost:8080/console/')).toBe(true);
    expect(prevented(contents, 'will-redirect', 'https://evil.example.com/')).toBe(true);
    expect(prevented(contents, 'will-attach-webview')).toBe(true);
    expect(isAppUrl('app://other/console/')).toBe(false);
  });

  it('grants no permission but writing to the clipboard', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let check: ((c: unknown, p: string) => boolean) | undefined;
    guardSession({ setPermissionRequestHandler: (h) => { request = h; }, setPermissionCheckHandler: (h) => { check = h; } });
    const granted = (permission: string) => {
      let answer: boolean | undefined;
      request!(null, permission, (g) => { answer = g; });
      return answer;
    };
    expect(granted('clipboard-sanitized-write')).toBe(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(granted(permission), permission).toBe(false);
      expect(check!(null, permission), permission).toBe(false);
    }
  });
});

describe('app:// files', () => {
  it('maps the app\'s files, and its routes to index.html', () => {
    expect(bundleFile('/dist', 'app://console/console/assets/index-abc.js')).toBe('/dist/assets/index-abc.js');
    expect(bundleFile('/dist', 'app://console/console/')).toBe('/dist/index.html');
    expect(bundleFile('/dist', 'app://console/console/clients/0189-1234')).toBe('/dist/index.html');
  });

  it('never leaves the build directory, nor serves another origin', () => {
    expect(bundleFile('/dist', 'app://console/console/%2e%2e/%2e%2e/etc/passwd.txt')).toBeUndefined();
    expect(bundleFile('/dist', 'app://console/console/..%2f..%2fetc%2fpasswd.txt')).toBeUndefined();
    expect(bundleFile('/dist', 'app://console/other/index.html')).toBeUndefined();
    expect(bundleFile('/dist', 'app://elsewhere/console/index.html')).toBeUndefined();
  });
});

describe('preload', () => {
  it('exposes one frozen object: the server URL, the app kind, the session call and the two settings calls, nothing else', async () => {
    const sent: [string, SessionRequest | SettingsRequest][] = [];
    const api = createApi(['/electron', '--server-url=http://localhost:9090'], async (channel, request) => {
      sent.push([channel, request]);
      return { signedIn: false };
    });
    expect(Object.keys(api).sort()).toEqual(['kind', 'serverUrl', 'session', 'settings']);
    expect(Object.keys(api.settings).sort()).toEqual(['getServer', 'setServer']);
    expect(Object.isFrozen(api.settings)).toBe(true);
    expect([api.serverUrl, api.kind]).toEqual(['http://localhost:9090', 'electron']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(await api.session({ kind: 'token' })).toEqual({ signedIn: false });
    await api.settings.getServer();
    await api.settings.setServer('https://api.example.com');
    expect(sent).toEqual([
      [SESSION_CHANNEL, { kind: 'token' }],
      [SETTINGS_CHANNEL, { kind: 'getServer' }],
      [SETTINGS_CHANNEL, { kind: 'setServer', url: 'https://api.example.com' }],
    ]);
    expect(createApi([]).serverUrl).toBe('http://localhost:8080');
  });

  it('bridges that object only: ipcRenderer stays in the preload, on the session and settings channels', () => {
    const source = readFileSync(join(ROOT, 'desktop', 'preload', 'index.ts'), 'utf8');
    expect(source.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(source).toContain("exposeInMainWorld('desktop', api)");
    expect(source.match(/ipcRenderer\.\w+/g)).toEqual(['ipcRenderer.invoke']);
    expect(source).toContain('ipcRenderer.invoke(channel === SETTINGS_CHANNEL ? SETTINGS_CHANNEL : SESSION_CHANNEL, request)');
    expect(source).not.toMatch(/require\(|node:/);
  });

  it('the main process acts only on well-formed session requests', () => {
    expect(isSessionRequest({ kind: 'token' })).toBe(true);
    expect(isSessionRequest({ kind: 'signIn', email: 'a@b.c', password: 'x', totpCode: '123456' })).toBe(true);
    expect(isSessionRequest({ kind: 'token', extra: 1 })).toBe(false);
    expect(isSessionRequest({ kind: 'signIn', email: 'a@b.c', password: 5 })).toBe(false);
    expect(isSessionRequest({ kind: 'signIn', email: 'a@b.c', password: 'x', path: '/etc/passwd' })).toBe(false);
    expect(isSessionRequest({ kind: 'readFile' })).toBe(false);
    expect(isSessionRequest('token')).toBe(false);
  });
});

/** Stands in for Electron's safeStorage (its binary is not here): real AES-256-GCM under a key of its own. */
function aesBox(available = true): SecretBox {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

function tempFile(): SecretFile & { path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'staff-session-')), 'staff-session.bin');
  return {
    path,
    read: () => (exists(path) ? readFile(path) : undefined),
    write: (data) => writeFileSync(path, data),
    remove: () => rmSync(path, { force: true }),
  };
}

describeEachDatabase('Electron main: a staff person\'s session kept out of the page', (kind) => {
  let server: TestServer;
  let mailbox: Mailbox;
  let person: Person;
  let now = Date.now();

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000', SMTP_URL: mailbox.url } });
    person = await enrolPerson(server, mailbox, 'ROLE_ADMIN', 'Desk Top');
    now = server.clock.now().getTime();
  });
  afterAll(async () => {
    await server?.close();
    await mailbox?.close();
  });

  const keeperFor = (box: SecretBox, file: SecretFile) => new StaffSessionKeeper({ serverUrl: server.url, box, file, now: () => now });
  const works = async (token: string) => (await server.call('AccessService', 'ListResellers', {}, token)).status;

  it('signs in with a computed TOTP code; the refresh token is on disk only encrypted, and a restart stays signed in', async () => {
    const box = aesBox();
    const file = tempFile();
    const keeper = keeperFor(box, file);
    const refused = await keeper.handle({ kind: 'signIn', email: person.email, password: 'wrong password 12', totpCode: '000000' });
    expect(refused).toMatchObject({ signedIn: false, error: { code: 'unauthenticated', reason: 'INVALID_SIGN_IN' } });
    const signedIn = await keeper.handle({ kind: 'signIn', email: person.email, password: person.password, totpCode: await currentCode(server, person.totpSecret) });
    nextStep(server);
    expect(signedIn).toMatchObject({ signedIn: true, staffUser: { email: person.email, role: 'ROLE_ADMIN' } });
    if (!signedIn.signedIn) throw new Error('not signed in');
    expect(await works(signedIn.accessToken)).toBe(200);
    const stored = readFile(file.path);
    expect(stored.toString('latin1')).not.toMatch(/rt_/);
    expect(box.decryptString(stored)).toMatch(/^rt_/);
    // The same access token while it is fresh: no refresh per call.
    expect(await keeper.handle({ kind: 'token' })).toMatchObject({ signedIn: true, accessToken: signedIn.accessToken });
    // A restart: a new keeper, the same file and keychain key, refreshes and is signed in.
    const restarted = keeperFor(box, file);
    const again = await restarted.handle({ kind: 'token' });
    expect(again).toMatchObject({ signedIn: true, staffUser: { email: person.email } });
    if (!again.signedIn) throw new Error('not signed in');
    expect(await works(again.accessToken)).toBe(200);
    expect(box.decryptString(readFile(file.path))).not.toBe(box.decryptString(stored));
    // Sign out: the file is gone and the session is over on the server.
    expect(await restarted.handle({ kind: 'signOut' })).toEqual({ signedIn: false });
    expect(exists(file.path)).toBe(false);
    expect(await works(again.accessToken)).toBe(401);
    expect(await keeperFor(box, file).handle({ kind: 'token' })).toEqual({ signedIn: false });
  });

  it('a session ended on the server signs the app out and forgets the token; without a keychain nothing reaches the disk', async () => {
    const file = tempFile();
    const keeper = keeperFor(aesBox(false), file);
    const signedIn = await keeper.handle({ kind: 'signIn', email: person.email, password: person.password, totpCode: await currentCode(server, person.totpSecret) });
    nextStep(server);
    if (!signedIn.signedIn) throw new Error(JSON.stringify(signedIn));
    expect(exists(file.path)).toBe(false);
    const sessions = await server.call('StaffService', 'ListSessions', { staffUserId: person.staffUserId }, server.adminToken);
    for (const s of sessions.body.sessions) await server.call('StaffService', 'RevokeSession', { sessionId: s.sessionId }, server.adminToken);
    now += 11 * 60_000; // past the access token's life: the keeper refreshes, and hears the session ended
    server.clock.advance(11 * 60_000);
    expect(await keeper.handle({ kind: 'token' })).toMatchObject({ signedIn: false, error: { reason: 'SESSION_ENDED' } });
    expect(await keeper.handle({ kind: 'token' })).toEqual({ signedIn: false });
  });
});

describe('Electron main: the server chosen in Settings', () => {
  let healthy: HttpServer;
  let wrong: HttpServer;
  let healthyUrl: string;
  let wrongUrl: string;
  let closedUrl: string;
  const listen = async (handler: Parameters<typeof createHttpServer>[1]) => {
    const server = createHttpServer(handler);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`] as const;
  };
  beforeAll(async () => {
    [healthy, healthyUrl] = await listen((request, response) => {
      if (request.url === '/healthz') response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      else response.writeHead(404).end();
    });
    [wrong, wrongUrl] = await listen((_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<p>not here</p>'));
    const [closed, url] = await listen((_request, response) => response.end());
    closedUrl = url;
    await new Promise((done) => closed.close(done));
  });
  afterAll(() => {
    healthy.close();
    wrong.close();
  });
  const memoryFile = (): SettingsFile & { text?: string } => {
    const file: SettingsFile & { text?: string } = { read: () => file.text, write: (text) => { file.text = text; } };
    return file;
  };

  it('accepts https anywhere and http on this machine only, refusing remote http with the clear message', () => {
    expect(checkServerAddress('https://api.example.com/console')).toEqual({ ok: true, origin: 'https://api.example.com' });
    expect(checkServerAddress(' http://localhost:8080 ')).toEqual({ ok: true, origin: 'http://localhost:8080' });
    expect(checkServerAddress('http://127.0.0.1:9000')).toEqual({ ok: true, origin: 'http://127.0.0.1:9000' });
    expect(checkServerAddress('http://api.example.com')).toEqual({
      ok: false,
      message: 'The server address must use https:// to reach another machine (plain http:// is allowed for localhost only): "http://api.example.com"',
    });
    expect(checkServerAddress('ftp://api.example.com')).toMatchObject({ ok: false, message: expect.stringMatching(/must be http:\/\/ or https:\/\//) });
    expect(checkServerAddress('api')).toMatchObject({ ok: false, message: expect.stringMatching(/not a URL/) });
  });

  it('uses SERVER_URL until a server is chosen; a server that answers /healthz is kept and read back', async () => {
    const file = memoryFile();
    const settings = new ServerSettings(file, 'http://localhost:8080');
    expect(settings.get()).toEqual({ url: 'http://localhost:8080', configured: false });
    expect(await settings.set(`${healthyUrl}/some/path`)).toEqual({ ok: true, url: healthyUrl });
    expect(JSON.parse(file.text!)).toEqual({ serverUrl: healthyUrl });
    expect(new ServerSettings(file, 'http://localhost:8080').get()).toEqual({ url: healthyUrl, configured: true });
  });

  it('refuses, and keeps the previous choice, for remote http, an unreachable server, or one that is not a reseller server', async () => {
    const file = memoryFile();
    const settings = new ServerSettings(file, 'http://localhost:8080');
    await settings.set(healthyUrl);
    expect(await settings.set('http://api.example.com')).toMatchObject({ ok: false, message: expect.stringMatching(/must use https:\/\/ to reach another machine/) });
    expect(await settings.set(closedUrl)).toEqual({ ok: false, message: `No server answers at ${closedUrl}: check the address and that the server is running.` });
    expect(await settings.set(wrongUrl)).toMatchObject({ ok: false, message: expect.stringMatching(/not as a reseller server .*HTTP 404/) });
    expect(settings.get()).toEqual({ url: healthyUrl, configured: true });
  });

  it('ignores a damaged settings file, and the main process acts only on well-formed settings requests', () => {
    expect(new ServerSettings({ read: () => '{not json', write: () => {} }, 'https://default.example.com').get())
      .toEqual({ url: 'https://default.example.com', configured: false });
    expect(new ServerSettings({ read: () => '{"serverUrl":"http://api.example.com"}', write: () => {} }, 'http://localhost:8080').get())
      .toEqual({ url: 'http://localhost:8080', configured: false });
    expect(isSettingsRequest({ kind: 'getServer' })).toBe(true);
    expect(isSettingsRequest({ kind: 'setServer', url: 'https://a.example.com' })).toBe(true);
    expect(isSettingsRequest({ kind: 'setServer', url: 42 })).toBe(false);
    expect(isSettingsRequest({ kind: 'setServer', url: 'https://a.example.com', extra: 1 })).toBe(false);
    expect(isSettingsRequest({ kind: 'getServer', path: '/etc' })).toBe(false);
    expect(isSettingsRequest('getServer')).toBe(false);
  });
});

describe('renderer build', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');

  it('carries a CSP meta tag allowing its own scripts only', () => {
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta, 'no CSP <meta> in the built index.html').not.toBeNull();
    const csp = directives(meta![1]!);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(meta![1]).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('has no inline script for the CSP to refuse', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/console\/assets\//);
      expect(body!.trim()).toBe('');
    }
  });
});
