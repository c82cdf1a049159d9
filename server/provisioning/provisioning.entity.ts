// End-user accounts of a client, the families they belong to, their images,
// their platform roles and the invitations sent when an account is created.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties, outboxProperties, tenantFilter } from '../platform/data/entity.ts';
import { Reseller } from '../access/access.entity.ts';
import { Client } from '../clients/clients.entity.ts';
import { unique } from '../platform/data/uniques.ts';
import { LEGACY } from './legacy-codes.ts';

/**
 * An uploaded image (family image or account picture), checked to be PNG or
 * JPEG by its content. Kept in the database so that every instance can serve
 * it; a new image gets a new row (and URL), so a URL's content never changes.
 */
export const Media = defineEntity({
  name: 'Media',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    client: () => p.manyToOne(Client),
    contentType: p.string().length(32),
    byteSize: p.integer(),
    /** Lazy: reading a family or an account never loads image bytes. */
    data: p.blob().lazy(),
  },
  filters: tenantFilter,
});
export type Media = InferEntity<typeof Media>;

export type IdentifierTypeName = 'email' | 'msisdn' | 'login';

export const Account = defineEntity({
  name: 'Account',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    client: () => p.manyToOne(Client),
    identifierType: p.string().length(8).$type<IdentifierTypeName>(),
    /** Normalised (see identifiers.ts), so equal identifiers compare equal. */
    identifier: p.string().length(254),
    firstName: p.string().length(100),
    locale: p.string().length(8),
    picture: () => p.manyToOne(Media).nullable(),
    /** Identifier and first name folded (platform/core/text.ts), for ListAccounts' search. */
    searchText: p.string().length(360).default(''),
  },
  filters: tenantFilter,
  // Backstops for races the client lock already prevents on both databases.
  uniques: [unique('account_client_identifier_unique', ['client', 'identifier'], { reason: 'ACCOUNT_ALREADY_EXISTS', message: 'an account with this identifier already exists for this client', legacyCode: LEGACY.accountAlreadyExists })],
});
export type Account = InferEntity<typeof Account>;

export const Family = defineEntity({
  name: 'Family',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    client: () => p.manyToOne(Client),
    name: p.string().length(100),
    image: () => p.manyToOne(Media).nullable(),
    /** The name folded (platform/core/text.ts): ListFamilies' sort key and search text. */
    nameKey: p.string().length(100).default(''),
  },
  filters: tenantFilter,
  indexes: [{ name: 'family_client_idx', properties: ['client'] }, { name: 'family_client_name_key_idx', properties: ['client', 'nameKey', 'id'] }],
});
export type Family = InferEntity<typeof Family>;

export type FamilyRightName = 'none' | 'admin' | 'super_admin';

/** An account's membership of a family; its createdAt is the join time. */
export const FamilyMember = defineEntity({
  name: 'FamilyMember',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    family: () => p.manyToOne(Family),
    account: () => p.manyToOne(Account),
    right: p.string().length(16).$type<FamilyRightName>(),
    /** Free text such as "Dad"; empty when not given. */
    role: p.string().length(50),
  },
  filters: tenantFilter,
  uniques: [
    unique('family_member_unique', ['family', 'account'], { reason: 'ALREADY_IN_FAMILY', message: 'the account is already in this family', legacyCode: LEGACY.alreadyInFamily }),
    // At most one founder per family, held by the database itself so that two
    // concurrent requests cannot both make one.
    unique('family_member_one_founder', ['family'], { reason: 'FOUNDER_ALREADY_EXISTS', message: 'this family already has a founder', legacyCode: LEGACY.founderAlreadyExists }, { right: 'super_admin' }),
  ],
  indexes: [{ name: 'family_member_account_idx', properties: ['account'] }],
});
export type FamilyMember = InferEntity<typeof FamilyMember>;

export type AccountRoleName = 'customer_user_uc' | 'customer_user_uc_softphone';

/** A platform role held by an account (checked by DeviceService). */
export const AccountRoleGrant = defineEntity({
  name: 'AccountRoleGrant',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    account: () => p.manyToOne(Account),
    role: p.string().length(40).$type<AccountRoleName>(),
  },
  filters: tenantFilter,
  uniques: [{ name: 'account_role_grant_unique', properties: ['account', 'role'] }],
});
export type AccountRoleGrant = InferEntity<typeof AccountRoleGrant>;

export type InvitationChannel = 'email' | 'sms';
export type InvitationStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

/**
 * The outbox of invitations: written in the transaction that creates the
 * account, delivered later by the worker in invitations.ts. It keeps a copy of
 * what the message needs, and the account id without a foreign key, so that
 * deleting the account only cancels a pending invitation.
 */
export const Invitation = defineEntity({
  name: 'Invitation',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    client: () => p.manyToOne(Client),
    accountId: p.uuid(),
    channel: p.string().length(8).$type<InvitationChannel>(),
    recipient: p.string().length(254),
    firstName: p.string().length(100),
    familyName: p.string().length(100),
    locale: p.string().length(8),
    ...outboxProperties<InvitationStatus>(),
  },
  filters: tenantFilter,
  indexes: [
    { name: 'invitation_due_idx', properties: ['status', 'nextAttemptAt'] },
    { name: 'invitation_account_idx', properties: ['accountId'] },
  ],
});
export type Invitation = InferEntity<typeof Invitation>;
