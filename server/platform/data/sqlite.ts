// The SQLite connections the ORM runs on, given to it as Kysely dialects
// through its `driverOptions` (the extension point MikroORM's SQL driver
// offers for bringing one's own dialect): a writer, and a read-only reader
// declared as the ORM's read replica, so that reads outside a transaction
// (every read method) never wait for the writer or see a transaction it has
// open (another call's uncommitted rows). Both are better-sqlite3 handles of
// our own, wrapped to keep their prepared statements: Kysely's SQLite driver
// prepares every statement anew, and a prepare cost GetClient about as much as
// running its statement. Measured: docs/performance.md.
//
// The reads of one event-loop turn share one read transaction, ended when the
// turn's callbacks are done (setImmediate): each WAL read transaction takes
// and releases a lock on the -shm file, two system calls that were a quarter
// of GetClient's statement. A commit on the writer ends the shared read at
// once, so a read made after a commit of this process always sees it; a commit
// by another process on the same file is seen from the next turn.
import Database from 'better-sqlite3';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

/** What better-sqlite3 offers that we use, beyond Kysely's interface. */
interface NativeStatement extends SqliteStatement {
  readonly readonly: boolean;
}
interface NativeDatabase {
  prepare(sql: string): NativeStatement;
  pragma(text: string): unknown;
  exec(sql: string): unknown;
  close(): void;
  readonly inTransaction: boolean;
}

/** Called with every statement run, and the parameters it ran with (tests record them). */
export type StatementListener = (sql: string, parameters: readonly unknown[]) => void;

/** Prepared statements kept per connection; the ORM's own statements repeat, but not forever. */
const STATEMENTS_KEPT = 2000;

/**
 * A connection whose statements are prepared once. `afterRun` is told after
 * each statement runs, with whether a transaction was open before it.
 */
class CachedDatabase implements SqliteDatabase {
  readonly native: NativeDatabase;
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #wrap: (sql: string, statement: NativeStatement) => SqliteStatement;
  readonly #beforeClose: () => void;

  constructor(native: NativeDatabase, wrap: (sql: string, statement: NativeStatement) => SqliteStatement, beforeClose = () => {}) {
    this.native = native;
    this.#wrap = wrap;
    this.#beforeClose = beforeClose;
  }

  prepare(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= STATEMENTS_KEPT) this.#statements.delete(this.#statements.keys().next().value!);
      statement = this.#wrap(sql, this.native.prepare(sql));
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.#beforeClose();
    this.#statements.clear();
    this.native.close();
  }
}

export interface SqliteConnections {
  /** The ORM's connection: every write, and reads inside transactions. */
  writer: SqliteDialect;
  /** The ORM's read replica; undefined for an in-memory database, which cannot be opened twice. */
  reader?: SqliteDialect;
}

/** A plain better-sqlite3 connection (database.ts takes its migration lock with one). */
export function open(path: string): NativeDatabase {
  return new Database(path) as unknown as NativeDatabase;
}

export function sqliteConnections(path: string, onStatement?: StatementListener): SqliteConnections {
  const writerNative = open(path);
  // WAL lets readers run beside the writer; busy_timeout waits out a writer
  // of another process instead of failing at once.
  // (busy_timeout first: switching a new file to WAL waits for another process doing the same.)
  writerNative.pragma('busy_timeout = 5000');
  writerNative.pragma('journal_mode = WAL');
  writerNative.pragma('synchronous = FULL');

  const inMemory = path === ':memory:' || path === '';
  const reader = inMemory ? undefined : turnReader(path, onStatement);

  const writer = new CachedDatabase(writerNative, (sql, statement) => {
    // A statement that ends a write: a COMMIT (or ROLLBACK), or a write run
    // outside a transaction. The reader's shared transaction ends with it.
    const ran = (wasInTransaction: boolean) => {
      if (!writerNative.inTransaction && (wasInTransaction || !statement.readonly)) reader?.endTurn();
    };
    return {
      reader: statement.reader,
      all(parameters) {
        onStatement?.(sql, parameters);
        const was = writerNative.inTransaction;
        try {
          return statement.all(parameters);
        } finally {
          ran(was);
        }
      },
      run(parameters) {
        onStatement?.(sql, parameters);
        const was = writerNative.inTransaction;
        try {
          return statement.run(parameters);
        } finally {
          ran(was);
        }
      },
      iterate: (parameters) => statement.iterate(parameters),
    };
  });
  return {
    writer: new SqliteDialect({ database: writer }),
    reader: reader && new SqliteDialect({ database: reader.database }),
  };
}

/** The read-only connection, whose reads of one event-loop turn share a read transaction. */
function turnReader(path: string, onStatement?: StatementListener) {
  const native = open(path);
  native.pragma('busy_timeout = 5000');
  native.pragma('query_only = 1');
  // Its own page cache, large enough for the hot indexes: with the default
  // 2 MB a read of a random client went to the kernel.
  native.pragma('cache_size = -65536');
  // Not memory-mapped: after any commit of the writer, mapped reads cost 3 to
  // 10 times as much (measured: docs/performance.md).
  native.pragma('mmap_size = 0');
  const begin = native.prepare('begin');
  const commit = native.prepare('commit');
  let inTurn = false;
  let endScheduled = false;
  const endTurn = () => {
    if (!inTurn) return;
    inTurn = false;
    commit.run([]);
  };
  const startTurn = () => {
    if (inTurn) return;
    begin.run([]);
    inTurn = true;
    if (!endScheduled) {
      endScheduled = true;
      setImmediate(() => {
        endScheduled = false;
        endTurn();
      });
    }
  };
  const database = new CachedDatabase(native, (sql, statement) => ({
    reader: statement.reader,
    all(parameters) {
      onStatement?.(sql, parameters);
      startTurn();
      try {
        return statement.all(parameters);
      } catch (error) {
        endTurn();
        throw error;
      }
    },
    run(parameters) {
      // Statements that are not reads (the ORM's pragmas at connect) run outside the shared read.
      onStatement?.(sql, parameters);
      endTurn();
      return statement.run(parameters);
    },
    iterate: (parameters) => statement.iterate(parameters),
  }), endTurn);
  return { database, endTurn };
}

/** A separate SQLite file of ours (the rate limiter's shared counts), opened with the same driver. */
export function openSqliteFile(path: string): NativeDatabase {
  return open(path);
}
