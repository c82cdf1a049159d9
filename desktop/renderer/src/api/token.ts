// Keeps the bearer token in memory (never in storage) and renews it before it
// expires, with the credential the user signed in with, also kept in memory
// only. A call never goes out with a token about to expire: it waits for the
// renewal instead (a laptop waking up from sleep, a timer that fired late).
import { Code, ConnectError, createClient, type Transport } from '@connectrpc/connect';
import { AuthService } from '@gen/reseller/v1/auth_pb.js';
import { Role } from '@gen/reseller/v1/access_pb.js';

export interface Credentials {
  serverUrl: string;
  clientId: string;
  clientSecret: string;
}

/** Renew when this share of the token's life is left (at most 5 minutes before it ends). */
function renewalLeadMs(lifetimeMs: number): number {
  return Math.min(5 * 60_000, lifetimeMs / 5);
}

const RETRY_MS = 15_000;

export class TokenKeeper {
  readonly credentials: Credentials;
  private readonly anonymous: Transport;
  private readonly onLost: (error: ConnectError) => void;
  private accessToken = '';
  /** The role the credential's tokens carry, as the server last said. */
  role: Role = Role.UNSPECIFIED;
  private expiresAt = 0;
  private lifetimeMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private renewing: Promise<string> | undefined;
  private stopped = false;

  /**
   * `anonymous` is a transport without the auth interceptor (CreateToken needs
   * none); `onLost` is told when the credential no longer works.
   */
  constructor(credentials: Credentials, anonymous: Transport, onLost: (error: ConnectError) => void) {
    this.credentials = credentials;
    this.anonymous = anonymous;
    this.onLost = onLost;
  }

  /** Signs in; rejects with the server's error (wrong secret, violations, unreachable). */
  async start(): Promise<void> {
    await this.fetchToken();
  }

  /** A token good for a little while yet, renewing it first if needed. */
  async token(): Promise<string> {
    if (this.stopped) throw new ConnectError('signed out', Code.Unauthenticated);
    if (Date.now() < this.expiresAt - 30_000) return this.accessToken;
    return this.renew();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.accessToken = '';
  }

  private renew(): Promise<string> {
    this.renewing ??= this.fetchToken().finally(() => { this.renewing = undefined; });
    return this.renewing;
  }

  private async fetchToken(): Promise<string> {
    const auth = createClient(AuthService, this.anonymous);
    const answer = await auth.createToken({ clientId: this.credentials.clientId, clientSecret: this.credentials.clientSecret });
    if (this.stopped) throw new ConnectError('signed out', Code.Unauthenticated);
    this.accessToken = answer.accessToken;
    this.role = answer.role;
    this.lifetimeMs = answer.expiresIn * 1000;
    this.expiresAt = Date.now() + this.lifetimeMs;
    this.schedule(this.lifetimeMs - renewalLeadMs(this.lifetimeMs));
    return this.accessToken;
  }

  private schedule(inMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.renew().catch((error: unknown) => {
        const err = ConnectError.from(error);
        // The credential was revoked or its secret changed: the session is over.
        if (err.code === Code.Unauthenticated || err.code === Code.PermissionDenied) {
          this.stop();
          this.onLost(err);
        } else if (!this.stopped) {
          // Server briefly unreachable: try again while the token still works.
          this.schedule(RETRY_MS);
        }
      });
    }, Math.max(0, inMs));
  }
}
