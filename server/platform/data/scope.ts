// Whose rows a query may touch. Every query on a reseller-owned table is run
// with a Scope (platform/data/query.ts applies it): a reseller's credential
// sees its own rows only; staff and the server's own jobs see every reseller's.
import type { Principal } from '../security/principal.ts';

export type Scope =
  | { readonly kind: 'staff' }
  | { readonly kind: 'reseller'; readonly resellerId: string };

/** Every reseller's rows: staff, and the server's own background work. */
export const ALL_RESELLERS: Scope = Object.freeze({ kind: 'staff' });

/** The rows a principal may see. */
export function scopeOf(principal: Principal): Scope {
  return principal.resellerId ? { kind: 'reseller', resellerId: principal.resellerId } : ALL_RESELLERS;
}

/** The one reseller a scope is limited to, or null for every reseller. */
export function resellerOf(scope: Scope): string | null {
  return scope.kind === 'reseller' ? scope.resellerId : null;
}
