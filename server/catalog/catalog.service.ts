// CatalogService (seeds 003 and 000): offerings and smartphones. Everyone
// with a token reads; only admin credentials write.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import {
  BillingPeriod, CatalogService, OfferingKind, OfferingSchema, SmartphoneAvailability, SmartphoneSchema,
  type GetOfferingRequest, type GetSmartphoneRequest, type ListOfferingsRequest, type ListSmartphonesRequest,
  type RetireOfferingRequest, type UpsertOfferingRequest, type UpsertSmartphoneRequest,
} from '../../gen/reseller/v1/catalog_pb.js';
import { Offering, Smartphone, type BillingPeriodName, type OfferingKindName, type SmartphoneAvailabilityName } from './catalog.entity.ts';
import { offeringsByCode, requireOffering, requireSmartphone } from './catalog.repository.ts';
import { sanitizeDescription } from './sanitize.ts';
import { CODE, normaliseCode } from './codes.ts';
import { emOf, principalOf } from '../platform/rpc/context.ts';
import { apiError, checkEtag } from '../platform/rpc/errors.ts';
import { etagOf } from '../platform/data/entity.ts';
import { isUuid } from '../platform/core/ids.ts';
import { moneyMessage, validPrice } from '../platform/rpc/money.ts';
import { escapeLike, pageOf } from '../platform/data/pagination.ts';
import { validate } from '../platform/rpc/validation.ts';
import type { Clock } from '../platform/core/clock.ts';


const LONG_DESCRIPTION_MAX = 20_000;

export const kindValues: Record<OfferingKindName, OfferingKind> = {
  setup: OfferingKind.SETUP, subscription: OfferingKind.SUBSCRIPTION, option: OfferingKind.OPTION,
};
const kindNames = Object.fromEntries(Object.entries(kindValues).map(([name, value]) => [value, name])) as Record<number, OfferingKindName>;
const periodValues: Record<BillingPeriodName, BillingPeriod> = {
  one_time: BillingPeriod.ONE_TIME, monthly: BillingPeriod.MONTHLY, yearly: BillingPeriod.YEARLY,
};
const periodNames = Object.fromEntries(Object.entries(periodValues).map(([name, value]) => [value, name])) as Record<number, BillingPeriodName>;
const availabilityValues: Record<SmartphoneAvailabilityName, SmartphoneAvailability> = {
  in_stock: SmartphoneAvailability.IN_STOCK, out_of_stock: SmartphoneAvailability.OUT_OF_STOCK, discontinued: SmartphoneAvailability.DISCONTINUED,
};
const availabilityNames = Object.fromEntries(Object.entries(availabilityValues).map(([name, value]) => [value, name])) as Record<number, SmartphoneAvailabilityName>;

export function offeringMessage(offering: Offering) {
  return create(OfferingSchema, {
    code: offering.code, name: offering.name, shortDescription: offering.shortDescription, longDescription: offering.longDescription,
    price: moneyMessage(offering.priceMinor, offering.currency), kind: kindValues[offering.kind], billingPeriod: periodValues[offering.billingPeriod],
    associatedCodes: offering.associatedCodes, projectForm: offering.projectForm, retired: offering.retiredAt !== null,
    retireTime: offering.retiredAt ? timestampFromDate(offering.retiredAt) : undefined,
    createTime: timestampFromDate(offering.createdAt), updateTime: timestampFromDate(offering.updatedAt), etag: etagOf(offering),
    includedQuantity: offering.includedQuantity,
  });
}

export function smartphoneMessage(smartphone: Smartphone) {
  return create(SmartphoneSchema, {
    smartphoneId: smartphone.id, sku: smartphone.sku, brand: smartphone.brand, model: smartphone.model,
    price: moneyMessage(smartphone.priceMinor, smartphone.currency), storageGb: smartphone.storageGb, colour: smartphone.colour,
    availability: availabilityValues[smartphone.availability],
    createTime: timestampFromDate(smartphone.createdAt), updateTime: timestampFromDate(smartphone.updatedAt), etag: etagOf(smartphone),
  });
}

/**
 * The catalog is the same for every reseller, so changing it is staff work.
 * The interceptor already keeps the read-only support role out of every write;
 * this keeps resellers out of the catalog's.
 */
function requireAdmin(ctx: HandlerContext): void {
  const principal = principalOf(ctx);
  if (principal.role !== 'admin') {
    throw apiError(Code.PermissionDenied, 'STAFF_ONLY', `${ctx.method.name} changes the catalog: it is for staff (admin) credentials only`);
  }
}


