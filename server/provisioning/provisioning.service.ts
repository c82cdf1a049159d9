// ProvisioningService (seed 004): end-user accounts and families of a client.
// Every change runs in one transaction: a refused request leaves nothing
// behind, and the seed's cascades (DeleteFamily, DeleteAccount) happen whole.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import {
  AccountFamilySchema, AccountRole, AccountSchema, CreateAccountRequestSchema, CreateAccountResponseSchema, CreateFamilyRequestSchema,
  CreateFamilyResponseSchema, FamilyMemberSchema, FamilyRight, FamilySchema, FoundFamilyRequestSchema, FoundFamilyResponseSchema,
  IdentifierType, ProvisioningService,
  type AddAccountToFamilyRequest, type CreateAccountRequest, type CreateFamilyRequest, type DeleteAccountRequest,
  type DeleteFamilyRequest, type FoundFamilyRequest, type GetAccountRequest, type GetFamilyRequest, type GrantRoleRequest,
  type ListAccountsRequest, type ListFamiliesRequest,
  type RemoveAccountFromFamilyRequest, type RevokeRoleRequest, type SearchAccountRequest, type UpdateAccountRequest,
  type UpdateFamilyRequest,
  type Account as AccountMessage,
} from '../../gen/reseller/v1/provisioning_pb.js';
import { clientLabel, requireClient } from '../clients/clients.repository.ts';
import type { Client } from '../clients/clients.entity.ts';
import type { Clock } from '../platform/core/clock.ts';
import { dbIn, emOf, principalOf, readerOf, scopeOf } from '../platform/rpc/context.ts';
import type { Em } from '../platform/data/database.ts';
import { etagOf } from '../platform/data/entity.ts';
import { alreadyExists, checkEtag, failedPrecondition, notFound } from '../platform/rpc/errors.ts';
import { idempotent } from '../platform/data/idempotency.ts';
import { validate, type Validator } from '../platform/rpc/validation.ts';
import { fold, searchText } from '../platform/core/text.ts';
import {
  Account, AccountRoleGrant, Family, FamilyMember, Media,
  type AccountRoleName, type FamilyRightName, type IdentifierTypeName,
} from './provisioning.entity.ts';
import {
  findMembership, founderOf, requireAccount, requireAccountOfClient, requireActiveClient,
  requireFamily, serializeClientWrites,
} from './provisioning.repository.ts';
import { accountById, accountCount, accountPage, clientVisible, familyById, familyCount, familyPage } from './provisioning.queries.ts';
import { recordEvent } from '../events/events.queries.ts';
import { escapeLike, pageOf, type Order } from '../platform/data/pagination.ts';
import { IDENTIFIER_REASONS, checkIdentifier, checkLocale, checkSearchedIdentifier } from './identifiers.ts';
import { LEGACY } from './legacy-codes.ts';
import { checkImage, mediaUrl, storeImage } from './images.ts';
import { cancelInvitations, recordInvitation } from './invitations.ts';


const identifierTypes: Record<number, IdentifierTypeName> = {
  [IdentifierType.EMAIL]: 'email', [IdentifierType.MSISDN]: 'msisdn', [IdentifierType.LOGIN]: 'login',
};
const rightNames: Record<number, FamilyRightName> = {
  [FamilyRight.NONE]: 'none', [FamilyRight.ADMIN]: 'admin', [FamilyRight.SUPER_ADMIN]: 'super_admin',
};
const roleNames: Record<number, AccountRoleName> = {
  [AccountRole.CUSTOMER_USER_UC]: 'customer_user_uc', [AccountRole.CUSTOMER_USER_UC_SOFTPHONE]: 'customer_user_uc_softphone',
};

const NAME_MAX = 100;
const ROLE_MAX = 50;

/** What ListAccounts' query searches: the identifier and first name, folded. */
function accountSearchText(identifier: string, firstName: string): string {
  return searchText(360, identifier, firstName);
}

// ---------------------------------------------------------------- messages

// ---------------------------------------------------------------- request checks

/**
 * Refuses the request if anything is invalid. An invalid identifier gives the
 * error its reason and seed number (INVALID_EMAIL 17, INVALID_MSISDN 22,
 * INVALID_IDENTIFIER 21), even when other fields are wrong too.
 */
