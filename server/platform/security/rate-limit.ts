// Calls per credential per second, summed over every instance on the database
// (DESIGN: nothing may assume a single process). The decision on each call is
// made in memory, with no database round trip: each instance counts its own
// calls in the current one-second window and, every SYNC_INTERVAL_MS, adds
// them to a shared row (credential, window) and reads back the total. A call is
// refused when the last known total plus what this instance has not yet sent
// reaches the limit. Between two syncs each instance can let through at most
// what it believed was left, so the shared budget can be overshot by at most
// one sync interval's worth of calls on the other instances.
//
// Where the shared rows live: on PostgreSQL, the rate_limit_window table. On
// a SQLite file, a sibling file `<database>.rate-limit` (the same table), so
// that the syncs, ten commits a second, do not touch the main file: every
// commit there empties the page cache of the prepared-read connection
// (reads.ts), which slowed GetClient under load (docs/performance.md).
// Every process on the same database file opens the same sibling.
// The counts are worth a second: that file is written without waiting for
// the disk, and losing it loses nothing else.
import { Code, type ConnectError } from '@connectrpc/connect';
import type { Clock } from '../core/clock.ts';
import type { Em, Orm } from '../data/database.ts';
import type { Logger } from '../observability/logger.ts';
import { apiError } from '../rpc/errors.ts';
import { openSqliteFile } from '../data/sqlite.ts';

const SYNC_INTERVAL_MS = 100;
/** Windows older than this many seconds are deleted from the table. */
const KEEP_SECONDS = 10;
const PRUNE_EVERY_MS = 10_000;
/** Rows per upsert statement. */
const BATCH = 200;

interface Window {
  /** Whole seconds since the epoch. */
  start: number;
  /** The total over every instance, as of this instance's last sync (ours included). */
  known: number;
  /** Calls of ours being added to the table by a sync in progress. */
  sending: number;
  /** Calls of ours not yet sent. */
  unsent: number;
}

interface CountRow { credential_id: string; window_start: number | string; count: number | string }

/** Where the instances' counts are shared. */
export interface CountStore {
  /** Adds each (credential, window, count) to the shared rows and returns their totals. */
  add(rows: [credentialId: string, windowStart: number, count: number][]): Promise<CountRow[]>;
  /** Deletes the windows that started before `windowStart`. */
  prune(windowStart: number): Promise<void>;
  /** The shared count of one window (tests, diagnostics). */
  count(credentialId: string, windowStart: number): Promise<number>;
  close(): void;
}

const ADD = (rows: number) => `insert into rate_limit_window (credential_id, window_start, count) values ${Array.from({ length: rows }, () => '(?, ?, ?)').join(', ')}
  on conflict (credential_id, window_start) do update set count = rate_limit_window.count + excluded.count
  returning credential_id, window_start, count`;
const PRUNE = 'delete from rate_limit_window where window_start < ?';
const COUNT = 'select count from rate_limit_window where credential_id = ? and window_start = ?';

/** The rate_limit_window table through the ORM's connection (PostgreSQL; SQLite in memory). */
export function tableCounts(orm: Orm): CountStore {
  const connection = () => (orm.em as Em).getConnection();
  return {
    add: (rows) => connection().execute<CountRow[]>(ADD(rows.length), rows.flat()),
    prune: async (windowStart) => { await connection().execute(PRUNE, [windowStart]); },
    count: async (credentialId, windowStart) => Number((await connection().execute<CountRow[]>(COUNT, [credentialId, windowStart]))[0]?.count ?? 0),
    close: () => undefined,
  };
}

/** The sibling file of a SQLite database that holds its rate-limit counts. */
export function countsFileOf(databasePath: string): string {
  return `${databasePath}.rate-limit`;
}

/** The counts in `<database>.rate-limit`, created on first use. */
export function sqliteFileCounts(databasePath: string): CountStore {
  const path = countsFileOf(databasePath);
  const open = () => {
    const db = openSqliteFile(path);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.exec(`create table if not exists rate_limit_window (
      credential_id text not null, window_start integer not null, count integer not null,
      primary key (credential_id, window_start))`);
    return db;
  };
  // Opened on first use: with the limit off the file is never made.
  let db: ReturnType<typeof openSqliteFile> | undefined;
  const statements = new Map<string, ReturnType<ReturnType<typeof openSqliteFile>['prepare']>>();
  const prepared = (sql: string) => {
    db ??= open();
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, statement = db.prepare(sql));
    return statement;
  };
  return {
    add: async (rows) => prepared(ADD(rows.length)).all(rows.flat()) as CountRow[],
    prune: async (windowStart) => { prepared(PRUNE).run([windowStart]); },
    count: async (credentialId, windowStart) => Number((prepared(COUNT).all([credentialId, windowStart]) as CountRow[])[0]?.count ?? 0),
    close: () => { db?.close(); db = undefined; statements.clear(); },
  };
}

