// The token signing keys, in memory, kept in step with the database.
//
// Every key has an id, the `kid` in each token's header. The newest key that is
// not retired signs new tokens; every key that is not retired verifies. Keys
// are rotated with `npm run rotate-signing-key` (server/scripts/rotate-signing-key.ts),
// which writes to the same database: running instances notice without restart.
// - A token naming a kid this instance does not know makes it reload the keys
//   at once (at most once a second, so made-up kids cannot cost a read per call).
// - A timer reloads every SIGNING_KEY_REFRESH_MS (default 5 s): new keys start
//   signing, retired keys stop verifying.
// The per-call cost stays one Map lookup by the token's encoded header, and a
// token seen before is not hashed again: its signature was checked once with
// the key its header names, and stays good while that key is not retired
// (its expiry is checked on every call).
import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { SigningKey } from './signing-key.entity.ts';
import { systemEm, type Orm } from '../data/database.ts';
import { LEGACY_KID, kidOfHeader, signToken, tokenHeader, verifyToken, type TokenClaims, type TokenProblem } from './tokens.ts';
import type { Logger } from '../observability/logger.ts';

/** Unknown kids reload the keys at most this often. */
const UNKNOWN_KID_RELOAD_MS = 1000;
/** Verified tokens remembered (a client keeps its token for its lifetime); past this many the memory starts again. */
const VERIFIED_TOKENS_KEPT = 10_000;

export interface KeyRow {
  id: string;
  secret: string;
  createdAt: Date;
  retiredAt: Date | null;
}

/** The key new tokens are signed with. */
export interface ActiveKey {
  kid: string;
  key: Buffer;
}

function newestFirst(a: { id: string; createdAt: Date }, b: { id: string; createdAt: Date }): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

async function readKeys(orm: Orm): Promise<KeyRow[]> {
  const rows = await systemEm(orm).find(SigningKey, {});
  return rows.map((r) => ({ id: r.id, secret: r.secret, createdAt: r.createdAt, retiredAt: r.retiredAt ?? null })).sort(newestFirst);
}

/** A new key id: sortable by time, unique across instances. */
function newKid(): string {
  return `k${Date.now().toString(36)}${randomBytes(6).toString('base64url')}`;
}

/**
 * Makes sure at least one key is not retired: on the very first start (or if
 * every key was retired) creates one. Two instances racing agree on one.
 */
