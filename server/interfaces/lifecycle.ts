// The time rules of an interface's lifecycle (seed 003), all computed from the
// injected clock's "now": access ends on the 1st of the month after a deletion
// request, the final deletion comes 90 days after it.
import type { InterfaceStatusName, ShopInterface } from './interfaces.entity.ts';

export const DELETION_GRACE_DAYS = 90;
const DAY_MS = 86_400_000;

/** Midnight UTC on the 1st of the month after `requested` (a request on the 1st still waits a month). */
export function accessEndAfter(requested: Date): Date {
  return new Date(Date.UTC(requested.getUTCFullYear(), requested.getUTCMonth() + 1, 1));
}

/** 90 days to the millisecond after the request. */
export function deletionAfter(requested: Date): Date {
  return new Date(requested.getTime() + DELETION_GRACE_DAYS * DAY_MS);
}

/**
 * The status as the rules see it at `now`. A DEACTIVATED interface whose
 * deletion time has passed is DELETED even before the deletion job has
 * written it: reads and ReactivateInterface never depend on how late the job runs.
 */
export function statusAt(iface: Pick<ShopInterface, 'status' | 'deletionAt'>, now: Date): InterfaceStatusName {
  if (iface.status === 'deactivated' && iface.deletionAt && iface.deletionAt.getTime() <= now.getTime()) return 'deleted';
  return iface.status;
}

export function siteUrls(subdomain: string, domain: string): { url: string; adminUrl: string } {
  const url = `https://${subdomain}.${domain}/`;
  // The seed's example: the administration space lives under /superadmin/.
  return { url, adminUrl: `${url}superadmin/` };
}

export function interfaceFormUrl(domain: string, key: string): string {
  return `https://forms.${domain}/projects/${key}`;
}

export function lineFormUrl(domain: string, key: string, reference: string): string {
  return `https://forms.${domain}/projects/${key}/lines/${reference}`;
}
