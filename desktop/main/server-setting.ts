// The server the desktop console talks to, chosen in its Settings screen and
// kept in a small JSON file in the app's userData folder; SERVER_URL (or
// http://localhost:8080) until staff choose one. A new choice is checked
// before it is kept: https, or plain http for this machine only (the same
// rule as serverOrigin), and the server must answer GET /healthz with
// {"status":"ok"}. No Electron import: test/desktop.test.ts runs it as is.
import { serverOrigin } from './security.ts';

/** The settings file's contents (only the server for now). */
interface StoredSettings {
  serverUrl?: string;
}

/** Where the settings live (the main process gives the userData file; a test a temporary one). */
export interface SettingsFile {
  read(): string | undefined;
  write(text: string): void;
}

/** What the Settings screen shows: the server in use and whether staff chose it. */
export interface ServerSetting {
  url: string;
  configured: boolean;
}

export type SetServerAnswer = { ok: true; url: string } | { ok: false; message: string };

/** How long the check waits for /healthz before calling the server unreachable. */
const CHECK_TIMEOUT_MS = 5000;

/** Checks an address typed by staff: its origin, or a message saying what is wrong. */
export function checkServerAddress(url: string): { ok: true; origin: string } | { ok: false; message: string } {
  try {
    return { ok: true, origin: serverOrigin(url.trim(), 'The server address') };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** Asks the server whether it is up: GET <origin>/healthz answering {"status":"ok"}. */
export async function checkServerAnswers(origin: string, fetchImpl: typeof fetch = fetch): Promise<string | undefined> {
  let response: Response;
  try {
    response = await fetchImpl(`${origin}/healthz`, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS), redirect: 'error' });
  } catch {
    return `No server answers at ${origin}: check the address and that the server is running.`;
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok || (body as { status?: unknown } | undefined)?.status !== 'ok') {
    return `${origin} answered, but not as a reseller server (GET /healthz gave HTTP ${response.status}, not {"status":"ok"}).`;
  }
  return undefined;
}

export class ServerSettings {
  readonly #file: SettingsFile;
  readonly #fallback: string;
  readonly #fetch: typeof fetch;

  constructor(file: SettingsFile, fallback: string, fetchImpl: typeof fetch = fetch) {
    this.#file = file;
    this.#fallback = fallback;
    this.#fetch = fetchImpl;
  }

  private stored(): StoredSettings {
    const text = this.#file.read();
    if (!text) return {};
    try {
      const value = JSON.parse(text) as unknown;
      return value && typeof value === 'object' ? (value as StoredSettings) : {};
    } catch {
      return {};
    }
  }

  /** The server in use: the saved one when it is still acceptable, else the default. */
  get(): ServerSetting {
    const saved = this.stored().serverUrl;
    if (typeof saved === 'string') {
      const checked = checkServerAddress(saved);
      if (checked.ok) return { url: checked.origin, configured: true };
    }
    return { url: serverOrigin(this.#fallback), configured: false };
  }

  /** Keeps a new server once it is acceptable and answers; otherwise says why not. */
  async set(url: unknown): Promise<SetServerAnswer> {
    if (typeof url !== 'string' || url.length > 2000) return { ok: false, message: 'The server address must be text.' };
    const checked = checkServerAddress(url);
    if (!checked.ok) return checked;
    const problem = await checkServerAnswers(checked.origin, this.#fetch);
    if (problem) return { ok: false, message: problem };
    this.#file.write(`${JSON.stringify({ ...this.stored(), serverUrl: checked.origin }, null, 2)}\n`);
    return { ok: true, url: checked.origin };
  }
}
