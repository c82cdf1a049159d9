// ClientService (seeds 000 and 001): clients, their sites and equipment.
import { create } from '@bufbuild/protobuf';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { Code } from '@connectrpc/connect';
import {
  AddEquipmentRequestSchema, AddEquipmentResponseSchema, ClientService, ClientStatus, CreateSiteRequestSchema,
  CreateSiteResponseSchema, RegisterClientRequestSchema, RegisterClientResponseSchema,
  type AddEquipmentRequest, type CreateSiteRequest, type DeactivateClientRequest, type DeleteSiteRequest, type GetClientRequest,
  type ListClientsRequest, type ListEquipmentRequest, type ListSitesRequest, type ReactivateClientRequest,
  type RegisterClientRequest, type RemoveEquipmentRequest, type UpdateClientRequest, type UpdateEquipmentRequest,
  type UpdateSiteRequest, type Client as ClientMessage,
} from '../../gen/reseller/v1/clients_pb.js';
import { Client, Equipment, Site, type ClientStatusName, type EquipmentKindName } from './clients.entity.ts';
import { clientLabel, requireClient, requireEquipment, requireSite } from './clients.repository.ts';
import { clientPage, clientWithSites, equipmentById, equipmentPage, insertClient, kindValues, siteById, sitePage, sitesOfClients, statusValues } from './clients.queries.ts';
import { timestamp } from '../platform/rpc/timestamp.ts';
import { requireReseller } from '../access/access.repository.ts';
import { dbIn, emOf, principalOf, readerOf, scopeOf } from '../platform/rpc/context.ts';
import { actingReseller } from '../platform/security/principal.ts';
import { alreadyExists, apiError, checkEtag, failedPrecondition } from '../platform/rpc/errors.ts';
import { idempotent } from '../platform/data/idempotency.ts';
import { escapeLike, pageOf, type Order } from '../platform/data/pagination.ts';
import { validate, type Validator } from '../platform/rpc/validation.ts';
import type { Em } from '../platform/data/database.ts';
import { isUuid, uuidv7 } from '../platform/core/ids.ts';
import { Smartphone } from '../catalog/catalog.entity.ts';
import { fold, searchText } from '../platform/core/text.ts';
import { writeAuditEvent } from '../audit/audit.queries.ts';
import { recordEvent } from '../events/events.queries.ts';
import { UniqueConstraintViolationException } from '@mikro-orm/core';


const CODE = /^[A-Za-z0-9._-]{1,64}$/;
const PBX_DEVICE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

const statusNames: Record<number, ClientStatusName> = { [ClientStatus.ACTIVE]: 'active', [ClientStatus.INACTIVE]: 'inactive' };
const kindNames = Object.fromEntries(Object.entries(kindValues).map(([name, value]) => [value, name])) as Record<number, EquipmentKindName>;

// By name: on the folded name (name_key), so that case and accents do not
// split the order (`Élise` sorts with the E's), the same on both databases.
const clientOrders: Record<string, Order & { column: 'created_at' | 'name_key' | 'code' }> = {
  '': { field: 'createdAt', column: 'created_at', direction: 'desc', type: 'date' },
  'create_time desc': { field: 'createdAt', column: 'created_at', direction: 'desc', type: 'date' },
  'create_time': { field: 'createdAt', column: 'created_at', direction: 'asc', type: 'date' },
  'create_time asc': { field: 'createdAt', column: 'created_at', direction: 'asc', type: 'date' },
  'name': { field: 'nameKey', column: 'name_key', direction: 'asc', type: 'string' },
  'name asc': { field: 'nameKey', column: 'name_key', direction: 'asc', type: 'string' },
  'name desc': { field: 'nameKey', column: 'name_key', direction: 'desc', type: 'string' },
  'code': { field: 'code', column: 'code', direction: 'asc', type: 'string' },
  'code asc': { field: 'code', column: 'code', direction: 'asc', type: 'string' },
  'code desc': { field: 'code', column: 'code', direction: 'desc', type: 'string' },
};