function checkRequest(v: Validator): void {
  const identifier = v.violations.find((x) => (IDENTIFIER_REASONS as readonly string[]).includes(x.reason));
  v.check(identifier?.reason ?? 'INVALID_ARGUMENT');
}

function identifierType(v: Validator, value: IdentifierType, field = 'identifierType'): IdentifierTypeName | undefined {
  const type = identifierTypes[value];
  if (!type) v.add(field, 'is required: IDENTIFIER_TYPE_EMAIL, IDENTIFIER_TYPE_MSISDN or IDENTIFIER_TYPE_LOGIN', 'INVALID_IDENTIFIER', LEGACY.invalidIdentifier);
  return type;
}

/** A right to give; unspecified means a plain member. */
function rightToGive(v: Validator, value: FamilyRight): FamilyRightName {
  if (value === FamilyRight.UNSPECIFIED) return 'none';
  const right = rightNames[value];
  if (!right) v.add('right', 'must be FAMILY_RIGHT_NONE, FAMILY_RIGHT_ADMIN or FAMILY_RIGHT_SUPER_ADMIN', 'INVALID_VALUE');
  return right ?? 'none';
}

function accountRole(v: Validator, value: AccountRole): AccountRoleName {
  const role = roleNames[value];
  if (!role) v.add('role', 'is required: ACCOUNT_ROLE_CUSTOMER_USER_UC or ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE', 'REQUIRED');
  return role!;
}

function memberRole(v: Validator, field: string, value: string): string {
  return v.optionalText(field, value, ROLE_MAX) ?? '';
}

// ---------------------------------------------------------------- rules

async function requireIdentifierFree(em: Em, client: Client, type: IdentifierTypeName, identifier: string, exceptId?: string): Promise<void> {
  const other = await em.findOne(Account, { client: client.id, identifier }, { fields: ['id'] });
  if (other && other.id !== exceptId) {
    throw alreadyExists('ACCOUNT_ALREADY_EXISTS', `an account with ${type} "${identifier}" already exists for client ${clientLabel(client)}`,
      { legacyCode: LEGACY.accountAlreadyExists, metadata: { clientId: client.id, identifier } });
  }
}

async function requireNoFounder(em: Em, familyId: string): Promise<void> {
  const founder = await founderOf(em, familyId);
  if (founder) {
    throw alreadyExists('FOUNDER_ALREADY_EXISTS',
      `family "${founder.family.name}" already has a founder (account ${founder.account.identifier}): give FAMILY_RIGHT_NONE or FAMILY_RIGHT_ADMIN, or change the founder's right first`,
      { legacyCode: LEGACY.founderAlreadyExists, metadata: { familyId, founderAccountId: founder.account.id } });
  }
}

/**
 * What features built on accounts do when accounts are deleted, in the same
 * transaction (the devices feature unlinks their devices). Provisioning knows
 * no feature above it: the composition root (connect.ts) passes these in.
 */
export interface AccountDeletionHook {
  (em: Em, accountIds: string[]): Promise<void>;
}

/** Deletes accounts with everything that hangs on them; their families are the caller's business. */
async function deleteAccounts(em: Em, accounts: Account[], hooks: readonly AccountDeletionHook[]): Promise<void> {
  if (accounts.length === 0) return;
  const ids = accounts.map((a) => a.id);
  await cancelInvitations(em, ids);
  // Removed through the unit of work (not bulk deletes) so that the audit
  // trail records every row that goes, in this same transaction.
  em.remove(await em.find(AccountRoleGrant, { account: { $in: ids } }));
  for (const hook of hooks) await hook(em, ids);
  em.remove(await em.find(FamilyMember, { account: { $in: ids } }));
  for (const account of accounts) {
    em.remove(account);
    if (account.picture) em.remove(account.picture);
  }
  await em.flush();
}

/** Deletes families that have no member left, with their images. */
async function deleteFamilies(em: Em, families: Family[]): Promise<void> {
  if (families.length === 0) return;
  em.remove(await em.find(FamilyMember, { family: { $in: families.map((f) => f.id) } }));
  for (const family of families) {
    em.remove(family);
    if (family.image) em.remove(family.image);
  }
  await em.flush();
}

