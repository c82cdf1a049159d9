// Reads of the access feature's entities that other features share.
import { Reseller } from './access.entity.ts';
import { notFound } from '../platform/rpc/errors.ts';
import type { Em } from '../platform/data/database.ts';

/** Finds a reseller or answers RESELLER_NOT_FOUND. */
export async function requireReseller(em: Em, resellerId: string): Promise<Reseller> {
  const reseller = await em.findOne(Reseller, { id: resellerId });
  if (!reseller) throw notFound('RESELLER_NOT_FOUND', 'reseller', resellerId);
  return reseller;
}
