// What the preload hands to the page: the server URL the console was started
// for, and one narrow call to the main process for a staff person's session
// (sign in, a fresh access token, sign out): the refresh token stays in the
// main process; and the Settings screen's two calls (which server, choose
// another: the main process checks it). Nothing that could reach Node or Electron (no ipcRenderer, no
// fs). Kept free of Electron imports so the renderer can import its type.

/** The one IPC channel the page can reach, through session() only. */
export const SESSION_CHANNEL = 'staff-session';

/** The settings channel: read the server in use, or choose another (checked by the main process). */
export const SETTINGS_CHANNEL = 'settings';

export type SettingsRequest = { kind: 'getServer' } | { kind: 'setServer'; url: string };

/** The server in use; `configured` is false until staff choose one (SERVER_URL or its default meanwhile). */
export interface ServerSettingAnswer { url: string; configured: boolean }

/** A new server kept (the app reloads on it), or why it was refused. */
export type SetServerAnswer = { ok: true; url: string } | { ok: false; message: string };

/** Checks a settings request from the page before the main process acts on it. */
export function isSettingsRequest(value: unknown): value is SettingsRequest {
  if (!value || typeof value !== 'object') return false;
  const request = value as Record<string, unknown>;
  if (request.kind === 'getServer') return Object.keys(request).length === 1;
  return request.kind === 'setServer' && typeof request.url === 'string' && request.url.length <= 2000 && Object.keys(request).length === 2;
}

export type SessionRequest =
  | { kind: 'signIn'; email: string; password: string; totpCode?: string; recoveryCode?: string; deviceName?: string }
  | { kind: 'token' }
  | { kind: 'signOut' };

export type SessionAnswer =
  | { signedIn: true; accessToken: string; expiresIn: number; staffUser: { staffUserId: string; email: string; displayName: string; role: string } }
  | { signedIn: false; error?: { code: string; message: string; reason: string } };

/** Checks what the page sent before the main process acts on it (the page is not trusted). */
export function isSessionRequest(value: unknown): value is SessionRequest {
  if (!value || typeof value !== 'object') return false;
  const request = value as Record<string, unknown>;
  const text = (v: unknown, max: number) => v === undefined || (typeof v === 'string' && v.length <= max);
  switch (request.kind) {
    case 'token':
    case 'signOut':
      return Object.keys(request).length === 1;
    case 'signIn':
      return typeof request.email === 'string' && typeof request.password === 'string' && text(request.email, 254) && text(request.password, 200)
        && text(request.totpCode, 10) && text(request.recoveryCode, 40) && text(request.deviceName, 200)
        && Object.keys(request).every((k) => ['kind', 'email', 'password', 'totpCode', 'recoveryCode', 'deviceName'].includes(k));
    default:
      return false;
  }
}

/** Reads the server URL that the main process passed as --server-url=...; `invoke` reaches the main process. */
export function createApi(argv: readonly string[], invoke: (channel: string, request: SessionRequest | SettingsRequest) => Promise<unknown> = () => Promise.reject(new Error('no main process'))) {
  const flag = argv.find((arg) => arg.startsWith('--server-url='));
  return Object.freeze({
    /** The API server's origin, for example http://localhost:8080. */
    serverUrl: flag ? flag.slice('--server-url='.length) : 'http://localhost:8080',
    /** Lets the page say "desktop app" rather than "browser" where it matters. */
    kind: 'electron' as const,
    /** A staff person's session, kept by the main process: sign in, a fresh access token, sign out. */
    session: (request: SessionRequest) => invoke(SESSION_CHANNEL, request) as Promise<SessionAnswer>,
    /** The server this app talks to, chosen in the Settings screen. */
    settings: Object.freeze({
      getServer: () => invoke(SETTINGS_CHANNEL, { kind: 'getServer' }) as Promise<ServerSettingAnswer>,
      setServer: (url: string) => invoke(SETTINGS_CHANNEL, { kind: 'setServer', url }) as Promise<SetServerAnswer>,
    }),
  });
}

export type DesktopApi = ReturnType<typeof createApi>;
