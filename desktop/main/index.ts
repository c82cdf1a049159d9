// Electron's main process: one window showing the renderer build, served from
// app://console with a CSP that lets it call the chosen server and nothing
// else. The server is chosen in the Settings screen and kept in userData
// (server-setting.ts); SERVER_URL is the default until one is chosen.
// `npm run desktop` builds everything and starts this.
import { app, BrowserWindow, ipcMain, Menu, net, protocol, safeStorage, session, shell } from 'electron';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  APP_ENTRY, APP_SCHEME, appScheme, bundleFile, bundleHeaders, externalLinkAllowed, guardContents, guardSession, isAppUrl, menuTemplate, serverOrigin, windowOptions,
} from './security.ts';
import { StaffSessionKeeper } from './staff-session.ts';
import { ServerSettings } from './server-setting.ts';
import { isSessionRequest, isSettingsRequest, SESSION_CHANNEL, SETTINGS_CHANNEL } from '../preload/api.ts';

// Bundled to desktop/dist/main.cjs; the renderer is built next door.
const RENDERER_DIST = join(__dirname, '..', 'renderer', 'dist');
const PRELOAD = join(__dirname, 'preload.cjs');
const DEFAULT_SERVER_URL = process.env.SERVER_URL || 'http://localhost:8080';
serverOrigin(DEFAULT_SERVER_URL); // throws early on a bad SERVER_URL

/** The chosen server, in the app's userData folder. */
const settingsPath = () => join(app.getPath('userData'), 'settings.json');
const settings = new ServerSettings({
  read: () => (existsSync(settingsPath()) ? readFileSync(settingsPath(), 'utf8') : undefined),
  write: (text) => writeFileSync(settingsPath(), text, { mode: 0o600 }),
}, DEFAULT_SERVER_URL);
/** The server in use now: the CSP, the window's --server-url and the session keeper follow it. */
let serverUrl = DEFAULT_SERVER_URL;

// Must happen before the app is ready.
protocol.registerSchemesAsPrivileged([appScheme]);

async function serveBundle(request: Request): Promise<Response> {
  const file = bundleFile(RENDERER_DIST, request.url);
  if (!file || !existsSync(file)) return new Response('not found', { status: 404 });
  const answer = await net.fetch(pathToFileURL(file).toString());
  const headers = new Headers(answer.headers);
  for (const [name, value] of Object.entries(bundleHeaders(serverUrl))) headers.set(name, value);
  return new Response(answer.body, { status: answer.status, headers });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(windowOptions(PRELOAD, serverUrl));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY);
  return window;
}

/** After a new server is chosen: a fresh window (its preload gets the new --server-url), then the old ones close. */
function reopenWindows(): void {
  const old = BrowserWindow.getAllWindows();
  createWindow();
  for (const window of old) window.close();
}

// Applies to every web contents, including any the page might try to create.
app.on('web-contents-created', (_event, contents) => {
  guardContents(contents, (url) => void shell.openExternal(url), (url) => externalLinkAllowed(url, serverUrl));
});

/** The person's session: the refresh token, encrypted with safeStorage, in the app's own folder. */
function staffSessions(): StaffSessionKeeper {
  const path = join(app.getPath('userData'), 'staff-session.bin');
  return new StaffSessionKeeper({
    serverUrl: new URL(serverUrl).origin,
    box: safeStorage,
    file: {
      read: () => (existsSync(path) ? readFileSync(path) : undefined),
      write: (data) => writeFileSync(path, data, { mode: 0o600 }),
      remove: () => rmSync(path, { force: true }),
    },
  });
}

app.whenReady().then(() => {
  if (!existsSync(join(RENDERER_DIST, 'index.html'))) {
    console.error(`The renderer is not built (${RENDERER_DIST}): run npm run desktop, which builds it first.`);
    app.exit(1);
    return;
  }
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(app.isPackaged)));
  serverUrl = settings.get().url;
  let keeper = staffSessions();
  // The one channel the page reaches (through the preload's session()): only from the app's own page, only well-formed requests.
  ipcMain.handle(SESSION_CHANNEL, (event, request: unknown) => {
    if (!isAppUrl(event.senderFrame?.url ?? '') || !isSessionRequest(request)) throw new Error('refused');
    return keeper.handle(request);
  });
  // The Settings screen: which server, and choosing another (checked here, kept in userData).
  ipcMain.handle(SETTINGS_CHANNEL, async (event, request: unknown) => {
    if (!isAppUrl(event.senderFrame?.url ?? '') || !isSettingsRequest(request)) throw new Error('refused');
    if (request.kind === 'getServer') return settings.get();
    const answer = await settings.set(request.url);
    if (answer.ok && answer.url !== new URL(serverUrl).origin) {
      // The session belonged to the old server: end it there, then follow the new one.
      await keeper.handle({ kind: 'signOut' }).catch(() => undefined);
      serverUrl = answer.url;
      keeper = staffSessions();
      // Let the page show the verdict first.
      setTimeout(reopenWindows, 1500);
    }
    return answer;
  });
  guardSession(session.defaultSession);
  session.defaultSession.protocol.handle(APP_SCHEME, serveBundle);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}, (error: unknown) => {
  console.error(error);
  app.exit(1);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
