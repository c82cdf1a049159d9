// The Electron shell's security settings, checked without launching Electron
// (its binary is not downloadable on these machines): the window options, the
// CSP, the navigation and window-open guards, the permission guard, the
// app:// file mapping, the preload's API, and the CSP of the built page.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_ENTRY, APP_ORIGIN, appScheme, bundleFile, bundleHeaders, contentSecurityPolicy, guardContents, guardSession,
  isAppUrl, serverOrigin, windowOptions,
} from '../desktop/main/security.ts';
import { createApi } from '../desktop/preload/api.ts';
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
  it('exposes one frozen object: the server URL and the app kind, nothing else', () => {
    const api = createApi(['/electron', '--server-url=http://localhost:9090']);
    expect(api).toEqual({ serverUrl: 'http://localhost:9090', kind: 'electron' });
    expect(Object.isFrozen(api)).toBe(true);
    expect(createApi([]).serverUrl).toBe('http://localhost:8080');
  });

  it('bridges that object only, never ipcRenderer or Node', () => {
    const source = readFileSync(join(ROOT, 'desktop', 'preload', 'index.ts'), 'utf8');
    expect(source.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(source).toContain("exposeInMainWorld('desktop', api)");
    expect(source).not.toMatch(/ipcRenderer|require\(|node:/);
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