export class CatalogServiceImpl implements ServiceImpl<typeof CatalogService> {
  readonly #clock: Clock;

  constructor(deps: { clock: Clock }) {
    this.#clock = deps.clock;
  }

  async listOfferings(req: ListOfferingsRequest, ctx: HandlerContext) {
    const v = validate();
    const kind = req.kind === OfferingKind.UNSPECIFIED ? undefined : kindNames[req.kind];
    if (req.kind !== OfferingKind.UNSPECIFIED && !kind) v.add('kind', 'is not a known offering kind', 'INVALID_VALUE');
    v.check();
    const p = await pageOf(ctx, req, { field: 'code', direction: 'asc', type: 'string' }, ['offerings', kind ?? '', req.includeRetired]);
    const where = { ...(kind ? { kind } : {}), ...(req.includeRetired ? {} : { retiredAt: null }), ...p.after };
    const rows = await emOf(ctx).find(Offering, where, { orderBy: p.orderBy, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows);
    return { offerings: items.map(offeringMessage), nextPageToken };
  }

  async getOffering(req: GetOfferingRequest, ctx: HandlerContext) {
    const v = validate();
    const code = normaliseCode(req.code);
    if (!code) v.add('code', 'is required', 'REQUIRED');
    v.check();
    return { offering: offeringMessage(await requireOffering(emOf(ctx), code)) };
  }

  async listSmartphones(req: ListSmartphonesRequest, ctx: HandlerContext) {
    const v = validate();
    const availability = req.availability === SmartphoneAvailability.UNSPECIFIED ? undefined : availabilityNames[req.availability];
    if (req.availability !== SmartphoneAvailability.UNSPECIFIED && !availability) v.add('availability', 'is not a known availability', 'INVALID_VALUE');
    const brand = v.optionalText('brand', req.brand, 100)?.toLowerCase();
    const query = v.optionalText('query', req.query, 100)?.toLowerCase();
    v.check();
    const p = await pageOf(ctx, req, { field: 'sku', direction: 'asc', type: 'string' }, ['smartphones', brand ?? '', availability ?? '', query ?? '']);
    const where = {
      ...(brand ? { brandLower: brand } : {}),
      ...(availability ? { availability } : {}),
      ...(query ? { searchText: { $like: `%${escapeLike(query)}%` } } : {}),
      ...p.after,
    };
    const rows = await emOf(ctx).find(Smartphone, where, { orderBy: p.orderBy, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows);
    return { smartphones: items.map(smartphoneMessage), nextPageToken };
  }

  async getSmartphone(req: GetSmartphoneRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('smartphoneId', req.smartphoneId);
    v.check();
    return { smartphone: smartphoneMessage(await requireSmartphone(emOf(ctx), id)) };
  }

  async upsertOffering(req: UpsertOfferingRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const v = validate();
    const code = req.code.trim();
    validCode(v, 'code', code);
    const name = v.text('name', req.name, { max: 200 });
    const shortDescription = v.text('shortDescription', req.shortDescription, { min: 0, max: 500 });
    if (req.longDescription.length > LONG_DESCRIPTION_MAX) {
      v.add('longDescription', `must be at most ${LONG_DESCRIPTION_MAX} characters`, 'TOO_LONG');
    }
    const price = validPrice(v, 'price', req.price);
    const kind = kindNames[req.kind];
    if (!kind) v.add('kind', 'is required: OFFERING_KIND_SETUP, OFFERING_KIND_SUBSCRIPTION or OFFERING_KIND_OPTION', 'REQUIRED');
    let billingPeriod = periodNames[req.billingPeriod];
    if (req.billingPeriod === BillingPeriod.UNSPECIFIED) billingPeriod = kind === 'subscription' ? 'monthly' : 'one_time';
    else if (!billingPeriod) v.add('billingPeriod', 'is not a known billing period', 'INVALID_VALUE');
    const associatedCodes: string[] = [];
    req.associatedCodes.forEach((raw, i) => {
      const associated = raw.trim();
      if (!validCode(v, `associatedCodes[${i}]`, associated)) return;
      if (associated === code) v.add(`associatedCodes[${i}]`, 'must not be the offering itself', 'SELF_REFERENCE');
      else if (!associatedCodes.includes(associated)) associatedCodes.push(associated);
    });
    if (req.includedQuantity < 0 || req.includedQuantity > 1000) v.add('includedQuantity', 'must be from 0 to 1000', 'OUT_OF_RANGE');
    v.check();
    const longDescription = sanitizeDescription(req.longDescription);

    return emOf(ctx).transactional(async (em) => {
      const known = await offeringsByCode(em, associatedCodes);
      const unknown = associatedCodes.filter((c) => !known.has(c));
      if (unknown.length > 0) {
        throw apiError(Code.InvalidArgument, 'UNKNOWN_OFFERING_CODE', `invalid request: associated offering ${unknown.join(', ')} does not exist`, {
          metadata: { codes: unknown.join(',') },
          violations: unknown.map((c) => ({ field: `associatedCodes[${req.associatedCodes.findIndex((r) => r.trim() === c)}]`, description: `offering ${c} does not exist`, reason: 'UNKNOWN_OFFERING_CODE' })),
        });
      }
      const fields = {
        name, shortDescription, longDescription, priceMinor: price.amountMinor, currency: price.currency,
        kind: kind!, billingPeriod: billingPeriod!, associatedCodes, projectForm: req.projectForm, includedQuantity: req.includedQuantity,
      };
      let offering = await em.findOne(Offering, { code });
      const created = !offering;
      if (offering && req.createOnly) {
        throw apiError(Code.AlreadyExists, 'OFFERING_CODE_EXISTS', `offering ${code} already exists (create_only was set): read it and send its etag without create_only to change it`, {
          metadata: { code }, violations: [{ field: 'code', description: 'is taken by an existing offering', reason: 'OFFERING_CODE_EXISTS' }],
        });
      }
      if (offering) {
        checkEtag('offering', offering, req.etag);
        em.assign(offering, fields);
      } else {
        offering = em.create(Offering, { code, ...fields, retiredAt: null });
      }
      await em.flush();
      return { offering: offeringMessage(offering), created };
    });
  }

  async upsertSmartphone(req: UpsertSmartphoneRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const v = validate();
    const sku = req.sku.trim();
    validCode(v, 'sku', sku);
    const brand = v.text('brand', req.brand, { max: 100 });
    const model = v.text('model', req.model, { max: 100 });
    const colour = v.text('colour', req.colour, { max: 50 });
    const price = validPrice(v, 'price', req.price);
    if (req.storageGb < 1 || req.storageGb > 16384) v.add('storageGb', 'must be from 1 to 16384', 'OUT_OF_RANGE');
    const availability = availabilityNames[req.availability];
    if (!availability) v.add('availability', 'is required: SMARTPHONE_AVAILABILITY_IN_STOCK, _OUT_OF_STOCK or _DISCONTINUED', 'REQUIRED');
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const fields = {
        brand, brandLower: brand.toLowerCase(), model, colour, priceMinor: price.amountMinor, currency: price.currency,
        storageGb: req.storageGb, availability: availability!, searchText: `${brand} ${model} ${colour}`.toLowerCase(),
      };
      let smartphone = await em.findOne(Smartphone, { sku });
      const created = !smartphone;
      if (smartphone && req.createOnly) {
        throw apiError(Code.AlreadyExists, 'SMARTPHONE_SKU_EXISTS', `smartphone ${sku} already exists (create_only was set): read it and send its etag without create_only to change it`, {
          metadata: { sku }, violations: [{ field: 'sku', description: 'is taken by an existing smartphone', reason: 'SMARTPHONE_SKU_EXISTS' }],
        });
      }
      if (smartphone) {
        checkEtag('smartphone', smartphone, req.etag);
        em.assign(smartphone, fields);
      } else {
        smartphone = em.create(Smartphone, { sku, ...fields });
      }
      await em.flush();
      return { smartphone: smartphoneMessage(smartphone), created };
    });
  }

  async retireOffering(req: RetireOfferingRequest, ctx: HandlerContext) {
    requireAdmin(ctx);
    const v = validate();
    const code = normaliseCode(req.code);
    if (!code) v.add('code', 'is required', 'REQUIRED');
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const offering = await requireOffering(em, code);
      // Retiring twice keeps the first retirement time.
      if (!offering.retiredAt) {
        offering.retiredAt = this.#clock.now();
        await em.flush();
      }
      return { offering: offeringMessage(offering) };
    });
  }
}

/** A code or SKU as stored: 2 to 64 characters, and never shaped like a UUID (a line reference is one). */
function validCode(v: ReturnType<typeof validate>, field: string, code: string): boolean {
  const before = v.violations.length;
  if (code === '') v.add(field, 'is required', 'REQUIRED');
  else if (code.length < 2 || code.length > 64) v.add(field, 'must be 2 to 64 characters', 'INVALID_FORMAT');
  else if (!CODE.test(code) || isUuid(code)) v.add(field, 'must be upper-case letters, digits and single dashes, starting with a letter (like IN-BTQST-S)', 'INVALID_FORMAT');
  return v.violations.length === before;
}
