// How the audit trail names objects and fields for people: each event's label
// (the object's name or code when the event was recorded) and the changed
// fields as the API's messages name them. The trail stores the ORM's property
// names (stable, what changed in the database); a console reads
// changed_field_keys, the contract's JSON field names, and translates those
// itself (it is French and English: the server sends keys, never words).
// docs/guide/audit.md lists the keys per object type.

/**
 * The row's own bookkeeping and the columns derived from others (search and
 * sort keys, the counts the database's triggers keep): never a change a
 * caller made, never shown. secretHash: a credential's secret is not a field
 * anyone sets or reads.
 */
export const HIDDEN_FIELDS: ReadonlySet<string> = new Set([
  'id', 'createdAt', 'updatedAt', 'version', 'siteCount', 'equipmentCount',
  'searchText', 'nameKey', 'nameLower', 'brandLower', 'secretHash', 'installDueAt',
  // A staff user's secrets and sign-in bookkeeping.
  'passwordHash', 'totpSecret', 'totpLastStep', 'invitationTokenHash', 'invitationExpiresAt',
]);

/** An entity's label: the first of these that it has, so a Client is named by its name and an Offering by its code. */
const LABEL_PROPERTIES = ['name', 'code', 'guid', 'identifier', 'displayName', 'sku', 'label', 'pbxDeviceId', 'serialNumber', 'description'];
const MAX_LABEL = 300;

/** A related entity, loaded or not (an uninitialised reference has only its id, so nothing to name it by). */
function loaded(reference: unknown): Record<string, unknown> | undefined {
  return reference && typeof reference === 'object' ? reference as Record<string, unknown> : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What the trail calls an object of `className` (an entity as the ORM holds it), or null when it has no name of its own. */
export function labelOf(className: string, entity: Record<string, unknown>): string | null {
  let label: string | undefined;
  switch (className) {
    case 'Offering':
      // Offerings are ordered, listed and shown by code.
      label = text(entity.code);
      break;
    case 'Smartphone':
      label = text(entity.brand) && text(entity.model) ? `${entity.brand} ${entity.model}` : text(entity.sku);
      break;
    case 'FamilyMember': {
      const family = text(loaded(entity.family)?.name);
      const account = text(loaded(entity.account)?.identifier);
      label = family && account ? `${family} / ${account}` : (account ?? family);
      break;
    }
    case 'AccountRoleGrant': {
      const account = text(loaded(entity.account)?.identifier);
      label = account ? `${account} / ${entity.role}` : text(entity.role);
      break;
    }
    case 'DeviceLink':
      label = text(loaded(entity.equipment)?.pbxDeviceId);
      break;
    case 'InterfaceOfferingLine':
      label = text(loaded(entity.offering)?.code);
      break;
    default:
      for (const property of LABEL_PROPERTIES) {
        label = text(entity[property]);
        if (label) break;
      }
  }
  return label ? label.slice(0, MAX_LABEL) : null;
}

/** Properties the messages name otherwise (relations by their id, times as *_time, money as one Money field). */
const RENAMED: Record<string, string> = {
  reseller: 'resellerId', client: 'clientId', site: 'siteId', account: 'accountId', family: 'familyId', equipment: 'equipmentId',
  shopInterface: 'key', offering: 'code', picture: 'pictureUrl', image: 'imageUrl',
  priceMinor: 'price', currency: 'price', unitPriceMinor: 'unitPrice', totalMinor: 'total',
  retiredAt: 'retireTime', revokedAt: 'revokeTime', disabledAt: 'disableTime', staffUser: 'staffUserId', lastRefreshAt: 'lastRefreshTime', expiresAt: 'expireTime', installedAt: 'installTime', deletionRequestedAt: 'deletionRequestTime',
  accessEndAt: 'accessEndTime', deletionAt: 'deletionTime', deletedAt: 'deletionTime', reactivatedAt: 'reactivationTime',
  assignedAt: 'assignTime', chargedAt: 'createTime', cancelledAt: 'cancelTime',
};

/** The changed fields as the object's message names them, without hidden ones, sorted and once each. */
export function fieldKeysOf(fields: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const field of fields) {
    if (HIDDEN_FIELDS.has(field)) continue;
    // Embedded properties (an interface's contact) may be named contact.lastName or contact_last_name: the message has one contact.
    const top = field.split(/[._]/)[0]!;
    keys.add(RENAMED[top] ?? top);
  }
  return [...keys].sort();
}

/** The changed fields as stored, without hidden ones (events recorded before they were hidden included). */
export function visibleFields(fields: readonly string[]): string[] {
  return fields.filter((field) => !HIDDEN_FIELDS.has(field));
}
