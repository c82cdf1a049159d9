// InterfaceService (seed 003): ordering interfaces, their lifecycle, and
// their offering lines. Every rule reads "now" from the injected clock.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { Code } from '@connectrpc/connect';
import {
  AddInterfaceOfferingsRequestSchema, AddInterfaceOfferingsResponseSchema, CreateInterfaceRequestSchema, CreateInterfaceResponseSchema,
  CustomerContactSchema, InterfaceOfferingLineSchema, InterfaceSchema, InterfaceService, InterfaceStatus,
  type AddInterfaceOfferingsRequest, type CancelInterfaceOfferingRequest, type CreateInterfaceRequest, type DeleteInterfaceRequest,
  type GetInterfaceOfferingRequest, type GetInterfaceRequest, type ListInterfaceOfferingsRequest, type ListInterfacesRequest,
  type ReactivateInterfaceRequest,
} from '../../gen/reseller/v1/interfaces_pb.js';
import { InterfaceEvent, InterfaceOfferingLine, ShopInterface, type InterfaceEventKind, type InterfaceStatusName } from './interfaces.entity.ts';
import { linesOf, liveCodes, nextPosition, requireInterface, subdomainsInUse } from './interfaces.repository.ts';
import { interfaceByKey, interfaceLines, interfacePage, statusValues } from './interfaces.queries.ts';
import { recordEvent } from '../events/events.queries.ts';
import { RESERVED_SUBDOMAINS, SUBDOMAIN, subdomainFrom, validContact } from './contact.ts';
import { accessEndAfter, deletionAfter, interfaceFormUrl, lineFormUrl, statusAt } from './lifecycle.ts';
import { checkCancellation, checkOrder } from './ordering.ts';
import { offeringsByCode } from '../catalog/catalog.repository.ts';
import { normaliseCode } from '../catalog/codes.ts';
import type { Offering } from '../catalog/catalog.entity.ts';
import { requireReseller } from '../access/access.repository.ts';
import { dbIn, emOf, principalOf, readerOf, scopeOf } from '../platform/rpc/context.ts';
import { actingReseller } from '../platform/security/principal.ts';
import { alreadyExists, apiError, failedPrecondition, notFound } from '../platform/rpc/errors.ts';
import { etagOf } from '../platform/data/entity.ts';
import { idempotent } from '../platform/data/idempotency.ts';
import { isUuid, uuidv7 } from '../platform/core/ids.ts';
import { escapeLike, pageOf } from '../platform/data/pagination.ts';
import { fold, searchText } from '../platform/core/text.ts';
import { validate, type Validator } from '../platform/rpc/validation.ts';
import type { Clock } from '../platform/core/clock.ts';
import type { Em } from '../platform/data/database.ts';


export interface InterfaceSettings {
  /** Seconds between an order and its installation by the background job. */
  installDelaySeconds: number;
  /** Interfaces are installed at https://<subdomain>.<domain>/. */
  domain: string;
}

const statusNames = Object.fromEntries(Object.entries(statusValues).map(([name, value]) => [value, name])) as Record<number, InterfaceStatusName>;

const MAX_CODES = 100;

/** The requested offering codes, normalised (a partner may type them in lower case). */
function validCodes(v: Validator, codes: string[]): string[] {
  if (codes.length === 0) v.add('offeringCodes', 'must name at least one offering', 'REQUIRED');
  if (codes.length > MAX_CODES) v.add('offeringCodes', `must name at most ${MAX_CODES} offerings`, 'TOO_MANY');
  return codes.map((raw, i) => {
    const code = normaliseCode(raw);
    if (!code) v.add(`offeringCodes[${i}]`, 'is empty', 'REQUIRED');
    return code;
  });
}

/**
 * The live lines one target of CancelInterfaceOffering names: by reference
 * that line, by code every live line of that code. References are UUIDs and
 * codes never are, so one field serves both (as in the seed).
 */
function linesTargeted(lines: InterfaceOfferingLine[], iface: ShopInterface, target: string): InterfaceOfferingLine[] {
  const key = iface.id;
  let named: InterfaceOfferingLine[];
  if (isUuid(target)) {
    const reference = target.toLowerCase();
    named = lines.filter((l) => l.id === reference);
    if (named.length === 0) throw notFound('OFFERING_LINE_NOT_FOUND', `offering line ${reference} on interface`, key, { metadata: { key, reference } });
  } else {
    const code = normaliseCode(target);
    named = lines.filter((l) => l.offering.code === code);
    if (named.length === 0) throw notFound('INTERFACE_OFFERING_NOT_FOUND', `offering ${code} on interface`, key, { metadata: { key, code } });
  }
  const live = named.filter((l) => !l.cancelledAt);
  if (live.length === 0) {
    const what = isUuid(target) ? `line ${named[0]!.id}` : `every line of ${named[0]!.offering.code}`;
    throw failedPrecondition('OFFERING_ALREADY_CANCELLED', `${what} on interface "${iface.guid}" is already cancelled: nothing to cancel`, {
      metadata: { key, guid: iface.guid, codeOrReference: target, cancelTime: named[0]!.cancelledAt!.toISOString() },
    });
  }
  return live;
}

