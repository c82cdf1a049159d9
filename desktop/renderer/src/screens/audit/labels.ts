// The audit trail in words: actions, object types, the methods that made a
// change ("Deactivated the client" rather than ClientService/DeactivateClient,
// "Installed by the system" for job:interfaces.install) and the changed
// fields ("First name" rather than firstName). The server sends stable keys
// (changed_field_keys, the API's own field names, without bookkeeping such as
// searchText or secretHash), never words: the console translates them.
import { AuditAction } from '@gen/reseller/v1/audit_pb.js';
import type { TFunction } from 'i18next';
import { en } from '../../i18n/en.ts';
import { tr, type MessageKey } from '../../i18n/keys.ts';

export const actionLabels: Record<AuditAction, MessageKey> = {
  [AuditAction.UNSPECIFIED]: 'audit.actions.unknown',
  [AuditAction.CREATE]: 'audit.actions.create',
  [AuditAction.UPDATE]: 'audit.actions.update',
  [AuditAction.DELETE]: 'audit.actions.delete',
};

/** The object types the server records (its entity names), in words. */
export const objectTypeLabels = {
  Reseller: 'audit.types.Reseller',
  Credential: 'audit.types.Credential',
  Client: 'audit.types.Client',
  Site: 'audit.types.Site',
  Equipment: 'audit.types.Equipment',
  Account: 'audit.types.Account',
  AccountRoleGrant: 'audit.types.AccountRoleGrant',
  Family: 'audit.types.Family',
  FamilyMember: 'audit.types.FamilyMember',
  DeviceLink: 'audit.types.DeviceLink',
  Charge: 'audit.types.Charge',
  Offering: 'audit.types.Offering',
  Smartphone: 'audit.types.Smartphone',
  ShopInterface: 'audit.types.ShopInterface',
  InterfaceEvent: 'audit.types.InterfaceEvent',
  InterfaceOfferingLine: 'audit.types.InterfaceOfferingLine',
  CustomerContact: 'audit.types.CustomerContact',
  Media: 'audit.types.Media',
} as const satisfies Record<string, MessageKey>;

export type ObjectType = keyof typeof objectTypeLabels;
export const objectTypes = Object.keys(objectTypeLabels) as ObjectType[];

export function objectTypeLabel(t: TFunction, type: string): string {
  return type in objectTypeLabels ? tr(t, objectTypeLabels[type as ObjectType]) : type;
}

const methodLabels = {
  CreateReseller: 'audit.methods.CreateReseller',
  CreateCredential: 'audit.methods.CreateCredential',
  RevokeCredential: 'audit.methods.RevokeCredential',
  UpsertOffering: 'audit.methods.UpsertOffering',
  UpsertSmartphone: 'audit.methods.UpsertSmartphone',
  RetireOffering: 'audit.methods.RetireOffering',
  RegisterClient: 'audit.methods.RegisterClient',
  UpdateClient: 'audit.methods.UpdateClient',
  DeactivateClient: 'audit.methods.DeactivateClient',
  ReactivateClient: 'audit.methods.ReactivateClient',
  CreateSite: 'audit.methods.CreateSite',
  UpdateSite: 'audit.methods.UpdateSite',
  DeleteSite: 'audit.methods.DeleteSite',
  AddEquipment: 'audit.methods.AddEquipment',
  UpdateEquipment: 'audit.methods.UpdateEquipment',
  RemoveEquipment: 'audit.methods.RemoveEquipment',
  LinkDevice: 'audit.methods.LinkDevice',
  UnlinkDevice: 'audit.methods.UnlinkDevice',
  AssignDevice: 'audit.methods.AssignDevice',
  UnassignDevice: 'audit.methods.UnassignDevice',
  CreateInterface: 'audit.methods.CreateInterface',
  DeleteInterface: 'audit.methods.DeleteInterface',
  ReactivateInterface: 'audit.methods.ReactivateInterface',
  AddInterfaceOfferings: 'audit.methods.AddInterfaceOfferings',
  CancelInterfaceOffering: 'audit.methods.CancelInterfaceOffering',
  CreateFamily: 'audit.methods.CreateFamily',
  FoundFamily: 'audit.methods.FoundFamily',
  UpdateFamily: 'audit.methods.UpdateFamily',
  DeleteFamily: 'audit.methods.DeleteFamily',
  CreateAccount: 'audit.methods.CreateAccount',
  UpdateAccount: 'audit.methods.UpdateAccount',
  AddAccountToFamily: 'audit.methods.AddAccountToFamily',
  RemoveAccountFromFamily: 'audit.methods.RemoveAccountFromFamily',
  DeleteAccount: 'audit.methods.DeleteAccount',
  GrantRole: 'audit.methods.GrantRole',
  RevokeRole: 'audit.methods.RevokeRole',
  'job:interfaces.install': 'audit.methods.jobInstall',
  'job:interfaces.delete': 'audit.methods.jobDelete',
} as const satisfies Record<string, MessageKey>;

/** The method's short name: `reseller.v1.ClientService/RegisterClient` → `ClientService/RegisterClient`. */
export function shortMethod(method: string): string {
  return method.replace(/^reseller\.v1\./, '');
}

/** What the call did, in words; the method's short name for one the console does not know. */
export function methodLabel(t: TFunction, method: string): string {
  const name = method.split('/').pop() ?? method;
  return name in methodLabels ? tr(t, methodLabels[name as keyof typeof methodLabels]) : shortMethod(method);
}

/** The keys the server sends in changed_field_keys (docs/guide/audit.md) that the console has words for. */
type FieldKey = keyof (typeof en)['audit']['fields'];
const fieldKeys = new Set<string>(Object.keys(en.audit.fields));

/**
 * The changed fields in words, from the event's changed_field_keys (the API's
 * JSON field names, bookkeeping already left out by the server); a key the
 * console has no words for yet is shown as the server sent it.
 */
export function fieldLabelsOf(t: TFunction, keys: readonly string[]): string[] {
  const shown = keys.map((key) => (fieldKeys.has(key) ? tr(t, `audit.fields.${key as FieldKey}`) : key));
  return [...new Set(shown)];
}
