// Electron's main process: one window showing the renderer build, served from
// app://console with a CSP that lets it call SERVER_URL and nothing else.
// `npm run desktop` builds everything and starts this.
import { app, BrowserWindow, net, protocol, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  APP_ENTRY, APP_SCHEME, appScheme, bundleFile, bundleHeaders, guardContents, guardSession, windowOptions,
} from './security.ts';

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
  guardContents(contents, (url) => void shell.openExternal(url));
});

app.whenReady().then(() => {
  if (!existsSync(join(RENDERER_DIST, 'index.html'))) {
    console.error(`The renderer is not built (${RENDERER_DIST}): run npm run desktop, which builds it first.`);
    app.exit(1);
    return;
  }
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