function interfaceGone(iface: ShopInterface): never {
  throw failedPrecondition('INTERFACE_DELETED', `interface "${iface.guid}" was deleted for good on ${iface.deletionAt?.toISOString()}`,
    { metadata: { key: iface.id, guid: iface.guid, deletionTime: iface.deletionAt?.toISOString() ?? '' } });
}

function record(em: Em, iface: ShopInterface, kind: InterfaceEventKind, now: Date): void {
  em.create(InterfaceEvent, { id: uuidv7(), reseller: iface.reseller, shopInterface: iface, kind, occurredAt: now });
}

export class InterfaceServiceImpl implements ServiceImpl<typeof InterfaceService> {
  readonly #clock: Clock;
  readonly #settings: InterfaceSettings;

  constructor(deps: { clock: Clock; interfaces: InterfaceSettings }) {
    this.#clock = deps.clock;
    this.#settings = deps.interfaces;
  }

  async listInterfaces(req: ListInterfacesRequest, ctx: HandlerContext) {
    const v = validate();
    const status = req.status === InterfaceStatus.UNSPECIFIED ? undefined : statusNames[req.status];
    if (req.status !== InterfaceStatus.UNSPECIFIED && !status) v.add('status', 'is not a known interface status', 'INVALID_VALUE');
    const resellerFilter = v.optionalId('resellerId', req.resellerId);
    const query = fold(v.optionalText('query', req.query, 200)?.trim() ?? '');
    v.check();
    const now = this.#clock.now();
    const resellerId = principalOf(ctx).resellerId ? undefined : resellerFilter;
    const p = await pageOf(ctx, req, { field: 'createdAt', direction: 'desc', type: 'date' }, ['interfaces', status ?? '', resellerId ?? '', query]);
    const rows = await interfacePage(readerOf(ctx), scopeOf(ctx), {
      resellerId, status, pattern: query ? `%${escapeLike(query)}%` : undefined, now, cursor: p.cursor, limit: p.limit,
    });
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { interfaces: items.map((row) => row.message), nextPageToken };
  }

