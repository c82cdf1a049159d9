// The provisioning feature's read side: the Account message (with its families
// and roles) and the Family message (with its members, their accounts and
// roles), each projected once from typed queries (platform/data/query.ts), for
// the read methods and for the answers of write methods alike.
//
// For a reseller's scope every table read here carries the reseller condition
// (query.ts adds it to each join): a member whose account is not the
// reseller's is not shown, and an image or picture of another reseller reads
// as none.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import {
  AccountRole, FamilyRight, IdentifierType,
  type Account as AccountMessage, type Family as FamilyMessage,
} from '../../gen/reseller/v1/provisioning_pb.js';
import type {
  Account, AccountRoleGrant, AccountRoleName, Family, FamilyMember, FamilyRightName, IdentifierTypeName, Media,
} from './provisioning.entity.ts';
import type { Client } from '../clients/clients.entity.ts';
import { mediaUrl } from './images.ts';
import { accountNotFound, familyNotFound } from './provisioning.repository.ts';
import { query, type Db } from '../platform/data/query.ts';
import type { Scope } from '../platform/data/scope.ts';
import type { Cursor } from '../platform/data/pagination.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';

type Tables = InferKyselyDB<typeof Account | typeof Family | typeof FamilyMember | typeof AccountRoleGrant | typeof Media | typeof Client>;
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

/** The family with its members, their accounts (picture) and roles: one row a member and grant. */
function familiesWithMembers(db: ProvisioningDb) {
  return db.selectFrom('family as f')
    .leftJoin('media as i', 'i.id', 'f.image_id')
    .leftJoin('family_member as fm', 'fm.family_id', 'f.id')
    .leftJoin('account as a', 'a.id', 'fm.account_id')
    .leftJoin('media as m', 'm.id', 'a.picture_id')
    .leftJoin('account_role_grant as g', 'g.account_id', 'a.id')
    .select([
      'f.id', 'f.client_id', 'f.name', 'f.name_key', 'i.id as image_id', 'f.created_at', 'f.updated_at', 'f.version',
      'fm.id as member_id', 'fm.right as member_right', 'fm.role as member_role', 'fm.created_at as member_created_at',
      'a.id as account_id', 'a.client_id as account_client_id', 'a.identifier_type', 'a.identifier', 'a.first_name', 'a.locale',
      'm.id as picture_id', 'a.created_at as account_created_at', 'a.updated_at as account_updated_at', 'a.version as account_version',
      'g.role as grant_role',
    ]);
}

type FamilyRow = Awaited<ReturnType<ReturnType<typeof familiesWithMembers>['execute']>>[number];

const familyQuery = query((db: ProvisioningDb, p: { id: string }) => familiesWithMembers(db)
  .where('f.id', '=', p.id)
  .orderBy('fm.created_at', 'asc').orderBy('fm.id', 'asc').orderBy('g.role', 'asc'));

/** The Family messages of rows grouped by family (in the order the families come). */
function familiesOf(db: Db, rows: FamilyRow[], base: string): FamilyMessage[] {
  const families: { first: FamilyRow; members: { row: FamilyRow; roles: AccountRoleName[] }[] }[] = [];
  for (const row of rows) {
    if (families.at(-1)?.first.id !== row.id) families.push({ first: row, members: [] });
    const { members } = families.at(-1)!;
    // A member whose account this scope cannot see is not shown.
    if (row.member_id === null || row.account_id === null) continue;
    // Each member's first row carries its account; the rows after it, more of its roles.
    if (members.at(-1)?.row.member_id !== row.member_id) members.push({ row, roles: [] });
    if (row.grant_role !== null) members.at(-1)!.roles.push(row.grant_role);
  }
  return families.map(({ first, members }) => ({
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
  }));
}

/** GetFamily's answer (and every family-changing method's), or FAMILY_NOT_FOUND (510). `base`: where media are served. */
export async function familyById(db: Db, scope: Scope, id: string, base: string): Promise<FamilyMessage> {
  const family = familiesOf(db, await familyQuery.run(db, scope, { id }), base)[0];
  if (!family) throw familyNotFound(id);
  return family;
}

// --- A client's accounts and families, a page at a time (ListAccounts,
// ListFamilies). The page is read first (keyset on the client's index); its
// accounts' families and roles, or its families' members, are then read for
// the page's key range in one statement each, with the same filter.