export interface RateLimiterOptions {
  /** Where the counts are shared between instances. */
  store: CountStore;
  clock: Clock;
  logger: Logger;
  /** 0: no limit. */
  limitPerSecond: number;
}

export class RateLimiter {
  readonly limit: number;
  readonly #store: CountStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #windows = new Map<string, Window>();
  #timer: NodeJS.Timeout | undefined;
  #syncing: Promise<void> | undefined;
  #lastPrune = 0;

  constructor(options: RateLimiterOptions) {
    this.limit = options.limitPerSecond;
    this.#store = options.store;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /** Counts one call of the credential, or throws RATE_LIMITED (resource_exhausted) without counting it. */
  check(credentialId: string): void {
    if (this.limit <= 0) return;
    const nowMs = this.#clock.now().getTime();
    const start = Math.floor(nowMs / 1000);
    let window = this.#windows.get(credentialId);
    if (!window || window.start !== start) {
      window = { start, known: 0, sending: 0, unsent: 0 };
      this.#windows.set(credentialId, window);
    }
    if (window.known + window.sending + window.unsent >= this.limit) throw this.#refusal((start + 1) * 1000 - nowMs);
    window.unsent++;
  }

  /** The calls this instance believes the credential has left in the current second (for tests and diagnostics). */
  remaining(credentialId: string): number {
    if (this.limit <= 0) return Infinity;
    const window = this.#windows.get(credentialId);
    if (!window || window.start !== Math.floor(this.#clock.now().getTime() / 1000)) return this.limit;
    return Math.max(0, this.limit - window.known - window.sending - window.unsent);
  }

  #refusal(retryAfterMs: number): ConnectError {
    const error = apiError(Code.ResourceExhausted, 'RATE_LIMITED',
      `rate limit exceeded: at most ${this.limit} calls per second per credential (RATE_LIMIT_PER_SECOND); retry in ${retryAfterMs} ms`,
      { metadata: { limitPerSecond: String(this.limit), retryAfterMs: String(retryAfterMs) } });
    // Sent as a response header (Connect) or trailer (gRPC), in whole seconds as HTTP's Retry-After.
    error.metadata.set('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    return error;
  }

  start(): void {
    if (this.limit <= 0 || this.#timer) return;
    this.#timer = setInterval(() => void this.sync(), SYNC_INTERVAL_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#syncing;
    this.#store.close();
  }

  /** The count shared by every instance for a credential's window (tests, diagnostics). */
  sharedCount(credentialId: string, windowStart: number): Promise<number> {
    return this.#store.count(credentialId, windowStart);
  }

  /**
   * Sends this instance's counts of the current window and learns the totals
   * (the timer does this every SYNC_INTERVAL_MS; tests call it to be exact).
   */
  sync(): Promise<void> {
    this.#syncing ??= this.#sync().finally(() => { this.#syncing = undefined; });
    return this.#syncing;
  }

  async #sync(): Promise<void> {
    const nowMs = this.#clock.now().getTime();
    const current = Math.floor(nowMs / 1000);
    const batch: [string, Window, number][] = [];
    for (const [credentialId, window] of this.#windows) {
      if (window.start < current) {
        this.#windows.delete(credentialId); // that second is over; its count no longer matters
        continue;
      }
      // Sent even when nothing is new, to learn what the other instances added.
      batch.push([credentialId, window, window.unsent]);
      window.sending += window.unsent;
      window.unsent = 0;
    }
    for (let i = 0; i < batch.length; i += BATCH) {
      const part = batch.slice(i, i + BATCH);
      try {
        const rows = await this.#store.add(part.map(([credentialId, window, count]) => [credentialId, window.start, count]));
        const totals = new Map(rows.map((row) => [`${row.credential_id} ${Number(row.window_start)}`, Number(row.count)]));
        for (const [credentialId, window, count] of part) {
          window.sending -= count;
          const total = totals.get(`${credentialId} ${window.start}`);
          if (total !== undefined) window.known = Math.max(window.known, total);
        }
      } catch (error) {
        // The database is away: keep deciding with what this instance knows, and send the counts later.
        for (const [, window, count] of part) {
          window.sending -= count;
          window.unsent += count;
        }
        this.#logger.warn({ err: error }, 'rate limit: could not share the call counts');
      }
    }
    if (nowMs - this.#lastPrune >= PRUNE_EVERY_MS) {
      this.#lastPrune = nowMs;
      await this.#store.prune(current - KEEP_SECONDS)
        .catch((error: unknown) => this.#logger.warn({ err: error }, 'rate limit: could not delete old windows'));
    }
  }
}
