// Reads of the catalog shared by the catalog and interface services.
import { Offering, Smartphone } from './catalog.entity.ts';
import { notFound } from '../platform/rpc/errors.ts';
import type { Em } from '../platform/data/database.ts';

export async function requireOffering(em: Em, code: string): Promise<Offering> {
  const offering = await em.findOne(Offering, { code });
  if (!offering) throw notFound('OFFERING_NOT_FOUND', 'offering', code, { metadata: { code } });
  return offering;
}

export async function requireSmartphone(em: Em, id: string): Promise<Smartphone> {
  const smartphone = await em.findOne(Smartphone, { id });
  if (!smartphone) throw notFound('SMARTPHONE_NOT_FOUND', 'smartphone', id);
  return smartphone;
}

/** The offerings with these codes, by code; codes that do not exist are simply absent. */
export async function offeringsByCode(em: Em, codes: Iterable<string>): Promise<Map<string, Offering>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await em.find(Offering, { code: { $in: unique } });
  return new Map(rows.map((o) => [o.code, o]));
}