const clientQuery = query((db: ProvisioningDb, p: { id: string }) => db.selectFrom('client as c').select('c.id').where('c.id', '=', p.id));

/** Whether the client exists for this scope (another reseller's reads as absent). */
export async function clientVisible(db: Db, scope: Scope, id: string): Promise<boolean> {
  return (await clientQuery.first(db, scope, { id })) !== undefined;
}

export interface ClientPageArgs {
  clientId: string;
  /** A LIKE pattern on the folded text (escaped with \\), or undefined. */
  pattern?: string;
  cursor?: Cursor;
  limit: number;
}

type RangeArgs = { clientId: string; pattern?: string; fromKey: string; fromId: string; toKey: string; toId: string };

const accountPageQuery = query((db: ProvisioningDb, p: ClientPageArgs & { cursorKey: string; cursorId: string }, args) => {
  let q = db.selectFrom('account as a')
    .leftJoin('media as m', 'm.id', 'a.picture_id')
    .select(['a.id', 'a.client_id', 'a.identifier_type', 'a.identifier', 'a.first_name', 'a.locale', 'm.id as picture_id', 'a.created_at', 'a.updated_at', 'a.version'])
    .where('a.client_id', '=', p.clientId);
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('a.search_text')} like ${p.pattern} escape '\\'`);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('a.identifier', 'a.id'), '>', eb.tuple(p.cursorKey, p.cursorId)));
  return q.orderBy('a.identifier', 'asc').orderBy('a.id', 'asc').limit(p.limit);
}, (args) => `${args.pattern !== undefined}${args.cursor !== undefined}`);

const accountRangeMembershipsQuery = query((db: ProvisioningDb, p: RangeArgs, args) => {
  let q = db.selectFrom('account as a')
    .innerJoin('family_member as fm', 'fm.account_id', 'a.id')
    .innerJoin('family as f', 'f.id', 'fm.family_id')
    .select(['a.id as account_id', 'f.id', 'f.name', 'fm.right', 'fm.role', 'fm.created_at'])
    .where('a.client_id', '=', p.clientId)
    .where((eb) => eb(eb.refTuple('a.identifier', 'a.id'), '>=', eb.tuple(p.fromKey, p.fromId)))
    .where((eb) => eb(eb.refTuple('a.identifier', 'a.id'), '<=', eb.tuple(p.toKey, p.toId)));
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('a.search_text')} like ${p.pattern} escape '\\'`);
  return q.orderBy('fm.created_at', 'asc').orderBy('fm.id', 'asc');
}, (args) => `${args.pattern !== undefined}`);

const accountRangeRolesQuery = query((db: ProvisioningDb, p: RangeArgs, args) => {
  let q = db.selectFrom('account as a')
    .innerJoin('account_role_grant as g', 'g.account_id', 'a.id')
    .select(['a.id as account_id', 'g.role'])
    .where('a.client_id', '=', p.clientId)
    .where((eb) => eb(eb.refTuple('a.identifier', 'a.id'), '>=', eb.tuple(p.fromKey, p.fromId)))
    .where((eb) => eb(eb.refTuple('a.identifier', 'a.id'), '<=', eb.tuple(p.toKey, p.toId)));
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('a.search_text')} like ${p.pattern} escape '\\'`);
  return q.orderBy('g.role', 'asc');
}, (args) => `${args.pattern !== undefined}`);

const accountCountQuery = query((db: ProvisioningDb, p: { clientId: string; pattern?: string }, args) => {
  let q = db.selectFrom('account as a').select((eb) => eb.fn.countAll<number | string>().as('total')).where('a.client_id', '=', p.clientId);
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('a.search_text')} like ${p.pattern} escape '\\'`);
  return q;
}, (args) => `${args.pattern !== undefined}`);

