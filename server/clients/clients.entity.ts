// Clients of a reseller, their sites and the equipment on each site.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties, tenantFilter } from '../platform/data/entity.ts';
import { Reseller } from '../access/access.entity.ts';
import { unique } from '../platform/data/uniques.ts';

export type ClientStatusName = 'active' | 'inactive';

export const Client = defineEntity({
  name: 'Client',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    name: p.string().length(200),
    code: p.string().length(64),
    /** Lower-cased name and code, for case-insensitive search on both databases. */
    searchText: p.string().length(270),
    status: p.string().length(16).$type<ClientStatusName>(),
    // Kept by the database: triggers on site and equipment (migration
    // counts_in_columns) count each insert, delete and move, in the same
    // transaction. The code never sets them (a set value would be written back).
    siteCount: p.integer().default(0).lazy(),
    equipmentCount: p.integer().default(0).lazy(),
  },
  filters: tenantFilter,
  uniques: [unique('client_reseller_code_unique', ['reseller', 'code'], { reason: 'CLIENT_CODE_EXISTS', message: 'a client with this code already exists for this reseller' })],
  indexes: [
    { name: 'client_reseller_created_idx', properties: ['reseller', 'createdAt', 'id'] },
    { name: 'client_reseller_name_idx', properties: ['reseller', 'name', 'id'] },
    { name: 'client_created_idx', properties: ['createdAt', 'id'] },
  ],
});
export type Client = InferEntity<typeof Client>;

export const Site = defineEntity({
  name: 'Site',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    client: () => p.manyToOne(Client),
    name: p.string().length(200),
    /** Kept by the database's triggers, as Client's counts are. */
    equipmentCount: p.integer().default(0).lazy(),
  },
  filters: tenantFilter,
  // A client's sites by name (ListSites' order), with every column GetClient
  // shows of them: GetClient reads its sites from this index alone, without a
  // lookup into the table per site (a quarter of its read under load).
  indexes: [{ name: 'site_client_name_covering_idx', properties: ['client', 'name', 'id', 'createdAt', 'version', 'equipmentCount'] }],
});
export type Site = InferEntity<typeof Site>;

export type EquipmentKindName = 'desk_phone' | 'smartphone' | 'softphone' | 'dect_base' | 'gateway';

export const Equipment = defineEntity({
  name: 'Equipment',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    client: () => p.manyToOne(Client),
    site: () => p.manyToOne(Site),
    kind: p.string().length(16).$type<EquipmentKindName>(),
    pbxDeviceId: p.string().length(128).nullable(),
    smartphoneId: p.string().length(64).nullable(),
    serialNumber: p.string().length(128).nullable(),
    label: p.string().length(200).nullable(),
  },
  filters: tenantFilter,
  uniques: [unique('equipment_reseller_pbx_device_unique', ['reseller', 'pbxDeviceId'], { reason: 'PBX_DEVICE_EXISTS', message: 'equipment with this PBX device id already exists for this reseller' })],
  indexes: [
    { name: 'equipment_client_created_idx', properties: ['client', 'createdAt', 'id'] },
    { name: 'equipment_site_created_idx', properties: ['site', 'createdAt', 'id'] },
  ],
});
export type Equipment = InferEntity<typeof Equipment>;
