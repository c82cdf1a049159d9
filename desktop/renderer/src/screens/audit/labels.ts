// The audit trail in words: actions, object types, the methods that made a
// change ("Deactivated the client" rather than ClientService/DeactivateClient)
// and the names of changed fields ("Name" rather than nameLower). The server
// records entity and property names; until it gives labels of its own
// (phase 2 of issue 19), the console maps the ones it knows and shows any
// other as the server wrote it. Bookkeeping columns (search keys) are hidden.
import { AuditAction } from '@gen/reseller/v1/audit_pb.js';
import type { TFunction } from 'i18next';
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

const fieldLabels = {
  name: 'audit.fields.name',
  code: 'audit.fields.code',
  status: 'audit.fields.status',
  reseller: 'audit.fields.reseller',
  client: 'audit.fields.client',
  site: 'audit.fields.site',
  kind: 'audit.fields.kind',
  label: 'audit.fields.label',
  pbxDeviceId: 'audit.fields.pbxDeviceId',
  smartphoneId: 'audit.fields.smartphoneId',
  serialNumber: 'audit.fields.serialNumber',
  displayName: 'audit.fields.displayName',
  role: 'audit.fields.role',
  secretHash: 'audit.fields.secret',
  revokedAt: 'audit.fields.revokedAt',
  firstName: 'audit.fields.firstName',
  locale: 'audit.fields.locale',
  identifier: 'audit.fields.identifier',
  identifierType: 'audit.fields.identifierType',
  picture: 'audit.fields.picture',
  image: 'audit.fields.image',
  right: 'audit.fields.right',
  family: 'audit.fields.family',
  account: 'audit.fields.account',
  deviceId: 'audit.fields.deviceId',
  clientType: 'audit.fields.clientType',
  assignedAt: 'audit.fields.assignedAt',
  guid: 'audit.fields.guid',
  subdomain: 'audit.fields.subdomain',
  url: 'audit.fields.url',
  adminUrl: 'audit.fields.adminUrl',
  formUrl: 'audit.fields.formUrl',
  installedAt: 'audit.fields.installedAt',
  installDueAt: 'audit.fields.installDueAt',
  deletionRequestedAt: 'audit.fields.deletionRequestedAt',
  accessEndAt: 'audit.fields.accessEndAt',
  deletionAt: 'audit.fields.deletionAt',
  deletedAt: 'audit.fields.deletedAt',
  reactivatedAt: 'audit.fields.reactivatedAt',
  contact: 'audit.fields.contact',
  offering: 'audit.fields.offering',
  offeringCode: 'audit.fields.offeringCode',
  position: 'audit.fields.position',
  cancelledAt: 'audit.fields.cancelledAt',
  shortDescription: 'audit.fields.shortDescription',
  longDescription: 'audit.fields.longDescription',
  priceMinor: 'audit.fields.price',
  unitPriceMinor: 'audit.fields.unitPrice',
  totalMinor: 'audit.fields.total',
  currency: 'audit.fields.currency',
  billingPeriod: 'audit.fields.billingPeriod',
  associatedCodes: 'audit.fields.associatedCodes',
  projectForm: 'audit.fields.projectForm',
  includedQuantity: 'audit.fields.includedQuantity',
  retiredAt: 'audit.fields.retiredAt',
  sku: 'audit.fields.sku',
  brand: 'audit.fields.brand',
  model: 'audit.fields.model',
  storageGb: 'audit.fields.storageGb',
  colour: 'audit.fields.colour',
  availability: 'audit.fields.availability',
  quantity: 'audit.fields.quantity',
  description: 'audit.fields.description',
  lastName: 'audit.fields.lastName',
  company: 'audit.fields.company',
  address: 'audit.fields.address',
  postalCode: 'audit.fields.postalCode',
  city: 'audit.fields.city',
  country: 'audit.fields.country',
  phone: 'audit.fields.phone',
  email: 'audit.fields.email',
  rcs: 'audit.fields.rcs',
  ape: 'audit.fields.ape',
} as const satisfies Record<string, MessageKey>;

/** Search keys and other copies kept for the database's sake: never shown. */
const hiddenFields = new Set(['searchText', 'nameLower', 'brandLower']);

/** The changed fields in words, without the bookkeeping ones; unknown ones as the server wrote them. */
export function fieldLabelsOf(t: TFunction, fields: readonly string[]): string[] {
  const shown = fields.filter((f) => !hiddenFields.has(f))
    .map((f) => (f in fieldLabels ? tr(t, fieldLabels[f as keyof typeof fieldLabels]) : f));
  return [...new Set(shown)];
}
