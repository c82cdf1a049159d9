// The desktop console's security settings, in one module with no Electron
// import so a plain test can read and check them (Electron's security
// checklist: isolation, sandbox, no Node in the page, a strict CSP, no new
// windows, no navigation away from the app, a custom protocol, not file://).
import { resolve, sep } from 'node:path';
import type { BrowserWindowConstructorOptions, CustomScheme, Event, HandlerDetails, MenuItemConstructorOptions, WindowOpenHandlerResponse } from 'electron';

/** The renderer is served from this privileged scheme rather than file://. */
export const APP_SCHEME = 'app';
/** The page's origin; the server allows it in CORS (server/platform/core/config.ts). */
export const APP_ORIGIN = 'app://console';
/** The renderer is built with base /console/, the path the server serves it at too. */
export const APP_ENTRY = `${APP_ORIGIN}/console/`;

/**
 * `standard` gives the scheme real origins and relative URLs; `secure` makes
 * the page a secure context (clipboard API) and, in exchange, Chromium refuses
 * plain-http calls to anything but localhost: remote servers need https.
 */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** Loopback hosts: the only ones plain http:// may reach (nothing crosses a network unencrypted). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * The server the console talks to, checked: an https origin, or http on this
 * machine only (a password and tokens never cross a network in clear text).
 */
export function serverOrigin(serverUrl: string, label = 'SERVER_URL'): string {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new Error(`${label} is not a URL: "${serverUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${label} must be http:// or https://, got "${serverUrl}"`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new Error(`${label} must use https:// to reach another machine (plain http:// is allowed for localhost only): "${serverUrl}"`);
  }
  return url.origin;
}

/** Where links out of the app may go (in the system browser): the project's documentation and the server's own pages. */
export function externalLinkAllowed(url: string, serverUrl: string, allowList: readonly string[] = EXTERNAL_ORIGINS): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.origin === serverOrigin(serverUrl) && (target.pathname === '/docs' || target.pathname.startsWith('/docs/'))) return true;
  return target.protocol === 'https:' && allowList.includes(target.origin);
}

/** Origins links may open in the system browser besides the server's /docs. */
export const EXTERNAL_ORIGINS: readonly string[] = Object.freeze(['https://connectrpc.com', 'https://buf.build']);

/**
 * The app's own menu: editing and window roles; reload and the developer
 * tools only in development (a packaged build gives neither: a reload would
 * show nothing new, and DevTools would open the page's memory to anyone at
 * the keyboard).
 */
export function menuTemplate(packaged: boolean, platform: string = process.platform): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = packaged
    ? [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' },
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : [{ label: 'File', submenu: [{ role: 'quit' }] } as MenuItemConstructorOptions]),
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}

/** The page may run its own scripts and styles only, and call the server only. */
export function contentSecurityPolicy(serverUrl: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${serverOrigin(serverUrl)}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers added to every file of the bundle that app:// serves. */
export function bundleHeaders(serverUrl: string): Record<string, string> {
  return { 'content-security-policy': contentSecurityPolicy(serverUrl), 'x-content-type-options': 'nosniff' };
}

/** The one window: the page gets no Node, runs sandboxed and isolated from the preload. */
export function windowOptions(preloadPath: string, serverUrl: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'Reseller console',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // The preload reads the server URL from its process.argv: the page
      // itself never sees argv, only what the preload exposes.
      additionalArguments: [`--server-url=${serverOrigin(serverUrl)}`],
    },
  };
}

/** The app's own URLs. (Node's URL gives custom schemes the origin "null": compare scheme and host.) */
function inApp(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === new URL(APP_ORIGIN).host;
}

/** Navigation stays inside the app; everything else is refused. */
export function isAppUrl(url: string): boolean {
  try {
    return inApp(new URL(url));
  } catch {
    return false;
  }
}

/** Permissions the page may have: writing to the clipboard (the "copy secret" button). */
export function isAllowedPermission(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

/** The parts of a Session that guardSession uses (a test passes a stand-in). */
export interface GuardedSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/** Every permission request (camera, notifications, ...) is refused but the clipboard write. */
export function guardSession(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(isAllowedPermission(permission)));
  session.setPermissionCheckHandler((_contents, permission) => isAllowedPermission(permission));
}

/** The parts of a WebContents that guardContents uses (a test passes a stand-in). */
export interface GuardedContents {
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Event) => void): unknown;
}

/**
 * Applied to every web contents the app creates: no new windows (https links
 * go to the user's browser instead), no navigation or redirect away from the
 * app, no <webview>.
 */
export function guardContents(contents: GuardedContents, openExternal: (url: string) => void, mayOpen: (url: string) => boolean = (url) => url.startsWith('https://')): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (mayOpen(url)) openExternal(url);
    return { action: 'deny' };
  });
  const stayInApp = (event: Event, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
}

/**
 * The file of the renderer build an app:// URL asks for: a file under the
 * build's /console/ path, or index.html for the app's own routes. Undefined
 * for anything else, including attempts to leave the build directory.
 */
export function bundleFile(distDir: string, requestUrl: string): string | undefined {
  const url = new URL(requestUrl);
  if (!inApp(url) || !url.pathname.startsWith('/console/')) return undefined;
  const root = resolve(distDir);
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname.slice('/console/'.length));
  } catch {
    return undefined;
  }
  const file = resolve(root, relative);
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  // No extension: one of the app's routes (client-side routing).
  const last = relative.split('/').pop() ?? '';
  if (relative === '' || !last.includes('.')) return resolve(root, 'index.html');
  return file;
}
