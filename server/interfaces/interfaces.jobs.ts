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
import type { Em } from '../platform/data/database.ts';
import type { Job, JobContext } from '../platform/data/jobs.ts';

/** Rows handled per run and job; the next run takes the rest. */
const BATCH = 200;

export interface InterfaceJobSettings {
  /** Interfaces are installed at https://<subdomain>.<domain>/. */
  domain: string;
}

async function claim(em: Em, now: Date, id: string, resellerId: string, expected: Record<string, unknown>, change: Record<string, unknown>, kind: InterfaceEventKind): Promise<boolean> {
  return em.transactional(async (tx) => {
    const claimed = await tx.nativeUpdate(ShopInterface, { id, ...expected }, { ...change, updatedAt: now, version: raw('version + 1') });
    if (claimed !== 1) return false;
    await tx.insert(InterfaceEvent, { id: uuidv7(), reseller: resellerId, shopInterface: id, kind, occurredAt: now });
    return true;
  });
}

export async function installDueInterfaces({ em, now, logger }: JobContext, settings: InterfaceJobSettings): Promise<number> {
  const due = await em.find(ShopInterface, { status: 'pending', installDueAt: { $lte: now } },
    { fields: ['id', 'reseller', 'subdomain'], orderBy: { installDueAt: 'asc', id: 'asc' }, limit: BATCH });
  let installed = 0;
  for (const row of due) {
    try {
      const urls = siteUrls(row.subdomain!, settings.domain);
      const done = await claim(em, now, row.id, row.reseller.id, { status: 'pending' },
        { status: 'active', installedAt: now, url: urls.url, adminUrl: urls.adminUrl, formUrl: null }, 'installed');
      if (done) installed++;
    } catch (error) {
      logger.error({ err: error, interface: row.id }, 'installing an interface failed; retried at the next run');
    }
  }
  return installed;
}

export async function deleteDueInterfaces({ em, now, logger }: JobContext): Promise<number> {
  const due = await em.find(ShopInterface, { status: 'deactivated', deletionAt: { $lte: now } },
    { fields: ['id', 'reseller'], orderBy: { deletionAt: 'asc', id: 'asc' }, limit: BATCH });
  let deleted = 0;
  for (const row of due) {
    try {
      // The subdomain is freed for new interfaces; url keeps the old address for the record.
      const done = await claim(em, now, row.id, row.reseller.id, { status: 'deactivated', deletionAt: { $lte: now } },
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