function requireActive(client: Client): void {
  if (client.status !== 'active') {
    throw failedPrecondition('CLIENT_INACTIVE', `client ${clientLabel(client)} is inactive: reactivate it before changing its sites or equipment`,
      { metadata: { id: client.id, name: client.name, code: client.code } });
  }
}

/**
 * A smartphone_id must name a smartphone of the catalog (the console picks it
 * there): anything else is refused as invalid input, as an unknown offering
 * code is (UNKNOWN_OFFERING_CODE), with the field named.
 */
async function requireCatalogSmartphone(em: Em, smartphoneId: string | undefined): Promise<void> {
  if (!smartphoneId) return;
  const known = isUuid(smartphoneId) && await em.findOne(Smartphone, { id: smartphoneId.toLowerCase() }, { fields: ['id'] });
  if (!known) {
    throw apiError(Code.InvalidArgument, 'UNKNOWN_SMARTPHONE', `invalid request: smartphone ${smartphoneId} is not in the catalog (CatalogService.ListSmartphones lists it)`, {
      metadata: { smartphoneId }, violations: [{ field: 'smartphoneId', description: 'is not a smartphone of the catalog', reason: 'UNKNOWN_SMARTPHONE' }],
    });
  }
}

function codeExists(code: string) {
  return alreadyExists('CLIENT_CODE_EXISTS', `a client with code "${code}" already exists for this reseller`, { metadata: { code } });
}

async function requireUniqueCode(em: Em, resellerId: string, code: string, exceptId?: string): Promise<void> {
  const other = await em.findOne(Client, { reseller: resellerId, code }, { fields: ['id'] });
  if (other && other.id !== exceptId) throw codeExists(code);
}

/** What the audit subscriber names as changed when the ORM creates a client. */
const CLIENT_CREATED_FIELDS = ['code', 'name', 'reseller', 'status'];

async function requireUniquePbxDevice(em: Em, resellerId: string, pbxDeviceId: string | undefined, exceptId?: string): Promise<void> {
  if (!pbxDeviceId) return;
  const other = await em.findOne(Equipment, { reseller: resellerId, pbxDeviceId }, { fields: ['id'] });
  if (other && other.id !== exceptId) {
    throw alreadyExists('PBX_DEVICE_EXISTS', `equipment with PBX device id "${pbxDeviceId}" already exists for this reseller`, { metadata: { pbxDeviceId } });
  }
}

function optionalPbxDeviceId(v: Validator, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return value === undefined ? undefined : '';
  return v.pattern('pbxDeviceId', value.trim(), PBX_DEVICE_ID, 'must be 1 to 128 letters, digits or . _ : @ -');
}

/**
 * Refuses to remove a piece of equipment that something above this feature
 * still uses (the devices feature: a device linked to an account), by
 * throwing the refusal. Passed in by the composition root (connect.ts).
 */
export type EquipmentRemovalGuard = (em: Em, equipmentId: string) => Promise<void>;

export interface ClientServiceDeps {
  equipmentRemovalGuards?: readonly EquipmentRemovalGuard[];
}

export class ClientServiceImpl implements ServiceImpl<typeof ClientService> {
  readonly #removalGuards: readonly EquipmentRemovalGuard[];

  constructor(deps: ClientServiceDeps = {}) {
    this.#removalGuards = deps.equipmentRemovalGuards ?? [];
  }

