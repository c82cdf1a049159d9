// Reads of accounts and families. The tenant filter scopes every entity to the
// caller's reseller, so another reseller's account or family is simply not
// there and answers not found like one that does not exist.
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Client } from '../clients/clients.entity.ts';
import { requireClient } from '../clients/clients.repository.ts';
import { failedPrecondition, notFound } from '../platform/rpc/errors.ts';
import type { Em } from '../platform/data/database.ts';
import { Account, AccountRoleGrant, Family, FamilyMember, type AccountRoleName } from './provisioning.entity.ts';
import { LEGACY } from './legacy-codes.ts';

export function accountNotFound(id: string, clientId?: string) {
  return clientId
    ? notFound('ACCOUNT_NOT_FOUND', 'account', id, { legacyCode: LEGACY.accountNotFound, metadata: { clientId } })
    : notFound('ACCOUNT_NOT_FOUND', 'account', id, { legacyCode: LEGACY.accountNotFound });
}

export async function requireAccount(em: Em, id: string): Promise<Account> {
  const account = await em.findOne(Account, { id });
  if (!account) throw accountNotFound(id);
  return account;
}

/** An account that must belong to `clientId`: one of another client is not found there. */
export async function requireAccountOfClient(em: Em, id: string, clientId: string): Promise<Account> {
  const account = await em.findOne(Account, { id, client: clientId });
  if (!account) throw accountNotFound(id, clientId);
  return account;
}

export function familyNotFound(id: string) {
  return notFound('FAMILY_NOT_FOUND', 'family', id, { legacyCode: LEGACY.familyNotFound });
}

export async function requireFamily(em: Em, id: string): Promise<Family> {
  const family = await em.findOne(Family, { id });
  if (!family) throw familyNotFound(id);
  return family;
}

/** The client, which must be active for anything to be created or changed under it. */
export async function requireActiveClient(em: Em, id: string): Promise<Client> {
  const client = await requireClient(em, id);
  if (client.status !== 'active') {
    throw failedPrecondition('CLIENT_INACTIVE',
      `client ${id} is inactive: reactivate it before creating or changing its accounts and families`, { metadata: { id } });
  }
  return client;
}

/**
 * Serialises the provisioning writes of one client. The invariants (a family
 * keeps a member, an account keeps a family, one founder) span several rows;
 * two concurrent removals could each see "one other member left" and both go
 * ahead. On PostgreSQL a row lock on the client makes them take turns for the
 * rest of the transaction; SQLite already lets one writer at a time.
 */
export async function serializeClientWrites(em: Em, clientId: string): Promise<void> {
  if (em.getDriver() instanceof PostgreSqlDriver) {
    await em.execute('select id from client where id = ? for no key update', [clientId]);
  }
}

export async function findMembership(em: Em, familyId: string, accountId: string): Promise<FamilyMember | null> {
  return em.findOne(FamilyMember, { family: familyId, account: accountId });
}

export async function founderOf(em: Em, familyId: string): Promise<FamilyMember | null> {
  return em.findOne(FamilyMember, { family: familyId, right: 'super_admin' });
}

/** Whether the account holds the role: what DeviceService checks before an assignment. */
export async function accountHasRole(em: Em, accountId: string, role: AccountRoleName): Promise<boolean> {
  return (await em.count(AccountRoleGrant, { account: accountId, role })) > 0;
}
