// Who is calling: the bearer token checked (signature, expiry) and the
// credential behind it read from the database (or from the CredentialCache,
// for at most CREDENTIAL_CACHE_MS). Shared by the auth interceptor (RPC calls)
// and the plain HTTP routes that need a caller (GET /media/...).
import { Code, ConnectError } from '@connectrpc/connect';
import type { Clock } from '../core/clock.ts';
import { apiError } from '../rpc/errors.ts';
import type { Principal, RoleName } from './principal.ts';
import type { SigningKeys } from './signing-keys.ts';

/** What a token's credential says about its holder; the access feature stores credentials and reads this for the platform. */
export interface CredentialRecord {
  clientId: string;
  role: RoleName;
  resellerId: string | null;
  revoked: boolean;
}

/** Reads one credential by id (a primary-key read on the hot path of every call). */
export type FindCredential = (credentialId: string) => Promise<CredentialRecord | undefined>;

/** What a staff person's session says about its holder; the staff feature stores sessions and reads this for the platform. */
export interface SessionRecord {
  staffUserId: string;
  email: string;
  role: 'admin' | 'support';
  /** Not ended, not expired, and its person not disabled. */
  live: boolean;
}

/**
 * Reads one session (with its person) by id. Never cached: a session revoked
 * or a person disabled on any instance is refused by every instance on the
 * next call.
 */
export type FindSession = (sessionId: string, now: Date) => Promise<SessionRecord | undefined>;

export interface AuthDeps {
  clock: Clock;
  signingKeys: SigningKeys;
  findCredential: FindCredential;
  /** Staff people's sessions; without it, session tokens are refused. */
  findSession?: FindSession;
  /** Credentials read recently; without it, every call reads its credential. */
  credentials?: CredentialCache;
}

type CredentialRow = CredentialRecord;

/** Credentials kept at most; past that the oldest read goes first. */
const CREDENTIALS_KEPT = 10_000;

/**
 * The credential rows this instance read in the last `maxAgeMs` (0: none
 * kept). A partner's calls then share one read of their credential instead
 * of one each: under load that read was a third of GetClient's database time.
 * A revocation takes effect at once on the instance that revoked (forget()),
 * and on the others once their copy is older than maxAgeMs.
 */
export class CredentialCache {
  readonly #entries = new Map<string, { row: CredentialRow; readAt: number }>();
  readonly maxAgeMs: number;
  /** Counts forget() calls: a read that began before one may not be kept (see set). */
  #forgotten = 0;

  constructor(maxAgeMs: number) {
    this.maxAgeMs = maxAgeMs;
  }

  get(id: string, nowMs: number): CredentialRow | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    // Too old, or read "in the future" (a clock set back): read it again.
    if (nowMs - entry.readAt >= this.maxAgeMs || nowMs < entry.readAt) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry.row;
  }

  /** What to hand back to set() with the row read next. */
  get generation(): number {
    return this.#forgotten;
  }

  /** Keeps a row read since `generation` was taken, unless a revocation was committed in between (its read may predate it). */
  set(id: string, row: CredentialRow, nowMs: number, generation: number): void {
    if (this.maxAgeMs === 0 || generation !== this.#forgotten) return;
    this.#entries.delete(id);
    if (this.#entries.size >= CREDENTIALS_KEPT) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(id, { row, readAt: nowMs });
  }

  /** Called once a revocation is committed: this instance stops accepting the credential's tokens now. */
  forget(id: string): void {
    this.#forgotten++;
    this.#entries.delete(id);
  }
}

function unauthenticated(reason: string, message: string): ConnectError {
  return apiError(Code.Unauthenticated, reason, message);
}

/** The principal of an `Authorization: Bearer <token>` header, or an unauthenticated error. */
export async function principalFromAuthorization({ clock, signingKeys, findCredential, findSession, credentials }: AuthDeps, header: string | null | undefined): Promise<Principal> {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) {
    throw unauthenticated('TOKEN_MISSING', 'missing bearer token: send "Authorization: Bearer <token>" with a token from AuthService.CreateToken');
  }
  const nowMs = clock.now().getTime();
  const nowSeconds = Math.floor(nowMs / 1000);
  let claims = await signingKeys.verify(match[1]!, nowSeconds);
  // A key added since the last reload (rotation): read the keys once, then check again.
  if (claims === 'unknown_key') claims = await signingKeys.verifyAfterReload(match[1]!, nowSeconds);
  if (claims === 'expired') throw unauthenticated('TOKEN_EXPIRED', 'the bearer token has expired: get a new one from AuthService.CreateToken');
  if (typeof claims === 'string') throw unauthenticated('TOKEN_INVALID', 'the bearer token is not valid: get a new one from AuthService.CreateToken');
  if (claims.sid !== undefined) {
    // A staff person's session: its state is read on every call (one primary-key read, no cache).
    const session = findSession ? await findSession(claims.sid, new Date(nowMs)) : undefined;
    if (!session || !session.live || session.staffUserId !== claims.sub) {
      throw unauthenticated('SESSION_ENDED', 'the session behind this token has ended (signed out, revoked, expired or the person disabled): sign in again');
    }
    return {
      credentialId: session.staffUserId, clientId: session.email, role: session.role, resellerId: null,
      person: { staffUserId: session.staffUserId, email: session.email, sessionId: claims.sid },
    };
  }
  // One primary-key read, shared by the calls of the next CREDENTIAL_CACHE_MS.
  let row = credentials?.get(claims.sub, nowMs);
  if (!row) {
    const generation = credentials?.generation ?? 0;
    row = await findCredential(claims.sub);
    if (row) credentials?.set(claims.sub, row, nowMs, generation);
  }
  if (!row || row.revoked) throw unauthenticated('TOKEN_REVOKED', 'the credential behind this token was revoked');
  return { credentialId: claims.sub, clientId: row.clientId, role: row.role, resellerId: row.resellerId };
}
