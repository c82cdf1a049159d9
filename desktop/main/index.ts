// Electron's main process: one window showing the renderer build, served from
// app://console with a CSP that lets it call SERVER_URL and nothing else.
// `npm run desktop` builds everything and starts this.
import { app, BrowserWindow, ipcMain, Menu, net, protocol, safeStorage, session, shell } from 'electron';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  APP_ENTRY, APP_SCHEME, appScheme, bundleFile, bundleHeaders, externalLinkAllowed, guardContents, guardSession, isAppUrl, menuTemplate, windowOptions,
} from './security.ts';
import { StaffSessionKeeper } from './staff-session.ts';
import { isSessionRequest, SESSION_CHANNEL } from '../preload/api.ts';

// Bundled to desktop/dist/main.cjs; the renderer is built next door.
const RENDERER_DIST = join(__dirname, '..', 'renderer', 'dist');
const PRELOAD = join(__dirname, 'preload.cjs');
const SERVER_URL = process.env.SERVER_URL || 'http://localhost:8080';
const HEADERS = bundleHeaders(SERVER_URL); // throws early on a bad SERVER_URL

// Must happen before the app is ready.
protocol.registerSchemesAsPrivileged([appScheme]);

async function serveBundle(request: Request): Promise<Response> {
  const file = bundleFile(RENDERER_DIST, request.url);
  if (!file || !existsSync(file)) return new Response('not found', { status: 404 });
  const answer = await net.fetch(pathToFileURL(file).toString());
  const headers = new Headers(answer.headers);
  for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value);
  return new Response(answer.body, { status: answer.status, headers });
}

function createWindow(): void {
  const window = new BrowserWindow(windowOptions(PRELOAD, SERVER_URL));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY);
}

// Applies to every web contents, including any the page might try to create.
app.on('web-contents-created', (_event, contents) => {
  guardContents(contents, (url) => void shell.openExternal(url), (url) => externalLinkAllowed(url, SERVER_URL));
});

/** The person's session: the refresh token, encrypted with safeStorage, in the app's own folder. */
function staffSessions(): StaffSessionKeeper {
  const path = join(app.getPath('userData'), 'staff-session.bin');
  return new StaffSessionKeeper({
    serverUrl: new URL(SERVER_URL).origin,
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
  const keeper = staffSessions();
  // The one channel the page reaches (through the preload's session()): only from the app's own page, only well-formed requests.
  ipcMain.handle(SESSION_CHANNEL, (event, request: unknown) => {
    if (!isAppUrl(event.senderFrame?.url ?? '') || !isSessionRequest(request)) throw new Error('refused');
    return keeper.handle(request);
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
