// Reads of interfaces and their lines. The tenant filter scopes them to the
// caller's reseller: another reseller's interface is not there, so it answers
// not found like one that does not exist.
import { InterfaceOfferingLine, ShopInterface } from './interfaces.entity.ts';
import { notFound } from '../platform/rpc/errors.ts';
import type { Em } from '../platform/data/database.ts';

export function interfaceNotFound(key: string) {
  return notFound('INTERFACE_NOT_FOUND', 'interface', key);
}

export async function requireInterface(em: Em, key: string): Promise<ShopInterface> {
  const iface = await em.findOne(ShopInterface, { id: key });
  if (!iface) throw interfaceNotFound(key);
  return iface;
}

/** Every line of an interface, in the order ordered, with its offering. */
export async function linesOf(em: Em, iface: ShopInterface, where: { code?: string } = {}): Promise<InterfaceOfferingLine[]> {
  return em.find(InterfaceOfferingLine,
    { shopInterface: iface, ...(where.code ? { offering: { code: where.code } } : {}) },
    { populate: ['offering'], orderBy: { position: 'asc', id: 'asc' } });
}

/** The codes on the interface that have at least one line not cancelled. */
export async function liveCodes(em: Em, iface: ShopInterface): Promise<Set<string>> {
  const lines = await linesOf(em, iface);
  return new Set(lines.filter((l) => !l.cancelledAt).map((l) => l.offering.code));
}

/** The position the next line of this interface takes. */
export async function nextPosition(em: Em, iface: ShopInterface): Promise<number> {
  return em.count(InterfaceOfferingLine, { shopInterface: iface });
}

/** Whether any interface, of any reseller, uses this subdomain (it is a public host name). */
export async function subdomainsInUse(em: Em, candidates: string[]): Promise<Set<string>> {
  const rows = await em.find(ShopInterface, { subdomain: { $in: candidates } }, { fields: ['subdomain'], filters: { tenant: false } });
  return new Set(rows.map((r) => r.subdomain!));
}
