// Group commit on SQLite: creates that arrive together share one transaction,
// each in its own SAVEPOINT, so that one durable commit (one fsync:
// synchronous=FULL stays) covers several calls. A profile of RegisterClient
// had the commit's fsync, which better-sqlite3 runs on the event loop, as the
// largest single cost of the call.
//
// A call's work runs in the call's own async context (its audit trail and
// request id stay its own) and on the call's own EntityManager (its tenant
// filter), inside a savepoint of the shared transaction: a call that fails
// rolls back to its savepoint and fails alone; the others commit. A call
// answers only once the shared transaction has committed. If the commit itself
// fails, every call in it fails.
//
// The work must use only the EntityManager it is given: SQLite has one
// connection, which the shared transaction holds, so a query on any other
// EntityManager would wait for a commit that waits for it.
//
// PostgreSQL commits in parallel on its pool: there, each call has its own
// transaction as before.
import { AsyncResource } from 'node:async_hooks';
import type { Transaction } from '@mikro-orm/core';
import type { Em, Orm } from './database.ts';

/** Runs `work` in a transaction on `em` (the call's EntityManager) and resolves once it is committed. */
export type RunInTransaction = <T>(em: Em, work: (tx: Em) => Promise<T>) => Promise<T>;

/** Each call its own transaction. */
export const ownTransaction: RunInTransaction = (em, work) => em.transactional((tx) => work(tx as Em));

/** The most calls one commit covers. */
const MAX_BATCH = 64;

interface Pending {
  run: (ctx: Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export function groupCommit(orm: Orm): RunInTransaction {
  const queue: Pending[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) {
        const batch: { pending: Pending; ok: boolean; value?: unknown; error?: unknown }[] = [];
        try {
          await (orm.em.fork() as Em).transactional(async (shared) => {
            const ctx = shared.getTransactionContext()!;
            // Calls that arrive while the batch works join it, up to MAX_BATCH.
            // SQLite's work is synchronous under its promises, so the event loop
            // reads no new request while a batch runs: before committing, let it
            // take one turn to see whether more calls are waiting.
            while (batch.length < MAX_BATCH) {
              if (queue.length === 0) await new Promise((resolve) => setImmediate(resolve));
              if (queue.length === 0) break;
              const pending = queue.shift()!;
              const entry: (typeof batch)[number] = { pending, ok: false };
              batch.push(entry);
              try {
                entry.value = await pending.run(ctx);
                entry.ok = true;
              } catch (error) {
                entry.error = error;
              }
            }
          });
        } catch (commitError) {
          for (const entry of batch) { entry.ok = false; entry.error ??= commitError; }
        }
        for (const { pending, ok, value, error } of batch) {
          if (ok) pending.resolve(value);
          else pending.reject(error);
        }
      }
    } finally {
      draining = false;
    }
  }

  // Each call's work runs in a savepoint of the shared transaction, on a fork
  // of the call's EntityManager that keeps its tenant filter and event
  // subscribers, flushed before the savepoint is released. The statements go
  // through the ORM's connection, in the shared transaction. (MikroORM's
  // nested em.transactional() does the same with a second fork and its
  // transaction events, none of which we use: 19 to 32 µs a call against 11
  // to 14 µs, measured in a loop.) Calls of a batch run one after the other,
  // so one savepoint name serves them all.
  async function inSavepoint<T>(em: Em, work: (tx: Em) => Promise<T>, ctx: Transaction): Promise<T> {
    const tx = em.fork({ clear: false }) as Em;
    tx.setTransactionContext(ctx);
    const connection = tx.getConnection();
    await connection.execute('savepoint group_commit_call', [], 'run', ctx);
    try {
      const value = await work(tx);
      await tx.flush();
      await connection.execute('release group_commit_call', [], 'run', ctx);
      return value;
    } catch (error) {
      await connection.execute('rollback to group_commit_call', [], 'run', ctx);
      await connection.execute('release group_commit_call', [], 'run', ctx);
      throw error;
    }
  }

  return <T>(em: Em, work: (tx: Em) => Promise<T>) => new Promise<T>((resolve, reject) => {
    // Bound to the caller's async context: the audit subscriber reads the call from it.
    const run = AsyncResource.bind((ctx: Transaction) => inSavepoint(em, work, ctx));
    queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
    if (!draining) void drain();
  });
}