export async function ensureSigningKey(orm: Orm): Promise<void> {
  const keys = await readKeys(orm);
  if (keys.some((k) => k.retiredAt === null)) return;
  const em = systemEm(orm);
  // The first key keeps the name tokens had before keys had ids.
  const id = keys.length === 0 ? LEGACY_KID : newKid();
  try {
    em.create(SigningKey, { id, secret: randomBytes(32).toString('base64url'), createdAt: new Date(), retiredAt: null });
    await em.flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
}

export class SigningKeys {
  readonly #orm: Orm;
  readonly #logger: Logger;
  readonly #refreshMs: number;
  /** Encoded token header -> key, for every key not retired. */
  #byHeader = new Map<string, Buffer>();
  #byKid = new Map<string, Buffer>();
  #retired = new Set<string>();
  #active!: ActiveKey;
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> | undefined;
  #lastUnknownKidReload = -Infinity;
  /** Token -> its claims and the key that verified it (the HMAC was a tenth of GetClient's own work). */
  readonly #verified = new Map<string, { key: Buffer; claims: TokenClaims }>();

  private constructor(orm: Orm, logger: Logger, refreshMs: number) {
    this.#orm = orm;
    this.#logger = logger;
    this.#refreshMs = refreshMs;
  }

  /** Loads the keys (creating the first one on an empty database) and starts the refresh timer. */
  static async open(orm: Orm, logger: Logger, refreshMs: number): Promise<SigningKeys> {
    await ensureSigningKey(orm);
    const keys = new SigningKeys(orm, logger, refreshMs);
    await keys.reload();
    keys.#timer = setInterval(() => { keys.reload().catch((error: unknown) => logger.error({ err: error }, 'could not reload the token signing keys')); }, refreshMs);
    keys.#timer.unref();
    return keys;
  }

  /** The key new tokens are signed with: the newest not retired. */
  active(): ActiveKey {
    return this.#active;
  }

  /** The secret of a key not retired (page tokens, platform/data/pagination.ts), reloading once for a kid not seen yet. */
  async find(kid: string): Promise<Buffer | undefined> {
    if (this.#retired.has(kid)) return undefined;
    const known = this.#byKid.get(kid);
    if (known) return known;
    const now = performance.now();
    if (now - this.#lastUnknownKidReload >= UNKNOWN_KID_RELOAD_MS) {
      this.#lastUnknownKidReload = now;
      await this.reload();
    } else if (this.#reloading) {
      await this.#reloading;
    }
    return this.#retired.has(kid) ? undefined : this.#byKid.get(kid);
  }

  /** Signs claims with the active key, naming it in the header. */
  sign(claims: TokenClaims): Promise<string> {
    return signWith(this.#active, claims);
  }

  /** The key for a token's encoded header: see KeyForHeader in tokens.ts. */
  readonly keyFor = (header: string): Buffer | null | undefined => {
    const known = this.#byHeader.get(header);
    if (known) return known;
    const kid = kidOfHeader(header);
    if (kid === null || this.#retired.has(kid)) return null;
    return this.#byKid.get(kid);
  };

  /** Verifies a token against the keys in memory: no I/O. 'unknown_key' means: call verifyAfterReload. */
  async verify(token: string, nowSeconds: number): Promise<TokenClaims | TokenProblem> {
    const header = token.slice(0, token.indexOf('.'));
    const seen = this.#verified.get(token);
    // The same key still verifies (not retired, not reloaded as another secret).
    if (seen && this.keyFor(header) === seen.key) return seen.claims.exp <= nowSeconds ? 'expired' : seen.claims;
    const claims = await verifyToken(this.keyFor, token, nowSeconds);
    if (typeof claims !== 'string') {
      if (this.#verified.size >= VERIFIED_TOKENS_KEPT) this.#verified.clear();
      this.#verified.set(token, { key: this.keyFor(header)!, claims: Object.freeze(claims) });
    }
    return claims;
  }

  /**
   * For a token naming a key this instance does not know yet (added by the
   * command or seen first by another instance): reloads the keys, then verifies.
   */
  async verifyAfterReload(token: string, nowSeconds: number): Promise<TokenClaims | TokenProblem> {
    const now = performance.now();
    if (now - this.#lastUnknownKidReload >= UNKNOWN_KID_RELOAD_MS) {
      this.#lastUnknownKidReload = now;
      await this.reload();
    } else if (this.#reloading) {
      await this.#reloading;
    }
    return verifyToken(this.keyFor, token, nowSeconds);
  }

  /** Reads the keys again; concurrent callers share one read. */
  reload(): Promise<void> {
    this.#reloading ??= (async () => {
      try {
        this.#install(await readKeys(this.#orm));
      } finally {
        this.#reloading = undefined;
      }
    })();
    return this.#reloading;
  }

  #install(rows: KeyRow[]): void {
    const live = rows.filter((r) => r.retiredAt === null);
    if (live.length === 0) {
      // Someone retired every key by hand: keep what we had rather than sign with nothing.
      this.#logger.error('every token signing key is retired: run npm run rotate-signing-key to add one');
      return;
    }
    const byHeader = new Map<string, Buffer>();
    const byKid = new Map<string, Buffer>();
    for (const row of live) {
      const key = Buffer.from(row.secret, 'base64url');
      byKid.set(row.id, key);
      byHeader.set(tokenHeader(row.id), key);
      // Tokens from before keys had ids carry no kid: they name the first key.
      if (row.id === LEGACY_KID) byHeader.set(tokenHeader(), key);
    }
    const previous = this.#active?.kid;
    this.#byHeader = byHeader;
    this.#byKid = byKid;
    this.#retired = new Set(rows.filter((r) => r.retiredAt !== null).map((r) => r.id));
    this.#active = { kid: live[0]!.id, key: byKid.get(live[0]!.id)! };
    if (previous !== undefined && previous !== this.#active.kid) this.#logger.info({ kid: this.#active.kid }, 'signing new tokens with a new key');
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function signWith(active: ActiveKey, claims: TokenClaims): Promise<string> {
  return signToken(active.key, claims, active.kid);
}

export interface RotationResult {
  added?: string;
  retired: string[];
  keys: { kid: string; createdAt: Date; retiredAt: Date | null; signing: boolean }[];
}

export class RotationError extends Error {}

/**
 * What `npm run rotate-signing-key` does: adds a new key (unless `add` is
 * false), then retires the keys named in `retire`, or with `retireOthers`
 * every key but the newest. The newest key is never retired: one always signs.
 */
export async function rotateSigningKeys(orm: Orm, options: { add?: boolean; retire?: string[]; retireOthers?: boolean } = {}): Promise<RotationResult> {
  const em = systemEm(orm);
  return em.transactional(async (tx) => {
    let added: string | undefined;
    if (options.add !== false) {
      added = newKid();
      tx.create(SigningKey, { id: added, secret: randomBytes(32).toString('base64url'), createdAt: new Date(), retiredAt: null });
      await tx.flush();
    }
    const rows = (await tx.find(SigningKey, {})).sort(newestFirst);
    const newest = rows.find((r) => !r.retiredAt);
    const names = options.retireOthers ? rows.filter((r) => r !== newest && !r.retiredAt).map((r) => r.id) : (options.retire ?? []);
    const retired: string[] = [];
    const now = new Date();
    for (const kid of names) {
      const row = rows.find((r) => r.id === kid);
      if (!row) throw new RotationError(`no signing key "${kid}": run with --list to see the keys`);
      if (row === newest) throw new RotationError(`"${kid}" is the newest key, the one that signs: add a new key first (run without --retire)`);
      if (row.retiredAt) continue;
      row.retiredAt = now;
      row.secret = '';
      retired.push(kid);
    }
    await tx.flush();
    return {
      added, retired,
      keys: rows.map((r) => ({ kid: r.id, createdAt: r.createdAt, retiredAt: r.retiredAt ?? null, signing: r === newest })),
    };
  });
}
