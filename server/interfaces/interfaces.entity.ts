// Shop interfaces (seed 003), their offering lines, and the history of their
// lifecycle transitions. All belong to a reseller (tenant filter).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties, tenantFilter } from '../platform/data/entity.ts';
import { Reseller } from '../access/access.entity.ts';
import { Offering } from '../catalog/catalog.entity.ts';
import { unique } from '../platform/data/uniques.ts';

/** The end customer an interface is for (seed: client), stored as contact_* columns. */
export const CustomerContact = defineEntity({
  name: 'CustomerContact',
  embeddable: true,
  properties: {
    lastName: p.string().length(100),
    firstName: p.string().length(100),
    company: p.string().length(200),
    address: p.string().length(300),
    postalCode: p.string().length(16),
    city: p.string().length(100),
    country: p.string().length(2),
    phone: p.string().length(32),
    email: p.string().length(254),
    rcs: p.string().length(64),
    ape: p.string().length(8),
  },
});
export type CustomerContact = InferEntity<typeof CustomerContact>;

export type InterfaceStatusName = 'pending' | 'active' | 'deactivated' | 'deleted';

export const ShopInterface = defineEntity({
  name: 'ShopInterface',
  tableName: 'shop_interface',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    /** The reseller's own identifier, unique per reseller. */
    guid: p.string().length(128),
    status: p.string().length(16).$type<InterfaceStatusName>(),
    /** Unique while the interface exists; cleared on final deletion so the name can be reused. */
    subdomain: p.string().length(63).nullable(),
    url: p.string().length(300).nullable(),
    adminUrl: p.string().length(300).nullable(),
    formUrl: p.string().length(300).nullable(),
    contact: () => p.embedded(CustomerContact).prefix('contact_'),
    /** When the installation job may install it (order time + INTERFACE_INSTALL_DELAY_SECONDS). */
    installDueAt: p.datetime(),
    installedAt: p.datetime().nullable(),
    deletionRequestedAt: p.datetime().nullable(),
    accessEndAt: p.datetime().nullable(),
    /** When the deletion job deletes it for good; set while DEACTIVATED, kept once DELETED. */
    deletionAt: p.datetime().nullable(),
    deletedAt: p.datetime().nullable(),
    reactivatedAt: p.datetime().nullable(),
    /**
     * Guid, subdomain and customer company folded (platform/core/text.ts), for
     * ListInterfaces' search. Written when ordered: a deleted interface is still
     * found by the subdomain it had.
     */
    searchText: p.string().length(400).default(''),
  },
  filters: tenantFilter,
  uniques: [
    unique('shop_interface_reseller_guid_unique', ['reseller', 'guid'], { reason: 'INTERFACE_GUID_EXISTS', message: 'an interface with this guid was ordered at the same time: use another guid' }),
    unique('shop_interface_subdomain_unique', ['subdomain'], { reason: 'SUBDOMAIN_TAKEN', message: 'this subdomain was taken at the same time: choose another one' }),
  ],
  indexes: [
    { name: 'shop_interface_reseller_created_idx', properties: ['reseller', 'createdAt', 'id'] },
    { name: 'shop_interface_created_idx', properties: ['createdAt', 'id'] },
    // What the background jobs look for.
    { name: 'shop_interface_status_install_idx', properties: ['status', 'installDueAt'] },
    { name: 'shop_interface_status_deletion_idx', properties: ['status', 'deletionAt'] },
  ],
});
export type ShopInterface = InferEntity<typeof ShopInterface>;

/** One ordered offering on an interface. Its id is the seed's reference_unique. */
export const InterfaceOfferingLine = defineEntity({
  name: 'InterfaceOfferingLine',
  tableName: 'interface_offering_line',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    shopInterface: () => p.manyToOne(ShopInterface),
    offering: () => p.manyToOne(Offering),
    /**
     * The line's place on its interface (0, 1, 2...): lines ordered in one
     * request share a create time, and time-ordered ids are random within a
     * millisecond, so this keeps "in the order ordered" exact.
     */
    position: p.integer(),
    cancelledAt: p.datetime().nullable(),
    formUrl: p.string().length(300).nullable(),
  },
  filters: tenantFilter,
  indexes: [{ name: 'interface_offering_line_interface_position_idx', properties: ['shopInterface', 'position'] }],
});
export type InterfaceOfferingLine = InferEntity<typeof InterfaceOfferingLine>;

export type InterfaceEventKind = 'ordered' | 'installed' | 'deletion_requested' | 'access_ended' | 'reactivated' | 'deleted';

/**
 * Every lifecycle transition, written in the transition's own transaction:
 * the history of an interface, and the proof that each transition happened
 * once even with several server instances running the jobs.
 */
export const InterfaceEvent = defineEntity({
  name: 'InterfaceEvent',
  tableName: 'interface_event',
  properties: {
    id: p.uuid().primary(),
    reseller: () => p.manyToOne(Reseller),
    shopInterface: () => p.manyToOne(ShopInterface),
    kind: p.string().length(32).$type<InterfaceEventKind>(),
    occurredAt: p.datetime(),
  },
  filters: tenantFilter,
  indexes: [{ name: 'interface_event_interface_idx', properties: ['shopInterface', 'occurredAt'] }],
});
export type InterfaceEvent = InferEntity<typeof InterfaceEvent>;
