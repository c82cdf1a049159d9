// Slows down guessing of client secrets at CreateToken, and limits the tokens
// one credential is issued. Wrong secrets are counted in the database (every
// instance sees the same counts) under three keys, each with its own threshold:
//   pair:<client id> <address>  one client id from one address (LOGIN_MAX_FAILURES, small);
//   address:<address>           every client id from one address (LOGIN_MAX_FAILURES_PER_ADDRESS);
//   client:<client id>          one client id from every address (LOGIN_MAX_FAILURES_PER_CLIENT, large:
//                               guessing spread over many addresses).
// Past its threshold a pair or address key is blocked for 1 s, then 2 s, 4 s...
// up to LOGIN_MAX_DELAY_SECONDS; attempts while blocked are refused unchecked
// (so they reveal nothing and are not counted). A key's count is forgotten
// after four times that cap without a failure, and a right secret forgets the
// pair and client counts (never the address's: a caller with one valid
// credential must not reset the count of its guesses at others).
//
// The client key, the one that guesses from many addresses reach, never
// refuses: past its threshold every attempt at that client id, from anywhere,
// is held LOGIN_CLIENT_DELAY_MS before it is checked. Refusing there would let
// anyone who knows a client id lock its owner out everywhere, again and again
// (issue 17, item 10); a delay costs each guess time, and the owner's right
// secret still works, a moment later. What bounds distributed guessing is then
// the pair and address keys of each attacking address, and the secrets
// themselves (generated ones carry 256 random bits).
//
// Tokens: at most TOKENS_PER_MINUTE right secrets per client id per minute are
// answered with a token, counted over every instance (token_issue). The check
// runs before the secret is hashed, so a credential's holder cannot turn
// CreateToken into a CPU drain (each check costs ~20 ms of scrypt).
import { Code, type ConnectError } from '@connectrpc/connect';
import type { Clock } from '../platform/core/clock.ts';
import type { Em, Orm } from '../platform/data/database.ts';
import type { Logger } from '../platform/observability/logger.ts';
import { apiError } from '../platform/rpc/errors.ts';
import { addressKey } from '../platform/core/address.ts';

const BASE_DELAY_MS = 1000;
const PRUNE_EVERY_MS = 60_000;

export interface ThrottleSettings {
  maxFailures: number;
  maxFailuresPerAddress: number;
  maxFailuresPerClient: number;
  maxDelaySeconds: number;
  /** How long an attempt at a client id past its client-wide threshold is held. */
  clientDelayMs: number;
  /** 0: no limit. */
  tokensPerMinute: number;
}

export interface ThrottleOptions extends ThrottleSettings {
  orm: Orm;
  clock: Clock;
  logger: Logger;
}

interface Key {
  key: string;
  threshold: number;
  /** Forgotten when the right secret is given. */
  clearOnSuccess: boolean;
  /** Past the threshold: attempts are held (true) or refused (false). */
  delays: boolean;
}

const TOKEN_WINDOW_MS = 60_000;

export class LoginThrottle {
  readonly #options: ThrottleOptions;
  #lastPrune = 0;
  #lastIssuePrune = 0;

  constructor(options: ThrottleOptions) {
    this.#options = options;
  }

