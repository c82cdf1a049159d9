// Prepared reads for the hot paths (the credential check, GetClient,
// ListClients, ...): SQL written once, prepared once, run without the ORM's
// hydration and identity map. A CPU profile of GetClient showed the ORM's
// query building and hydration costing ten times the framework itself.
//
// SQLite: a second connection to the same file, kept read-only (query_only),
// with its better-sqlite3 statements cached. In WAL mode its reads see every
// committed write and never wait for the writer, and they can never see a
// transaction the ORM's connection has open (another call's uncommitted rows).
// The reads of one event-loop turn share one read transaction (see
// sqliteReads): a commit on the ORM's connection ends it at once, so a read
// made after a commit of this process always sees it; another process's
// commit is seen from the next turn.
// An in-memory database cannot be opened twice: there, no prepared reads, and
// callers use the ORM as before.
// PostgreSQL: named prepared statements through the ORM's own pg pool.
//
// The SQL uses `?` placeholders on both databases. Tenancy is the caller's
// job: every statement on a reseller's data takes `reseller_id = ?` for a
// reseller's principal (see the feature's *.reads.ts).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DatabaseConfig } from '../core/config.ts';
import type { Em, Orm } from './database.ts';

export interface Reads {
  readonly kind: 'sqlite' | 'postgresql';
  /** Runs a read-only statement (prepared on first use, then reused) and returns its rows. */
  all<T extends object>(sql: string, params: readonly unknown[]): Promise<T[]>;
  /** A time column's value as a Date, as the ORM reads it (SQLite: epoch milliseconds; PostgreSQL: its text). */
  date(value: unknown): Date;
  close(): void;
}

/** A time as the database compares it in a where-clause. */
export function timeParam(reads: Reads, date: Date): Date | number {
  return reads.kind === 'sqlite' ? date.getTime() : date;
}

/** What we use of better-sqlite3 (the ORM's own copy of it: no second dependency to keep in step): here, writes.ts, rate-limit.ts. */
export interface SqliteStatement { all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown; get?(...params: unknown[]): unknown; readonly readonly?: boolean }
export interface SqliteDatabase { prepare(sql: string): SqliteStatement; pragma(text: string): unknown; exec(sql: string): unknown; close(): void; readonly inTransaction?: boolean }
export type SqliteDatabaseClass = new (path: string, options?: { fileMustExist?: boolean }) => SqliteDatabase;

