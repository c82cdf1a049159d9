// Softphone devices: which PBX device (an equipment of the client) belongs to
// which account, how it is assigned, and the charges that assignments caused.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties, tenantFilter } from '../platform/data/entity.ts';
import { Reseller } from '../access/access.entity.ts';
import { Client, Equipment } from '../clients/clients.entity.ts';
import { Account } from '../provisioning/provisioning.entity.ts';
import { unique } from '../platform/data/uniques.ts';

export type SoftphoneClientTypeName = 'desktop' | 'mobile' | 'webrtc' | 'crm';

/**
 * A device linked to an account on the communications platform, and its
 * softphone assignment (one at a time: assigning another client type moves it).
 * An assigned link occupies one softphone seat of the client.
 */
export const DeviceLink = defineEntity({
  name: 'DeviceLink',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    client: () => p.manyToOne(Client),
    account: () => p.manyToOne(Account),
    equipment: () => p.manyToOne(Equipment),
    clientType: p.string().length(8).$type<SoftphoneClientTypeName>().nullable(),
    assignedAt: p.datetime().nullable(),
  },
  filters: tenantFilter,
  // A device belongs to one account at a time.
  uniques: [unique('device_link_equipment_unique', ['equipment'], { reason: 'DEVICE_ALREADY_LINKED', message: 'this device is already linked to an account' })],
  indexes: [
    { name: 'device_link_account_idx', properties: ['account', 'createdAt'] },
    { name: 'device_link_client_assigned_idx', properties: ['client', 'clientType'] },
  ],
});
export type DeviceLink = InferEntity<typeof DeviceLink>;

/**
 * The billing ledger: one row per accepted charge, written in the transaction
 * of the assignment that caused it. Account and device are kept as plain ids:
 * the ledger outlives them.
 */
export const Charge = defineEntity({
  name: 'Charge',
  properties: {
    ...baseProperties(),
    reseller: () => p.manyToOne(Reseller),
    client: () => p.manyToOne(Client),
    accountId: p.uuid(),
    deviceId: p.string().length(128),
    offeringCode: p.string().length(64),
    description: p.string().length(200),
    quantity: p.integer(),
    unitPriceMinor: p.bigint('number'),
    totalMinor: p.bigint('number'),
    currency: p.string().length(3),
    chargedAt: p.datetime(),
  },
  filters: tenantFilter,
  indexes: [
    { name: 'charge_reseller_time_idx', properties: ['reseller', 'chargedAt', 'id'] },
    { name: 'charge_client_time_idx', properties: ['client', 'chargedAt', 'id'] },
    { name: 'charge_time_idx', properties: ['chargedAt', 'id'] },
  ],
});
export type Charge = InferEntity<typeof Charge>;
