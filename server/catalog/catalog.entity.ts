// The catalog: offerings (seed 003 "prestations") and smartphones (seed 000).
// Not owned by a reseller: every reseller reads the same catalog, so these
// entities carry no tenant filter.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../platform/data/entity.ts';
import { unique } from '../platform/data/uniques.ts';

export type OfferingKindName = 'setup' | 'subscription' | 'option';
export type BillingPeriodName = 'one_time' | 'monthly' | 'yearly';

export const Offering = defineEntity({
  name: 'Offering',
  properties: {
    ...baseProperties(),
    /** The public identifier partners order with; never changes once published. */
    code: p.string().length(64),
    name: p.string().length(200),
    shortDescription: p.string().length(500),
    /** HTML, sanitised when written, so readers may render it as is. */
    longDescription: p.text(),
    /** List price excluding VAT, in minor units (cents) of `currency`. */
    priceMinor: p.integer(),
    currency: p.string().length(3),
    kind: p.string().length(16).$type<OfferingKindName>(),
    billingPeriod: p.string().length(16).$type<BillingPeriodName>(),
    /** Codes of which one must be ordered with this offering (seed: prestations_associees). */
    associatedCodes: p.json<string[]>(),
    /** Ordering it sends the customer a project creation form. */
    projectForm: p.boolean(),
    /** Free per client before it is charged (softphone seats). */
    includedQuantity: p.integer().default(0),
    /** Set when withdrawn from sale: still readable, no longer orderable. */
    retiredAt: p.datetime().nullable(),
  },
  uniques: [unique('offering_code_unique', ['code'], { reason: 'OFFERING_CODE_EXISTS', message: 'an offering with this code was created at the same time: read it and retry' })],
});
export type Offering = InferEntity<typeof Offering>;

export type SmartphoneAvailabilityName = 'in_stock' | 'out_of_stock' | 'discontinued';

export const Smartphone = defineEntity({
  name: 'Smartphone',
  properties: {
    ...baseProperties(),
    /** One brand, model, storage and colour: the key UpsertSmartphone works on. */
    sku: p.string().length(64),
    brand: p.string().length(100),
    /** Lower-cased brand, for the case-insensitive brand filter on both databases. */
    brandLower: p.string().length(100),
    model: p.string().length(100),
    priceMinor: p.integer(),
    currency: p.string().length(3),
    storageGb: p.integer(),
    colour: p.string().length(50),
    availability: p.string().length(16).$type<SmartphoneAvailabilityName>(),
    /** Lower-cased brand, model and colour, for text search on both databases. */
    searchText: p.string().length(260),
  },
  uniques: [unique('smartphone_sku_unique', ['sku'], { reason: 'SMARTPHONE_SKU_EXISTS', message: 'a smartphone with this SKU was created at the same time: read it and retry' })],
  indexes: [{ name: 'smartphone_brand_sku_idx', properties: ['brandLower', 'sku'] }],
});
export type Smartphone = InferEntity<typeof Smartphone>;
