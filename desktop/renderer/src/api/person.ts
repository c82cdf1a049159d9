// A staff person's session, as the page sees it: short access tokens only.
// The refresh token stays out of the page: in the desktop app the main
// process keeps it (window.desktop.session, one IPC call); in the browser the
// server keeps it in an HttpOnly cookie (POST /console/session/*). Either way
// a reload or a restart resumes the session until it ends.
import { Code, ConnectError } from '@connectrpc/connect';
import { Role } from '@gen/reseller/v1/access_pb.js';
import type { SessionAnswer, SessionRequest } from '../../../preload/api.ts';

export type SessionChannel = (request: SessionRequest) => Promise<SessionAnswer>;

export interface PersonSignIn {
  email: string;
  password: string;
  /** Six digits from the authenticator app, or a recovery code. */
  code: string;
}

export interface Person {
  email: string;
  displayName: string;
}

const CODES: Record<string, Code> = {
  unauthenticated: Code.Unauthenticated, invalid_argument: Code.InvalidArgument, resource_exhausted: Code.ResourceExhausted,
  permission_denied: Code.PermissionDenied, unavailable: Code.Unavailable,
};

/** The browser console's channel: the server's cookie routes, on the server that serves the page. */
export function browserChannel(serverUrl: string): SessionChannel {
  const paths = { signIn: 'sign-in', token: 'refresh', signOut: 'sign-out' } as const;
  return async (request) => {
    const { kind, ...body } = request;
    let response: Response;
    try {
      response = await fetch(`${serverUrl}/console/session/${paths[kind]}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin',
      });
    } catch (error) {
      return { signedIn: false, error: { code: 'unavailable', message: String(error), reason: '' } };
    }
    const json = await response.json().catch(() => ({})) as Record<string, any>;
    if (kind === 'signOut') return { signedIn: false };
    if (response.ok) return { signedIn: true, accessToken: json.accessToken, expiresIn: json.expiresIn, staffUser: json.staffUser };
    return { signedIn: false, error: { code: String(json.code ?? 'unknown'), message: String(json.message ?? response.statusText), reason: String(json.details?.[0]?.debug?.reason ?? '') } };
  };
}

/** The desktop app's main process when there is one, the server's cookie routes otherwise. */
export function sessionChannel(serverUrl: string): SessionChannel {
  const desktop = typeof window === 'undefined' ? undefined : window.desktop;
  if (!desktop) return browserChannel(serverUrl);
  // A desktop page without the main process's session (an older preload): no person sessions.
  return typeof desktop.session === 'function' ? desktop.session : async () => ({ signedIn: false });
}

function refusal(answer: Extract<SessionAnswer, { signedIn: false }>): ConnectError {
  return new ConnectError(answer.error?.message ?? 'signed out', CODES[answer.error?.code ?? ''] ?? Code.Unknown);
}

/** Keeps a person's access token fresh through the channel; the same shape as TokenKeeper. */
export class PersonKeeper {
  role: Role = Role.UNSPECIFIED;
  person: Person | undefined;
  private accessToken = '';
  private expiresAt = 0;
  private renewing: Promise<string> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  private readonly channel: SessionChannel;
  private readonly onLost: (error: ConnectError) => void;

  constructor(channel: SessionChannel, onLost: (error: ConnectError) => void) {
    this.channel = channel;
    this.onLost = onLost;
  }

  private take(answer: SessionAnswer): string {
    if (!answer.signedIn) throw refusal(answer);
    this.accessToken = answer.accessToken;
    this.expiresAt = Date.now() + answer.expiresIn * 1000;
    this.role = Role[answer.staffUser.role.replace(/^ROLE_/, '') as keyof typeof Role] ?? Role.UNSPECIFIED;
    this.person = { email: answer.staffUser.email, displayName: answer.staffUser.displayName };
    // Renew a minute before the token ends, so calls never wait.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.renew().catch((error: unknown) => {
        const err = ConnectError.from(error);
        if (err.code === Code.Unauthenticated) {
          this.stop();
          this.onLost(err);
        }
      });
    }, Math.max(5_000, answer.expiresIn * 1000 - 60_000));
    return this.accessToken;
  }

  async signIn(args: PersonSignIn): Promise<void> {
    const code = args.code.trim();
    const totp = /^\d{6}$/.test(code);
    this.take(await this.channel({ kind: 'signIn', email: args.email, password: args.password, ...(totp ? { totpCode: code } : { recoveryCode: code }) }));
  }

  /** After a reload or a restart: the session kept outside the page, if it is still on. */
  async resume(): Promise<boolean> {
    const answer = await this.channel({ kind: 'token' });
    if (!answer.signedIn) return false;
    this.take(answer);
    return true;
  }

  async token(): Promise<string> {
    if (this.stopped) throw new ConnectError('signed out', Code.Unauthenticated);
    if (Date.now() < this.expiresAt - 30_000) return this.accessToken;
    return this.renew();
  }

  private renew(): Promise<string> {
    this.renewing ??= this.channel({ kind: 'token' }).then((answer) => this.take(answer)).finally(() => { this.renewing = undefined; });
    return this.renewing;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.accessToken = '';
  }

  /** Ends the session on the server, and forgets it. */
  async signOut(): Promise<void> {
    this.stop();
    await this.channel({ kind: 'signOut' }).catch(() => undefined);
  }
}