/** One ListAccounts page (args.limit rows at most, by identifier), each account with its families and roles. */
export async function accountPage(db: Db, scope: Scope, args: ClientPageArgs, base: string) {
  const rows = await accountPageQuery.run(db, scope, { ...args, cursorKey: (args.cursor?.value as string) ?? '', cursorId: args.cursor?.id ?? '' });
  if (rows.length === 0) return [];
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const range: RangeArgs = { clientId: args.clientId, pattern: args.pattern, fromKey: first.identifier, fromId: first.id, toKey: last.identifier, toId: last.id };
  const [memberships, roles] = await Promise.all([accountRangeMembershipsQuery.run(db, scope, range), accountRangeRolesQuery.run(db, scope, range)]);
  return rows.map((row) => ({
    message: accountOf(db, row, roles.filter((r) => r.account_id === row.id).map((r) => r.role), memberships.filter((m) => m.account_id === row.id).map((m) => ({
      $typeName: 'reseller.v1.AccountFamily' as const, familyId: m.id, familyName: m.name, right: rightValues[m.right], role: m.role,
      joinTime: timestamp(db.source.date(m.created_at)),
    })), base),
    cursor: { value: row.identifier, id: row.id },
  }));
}

/** How many accounts of the client ListAccounts' filter keeps. */
export async function accountCount(db: Db, scope: Scope, clientId: string, pattern: string | undefined): Promise<number> {
  const row = await accountCountQuery.first(db, scope, { clientId, pattern });
  return Number(row?.total ?? 0);
}

const familyPageQuery = query((db: ProvisioningDb, p: ClientPageArgs & { cursorKey: string; cursorId: string }, args) => {
  let q = db.selectFrom('family as f').select(['f.id', 'f.name_key']).where('f.client_id', '=', p.clientId);
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('f.name_key')} like ${p.pattern} escape '\\'`);
  if (args.cursor) q = q.where((eb) => eb(eb.refTuple('f.name_key', 'f.id'), '>', eb.tuple(p.cursorKey, p.cursorId)));
  return q.orderBy('f.name_key', 'asc').orderBy('f.id', 'asc').limit(p.limit);
}, (args) => `${args.pattern !== undefined}${args.cursor !== undefined}`);

const familyRangeQuery = query((db: ProvisioningDb, p: RangeArgs, args) => {
  let q = familiesWithMembers(db)
    .where('f.client_id', '=', p.clientId)
    .where((eb) => eb(eb.refTuple('f.name_key', 'f.id'), '>=', eb.tuple(p.fromKey, p.fromId)))
    .where((eb) => eb(eb.refTuple('f.name_key', 'f.id'), '<=', eb.tuple(p.toKey, p.toId)));
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('f.name_key')} like ${p.pattern} escape '\\'`);
  return q.orderBy('f.name_key', 'asc').orderBy('f.id', 'asc').orderBy('fm.created_at', 'asc').orderBy('fm.id', 'asc').orderBy('g.role', 'asc');
}, (args) => `${args.pattern !== undefined}`);

const familyCountQuery = query((db: ProvisioningDb, p: { clientId: string; pattern?: string }, args) => {
  let q = db.selectFrom('family as f').select((eb) => eb.fn.countAll<number | string>().as('total')).where('f.client_id', '=', p.clientId);
  if (args.pattern !== undefined) q = q.where((eb) => sql<SqlBool>`${eb.ref('f.name_key')} like ${p.pattern} escape '\\'`);
  return q;
}, (args) => `${args.pattern !== undefined}`);

/** One ListFamilies page (args.limit families at most, by folded name), each family with its members. */
export async function familyPage(db: Db, scope: Scope, args: ClientPageArgs, base: string) {
  const keys = await familyPageQuery.run(db, scope, { ...args, cursorKey: (args.cursor?.value as string) ?? '', cursorId: args.cursor?.id ?? '' });
  if (keys.length === 0) return [];
  const first = keys[0]!;
  const last = keys.at(-1)!;
  const rows = await familyRangeQuery.run(db, scope, {
    clientId: args.clientId, pattern: args.pattern, fromKey: first.name_key, fromId: first.id, toKey: last.name_key, toId: last.id,
  });
  const families = new Map(familiesOf(db, rows, base).map((f) => [f.familyId, f]));
  return keys.flatMap((key) => {
    const message = families.get(key.id);
    return message ? [{ message, cursor: { value: key.name_key, id: key.id } }] : [];
  });
}

/** How many families of the client ListFamilies' filter keeps. */
export async function familyCount(db: Db, scope: Scope, clientId: string, pattern: string | undefined): Promise<number> {
  const row = await familyCountQuery.first(db, scope, { clientId, pattern });
  return Number(row?.total ?? 0);
}