export interface ProvisioningDeps {
  clock: Clock;
  /** PUBLIC_URL: the origin of media URLs; unset, the origin each request came to. */
  publicUrl?: string;
  /** Run before accounts are deleted, in the deleting transaction. */
  onAccountsDeleted?: readonly AccountDeletionHook[];
}

export class ProvisioningServiceImpl implements ServiceImpl<typeof ProvisioningService> {
  readonly #deps: ProvisioningDeps;

  constructor(deps: ProvisioningDeps) {
    this.#deps = deps;
  }

  #base(ctx: HandlerContext): string {
    return this.#deps.publicUrl ?? new URL(ctx.url).origin;
  }

  async searchAccount(req: SearchAccountRequest, ctx: HandlerContext) {
    const v = validate();
    const clientId = v.id('clientId', req.clientId);
    const type = identifierType(v, req.identifierType);
    const identifier = checkSearchedIdentifier(v, type, req.identifier);
    checkRequest(v);
    const em = emOf(ctx);
    await requireClient(em, clientId);
    const found = await em.findOne(Account, { client: clientId, identifier, identifierType: type! }, { fields: ['id'] });
    if (!found) {
      throw notFound('ACCOUNT_NOT_FOUND', `account with ${type}`, `"${identifier}"`,
        { legacyCode: LEGACY.accountNotFound, metadata: { id: identifier, clientId, identifier, identifierType: type! } });
    }
    return { account: await accountById(readerOf(ctx), scopeOf(ctx), found.id, this.#base(ctx)) };
  }

  async createFamily(req: CreateFamilyRequest, ctx: HandlerContext) {
    const v = validate();
    const clientId = v.id('clientId', req.clientId);
    const name = v.messageName('name', req.name, { max: NAME_MAX });
    const imageType = checkImage(v, 'image', req.image);
    const founderId = v.id('founderAccountId', req.founderAccountId);
    const role = memberRole(v, 'founderRole', req.founderRole);
    checkRequest(v);
    const base = this.#base(ctx);
    return idempotent({ ctx, requestSchema: CreateFamilyRequestSchema, request: req, responseSchema: CreateFamilyResponseSchema }, async (em) => {
      const client = await requireActiveClient(em, clientId);
      await serializeClientWrites(em, clientId);
      const founder = await requireAccountOfClient(em, founderId, clientId);
      const image = imageType ? storeImage(em, client, req.image, imageType) : null;
      const family = em.create(Family, { reseller: client.reseller.id, client, name, nameKey: fold(name, NAME_MAX), image });
      em.create(FamilyMember, { reseller: client.reseller.id, family, account: founder, right: 'super_admin', role });
      await em.flush();
      return create(CreateFamilyResponseSchema, { family: await familyById(dbIn(ctx, em), scopeOf(ctx), family.id, base) });
    });
  }

  async foundFamily(req: FoundFamilyRequest, ctx: HandlerContext) {
    const v = validate();
    const clientId = v.id('clientId', req.clientId);
    const type = identifierType(v, req.identifierType);
    const identifier = checkIdentifier(v, type, req.identifier);
    const familyName = v.messageName('familyName', req.familyName, { max: NAME_MAX });
    const familyImageType = checkImage(v, 'familyImage', req.familyImage);
    const firstName = v.messageName('firstName', req.firstName, { max: NAME_MAX });
    const locale = checkLocale(v, req.locale);
    const pictureType = checkImage(v, 'picture', req.picture);
    const role = memberRole(v, 'role', req.role);
    checkRequest(v);
    const base = this.#base(ctx);
    return idempotent({ ctx, requestSchema: FoundFamilyRequestSchema, request: req, responseSchema: FoundFamilyResponseSchema }, async (em) => {
      const client = await requireActiveClient(em, clientId);
      await serializeClientWrites(em, clientId);
      await requireIdentifierFree(em, client, type!, identifier);
      const reseller = client.reseller.id;
      const picture = pictureType ? storeImage(em, client, req.picture, pictureType) : null;
      const account = em.create(Account, { reseller, client, identifierType: type!, identifier, firstName, locale, picture, searchText: accountSearchText(identifier, firstName) });
      const image = familyImageType ? storeImage(em, client, req.familyImage, familyImageType) : null;
      const family = em.create(Family, { reseller, client, name: familyName, nameKey: fold(familyName, NAME_MAX), image });
      em.create(FamilyMember, { reseller, family, account, right: 'super_admin', role });
      recordInvitation(em, account, familyName, this.#deps.clock);
      await em.flush();
      return create(FoundFamilyResponseSchema, {
        family: await familyById(dbIn(ctx, em), scopeOf(ctx), family.id, base),
        account: await accountById(dbIn(ctx, em), scopeOf(ctx), account.id, base),
      });
    });
  }

  async updateFamily(req: UpdateFamilyRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('familyId', req.familyId);
    const name = req.name === undefined ? undefined : v.messageName('name', req.name, { max: NAME_MAX });
    const imageType = checkImage(v, 'image', req.image);
    if (req.image !== undefined && req.image.length === 0) v.add('image', 'is empty: to remove the image, set removeImage', 'REQUIRED');
    if (req.image !== undefined && req.removeImage) v.add('removeImage', 'cannot be set together with image', 'CONFLICT');
    checkRequest(v);
    return emOf(ctx).transactional(async (em) => {
      const family = await requireFamily(em, id);
      checkEtag('family', family, req.etag);
      const client = await requireActiveClient(em, family.client.id);
      await serializeClientWrites(em, client.id);
      const oldImage = family.image;
      if (name !== undefined) {
        family.name = name;
        family.nameKey = fold(name, NAME_MAX);
      }
      if (imageType) family.image = storeImage(em, client, req.image!, imageType);
      else if (req.removeImage) family.image = null;
      await em.flush();
      // The old image goes once nothing refers to it; its URL answers 404 from now on.
      if (oldImage && oldImage.id !== family.image?.id) await em.remove(oldImage).flush();
      return { family: await familyById(dbIn(ctx, em), scopeOf(ctx), id, this.#base(ctx)) };
    });
  }

  async deleteFamily(req: DeleteFamilyRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('familyId', req.familyId);
    checkRequest(v);
    return emOf(ctx).transactional(async (em) => {
      const family = await requireFamily(em, id);
      await serializeClientWrites(em, family.client.id);
      const members = await em.find(FamilyMember, { family: id }, { populate: ['account'] });
      const accountIds = members.map((m) => m.account.id);
      // Members that are also in another family stay; the others would be left
      // without a family, so they go too (seed provdeletefamily).
      const elsewhere = await em.find(FamilyMember, { account: { $in: accountIds }, family: { $ne: id } }, { fields: ['account'] });
      const staying = new Set(elsewhere.map((m) => m.account.id));
      const orphans = members.map((m) => m.account).filter((a) => !staying.has(a.id));
      const told = await this.#accountsAsTheyWere(ctx, em, orphans.map((a) => a.id));
      await deleteFamilies(em, [family]);
      await deleteAccounts(em, orphans, this.#deps.onAccountsDeleted ?? []);
      await this.#tellDeleted(ctx, em, told);
      return { deletedAccountIds: orphans.map((a) => a.id) };
    });
  }

  async createAccount(req: CreateAccountRequest, ctx: HandlerContext) {
    const v = validate();
    const familyId = v.id('familyId', req.familyId);
    const type = identifierType(v, req.identifierType);
    const identifier = checkIdentifier(v, type, req.identifier);
    const firstName = v.messageName('firstName', req.firstName, { max: NAME_MAX });
    const locale = checkLocale(v, req.locale);
    const right = rightToGive(v, req.right);
    const role = memberRole(v, 'role', req.role);
    const pictureType = checkImage(v, 'picture', req.picture);
    checkRequest(v);
    const base = this.#base(ctx);
    return idempotent({ ctx, requestSchema: CreateAccountRequestSchema, request: req, responseSchema: CreateAccountResponseSchema }, async (em) => {
      const family = await requireFamily(em, familyId);
      const client = await requireActiveClient(em, family.client.id);
      await serializeClientWrites(em, client.id);
      await requireIdentifierFree(em, client, type!, identifier);
      if (right === 'super_admin') await requireNoFounder(em, familyId);
      const reseller = client.reseller.id;
      const picture = pictureType ? storeImage(em, client, req.picture, pictureType) : null;
      const account = em.create(Account, { reseller, client, identifierType: type!, identifier, firstName, locale, picture, searchText: accountSearchText(identifier, firstName) });
      em.create(FamilyMember, { reseller, family, account, right, role });
      recordInvitation(em, account, family.name, this.#deps.clock);
      await em.flush();
      return create(CreateAccountResponseSchema, { account: await accountById(dbIn(ctx, em), scopeOf(ctx), account.id, base) });
    });
  }

  async updateAccount(req: UpdateAccountRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('accountId', req.accountId);
    const firstName = req.firstName === undefined ? undefined : v.messageName('firstName', req.firstName, { max: NAME_MAX });
    const locale = req.locale === undefined ? undefined : checkLocale(v, req.locale, 'locale', { languageAlone: true });
    const pictureType = checkImage(v, 'picture', req.picture);
    if (req.picture !== undefined && req.picture.length === 0) v.add('picture', 'is empty: to remove the picture, set removePicture', 'REQUIRED');
    if (req.picture !== undefined && req.removePicture) v.add('removePicture', 'cannot be set together with picture', 'CONFLICT');
    const newType = req.identifierType === IdentifierType.UNSPECIFIED ? undefined : identifierType(v, req.identifierType);
    if (newType && req.identifier === undefined) v.add('identifier', 'is required when identifierType changes', 'INVALID_IDENTIFIER', LEGACY.invalidIdentifier);
    // With its type given, the new identifier is checked now; otherwise once
    // the account's current type is read.
    const givenIdentifier = req.identifier !== undefined && newType ? checkIdentifier(v, newType, req.identifier) : undefined;
    const familyId = v.optionalId('familyId', req.familyId);
    const right = req.right === FamilyRight.UNSPECIFIED ? undefined : rightToGive(v, req.right);
    const role = req.role === undefined ? undefined : memberRole(v, 'role', req.role);
    if ((right !== undefined || role !== undefined) && !familyId) v.add('familyId', 'is required to change a right or role', 'REQUIRED');
    checkRequest(v);
    return emOf(ctx).transactional(async (em) => {
      const account = await requireAccount(em, id);
      checkEtag('account', account, req.etag);
      const client = await requireActiveClient(em, account.client.id);
      await serializeClientWrites(em, client.id);
      if (req.identifier !== undefined) {
        const type = newType ?? account.identifierType;
        let identifier = givenIdentifier;
        if (identifier === undefined) {
          const check = validate();
          identifier = checkIdentifier(check, type, req.identifier);
          checkRequest(check);
        }
        if (identifier !== account.identifier) await requireIdentifierFree(em, client, type, identifier, account.id);
        account.identifierType = type;
        account.identifier = identifier;
      }
      if (familyId) {
        const family = await requireFamily(em, familyId);
        const membership = await findMembership(em, familyId, id);
        if (!membership) {
          throw failedPrecondition('NOT_IN_FAMILY', `account ${account.identifier} is not a member of family "${family.name}": add it with AddAccountToFamily first`,
            { metadata: { accountId: id, familyId } });
        }
        if (right === 'super_admin' && membership.right !== 'super_admin') await requireNoFounder(em, familyId);
        if (right !== undefined) membership.right = right;
        if (role !== undefined) membership.role = role;
      }
      const oldPicture = account.picture;
      if (firstName !== undefined) account.firstName = firstName;
      account.searchText = accountSearchText(account.identifier, account.firstName);
      if (locale !== undefined) account.locale = locale;
      if (pictureType) account.picture = storeImage(em, client, req.picture!, pictureType);
      else if (req.removePicture) account.picture = null;
      await em.flush();
      if (oldPicture && oldPicture.id !== account.picture?.id) await em.remove(oldPicture).flush();
      return { account: await accountById(dbIn(ctx, em), scopeOf(ctx), id, this.#base(ctx)) };
    });
  }

  async addAccountToFamily(req: AddAccountToFamilyRequest, ctx: HandlerContext) {
    const v = validate();
    const accountId = v.id('accountId', req.accountId);
    const familyId = v.id('familyId', req.familyId);
    const right = rightToGive(v, req.right);
    const role = memberRole(v, 'role', req.role);
    checkRequest(v);
    return emOf(ctx).transactional(async (em) => {
      const family = await requireFamily(em, familyId);
      const account = await requireAccountOfClient(em, accountId, family.client.id);
      const client = await requireActiveClient(em, family.client.id);
      await serializeClientWrites(em, client.id);
      if (await findMembership(em, familyId, accountId)) {
        throw alreadyExists('ALREADY_IN_FAMILY', `account ${account.identifier} is already in family "${family.name}"`,
          { legacyCode: LEGACY.alreadyInFamily, metadata: { accountId, familyId } });
      }
      if (right === 'super_admin') await requireNoFounder(em, familyId);
      em.create(FamilyMember, { reseller: client.reseller.id, family, account, right, role });
      await em.flush();
      return { family: await familyById(dbIn(ctx, em), scopeOf(ctx), familyId, this.#base(ctx)) };
    });
  }

  async removeAccountFromFamily(req: RemoveAccountFromFamilyRequest, ctx: HandlerContext) {
    const v = validate();
    const accountId = v.id('accountId', req.accountId);
    const familyId = v.id('familyId', req.familyId);
    checkRequest(v);
    return emOf(ctx).transactional(async (em) => {
      const family = await requireFamily(em, familyId);
      const account = await requireAccountOfClient(em, accountId, family.client.id);
      await serializeClientWrites(em, family.client.id);
      const membership = await findMembership(em, familyId, accountId);
      if (!membership) {
        throw failedPrecondition('NOT_IN_FAMILY', `account ${account.identifier} is not a member of family "${family.name}"`, { metadata: { accountId, familyId } });
      }
      // The two invariants: refuse, and say which call does what was meant.
      if (await em.count(FamilyMember, { account: accountId }) === 1) {
        throw failedPrecondition('LAST_FAMILY',
          `family "${family.name}" is the only family of account ${account.identifier}, and an account must stay in a family: use DeleteAccount to delete the account`,
          { metadata: { accountId, familyId } });
      }
      if (await em.count(FamilyMember, { family: familyId }) === 1) {
        throw failedPrecondition('LAST_MEMBER',
          `account ${account.identifier} is the only member of family "${family.name}", and a family must keep a member: use DeleteFamily to delete the family`,
          { metadata: { accountId, familyId } });
      }
      em.remove(membership);
      await em.flush();
      return { family: await familyById(dbIn(ctx, em), scopeOf(ctx), familyId, this.#base(ctx)) };
    });
  }

  async deleteAccount(req: DeleteAccountRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('accountId', req.accountId);
    checkRequest(v);
    return emOf(ctx).transactional(async (em) => {
      const account = await requireAccount(em, id);
      await serializeClientWrites(em, account.client.id);
      const memberships = await em.find(FamilyMember, { account: id }, { populate: ['family'] });
      const familyIds = memberships.map((m) => m.family.id);
      // Families where someone else remains stay; the others would be left
      // empty, so they go too (seed provdeleteaccount).
      const others = await em.find(FamilyMember, { family: { $in: familyIds }, account: { $ne: id } }, { fields: ['family'] });
      const kept = new Set(others.map((m) => m.family.id));
      const emptied = memberships.map((m) => m.family).filter((f) => !kept.has(f.id));
      const told = await this.#accountsAsTheyWere(ctx, em, [id]);
      await deleteAccounts(em, [account], this.#deps.onAccountsDeleted ?? []);
      await deleteFamilies(em, emptied);
      await this.#tellDeleted(ctx, em, told);
      return { deletedFamilyIds: emptied.map((f) => f.id) };
    });
  }

  /** The accounts about to be deleted, as account.deleted events show them. */
  async #accountsAsTheyWere(ctx: HandlerContext, em: Em, ids: string[]): Promise<{ resellerId: string; account: AccountMessage }[]> {
    const accounts = await em.find(Account, { id: { $in: ids } }, { fields: ['id', 'reseller'] });
    return Promise.all(accounts.map(async (a) => ({ resellerId: a.reseller.id, account: await accountById(dbIn(ctx, em), scopeOf(ctx), a.id, this.#base(ctx)) })));
  }

  /** account.deleted for each, in the deletion's transaction. */
  async #tellDeleted(ctx: HandlerContext, em: Em, accounts: { resellerId: string; account: AccountMessage }[]): Promise<void> {
    await em.flush();
    for (const { resellerId, account } of accounts) {
      await recordEvent(dbIn(ctx, em), { type: 'account.deleted', resellerId, objectId: account.accountId, state: { case: 'account', value: account } });
    }
  }

  async getAccount(req: GetAccountRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('accountId', req.accountId);
    checkRequest(v);
    return { account: await accountById(readerOf(ctx), scopeOf(ctx), id, this.#base(ctx)) };
  }

  async getFamily(req: GetFamilyRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('familyId', req.familyId);
    checkRequest(v);
    return { family: await familyById(readerOf(ctx), scopeOf(ctx), id, this.#base(ctx)) };
  }

  async listAccounts(req: ListAccountsRequest, ctx: HandlerContext) {
    const { clientId, pattern, page } = await this.#clientList(req, ctx, 'accounts', { field: 'identifier', direction: 'asc', type: 'string' });
    const db = readerOf(ctx);
    const [rows, totalSize] = await Promise.all([
      accountPage(db, scopeOf(ctx), { clientId, pattern, cursor: page.cursor, limit: page.limit }, this.#base(ctx)),
      accountCount(db, scopeOf(ctx), clientId, pattern),
    ]);
    const { items, nextPageToken } = page.finish(rows, (row) => row.cursor);
    return { accounts: items.map((row) => row.message), nextPageToken, totalSize };
  }

  async listFamilies(req: ListFamiliesRequest, ctx: HandlerContext) {
    const { clientId, pattern, page } = await this.#clientList(req, ctx, 'families', { field: 'nameKey', direction: 'asc', type: 'string' });
    const db = readerOf(ctx);
    const [rows, totalSize] = await Promise.all([
      familyPage(db, scopeOf(ctx), { clientId, pattern, cursor: page.cursor, limit: page.limit }, this.#base(ctx)),
      familyCount(db, scopeOf(ctx), clientId, pattern),
    ]);
    const { items, nextPageToken } = page.finish(rows, (row) => row.cursor);
    return { families: items.map((row) => row.message), nextPageToken, totalSize };
  }

  /** A list of one client's accounts or families: its checked request, its search pattern, and its page; CLIENT_NOT_FOUND for a client this caller cannot see. */
  async #clientList(req: ListAccountsRequest | ListFamiliesRequest, ctx: HandlerContext, list: string, order: Order) {
    const v = validate();
    const clientId = v.id('clientId', req.clientId);
    const query = v.optionalText('query', req.query, 100);
    checkRequest(v);
    if (!(await clientVisible(readerOf(ctx), scopeOf(ctx), clientId))) throw notFound('CLIENT_NOT_FOUND', 'client', clientId);
    const folded = query ? fold(query.trim()) : '';
    const page = await pageOf(ctx, req, order, [list, clientId, folded]);
    return { clientId, pattern: folded ? `%${escapeLike(folded)}%` : undefined, page };
  }

  async grantRole(req: GrantRoleRequest, ctx: HandlerContext) {
    return this.#changeRole(req.accountId, req.role, 'grant', ctx);
  }

  async revokeRole(req: RevokeRoleRequest, ctx: HandlerContext) {
    return this.#changeRole(req.accountId, req.role, 'revoke', ctx);
  }

  async #changeRole(accountId: string, value: AccountRole, change: 'grant' | 'revoke', ctx: HandlerContext) {
    const v = validate();
    const id = v.id('accountId', accountId);
    const role = accountRole(v, value);
    checkRequest(v);
    return emOf(ctx).transactional(async (em) => {
      const account = await requireAccount(em, id);
      // Taking a right away works on an inactive client; giving one does not.
      if (change === 'grant') await requireActiveClient(em, account.client.id);
      await serializeClientWrites(em, account.client.id);
      const existing = await em.findOne(AccountRoleGrant, { account: id, role });
      if (change === 'grant' && !existing) em.create(AccountRoleGrant, { reseller: account.reseller.id, account, role });
      if (change === 'revoke' && existing) em.remove(existing);
      await em.flush();
      return { account: await accountById(dbIn(ctx, em), scopeOf(ctx), id, this.#base(ctx)) };
    });
  }
}

