// What the interceptors put into each call's context for the handlers to read.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createContextKey, type HandlerContext } from '@connectrpc/connect';
import type { Em } from '../data/database.ts';
import type { DataSource, Db } from '../data/query.ts';
import { scopeOf as scopeOfPrincipal, type Scope } from '../data/scope.ts';
import { ownTransaction, type RunInTransaction } from '../data/transactions.ts';
import type { Principal } from '../security/principal.ts';

export type { Principal };

export const kRequestId = createContextKey<string>('', { description: 'request id' });
export const kPrincipal = createContextKey<Principal | undefined>(undefined, { description: 'authenticated principal' });
/** The caller's network address (the TCP peer; proxies' X-Forwarded-For is not trusted). */
export const kRemoteAddress = createContextKey<string | undefined>(undefined, { description: 'remote address' });
/**
 * The face a call came in through when it did not come off the wire itself
 * (`legacy`: a seed's REST face calling in-process), for the logs and the
 * metrics' protocol label. Unset: the wire protocol (connect, grpc, grpc-web).
 */
export const kFace = createContextKey<string | undefined>(undefined, { description: 'in-process face' });
/** The call's EntityManager, forked on first use: calls served by queries alone never fork one. */
export const kEm = createContextKey<(() => Em) | undefined>(undefined, { description: 'request EntityManager' });
/** Where the call's queries run (platform/data/query.ts). */
export const kData = createContextKey<DataSource | undefined>(undefined, { description: 'data source' });

export function principalOf(ctx: HandlerContext): Principal {
  const principal = ctx.values.get(kPrincipal);
  if (!principal) throw new Error('no principal in context: the auth interceptor did not run');
  return principal;
}

export function emOf(ctx: HandlerContext): Em {
  const em = ctx.values.get(kEm);
  if (!em) throw new Error('no EntityManager in context: the database interceptor did not run');
  return em();
}

/** How creates run their transaction: grouped commits on SQLite (server/platform/data/transactions.ts). */
export const kTransaction = createContextKey<RunInTransaction>(ownTransaction, { description: 'transaction runner' });

function sourceOf(ctx: HandlerContext): DataSource {
  const source = ctx.values.get(kData);
  if (!source) throw new Error('no data source in context: the database interceptor did not run');
  return source;
}

const readers = new WeakMap<DataSource, Db>();

/** Queries outside any transaction (read methods): the read replica on SQLite. */
export function readerOf(ctx: HandlerContext): Db {
  const source = sourceOf(ctx);
  let reader = readers.get(source);
  if (!reader) readers.set(source, reader = { source, kysely: source.reader });
  return reader;
}

/** Queries inside `tx`'s transaction: they see its writes (write methods' answers, after the flush). */
export function dbIn(ctx: HandlerContext, tx: Em): Db {
  return { source: sourceOf(ctx), kysely: tx.getKysely() };
}

/** The rows the caller may see: its reseller's, or every reseller's for staff. */
export function scopeOf(ctx: HandlerContext): Scope {
  return scopeOfPrincipal(principalOf(ctx));
}

/** Who is calling what, for code far from the handler (the audit trail, jobs). */
export interface CallInfo {
  requestId: string;
  /** `package.Service/Method`, or `job:<name>` for background work. */
  method: string;
  /** Unset for the server's own background jobs. */
  principal?: Principal;
}

export const callContext = new AsyncLocalStorage<CallInfo>();

/**
 * For the open methods that find out who is calling themselves (a staff
 * person signing in): the principal the rest of the call acts as, so the
 * audit trail names them.
 */
export function actAs(principal: Principal): void {
  const call = callContext.getStore();
  if (call) call.principal = principal;
}
