// GetInterface through a prepared statement (server/platform/data/reads.ts): the
// row the ORM reads in requireInterface (`reseller_id = ?` for a reseller's
// principal, as its tenant filter; nothing for staff), handed to the same
// interfaceMessage with the same clock, without the ORM's query building,
// hydration and identity map.
import type { Reads } from '../platform/data/reads.ts';
import type { InterfaceStatusName } from './interfaces.entity.ts';
import { interfaceNotFound } from './interfaces.repository.ts';

interface InterfaceRow {
  id: string;
  reseller_id: string;
  guid: string;
  status: InterfaceStatusName;
  subdomain: string | null;
  url: string | null;
  admin_url: string | null;
  form_url: string | null;
  contact_last_name: string;
  contact_first_name: string;
  contact_company: string;
  contact_address: string;
  contact_postal_code: string;
  contact_city: string;
  contact_country: string;
  contact_phone: string;
  contact_email: string;
  contact_rcs: string;
  contact_ape: string;
  created_at: unknown;
  installed_at: unknown;
  deletion_requested_at: unknown;
  access_end_at: unknown;
  deletion_at: unknown;
  reactivated_at: unknown;
  version: number;
}

// What interfaceMessage reads, and no more.
const INTERFACE = `select id, reseller_id, guid, status, subdomain, url, admin_url, form_url,
  contact_last_name, contact_first_name, contact_company, contact_address, contact_postal_code, contact_city, contact_country,
  contact_phone, contact_email, contact_rcs, contact_ape,
  created_at, installed_at, deletion_requested_at, access_end_at, deletion_at, reactivated_at, version
  from shop_interface where id = ?`;
const INTERFACE_OF_RESELLER = `${INTERFACE} and reseller_id = ?`;

/** GetInterface's interface as interfaceMessage reads it, or INTERFACE_NOT_FOUND. `resellerId` null: staff. */
export async function readInterface(reads: Reads, key: string, resellerId: string | null) {
  const [row] = resellerId
    ? await reads.all<InterfaceRow>(INTERFACE_OF_RESELLER, [key, resellerId])
    : await reads.all<InterfaceRow>(INTERFACE, [key]);
  if (!row) throw interfaceNotFound(key);
  const date = (value: unknown) => (value === null || value === undefined ? null : reads.date(value));
  return {
    id: row.id, reseller: { id: row.reseller_id }, guid: row.guid, status: row.status, subdomain: row.subdomain,
    url: row.url, adminUrl: row.admin_url, formUrl: row.form_url,
    contact: {
      lastName: row.contact_last_name, firstName: row.contact_first_name, company: row.contact_company, address: row.contact_address,
      postalCode: row.contact_postal_code, city: row.contact_city, country: row.contact_country, phone: row.contact_phone,
      email: row.contact_email, rcs: row.contact_rcs, ape: row.contact_ape,
    },
    createdAt: reads.date(row.created_at), installedAt: date(row.installed_at), deletionRequestedAt: date(row.deletion_requested_at),
    accessEndAt: date(row.access_end_at), deletionAt: date(row.deletion_at), reactivatedAt: date(row.reactivated_at), version: row.version,
  };
}
