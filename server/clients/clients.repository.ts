// Reads of clients, sites and equipment. The tenant filter on every entity
// scopes them to the caller's reseller; a row of another reseller is simply
// not there, so it answers not found like a row that does not exist.
import { Client, Equipment, Site } from './clients.entity.ts';
import { notFound } from '../platform/rpc/errors.ts';
import type { Em } from '../platform/data/database.ts';

export async function requireClient(em: Em, id: string): Promise<Client> {
  const client = await em.findOne(Client, { id });
  if (!client) throw notFound('CLIENT_NOT_FOUND', 'client', id);
  return client;
}

/** A site with its client and its equipment count (a column the database keeps: no extra query). */
export async function requireSite(em: Em, id: string): Promise<Site> {
  const site = await em.findOne(Site, { id }, { populate: ['client', 'equipmentCount'] });
  if (!site) throw notFound('SITE_NOT_FOUND', 'site', id);
  return site;
}

export async function requireEquipment(em: Em, id: string): Promise<Equipment> {
  const equipment = await em.findOne(Equipment, { id }, { populate: ['client'] });
  if (!equipment) throw notFound('EQUIPMENT_NOT_FOUND', 'equipment', id);
  return equipment;
}

