// Identifier types, family rights and account roles, as message keys.
import { AccountRole, FamilyRight, IdentifierType } from '@gen/reseller/v1/provisioning_pb.js';
import type { TFunction } from 'i18next';
import { tr, type MessageKey } from '../../i18n/keys.ts';
import type { Option } from '../../ui/form.tsx';

export const identifierTypeLabels: Record<IdentifierType, MessageKey> = {
  [IdentifierType.UNSPECIFIED]: 'accounts.identifierTypes.unknown',
  [IdentifierType.EMAIL]: 'accounts.identifierTypes.email',
  [IdentifierType.MSISDN]: 'accounts.identifierTypes.msisdn',
  [IdentifierType.LOGIN]: 'accounts.identifierTypes.login',
};

export function identifierTypeOptions(t: TFunction): Option[] {
  return [IdentifierType.EMAIL, IdentifierType.MSISDN, IdentifierType.LOGIN].map((type) => ({ value: String(type), label: tr(t, identifierTypeLabels[type]) }));
}

export const rightLabels: Record<FamilyRight, MessageKey> = {
  [FamilyRight.UNSPECIFIED]: 'accounts.rights.member',
  [FamilyRight.NONE]: 'accounts.rights.member',
  [FamilyRight.ADMIN]: 'accounts.rights.admin',
  [FamilyRight.SUPER_ADMIN]: 'accounts.rights.superAdmin',
};

export function rightOptions(t: TFunction): Option[] {
  return [FamilyRight.NONE, FamilyRight.ADMIN, FamilyRight.SUPER_ADMIN].map((r) => ({ value: String(r), label: tr(t, rightLabels[r]) }));
}

export const roleLabels: Record<AccountRole, MessageKey> = {
  [AccountRole.UNSPECIFIED]: 'accounts.roles.unspecified',
  [AccountRole.CUSTOMER_USER_UC]: 'accounts.roles.uc',
  [AccountRole.CUSTOMER_USER_UC_SOFTPHONE]: 'accounts.roles.ucSoftphone',
};

export const ROLES = [AccountRole.CUSTOMER_USER_UC, AccountRole.CUSTOMER_USER_UC_SOFTPHONE];

export const DEFAULT_LOCALE = 'fr_FR';

/** How an account is named: "Anna (anna@example.com)", or its identifier alone. */
export function accountName(a: { firstName: string; identifier: string }): string {
  return a.firstName ? `${a.firstName} (${a.identifier})` : a.identifier;
}
