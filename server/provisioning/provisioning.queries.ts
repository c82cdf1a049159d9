// The provisioning feature's read side: the Account message (with its families
// and roles) and the Family message (with its members, their accounts and
// roles), each projected once from typed queries (platform/data/query.ts), for
// the read methods and for the answers of write methods alike.
//
// For a reseller's scope every table read here carries the reseller condition
// (query.ts adds it to each join): a member whose account is not the
// reseller's is not shown, and an image or picture of another reseller reads
// as none.
import type { Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import {
  AccountRole, FamilyRight, IdentifierType,
  type Account as AccountMessage, type Family as FamilyMessage,
} from '../../gen/reseller/v1/provisioning_pb.js';
import type {
  Account, AccountRoleGrant, AccountRoleName, Family, FamilyMember, FamilyRightName, IdentifierTypeName, Media,
} from './provisioning.entity.ts';
import { mediaUrl } from './images.ts';
import { accountNotFound, familyNotFound } from './provisioning.repository.ts';
import { query, type Db } from '../platform/data/query.ts';
import type { Scope } from '../platform/data/scope.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';

type Tables = InferKyselyDB<typeof Account | typeof Family | typeof FamilyMember | typeof AccountRoleGrant | typeof Media>;
type ProvisioningDb = Kysely<Tables>;

export const identifierTypeValues: Record<IdentifierTypeName, IdentifierType> = {
  email: IdentifierType.EMAIL, msisdn: IdentifierType.MSISDN, login: IdentifierType.LOGIN,
};
export const rightValues: Record<FamilyRightName, FamilyRight> = {
  none: FamilyRight.NONE, admin: FamilyRight.ADMIN, super_admin: FamilyRight.SUPER_ADMIN,
};
export const roleValues: Record<AccountRoleName, AccountRole> = {
  customer_user_uc: AccountRole.CUSTOMER_USER_UC, customer_user_uc_softphone: AccountRole.CUSTOMER_USER_UC_SOFTPHONE,
};

interface AccountFields {
  id: string; client_id: string; identifier_type: IdentifierTypeName; identifier: string; first_name: string; locale: string;
  picture_id: string | null; created_at: unknown; updated_at: unknown; version: number;
}

function accountOf(db: Db, a: AccountFields, roles: AccountRoleName[], families: AccountMessage['families'], base: string): AccountMessage {
  return {
    $typeName: 'reseller.v1.Account', accountId: a.id, clientId: a.client_id, identifierType: identifierTypeValues[a.identifier_type],
    identifier: a.identifier, firstName: a.first_name, locale: a.locale, pictureUrl: mediaUrl(base, a.picture_id === null ? null : { id: a.picture_id }),
    roles: roles.map((r) => roleValues[r]), families,
    createTime: timestamp(db.source.date(a.created_at)), updateTime: timestamp(db.source.date(a.updated_at)), etag: `v${a.version}`,
  };
}

// --- Account

const accountQuery = query((db: ProvisioningDb, p: { id: string }) => db.selectFrom('account as a')
  .leftJoin('media as m', 'm.id', 'a.picture_id')
  .select(['a.id', 'a.client_id', 'a.identifier_type', 'a.identifier', 'a.first_name', 'a.locale', 'm.id as picture_id', 'a.created_at', 'a.updated_at', 'a.version'])
  .where('a.id', '=', p.id));

const membershipsQuery = query((db: ProvisioningDb, p: { accountId: string }) => db.selectFrom('family_member as fm')
  .innerJoin('family as f', 'f.id', 'fm.family_id')
  .select(['f.id', 'f.name', 'fm.right', 'fm.role', 'fm.created_at'])
  .where('fm.account_id', '=', p.accountId)
  .orderBy('fm.created_at', 'asc').orderBy('fm.id', 'asc'));

const rolesQuery = query((db: ProvisioningDb, p: { accountId: string }) => db.selectFrom('account_role_grant as g')
  .select('g.role').where('g.account_id', '=', p.accountId).orderBy('g.role', 'asc'));

/** GetAccount's answer (and every account-changing method's), or ACCOUNT_NOT_FOUND (1). `base`: where media are served. */
export async function accountById(db: Db, scope: Scope, id: string, base: string): Promise<AccountMessage> {
  const account = await accountQuery.first(db, scope, { id });
  if (!account) throw accountNotFound(id);
  const [memberships, roles] = await Promise.all([membershipsQuery.run(db, scope, { accountId: id }), rolesQuery.run(db, scope, { accountId: id })]);
  return accountOf(db, account, roles.map((r) => r.role), memberships.map((m) => ({
    $typeName: 'reseller.v1.AccountFamily', familyId: m.id, familyName: m.name, right: rightValues[m.right], role: m.role,
    joinTime: timestamp(db.source.date(m.created_at)),
  })), base);
}

// --- Family, in one statement: one row a member and grant (a member without
// grants: one row, role null; a family without members: one row of nulls),
// members by join time then id, each account's roles by name.

const familyQuery = query((db: ProvisioningDb, p: { id: string }) => db.selectFrom('family as f')
  .leftJoin('media as i', 'i.id', 'f.image_id')
  .leftJoin('family_member as fm', 'fm.family_id', 'f.id')
  .leftJoin('account as a', 'a.id', 'fm.account_id')
  .leftJoin('media as m', 'm.id', 'a.picture_id')
  .leftJoin('account_role_grant as g', 'g.account_id', 'a.id')
  .select([
    'f.id', 'f.client_id', 'f.name', 'i.id as image_id', 'f.created_at', 'f.updated_at', 'f.version',
    'fm.id as member_id', 'fm.right as member_right', 'fm.role as member_role', 'fm.created_at as member_created_at',
    'a.id as account_id', 'a.client_id as account_client_id', 'a.identifier_type', 'a.identifier', 'a.first_name', 'a.locale',
    'm.id as picture_id', 'a.created_at as account_created_at', 'a.updated_at as account_updated_at', 'a.version as account_version',
    'g.role as grant_role',
  ])
  .where('f.id', '=', p.id)
  .orderBy('fm.created_at', 'asc').orderBy('fm.id', 'asc').orderBy('g.role', 'asc'));

/** GetFamily's answer (and every family-changing method's), or FAMILY_NOT_FOUND (510). `base`: where media are served. */
export async function familyById(db: Db, scope: Scope, id: string, base: string): Promise<FamilyMessage> {
  const rows = await familyQuery.run(db, scope, { id });
  const first = rows[0];
  if (!first) throw familyNotFound(id);
  // Each member's first row carries its account; the rows after it, more of its roles.
  const members: { row: (typeof rows)[number]; roles: AccountRoleName[] }[] = [];
  for (const row of rows) {
    // A member whose account this scope cannot see is not shown.
    if (row.member_id === null || row.account_id === null) continue;
    if (members.at(-1)?.row.member_id !== row.member_id) members.push({ row, roles: [] });
    if (row.grant_role !== null) members.at(-1)!.roles.push(row.grant_role);
  }
  return {
    $typeName: 'reseller.v1.Family', familyId: first.id, clientId: first.client_id, name: first.name,
    imageUrl: mediaUrl(base, first.image_id === null ? null : { id: first.image_id }),
    members: members.map(({ row, roles }) => ({
      $typeName: 'reseller.v1.FamilyMember',
      account: accountOf(db, {
        id: row.account_id!, client_id: row.account_client_id!, identifier_type: row.identifier_type!, identifier: row.identifier!,
        first_name: row.first_name!, locale: row.locale!, picture_id: row.picture_id, created_at: row.account_created_at,
        updated_at: row.account_updated_at, version: row.account_version!,
      }, roles, [], base),
      right: rightValues[row.member_right!], role: row.member_role!, joinTime: timestamp(db.source.date(row.member_created_at)),
    })),
    createTime: timestamp(db.source.date(first.created_at)), updateTime: timestamp(db.source.date(first.updated_at)), etag: `v${first.version}`,
  };
}