  async listClients(req: ListClientsRequest, ctx: HandlerContext) {
    const v = validate();
    const order = clientOrders[req.orderBy.trim().toLowerCase().replace(/\s+/g, ' ')];
    if (!order) v.add('orderBy', 'must be one of: create_time desc, create_time, name, name desc, code, code desc', 'INVALID_VALUE');
    const status = req.status === ClientStatus.UNSPECIFIED ? undefined : statusNames[req.status];
    if (req.status !== ClientStatus.UNSPECIFIED && !status) v.add('status', 'is not a known client status', 'INVALID_VALUE');
    const resellerFilter = v.optionalId('resellerId', req.resellerId);
    const query = fold(v.optionalText('query', req.query, 200) ?? '');
    v.check();
    const principal = principalOf(ctx);
    const resellerId = principal.resellerId ? undefined : resellerFilter;
    const p = await pageOf(ctx, req, order!, ['clients', query, status ?? '', resellerId ?? '']);
    const rows = await clientPage(readerOf(ctx), scopeOf(ctx), {
      resellerId, status, pattern: query ? `%${escapeLike(query)}%` : undefined,
      order: { column: order!.column, direction: order!.direction }, cursor: p.cursor, limit: p.limit,
    });
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor(order!.column));
    const clients = items.map((c) => c.message);
    if (req.includeSites) {
      const sites = await sitesOfClients(readerOf(ctx), scopeOf(ctx), clients.map((c) => c.clientId));
      for (const client of clients) client.sites = sites.get(client.clientId) ?? [];
    }
    return { clients, nextPageToken };
  }

  async registerClient(req: RegisterClientRequest, ctx: HandlerContext) {
    const v = validate();
    const name = v.text('name', req.name, { max: 200 });
    const code = v.pattern('code', req.code.trim(), CODE, 'must be 1 to 64 letters, digits, ".", "_" or "-"');
    const principal = principalOf(ctx);
    if (!principal.resellerId) v.id('resellerId', req.resellerId);
    else if (req.resellerId && req.resellerId.toLowerCase() !== principal.resellerId) {
      v.add('resellerId', 'must be empty or your own reseller id', 'NOT_ALLOWED');
    }
    v.check();
    const resellerId = actingReseller(principal, req.resellerId.toLowerCase(), 'resellerId');
    return idempotent({ ctx, requestSchema: RegisterClientRequestSchema, request: req, responseSchema: RegisterClientResponseSchema }, async (em) => {
      if (!principal.resellerId) await requireReseller(em, resellerId);
      // One insert, not em.create + flush (the unit of work was most of the
      // call): the row and its audit event are what the ORM and the audit
      // subscriber write (test/data-layer.test.ts compares them); the code's
      // uniqueness is left to client_reseller_code_unique.
      const now = new Date();
      const id = uuidv7();
      const db = dbIn(ctx, em);
      try {
        await insertClient.run(db, scopeOf(ctx), { id, time: now, resellerId, name, code, searchText: searchText(270, name, code), nameKey: fold(name, 200) });
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) throw codeExists(code);
        throw error;
      }
      await writeAuditEvent(db, { time: now, objectType: 'Client', objectId: id, resellerId, action: 'create', changedFields: CLIENT_CREATED_FIELDS, label: name });
      // What clientWithSites would read back, without reading it: a new client has no sites.
      const client: ClientMessage = {
        $typeName: 'reseller.v1.Client', clientId: id, resellerId, name, code, status: statusValues.active, sites: [], siteCount: 0, equipmentCount: 0,
        createTime: timestamp(now), updateTime: timestamp(now), etag: 'v1',
      };
      await recordEvent(db, { type: 'client.registered', resellerId, objectId: id, state: { case: 'client', value: client }, time: now });
      return create(RegisterClientResponseSchema, { client });
    });
  }

  async updateClient(req: UpdateClientRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('clientId', req.clientId);
    const name = req.name === undefined ? undefined : v.text('name', req.name, { max: 200 });
    const code = req.code === undefined ? undefined : v.pattern('code', req.code.trim(), CODE, 'must be 1 to 64 letters, digits, ".", "_" or "-"');
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const client = await requireClient(em, id);
      checkEtag('client', client, req.etag);
      if (code !== undefined && code !== client.code) await requireUniqueCode(em, client.reseller.id, code, client.id);
      if (name !== undefined) client.name = name;
      if (code !== undefined) client.code = code;
      client.searchText = searchText(270, client.name, client.code);
      client.nameKey = fold(client.name, 200);
      await em.flush();
      return { client: await clientWithSites(dbIn(ctx, em), scopeOf(ctx), id) };
    });
  }

  async getClient(req: GetClientRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('clientId', req.clientId);
    v.check();
    return { client: await clientWithSites(readerOf(ctx), scopeOf(ctx), id) };
  }

  async deactivateClient(req: DeactivateClientRequest, ctx: HandlerContext) {
    return this.#setStatus(req.clientId, req.etag, 'inactive', ctx);
  }

  async reactivateClient(req: ReactivateClientRequest, ctx: HandlerContext) {
    return this.#setStatus(req.clientId, req.etag, 'active', ctx);
  }

  async #setStatus(clientId: string, etag: string, status: ClientStatusName, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('clientId', clientId);
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const client = await requireClient(em, id);
      checkEtag('client', client, etag);
      // Deactivating an inactive client (or reactivating an active one) changes nothing.
      const changed = client.status !== status;
      if (changed) {
        client.status = status;
        await em.flush();
      }
      const answer = await clientWithSites(dbIn(ctx, em), scopeOf(ctx), id);
      if (changed && status === 'inactive') {
        await recordEvent(dbIn(ctx, em), { type: 'client.deactivated', resellerId: answer.resellerId, objectId: id, state: { case: 'client', value: answer } });
      }
      return { client: answer };
    });
  }

  async createSite(req: CreateSiteRequest, ctx: HandlerContext) {
    const v = validate();
    const clientId = v.id('clientId', req.clientId);
    const name = v.text('name', req.name, { max: 200 });
    v.check();
    return idempotent({ ctx, requestSchema: CreateSiteRequestSchema, request: req, responseSchema: CreateSiteResponseSchema }, async (em) => {
      const client = await requireClient(em, clientId);
      requireActive(client);
      const site = em.create(Site, { reseller: client.reseller.id, client, name });
      await em.flush();
      return create(CreateSiteResponseSchema, { site: await siteById(dbIn(ctx, em), scopeOf(ctx), site.id) });
    });
  }

  async updateSite(req: UpdateSiteRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('siteId', req.siteId);
    const name = v.text('name', req.name, { max: 200 });
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const site = await requireSite(em, id);
      checkEtag('site', site, req.etag);
      requireActive(site.client);
      site.name = name;
      await em.flush();
      return { site: await siteById(dbIn(ctx, em), scopeOf(ctx), id) };
    });
  }

  async deleteSite(req: DeleteSiteRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('siteId', req.siteId);
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const site = await requireSite(em, id);
      const equipment = Number(site.equipmentCount ?? 0);
      if (equipment > 0) {
        throw failedPrecondition('SITE_HAS_EQUIPMENT', `site "${site.name}" still has ${equipment} piece(s) of equipment: remove or move them first`,
          { metadata: { id, name: site.name, equipmentCount: String(equipment) } });
      }
      em.remove(site);
      await em.flush();
      return {};
    });
  }

  async listSites(req: ListSitesRequest, ctx: HandlerContext) {
    const v = validate();
    const clientId = v.id('clientId', req.clientId);
    v.check();
    await requireClient(emOf(ctx), clientId);
    const p = await pageOf(ctx, req, { field: 'name', direction: 'asc', type: 'string' }, ['sites', clientId]);
    const rows = await sitePage(readerOf(ctx), scopeOf(ctx), clientId, p.cursor, p.limit);
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { sites: items.map((row) => row.message), nextPageToken };
  }

  async addEquipment(req: AddEquipmentRequest, ctx: HandlerContext) {
    const v = validate();
    const siteId = v.id('siteId', req.siteId);
    const kind = kindNames[req.kind];
    if (!kind) v.add('kind', 'is required: one of EQUIPMENT_KIND_DESK_PHONE, _SMARTPHONE, _SOFTPHONE, _DECT_BASE, _GATEWAY', 'REQUIRED');
    const pbxDeviceId = optionalPbxDeviceId(v, req.pbxDeviceId) || undefined;
    const smartphoneId = v.optionalText('smartphoneId', req.smartphoneId, 64);
    const serialNumber = v.optionalText('serialNumber', req.serialNumber, 128);
    const label = v.optionalText('label', req.label, 200);
    v.check();
    return idempotent({ ctx, requestSchema: AddEquipmentRequestSchema, request: req, responseSchema: AddEquipmentResponseSchema }, async (em) => {
      const site = await requireSite(em, siteId);
      requireActive(site.client);
      await requireCatalogSmartphone(em, smartphoneId);
      await requireUniquePbxDevice(em, site.reseller.id, pbxDeviceId);
      const equipment = em.create(Equipment, {
        reseller: site.reseller.id, client: site.client, site, kind: kind!,
        pbxDeviceId: pbxDeviceId ?? null, smartphoneId: smartphoneId?.toLowerCase() ?? null, serialNumber: serialNumber ?? null, label: label ?? null,
      });
      await em.flush();
      return create(AddEquipmentResponseSchema, { equipment: await equipmentById(dbIn(ctx, em), scopeOf(ctx), equipment.id) });
    });
  }

  async updateEquipment(req: UpdateEquipmentRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('equipmentId', req.equipmentId);
    const pbxDeviceId = optionalPbxDeviceId(v, req.pbxDeviceId);
    const smartphoneId = req.smartphoneId === undefined ? undefined : (v.optionalText('smartphoneId', req.smartphoneId, 64) ?? '');
    const serialNumber = req.serialNumber === undefined ? undefined : (v.optionalText('serialNumber', req.serialNumber, 128) ?? '');
    const label = req.label === undefined ? undefined : (v.optionalText('label', req.label, 200) ?? '');
    const siteId = req.siteId === undefined ? undefined : v.id('siteId', req.siteId);
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const equipment = await requireEquipment(em, id);
      checkEtag('equipment', equipment, req.etag);
      requireActive(equipment.client);
      if (siteId !== undefined && siteId !== equipment.site.id) {
        const site = await requireSite(em, siteId);
        if (site.client.id !== equipment.client.id) {
          throw apiError(Code.InvalidArgument, 'SITE_OF_ANOTHER_CLIENT', `site "${site.name}" belongs to another client (${clientLabel(site.client)}): equipment moves only between sites of its own client`, {
            metadata: { siteId }, violations: [{ field: 'siteId', description: 'belongs to another client', reason: 'SITE_OF_ANOTHER_CLIENT' }],
          });
        }
        equipment.site = site;
      }
      if (pbxDeviceId !== undefined) {
        await requireUniquePbxDevice(em, equipment.reseller.id, pbxDeviceId || undefined, equipment.id);
        equipment.pbxDeviceId = pbxDeviceId || null;
      }
      if (smartphoneId !== undefined && smartphoneId !== equipment.smartphoneId) {
        await requireCatalogSmartphone(em, smartphoneId);
        equipment.smartphoneId = smartphoneId.toLowerCase() || null;
      }
      if (serialNumber !== undefined) equipment.serialNumber = serialNumber || null;
      if (label !== undefined) equipment.label = label || null;
      await em.flush();
      return { equipment: await equipmentById(dbIn(ctx, em), scopeOf(ctx), id) };
    });
  }

  async removeEquipment(req: RemoveEquipmentRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('equipmentId', req.equipmentId);
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const equipment = await requireEquipment(em, id);
      for (const guard of this.#removalGuards) await guard(em, equipment.id);
      em.remove(equipment);
      await em.flush();
      return {};
    });
  }

  async listEquipment(req: ListEquipmentRequest, ctx: HandlerContext) {
    const v = validate();
    const clientId = v.id('clientId', req.clientId);
    const siteId = v.optionalId('siteId', req.siteId);
    v.check();
    const em = emOf(ctx);
    await requireClient(em, clientId);
    if (siteId) {
      const site = await requireSite(em, siteId);
      if (site.client.id !== clientId) throw apiError(Code.NotFound, 'SITE_NOT_FOUND', `site ${siteId} not found on client ${clientId}`, { metadata: { id: siteId, clientId } });
    }
    const p = await pageOf(ctx, req, { field: 'createdAt', direction: 'asc', type: 'date' }, ['equipment', clientId, siteId ?? '']);
    const rows = await equipmentPage(readerOf(ctx), scopeOf(ctx), clientId, siteId, p.cursor, p.limit);
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { equipment: items.map((row) => row.message), nextPageToken };
  }
}
