// The properties every stored object shares, and the tenant filter that scopes
// a reseller's data to that reseller wherever it is read.
import { p } from '@mikro-orm/core';
import { uuidv7 } from '../core/ids.ts';

/** id (time-ordered UUID), timestamps and an optimistic-lock version. */
export function baseProperties() {
  return {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    version: p.integer().version(),
  };
}

/**
 * Every entity that belongs to a reseller carries this filter. Each request's
 * EntityManager sets its `resellerId` parameter: a reseller's credential gets
 * its own id, staff get null (no restriction). A request that forgot to set it
 * fails instead of leaking another reseller's rows.
 */
export const tenantFilter = {
  tenant: {
    name: 'tenant',
    cond: (args: Record<string, unknown>) => (args.resellerId ? { reseller: args.resellerId } : {}),
    default: true,
  },
};

/** The opaque version string returned as `etag` and checked on updates. */
export function etagOf(entity: { version: number }): string {
  return `v${entity.version}`;
}

/**
 * The columns of an outbox table (platform/data/outbox.ts delivers its rows):
 * the delivery's state, its attempts and the claim a worker holds on it.
 */
export function outboxProperties<Status extends string = string>() {
  return {
    status: p.string().length(16).$type<Status>(),
    attempts: p.integer(),
    nextAttemptAt: p.datetime(),
    /** Set when a worker claims the row; only that worker may mark it sent. */
    claimToken: p.string().length(36).nullable(),
    /** A claim older than this is abandoned (the worker died) and may be taken again. */
    claimedUntil: p.datetime().nullable(),
    lastError: p.string().length(500).nullable(),
    sentAt: p.datetime().nullable(),
    /** How it went out: 'smtp', or 'outbox' (a file in OUTBOX_DIR when there is no gateway). */
    deliveredVia: p.string().length(8).nullable(),
  };
}