  async getInterface(req: GetInterfaceRequest, ctx: HandlerContext) {
    const v = validate();
    const key = v.id('key', req.key);
    v.check();
    return { interface: await interfaceByKey(readerOf(ctx), scopeOf(ctx), key, this.#clock.now()) };
  }

  async createInterface(req: CreateInterfaceRequest, ctx: HandlerContext) {
    const v = validate();
    const guid = v.text('guid', req.guid, { max: 128 });
    const codes = validCodes(v, req.offeringCodes);
    const contact = validContact(v, req.contact);
    const requested = req.subdomain.trim().toLowerCase();
    if (requested && !SUBDOMAIN.test(requested)) {
      v.add('subdomain', 'must be 1 to 63 lower-case letters, digits or inner dashes (a DNS label)', 'INVALID_FORMAT');
    } else if (RESERVED_SUBDOMAINS.has(requested)) {
      v.add('subdomain', `"${requested}" is reserved by the platform`, 'RESERVED');
    }
    const principal = principalOf(ctx);
    if (!principal.resellerId) v.id('resellerId', req.resellerId);
    else if (req.resellerId && req.resellerId.toLowerCase() !== principal.resellerId) {
      v.add('resellerId', 'must be empty or your own reseller id', 'NOT_ALLOWED');
    }
    v.check();
    const resellerId = actingReseller(principal, req.resellerId.toLowerCase(), 'resellerId');

    return idempotent({ ctx, requestSchema: CreateInterfaceRequestSchema, request: req, responseSchema: CreateInterfaceResponseSchema }, async (em) => {
      if (!principal.resellerId) await requireReseller(em, resellerId);
      const offerings = await offeringsByCode(em, codes);
      checkOrder({ codes, offerings, mode: 'create', live: new Set() });
      if (await em.findOne(ShopInterface, { reseller: resellerId, guid }, { fields: ['id'] })) {
        throw alreadyExists('INTERFACE_GUID_EXISTS', `you already have an interface with guid "${guid}"`, { metadata: { guid } });
      }
      const subdomain = requested ? await this.#requireFree(em, requested) : await this.#freeSubdomain(em, subdomainFrom(contact));

      const now = this.#clock.now();
      const key = uuidv7();
      // The seed sends a project creation form for some offerings only; the
      // others are installed straight onto the subdomain.
      const projectForm = codes.some((c) => offerings.get(c)!.projectForm);
      const iface = em.create(ShopInterface, {
        id: key, createdAt: now, updatedAt: now, reseller: resellerId, guid, status: 'pending', subdomain,
        url: null, adminUrl: null, formUrl: projectForm ? interfaceFormUrl(this.#settings.domain, key) : null, contact,
        installDueAt: new Date(now.getTime() + this.#settings.installDelaySeconds * 1000),
        installedAt: null, deletionRequestedAt: null, accessEndAt: null, deletionAt: null, deletedAt: null, reactivatedAt: null,
        searchText: searchText(400, guid, subdomain, contact.company),
      });
      const lines = this.#addLines(em, iface, codes, offerings, 0, now);
      record(em, iface, 'ordered', now);
      await em.flush();
      const db = dbIn(ctx, em);
      return create(CreateInterfaceResponseSchema, {
        key, interface: await interfaceByKey(db, scopeOf(ctx), key, now), lines: await interfaceLines(db, scopeOf(ctx), key),
      });
    });
  }

  async deleteInterface(req: DeleteInterfaceRequest, ctx: HandlerContext) {
    const v = validate();
    const key = v.id('key', req.key);
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const iface = await requireInterface(em, key);
      const now = this.#clock.now();
      const status = statusAt(iface, now);
      if (status === 'deleted') interfaceGone(iface);
      if (status === 'deactivated') {
        // Reported, not repeated: a second request must not push the dates back.
        throw failedPrecondition('INTERFACE_DELETION_ALREADY_REQUESTED',
          `the deletion of interface "${iface.guid}" was already requested on ${iface.deletionRequestedAt!.toISOString()}; it is deleted on ${iface.deletionAt!.toISOString()}`,
          { metadata: { key, guid: iface.guid, deletionTime: iface.deletionAt!.toISOString() } });
      }
      iface.status = 'deactivated';
      iface.deletionRequestedAt = now;
      iface.accessEndAt = accessEndAfter(now);
      iface.deletionAt = deletionAfter(now);
      record(em, iface, 'deletion_requested', now);
      await em.flush();
      return {
        deletionTime: timestampFromDate(iface.deletionAt), accessEndTime: timestampFromDate(iface.accessEndAt),
        interface: await interfaceByKey(dbIn(ctx, em), scopeOf(ctx), key, now),
      };
    });
  }

  async reactivateInterface(req: ReactivateInterfaceRequest, ctx: HandlerContext) {
    const v = validate();
    const key = v.id('key', req.key);
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const iface = await requireInterface(em, key);
      const now = this.#clock.now();
      const status = statusAt(iface, now);
      if (status === 'deleted') interfaceGone(iface);
      if (status !== 'deactivated') {
        throw failedPrecondition('INTERFACE_DELETION_NOT_REQUESTED',
          `interface "${iface.guid}" is ${status}: only an interface whose deletion was requested can be reactivated`, { metadata: { key, guid: iface.guid, status } });
      }
      // Back to where it was: installed, or still waiting for its installation.
      iface.status = iface.installedAt ? 'active' : 'pending';
      iface.deletionRequestedAt = null;
      iface.accessEndAt = null;
      iface.deletionAt = null;
      iface.reactivatedAt = now;
      record(em, iface, 'reactivated', now);
      await em.flush();
      const state = await interfaceByKey(dbIn(ctx, em), scopeOf(ctx), key, now);
      await recordEvent(dbIn(ctx, em), { type: 'interface.reactivated', resellerId: state.resellerId, objectId: key, state: { case: 'interface', value: state }, time: now });
      return { reactivationTime: timestampFromDate(now), interface: state };
    });
  }

  async listInterfaceOfferings(req: ListInterfaceOfferingsRequest, ctx: HandlerContext) {
    const v = validate();
    const key = v.id('key', req.key);
    v.check();
    await requireInterface(emOf(ctx), key);
    const lines = await interfaceLines(readerOf(ctx), scopeOf(ctx), key, (l) => req.includeCancelled || !l.cancelled);
    return { codes: [...new Set(lines.map((l) => l.code))] };
  }

