// Slows down guessing of client secrets at CreateToken. Wrong secrets are
// counted in the database (every instance sees the same counts) under three
// keys, each with its own threshold:
//   pair:<client id> <address>  one client id from one address (LOGIN_MAX_FAILURES, small);
//   address:<address>           every client id from one address (LOGIN_MAX_FAILURES_PER_ADDRESS);
//   client:<client id>          one client id from every address (LOGIN_MAX_FAILURES_PER_CLIENT, large:
//                               guessing spread over many addresses).
// Past its threshold a key is blocked for 1 s, then 2 s, 4 s... up to
// LOGIN_MAX_DELAY_SECONDS; attempts while blocked are refused unchecked (so they
// reveal nothing and are not counted). A key's count is forgotten after four
// times that cap without a failure, and a right secret forgets the pair and
// client counts (never the address's: a caller with one valid credential must
// not reset the count of its guesses at others).
//
// The trade-off: one attacking address reaches its own pair and address
// thresholds long before the client-wide one (its guesses slow to one per cap),
// so it never blocks the real owner calling from elsewhere. Only guessing from
// many addresses can block a client id for everyone, each time for at most the
// cap, and each re-block costs the attackers one guess per cap.
import { Code, type ConnectError } from '@connectrpc/connect';
import type { Clock } from '../platform/core/clock.ts';
import type { Em, Orm } from '../platform/data/database.ts';
import type { Logger } from '../platform/observability/logger.ts';
import { apiError } from '../platform/rpc/errors.ts';

const BASE_DELAY_MS = 1000;
const PRUNE_EVERY_MS = 60_000;

export interface ThrottleSettings {
  maxFailures: number;
  maxFailuresPerAddress: number;
  maxFailuresPerClient: number;
  maxDelaySeconds: number;
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
}

/** IPv4 as it is; IPv4-mapped IPv6 as IPv4; other IPv6 by its /64, which one host usually holds whole. */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export class LoginThrottle {
  readonly #options: ThrottleOptions;
  #lastPrune = 0;

  constructor(options: ThrottleOptions) {
    this.#options = options;
  }

  #keys(clientId: string, address: string | undefined): Key[] {
    const where = addressKey(address);
    return [
      { key: `pair:${clientId} ${where}`, threshold: this.#options.maxFailures, clearOnSuccess: true },
      { key: `address:${where}`, threshold: this.#options.maxFailuresPerAddress, clearOnSuccess: false },
      { key: `client:${clientId}`, threshold: this.#options.maxFailuresPerClient, clearOnSuccess: true },
    ];
  }

  #connection() {
    return (this.#options.orm.em as Em).getConnection();
  }

  #forgetBefore(nowMs: number): number {
    return nowMs - 4 * this.#options.maxDelaySeconds * 1000;
  }

  /**
   * Refuses the attempt (TOO_MANY_ATTEMPTS) while any of its keys is blocked.
   * Resolves with whether there are failures a success should forget.
   */
  async check(clientId: string, address: string | undefined): Promise<{ failuresOnRecord: boolean }> {
    const keys = this.#keys(clientId, address);
    const nowMs = this.#options.clock.now().getTime();
    const rows = await this.#connection().execute<{ key: string; last_failure_at: number | string; blocked_until: number | string | null }[]>(
      'select key, last_failure_at, blocked_until from login_throttle where key in (?, ?, ?)', keys.map((k) => k.key));
    let blockedUntil = 0;
    for (const row of rows) {
      if (row.blocked_until !== null) blockedUntil = Math.max(blockedUntil, Number(row.blocked_until));
    }
    if (blockedUntil > nowMs) throw this.#refusal(blockedUntil - nowMs);
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

  /** The right secret: the counts of this client id are forgotten (the address's stay). */
  async succeeded(clientId: string, address: string | undefined): Promise<void> {
    const keys = this.#keys(clientId, address).filter((k) => k.clearOnSuccess).map((k) => k.key);
    await this.#connection().execute('delete from login_throttle where key in (?, ?)', keys);
  }
}
