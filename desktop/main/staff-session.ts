// A staff person's session, kept by the main process: the refresh token never
// reaches the page. It is stored encrypted at rest with Electron's safeStorage
// (the OS keychain's key), so a restart keeps the person signed in until the
// session ends; the page asks for a fresh access token through the one IPC
// call the preload exposes (desktop/preload/api.ts: session()). No Electron
// import here: a plain test drives it with stand-ins for safeStorage and the
// file, against the real server.
import type { SessionAnswer, SessionRequest } from '../preload/api.ts';

/** The parts of Electron's safeStorage used here. */
export interface SecretBox {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Where the encrypted refresh token lives (a file in the app's userData folder). */
export interface SecretFile {
  read(): Buffer | undefined;
  write(data: Buffer): void;
  remove(): void;
}

export interface StaffSessionOptions {
  serverUrl: string;
  box: SecretBox;
  file: SecretFile;
  fetch?: typeof fetch;
  now?: () => number;
}

interface Tokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  staffUser: { email: string; displayName: string; role: string; staffUserId: string };
}

/** Renew an access token this long before it expires. */
const LEAD_MS = 60_000;

export class StaffSessionKeeper {
  readonly #options: StaffSessionOptions;
  #access: { token: string; expiresAt: number; staffUser: Tokens['staffUser'] } | undefined;
  /** Only when safeStorage cannot encrypt (no keychain): the token stays in memory, and a restart signs out. */
  #memoryRefreshToken: string | undefined;
  #refreshing: Promise<SessionAnswer> | undefined;

  constructor(options: StaffSessionOptions) {
    this.#options = options;
  }

  async handle(request: SessionRequest): Promise<SessionAnswer> {
    switch (request.kind) {
      case 'signIn': return this.#signIn(request);
      case 'token': return this.#token();
      case 'signOut': return this.#signOut();
    }
  }

  async #call(method: string, body: unknown): Promise<{ ok: true; body: Tokens } | { ok: false; code: string; message: string; reason: string }> {
    const doFetch = this.#options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(`${this.#options.serverUrl}/reseller.v1.AuthService/${method}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      return { ok: false, code: 'unavailable', message: `the server cannot be reached: ${(error as Error).message}`, reason: '' };
    }
    const json = await response.json().catch(() => ({})) as Record<string, any>;
    if (response.ok) return { ok: true, body: json as Tokens };
    return { ok: false, code: String(json.code ?? 'unknown'), message: String(json.message ?? response.statusText), reason: String(json.details?.[0]?.debug?.reason ?? '') };
  }

  #keep(tokens: Tokens): SessionAnswer {
    const { box, file } = this.#options;
    if (box.isEncryptionAvailable()) {
      file.write(box.encryptString(tokens.refreshToken));
      this.#memoryRefreshToken = undefined;
    } else {
      file.remove();
      this.#memoryRefreshToken = tokens.refreshToken;
    }
    this.#access = { token: tokens.accessToken, expiresAt: this.#now() + tokens.expiresIn * 1000, staffUser: tokens.staffUser };
    return { signedIn: true, accessToken: tokens.accessToken, expiresIn: tokens.expiresIn, staffUser: tokens.staffUser };
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #storedRefreshToken(): string | undefined {
    if (this.#memoryRefreshToken) return this.#memoryRefreshToken;
    const { box, file } = this.#options;
    const data = file.read();
    if (!data || !box.isEncryptionAvailable()) return undefined;
    try {
      return box.decryptString(data);
    } catch {
      file.remove();
      return undefined;
    }
  }

  #forget(): void {
    this.#access = undefined;
    this.#memoryRefreshToken = undefined;
    this.#options.file.remove();
  }

  async #signIn(request: Extract<SessionRequest, { kind: 'signIn' }>): Promise<SessionAnswer> {
    const answer = await this.#call('SignIn', {
      email: request.email, password: request.password, totpCode: request.totpCode ?? '', recoveryCode: request.recoveryCode ?? '',
      deviceName: request.deviceName ?? 'Desktop console',
    });
    if (!answer.ok) return { signedIn: false, error: { code: answer.code, message: answer.message, reason: answer.reason } };
    return this.#keep(answer.body);
  }

  /** A token good for a minute at least, refreshed (one refresh at a time) when needed; signed out when the session ended. */
  #token(): Promise<SessionAnswer> {
    const access = this.#access;
    if (access && access.expiresAt - LEAD_MS > this.#now()) {
      return Promise.resolve({ signedIn: true, accessToken: access.token, expiresIn: Math.floor((access.expiresAt - this.#now()) / 1000), staffUser: access.staffUser });
    }
    this.#refreshing ??= this.#refresh().finally(() => { this.#refreshing = undefined; });
    return this.#refreshing;
  }

  async #refresh(): Promise<SessionAnswer> {
    const refreshToken = this.#storedRefreshToken();
    if (!refreshToken) return { signedIn: false };
    const answer = await this.#call('RefreshSession', { refreshToken });
    if (answer.ok) return this.#keep(answer.body);
    // The session ended (revoked, expired, reused, person disabled): forget it. Unreachable: keep it for later.
    if (answer.code === 'unauthenticated') this.#forget();
    return { signedIn: false, error: { code: answer.code, message: answer.message, reason: answer.reason } };
  }

  async #signOut(): Promise<SessionAnswer> {
    const refreshToken = this.#storedRefreshToken();
    this.#forget();
    if (refreshToken) await this.#call('SignOut', { refreshToken });
    return { signedIn: false };
  }
}