/** A better-sqlite3 handle's statements, each prepared on first use and then reused (reads here, writes.ts's inserts). */
export function preparedOnce<S>(db: { prepare(sql: string): S }): (sql: string) => S {
  const statements = new Map<string, S>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

/**
 * Calls `onCommit` after each statement on `db` that ends a write: a COMMIT
 * (or ROLLBACK), or a write run outside a transaction. better-sqlite3 has no
 * commit hook, and every statement goes through prepare() (the ORM's query
 * builder, writes.ts, transactions.ts) or exec(), so those are wrapped.
 */
export function watchCommits(db: SqliteDatabase, onCommit: () => void): void {
  const prepare = db.prepare.bind(db);
  const exec = db.exec.bind(db);
  const ended = (wasInTransaction: boolean, writes: boolean) => {
    if (!db.inTransaction && (wasInTransaction || writes)) onCommit();
  };
  db.prepare = (sql) => {
    const statement = prepare(sql);
    for (const name of ['run', 'all', 'get'] as const) {
      const method = statement[name]?.bind(statement);
      if (!method) continue;
      statement[name] = (...params: unknown[]) => {
        const wasInTransaction = db.inTransaction === true;
        try {
          return method(...params) as never;
        } finally {
          ended(wasInTransaction, statement.readonly !== true);
        }
      };
    }
    return statement;
  };
  db.exec = (sql) => {
    const wasInTransaction = db.inTransaction === true;
    try {
      return exec(sql);
    } finally {
      ended(wasInTransaction, true);
    }
  };
}

/** `writer`: the ORM's connection, whose driver opens this one and whose commits end a shared read transaction. */
function sqliteReads(writer: SqliteDatabase, path: string): Reads {
  const db = new (writer.constructor as SqliteDatabaseClass)(path, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('query_only = 1');
  // Its own page cache, large enough for the hot indexes:
  // with the default 2 MB cache a read of a random client went to the kernel.
  db.pragma('cache_size = -65536');
  // Not memory-mapped. Mapped, a read of a page not in the WAL is a memory
  // load (17 µs a GetClient statement against 38 µs through read() calls)
  // while nothing writes; but after any commit of the writer (a create, the
  // rate limiter's counts) the mapped reads cost 3 to 10 times as much
  // (GetClient's two statements: 33 µs with no writes, 163 µs with a commit
  // every 130 reads, 345 µs with one every 10; unmapped 48, 53 and 71 µs).
  // Under the bench's GetClient load: 1,305 req/s mapped, 1,870 unmapped.
  db.pragma('mmap_size = 0');
  const statement = preparedOnce(db);
  // The reads of one event-loop turn share one read transaction, ended when
  // the turn's callbacks are done (setImmediate). Each read transaction in WAL
  // mode takes and releases a lock on the -shm file, two system calls that
  // were a quarter of GetClient's statement; under load one turn serves about
  // 45 calls, so they now cost one pair a turn. A commit on the writer ends
  // the shared transaction at once (watchCommits), so a read after a commit
  // of this process sees it. A commit by another process on the same file is
  // seen from the next turn: reads of the current one may still miss it.
  const begin = db.prepare('begin');
  const commit = db.prepare('commit');
  let open = false;
  let endScheduled = false;
  const end = () => {
    if (!open) return;
    open = false;
    commit.run();
  };
  watchCommits(writer, end);
  return {
    kind: 'sqlite',
    async all<T extends object>(sql: string, params: readonly unknown[]) {
      if (!open) {
        begin.run();
        open = true;
        if (!endScheduled) {
          endScheduled = true;
          setImmediate(() => {
            endScheduled = false;
            end();
          });
        }
      }
      try {
        return statement(sql).all(...params) as T[];
      } catch (error) {
        end();
        throw error;
      }
    },
    date: (value) => new Date(Number(value)),
    close: () => {
      end();
      db.close();
    },
  };
}

function postgresReads(pool: pg.Pool, parseDate: (value: unknown) => Date): Reads {
  const prepared = new Map<string, { name: string; text: string }>();
  return {
    kind: 'postgresql',
    async all<T extends object>(sql: string, params: readonly unknown[]) {
      let statement = prepared.get(sql);
      if (!statement) {
        let n = 0;
        const text = sql.replace(/\?/g, () => `$${++n}`);
        statement = { name: `r_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`, text };
        prepared.set(sql, statement);
      }
      const result = await pool.query<T & pg.QueryResultRow>({ ...statement, values: params as unknown[] });
      return result.rows;
    },
    date: (value) => (value instanceof Date ? value : parseDate(value)),
    close: () => undefined,
  };
}

/** The ORM's own better-sqlite3 class, to open more connections with (no second copy of the driver to keep in step). */
export async function sqliteDriver(orm: Orm): Promise<SqliteDatabaseClass> {
  return (await sqliteNative(orm)).constructor as SqliteDatabaseClass;
}

/** The ORM's own better-sqlite3 connection (the writer). */
async function sqliteNative(orm: Orm): Promise<SqliteDatabase> {
  return await (orm.em as Em).getConnection().getNativeClient() as SqliteDatabase;
}

/** Prepared reads beside the ORM, or undefined where there can be none (SQLite in memory). */
export async function openReads(database: DatabaseConfig, orm: Orm): Promise<Reads | undefined> {
  if (database.kind === 'sqlite') {
    if (database.path === ':memory:' || database.path === '') return undefined;
    return sqliteReads(await sqliteNative(orm), database.path);
  }
  const pool = await (orm.em as Em).getConnection().getNativeClient() as pg.Pool;
  const platform = orm.em.getPlatform() as unknown as { parseDate(value: unknown): Date };
  return postgresReads(pool, (value) => platform.parseDate(value));
}
