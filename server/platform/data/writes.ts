// Plain-SQL writes for the hot creates (RegisterClient): SQL written once, no
// unit of work. A CPU profile of RegisterClient on SQLite had the ORM's
// change sets, query building and better-sqlite3's `prepare` of every
// statement (the ORM inlines values into its SQL, so each call's statement is
// new) as most of the call.
//
// Only inside a transaction (idempotent()'s, or the group commit's savepoint):
// SQLite: the statement runs on the ORM's own better-sqlite3 handle, prepared
// once and cached. SQLite has one connection and the transaction holds it, so
// the statement is part of that transaction (and of the call's savepoint).
// PostgreSQL: through the EntityManager, on its transaction's connection.
// The SQL uses `?` placeholders on both. Errors come out as the ORM's
// (UniqueConstraintViolationException, ...), as from a flush.
import type { Em } from './database.ts';
import { preparedOnce, type SqliteDatabase, type SqliteStatement } from './reads.ts';

interface Target { sqlite?: (sql: string) => SqliteStatement }

const targets = new WeakMap<object, Target>();

async function targetOf(tx: Em): Promise<Target> {
  const connection = tx.getConnection();
  let target = targets.get(connection);
  if (!target) {
    const native = await connection.getNativeClient() as unknown;
    const isSqlite = typeof (native as SqliteDatabase).prepare === 'function' && typeof (native as { pragma?: unknown }).pragma === 'function';
    target = isSqlite ? { sqlite: preparedOnce(native as SqliteDatabase) } : {};
    targets.set(connection, target);
  }
  return target;
}

/** A time as the ORM stores it: SQLite epoch milliseconds; PostgreSQL the Date (formatted by the ORM). */
export function timeValue(tx: Em, date: Date): Date | number {
  return tx.getPlatform().processDateProperty(date) as Date | number;
}

/** Runs one insert/update/delete in `tx`'s transaction. */
export async function write(tx: Em, sql: string, params: readonly unknown[]): Promise<void> {
  if (!tx.isInTransaction()) throw new Error('write() runs only inside a transaction');
  const { sqlite } = await targetOf(tx);
  if (!sqlite) {
    await tx.execute(sql, params as unknown[], 'run');
    return;
  }
  try {
    sqlite(sql).run(...params);
  } catch (error) {
    throw tx.getDriver().convertException(error as Error);
  }
}