  async getInterfaceOffering(req: GetInterfaceOfferingRequest, ctx: HandlerContext) {
    const v = validate();
    const key = v.id('key', req.key);
    const code = normaliseCode(req.code);
    if (!code) v.add('code', 'is required', 'REQUIRED');
    v.check();
    await requireInterface(emOf(ctx), key);
    const lines = await interfaceLines(readerOf(ctx), scopeOf(ctx), key, (l) => l.code === code);
    if (lines.length === 0) throw notFound('INTERFACE_OFFERING_NOT_FOUND', `offering ${code} on interface`, key, { metadata: { key, code } });
    return { lines };
  }

  async addInterfaceOfferings(req: AddInterfaceOfferingsRequest, ctx: HandlerContext) {
    const v = validate();
    const key = v.id('key', req.key);
    const codes = validCodes(v, req.offeringCodes);
    v.check();
    return idempotent({ ctx, requestSchema: AddInterfaceOfferingsRequestSchema, request: req, responseSchema: AddInterfaceOfferingsResponseSchema }, async (em) => {
      const iface = await requireInterface(em, key);
      const now = this.#clock.now();
      const status = statusAt(iface, now);
      if (status === 'deleted') interfaceGone(iface);
      if (status === 'deactivated') {
        throw failedPrecondition('INTERFACE_DEACTIVATED', `interface "${iface.guid}" is waiting for its deletion: reactivate it before adding offerings`, { metadata: { key, guid: iface.guid } });
      }
      const offerings = await offeringsByCode(em, codes);
      checkOrder({ codes, offerings, mode: 'add', live: await liveCodes(em, iface) });
      const added = new Set(this.#addLines(em, iface, codes, offerings, await nextPosition(em, iface), now).map((l) => l.id));
      await em.flush();
      return create(AddInterfaceOfferingsResponseSchema, { lines: await interfaceLines(dbIn(ctx, em), scopeOf(ctx), key, (l) => added.has(l.reference)) });
    });
  }

  async cancelInterfaceOffering(req: CancelInterfaceOfferingRequest, ctx: HandlerContext) {
    const v = validate();
    const key = v.id('key', req.key);
    const first = req.codeOrReference.trim();
    if (!first) v.add('codeOrReference', 'is required: an offering code or a line reference', 'REQUIRED');
    const more = req.alsoCancel.map((t) => t.trim());
    more.forEach((t, i) => { if (!t) v.add(`alsoCancel[${i}]`, 'is empty: give an offering code or a line reference', 'REQUIRED'); });
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const iface = await requireInterface(em, key);
      const now = this.#clock.now();
      if (statusAt(iface, now) === 'deleted') interfaceGone(iface);
      const all = await linesOf(em, iface);
      const cancelled = new Set<InterfaceOfferingLine>();
      for (const target of [first, ...more]) {
        for (const line of linesTargeted(all, iface, target)) cancelled.add(line);
      }
      checkCancellation({ live: all.filter((l) => !l.cancelledAt), cancelled });
      for (const line of cancelled) line.cancelledAt = now;
      await em.flush();
      const ids = new Set([...cancelled].map((l) => l.id));
      return { lines: await interfaceLines(dbIn(ctx, em), scopeOf(ctx), key, (l) => ids.has(l.reference)) };
    });
  }

  /** New lines for these codes, positioned after `from`; lines of project-form offerings get their form URL. */
  #addLines(em: Em, iface: ShopInterface, codes: string[], offerings: Map<string, Offering>, from: number, now: Date): InterfaceOfferingLine[] {
    return codes.map((code, i) => {
      const id = uuidv7();
      const offering = offerings.get(code)!;
      return em.create(InterfaceOfferingLine, {
        id, createdAt: now, updatedAt: now, reseller: iface.reseller, shopInterface: iface, offering, position: from + i,
        cancelledAt: null, formUrl: offering.projectForm ? lineFormUrl(this.#settings.domain, iface.id, id) : null,
      });
    });
  }

  async #requireFree(em: Em, subdomain: string): Promise<string> {
    if ((await subdomainsInUse(em, [subdomain])).size > 0) {
      throw alreadyExists('SUBDOMAIN_TAKEN', `subdomain "${subdomain}" is already used by another interface: choose another one`, { metadata: { subdomain } });
    }
    return subdomain;
  }

  /** `base`, or the first of base-2, base-3... that no interface uses. */
  async #freeSubdomain(em: Em, base: string): Promise<string> {
    const candidates = [base, ...Array.from({ length: 49 }, (_, i) => `${base}-${i + 2}`)];
    const used = await subdomainsInUse(em, candidates);
    const free = candidates.find((c) => !used.has(c));
    if (free) return free;
    throw apiError(Code.AlreadyExists, 'SUBDOMAIN_TAKEN', `no free subdomain starting with "${base}": give one in subdomain`, { metadata: { subdomain: base } });
  }
}
