// The interface lifecycle's background work: installing PENDING interfaces
// once their installation is due, and deleting for good DEACTIVATED ones whose
// deletion time has come.
//
// Safe with several instances on one database: each row is claimed by a
// conditional UPDATE that only matches while the row is still in the state the
// job expects. The instance whose UPDATE matched records the transition in
// the same transaction; the others match nothing and record nothing. The
// version column is bumped too, so a request that read the row before
// (a DeleteInterface racing the installation) fails its optimistic lock
// instead of overwriting the transition.
import { raw } from '@mikro-orm/core';
import type { Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import { query } from '../platform/data/query.ts';
import { InterfaceEvent, ShopInterface, type InterfaceEventKind } from './interfaces.entity.ts';
import { siteUrls } from './lifecycle.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { writeAuditEvent } from '../audit/audit.queries.ts';
import type { Job, JobContext } from '../platform/data/jobs.ts';
import { ALL_RESELLERS } from '../platform/data/scope.ts';
import { interfaceByKey } from './interfaces.queries.ts';
import { recordEvent, type EventTypeName } from '../events/events.queries.ts';

/** The partner event each job transition is told as. */
const EVENT_OF: Record<'installed' | 'access_ended' | 'deleted', EventTypeName> = {
  installed: 'interface.activated', access_ended: 'interface.access_ended', deleted: 'interface.deleted',
};

/** Rows handled per run and job; the next run takes the rest. */
const BATCH = 200;

export interface InterfaceJobSettings {
  /** Interfaces are installed at https://<subdomain>.<domain>/. */
  domain: string;
}

interface Claimed {
  id: string;
  reseller: { id: string };
  guid: string;
}

/**
 * Moves one interface on if it is still as `expected`, and records the
 * transition twice in the same transaction: in its lifecycle history, and in
 * the audit trail (the console's history of the interface), attributed to the
 * job (the runner's call context). A bulk update is not seen by the audit
 * subscriber, so the event is written here.
 */
async function claim({ em, source }: JobContext, now: Date, row: Claimed, expected: Record<string, unknown>, change: Record<string, unknown>, kind: InterfaceEventKind & keyof typeof EVENT_OF): Promise<boolean> {
  return em.transactional(async (tx) => {
    const claimed = await tx.nativeUpdate(ShopInterface, { id: row.id, ...expected }, { ...change, updatedAt: now, version: raw('version + 1') });
    if (claimed !== 1) return false;
    await tx.insert(InterfaceEvent, { id: uuidv7(), reseller: row.reseller.id, shopInterface: row.id, kind, occurredAt: now });
    const db = { source, kysely: tx.getKysely() };
    // The end of access changes no field (the time was set by the deletion request): no audit event.
    if (Object.keys(change).length > 0) {
      await writeAuditEvent(db, {
        time: now, objectType: 'ShopInterface', objectId: row.id, resellerId: row.reseller.id, action: 'update',
        changedFields: Object.keys(change), label: row.guid,
      });
    }
    // Partners hear of it (webhooks, the stream) from the same transaction.
    const state = await interfaceByKey(db, ALL_RESELLERS, row.id, now);
    await recordEvent(db, { type: EVENT_OF[kind], resellerId: row.reseller.id, objectId: row.id, state: { case: 'interface', value: state }, time: now });
    return true;
  });
}

export async function installDueInterfaces(context: JobContext, settings: InterfaceJobSettings): Promise<number> {
  const { em, now, logger } = context;
  const due = await em.find(ShopInterface, { status: 'pending', installDueAt: { $lte: now } },
    { fields: ['id', 'reseller', 'subdomain', 'guid'], orderBy: { installDueAt: 'asc', id: 'asc' }, limit: BATCH });
  let installed = 0;
  for (const row of due) {
    try {
      const urls = siteUrls(row.subdomain!, settings.domain);
      const done = await claim(context, now, row, { status: 'pending' },
        { status: 'active', installedAt: now, url: urls.url, adminUrl: urls.adminUrl, formUrl: null }, 'installed');
      if (done) installed++;
    } catch (error) {
      logger.error({ err: error, interface: row.id }, 'installing an interface failed; retried at the next run');
    }
  }
  return installed;
}

export async function deleteDueInterfaces(context: JobContext): Promise<number> {
  const { em, now, logger } = context;
  const due = await em.find(ShopInterface, { status: 'deactivated', deletionAt: { $lte: now } },
    { fields: ['id', 'reseller', 'guid'], orderBy: { deletionAt: 'asc', id: 'asc' }, limit: BATCH });
  let deleted = 0;
  for (const row of due) {
    try {
      // The subdomain is freed for new interfaces; url keeps the old address for the record.
      const done = await claim(context, now, row, { status: 'deactivated', deletionAt: { $lte: now } },
        { status: 'deleted', deletedAt: now, subdomain: null }, 'deleted');
      if (done) deleted++;
    } catch (error) {
      logger.error({ err: error, interface: row.id }, 'deleting an interface failed; retried at the next run');
    }
  }
  return deleted;
}

type JobTables = InferKyselyDB<typeof ShopInterface | typeof InterfaceEvent>;

// DEACTIVATED interfaces whose access has ended (and not yet deleted) that
// have no access_ended transition since their deletion request.
const accessEndedQuery = query((db: Kysely<JobTables>, p: { now: Date; limit: number }) => db.selectFrom('shop_interface as i')
  .select(['i.id', 'i.reseller_id', 'i.guid', 'i.version'])
  .where('i.status', '=', 'deactivated').where('i.access_end_at', '<=', p.now)
  .where((eb) => eb.or([eb('i.deletion_at', 'is', null), eb('i.deletion_at', '>', p.now)]))
  .where((eb) => eb.not(eb.exists(eb.selectFrom('interface_event as e').select('e.id')
    .whereRef('e.shop_interface_id', '=', 'i.id').where('e.kind', '=', 'access_ended').whereRef('e.occurred_at', '>=', 'i.deletion_requested_at'))))
  .orderBy('i.access_end_at', 'asc').orderBy('i.id', 'asc').limit(p.limit));

/**
 * Records the end of access (the 1st of the month after a deletion request)
 * once per deletion request, so partners hear of it (interface.access_ended).
 * The status stays DEACTIVATED; the claim bumps the version.
 */
export async function endDueAccess(context: JobContext): Promise<number> {
  const { em, source, now, logger } = context;
  const due = await accessEndedQuery.run({ source, kysely: em.getKysely() }, ALL_RESELLERS, { now, limit: BATCH });
  let ended = 0;
  for (const row of due) {
    try {
      const done = await claim(context, now, { id: row.id, reseller: { id: row.reseller_id }, guid: row.guid },
        { status: 'deactivated', version: row.version }, {}, 'access_ended');
      if (done) ended++;
    } catch (error) {
      logger.error({ err: error, interface: row.id }, 'recording the end of an interface\'s access failed; retried at the next run');
    }
  }
  return ended;
}

export function interfaceJobs(settings: InterfaceJobSettings): Job[] {
  return [
    {
      name: 'interfaces.install',
      run: (context) => installDueInterfaces(context, settings),
      due: ({ em, now }) => em.count(ShopInterface, { status: 'pending', installDueAt: { $lte: now } }),
    },
    {
      name: 'interfaces.access-end',
      run: (context) => endDueAccess(context),
      due: async ({ em, source, now }) => (await accessEndedQuery.run({ source, kysely: em.getKysely() }, ALL_RESELLERS, { now, limit: BATCH })).length,
    },
    {
      name: 'interfaces.delete',
      run: (context) => deleteDueInterfaces(context),
      due: ({ em, now }) => em.count(ShopInterface, { status: 'deactivated', deletionAt: { $lte: now } }),
    },
  ];
}
