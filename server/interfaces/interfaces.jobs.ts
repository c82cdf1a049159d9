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
import { InterfaceEvent, ShopInterface, type InterfaceEventKind } from './interfaces.entity.ts';
import { siteUrls } from './lifecycle.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { writeAuditEvent } from '../audit/audit.queries.ts';
import type { Job, JobContext } from '../platform/data/jobs.ts';
import { ALL_RESELLERS } from '../platform/data/scope.ts';
import { interfaceByKey } from './interfaces.queries.ts';
import { recordEvent, type EventTypeName } from '../events/events.queries.ts';

/** The partner event each job transition is told as. */
const EVENT_OF: Record<'installed' | 'deleted', EventTypeName> = { installed: 'interface.activated', deleted: 'interface.deleted' };

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
async function claim({ em, source }: JobContext, now: Date, row: Claimed, expected: Record<string, unknown>, change: Record<string, unknown>, kind: InterfaceEventKind & ('installed' | 'deleted')): Promise<boolean> {
  return em.transactional(async (tx) => {
    const claimed = await tx.nativeUpdate(ShopInterface, { id: row.id, ...expected }, { ...change, updatedAt: now, version: raw('version + 1') });
    if (claimed !== 1) return false;
    await tx.insert(InterfaceEvent, { id: uuidv7(), reseller: row.reseller.id, shopInterface: row.id, kind, occurredAt: now });
    const db = { source, kysely: tx.getKysely() };
    await writeAuditEvent(db, {
      time: now, objectType: 'ShopInterface', objectId: row.id, resellerId: row.reseller.id, action: 'update',
      changedFields: Object.keys(change), label: row.guid,
    });
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

export function interfaceJobs(settings: InterfaceJobSettings): Job[] {
  return [
    {
      name: 'interfaces.install',
      run: (context) => installDueInterfaces(context, settings),
      due: ({ em, now }) => em.count(ShopInterface, { status: 'pending', installDueAt: { $lte: now } }),
    },
    {
      name: 'interfaces.delete',
      run: (context) => deleteDueInterfaces(context),
      due: ({ em, now }) => em.count(ShopInterface, { status: 'deactivated', deletionAt: { $lte: now } }),
    },
  ];
}
