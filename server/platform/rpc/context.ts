// What the interceptors put into each call's context for the handlers to read.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createContextKey, type HandlerContext } from '@connectrpc/connect';
import type { Em } from '../data/database.ts';
import type { Reads } from '../data/reads.ts';
import { ownTransaction, type RunInTransaction } from '../data/transactions.ts';
import type { Principal } from '../security/principal.ts';

export type { Principal };

export const kRequestId = createContextKey<string>('', { description: 'request id' });
export const kPrincipal = createContextKey<Principal | undefined>(undefined, { description: 'authenticated principal' });
/** The caller's network address (the TCP peer; proxies' X-Forwarded-For is not trusted). */
export const kRemoteAddress = createContextKey<string | undefined>(undefined, { description: 'remote address' });
/** The call's EntityManager, forked on first use: calls served by prepared reads never fork one. */
export const kEm = createContextKey<(() => Em) | undefined>(undefined, { description: 'request EntityManager' });
/** Prepared reads (server/platform/data/reads.ts); undefined where there are none (SQLite in memory). */
export const kReads = createContextKey<Reads | undefined>(undefined, { description: 'prepared reads' });

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

export function readsOf(ctx: HandlerContext): Reads | undefined {
  return ctx.values.get(kReads);
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