  #keys(clientId: string, address: string | undefined): Key[] {
    const where = addressKey(address);
    return [
      { key: `pair:${clientId} ${where}`, threshold: this.#options.maxFailures, clearOnSuccess: true, delays: false },
      { key: `address:${where}`, threshold: this.#options.maxFailuresPerAddress, clearOnSuccess: false, delays: false },
      { key: `client:${clientId}`, threshold: this.#options.maxFailuresPerClient, clearOnSuccess: true, delays: true },
    ];
  }

  #connection() {
    return (this.#options.orm.em as Em).getConnection();
  }

  #forgetBefore(nowMs: number): number {
    return nowMs - 4 * this.#options.maxDelaySeconds * 1000;
  }

  /**
   * Refuses the attempt (TOO_MANY_ATTEMPTS) while its pair or address key is
   * blocked; holds it LOGIN_CLIENT_DELAY_MS while its client key is. Resolves
   * with whether there are failures a success should forget.
   */
  async check(clientId: string, address: string | undefined): Promise<{ failuresOnRecord: boolean }> {
    const keys = this.#keys(clientId, address);
    const nowMs = this.#options.clock.now().getTime();
    const rows = await this.#connection().execute<{ key: string; last_failure_at: number | string; blocked_until: number | string | null }[]>(
      'select key, last_failure_at, blocked_until from login_throttle where key in (?, ?, ?)', keys.map((k) => k.key));
    let blockedUntil = 0;
    let held = false;
    for (const row of rows) {
      if (row.blocked_until === null || Number(row.blocked_until) <= nowMs) continue;
      if (keys.find((k) => k.key === row.key)?.delays) held = true;
      else blockedUntil = Math.max(blockedUntil, Number(row.blocked_until));
    }
    if (blockedUntil > nowMs) throw this.#refusal(blockedUntil - nowMs);
    if (held && this.#options.clientDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#options.clientDelayMs));
    const forgetBefore = this.#forgetBefore(nowMs);
    const failuresOnRecord = rows.some((row) => keys.find((k) => k.key === row.key)?.clearOnSuccess && Number(row.last_failure_at) >= forgetBefore);
    return { failuresOnRecord };
  }

  #refusal(retryAfterMs: number): ConnectError {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const error = apiError(Code.ResourceExhausted, 'TOO_MANY_ATTEMPTS',
      `too many wrong secrets: try again in ${seconds} s`, { metadata: { retryAfterMs: String(retryAfterMs) } });
    error.metadata.set('retry-after', String(seconds));
    return error;
  }

  /** Counts a wrong secret under each key, and blocks the keys past their threshold. */
  async failed(clientId: string, address: string | undefined): Promise<void> {
    const keys = this.#keys(clientId, address);
    const nowMs = this.#options.clock.now().getTime();
    const connection = this.#connection();
    // One statement: each key's count goes up by one (or starts again at one
    // when it was forgotten), atomically, whichever instance counts it.
    const rows = await connection.execute<{ key: string; failures: number }[]>(
      `insert into login_throttle (key, failures, last_failure_at, blocked_until) values ${keys.map(() => '(?, 1, ?, null)').join(', ')}
       on conflict (key) do update set
         failures = case when login_throttle.last_failure_at < ? then 1 else login_throttle.failures + 1 end,
         last_failure_at = excluded.last_failure_at
       returning key, failures`,
      [...keys.flatMap((k) => [k.key, nowMs]), this.#forgetBefore(nowMs)]);
    for (const row of rows) {
      const key = keys.find((k) => k.key === row.key);
      const failures = Number(row.failures);
      if (!key || failures < key.threshold) continue;
      const delayMs = Math.min(this.#options.maxDelaySeconds * 1000, BASE_DELAY_MS * 2 ** Math.min(30, failures - key.threshold));
      const until = nowMs + delayMs;
      await connection.execute('update login_throttle set blocked_until = ? where key = ? and (blocked_until is null or blocked_until < ?)',
        [until, key.key, until]);
    }
    if (nowMs - this.#lastPrune >= PRUNE_EVERY_MS) {
      this.#lastPrune = nowMs;
      await connection.execute('delete from login_throttle where last_failure_at < ? and (blocked_until is null or blocked_until < ?)',
        [this.#forgetBefore(nowMs), nowMs]).catch((error: unknown) => this.#options.logger.warn({ err: error }, 'login throttle: could not prune'));
    }
  }

  /** Refuses (TOO_MANY_TOKENS) when this client id was issued TOKENS_PER_MINUTE tokens in the current minute. */
  async checkIssued(clientId: string): Promise<void> {
    const limit = this.#options.tokensPerMinute;
    if (limit === 0) return;
    const nowMs = this.#options.clock.now().getTime();
    const [row] = await this.#connection().execute<{ window_start: number | string; issued: number | string }[]>(
      'select window_start, issued from token_issue where client_id = ?', [clientId]);
    if (!row) return;
    const windowEnd = Number(row.window_start) + TOKEN_WINDOW_MS;
    if (windowEnd <= nowMs || Number(row.issued) < limit) return;
    const retryAfterMs = windowEnd - nowMs;
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const error = apiError(Code.ResourceExhausted, 'TOO_MANY_TOKENS',
      `this credential was issued ${limit} tokens in the last minute: keep using one until it expires, or try again in ${seconds} s`,
      { metadata: { retryAfterMs: String(retryAfterMs) } });
    error.metadata.set('retry-after', String(seconds));
    throw error;
  }

  /** Counts a token issued to this client id (its window starts again when the last one is over). */
  async issued(clientId: string): Promise<void> {
    if (this.#options.tokensPerMinute === 0) return;
    const nowMs = this.#options.clock.now().getTime();
    await this.#connection().execute(
      `insert into token_issue (client_id, window_start, issued) values (?, ?, 1)
       on conflict (client_id) do update set
         issued = case when token_issue.window_start <= ? then 1 else token_issue.issued + 1 end,
         window_start = case when token_issue.window_start <= ? then excluded.window_start else token_issue.window_start end`,
      [clientId, nowMs, nowMs - TOKEN_WINDOW_MS, nowMs - TOKEN_WINDOW_MS]);
    if (nowMs - this.#lastIssuePrune >= PRUNE_EVERY_MS) {
      this.#lastIssuePrune = nowMs;
      await this.#connection().execute('delete from token_issue where window_start <= ?', [nowMs - TOKEN_WINDOW_MS])
        .catch((error: unknown) => this.#options.logger.warn({ err: error }, 'token issue counts: could not prune'));
    }
  }

  /** The right secret: the counts of this client id are forgotten (the address's stay). */
  async succeeded(clientId: string, address: string | undefined): Promise<void> {
    const keys = this.#keys(clientId, address).filter((k) => k.clearOnSuccess).map((k) => k.key);
    await this.#connection().execute('delete from login_throttle where key in (?, ?)', keys);
  }
}
