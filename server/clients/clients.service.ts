// ClientService (seeds 000 and 001): clients, their sites and equipment.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { Code } from '@connectrpc/connect';
import {
  AddEquipmentRequestSchema, AddEquipmentResponseSchema, ClientSchema, ClientService, ClientStatus, CreateSiteRequestSchema,
  CreateSiteResponseSchema, EquipmentKind, EquipmentSchema, RegisterClientRequestSchema, RegisterClientResponseSchema, SiteSchema,
  type AddEquipmentRequest, type CreateSiteRequest, type DeactivateClientRequest, type DeleteSiteRequest, type GetClientRequest,
  type ListClientsRequest, type ListEquipmentRequest, type ListSitesRequest, type ReactivateClientRequest,
  type RegisterClientRequest, type RemoveEquipmentRequest, type UpdateClientRequest, type UpdateEquipmentRequest,
  type UpdateSiteRequest,
} from '../../gen/reseller/v1/clients_pb.js';
import { Client, Equipment, Site, type ClientStatusName, type EquipmentKindName } from './clients.entity.ts';
import { clientWithSites, requireClient, requireEquipment, requireSite } from './clients.repository.ts';
import { requireReseller } from '../access/access.repository.ts';
import { emOf, principalOf, readsOf } from '../platform/rpc/context.ts';
import { actingReseller } from '../platform/security/principal.ts';
import { readClientPage, readClientWithSites } from './clients.reads.ts';
import { alreadyExists, apiError, checkEtag, failedPrecondition } from '../platform/rpc/errors.ts';
import { etagOf } from '../platform/data/entity.ts';
import { idempotent } from '../platform/data/idempotency.ts';
import { escapeLike, page, type Order } from '../platform/data/pagination.ts';
import { validate, type Validator } from '../platform/rpc/validation.ts';
import type { Em } from '../platform/data/database.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { timeValue, write } from '../platform/data/writes.ts';
import { writeAuditEvent } from '../audit/audit.writes.ts';
import { UniqueConstraintViolationException } from '@mikro-orm/core';


const CODE = /^[A-Za-z0-9._-]{1,64}$/;
const PBX_DEVICE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

const statusValues: Record<ClientStatusName, ClientStatus> = { active: ClientStatus.ACTIVE, inactive: ClientStatus.INACTIVE };
const statusNames: Record<number, ClientStatusName> = { [ClientStatus.ACTIVE]: 'active', [ClientStatus.INACTIVE]: 'inactive' };
const kindValues: Record<EquipmentKindName, EquipmentKind> = {
  desk_phone: EquipmentKind.DESK_PHONE, smartphone: EquipmentKind.SMARTPHONE, softphone: EquipmentKind.SOFTPHONE,
  dect_base: EquipmentKind.DECT_BASE, gateway: EquipmentKind.GATEWAY,
};
const kindNames = Object.fromEntries(Object.entries(kindValues).map(([name, value]) => [value, name])) as Record<number, EquipmentKindName>;

const clientOrders: Record<string, Order> = {
  '': { field: 'createdAt', direction: 'desc', isDate: true },
  'create_time desc': { field: 'createdAt', direction: 'desc', isDate: true },
  'create_time': { field: 'createdAt', direction: 'asc', isDate: true },
  'create_time asc': { field: 'createdAt', direction: 'asc', isDate: true },
  'name': { field: 'name', direction: 'asc' },
  'name asc': { field: 'name', direction: 'asc' },
  'name desc': { field: 'name', direction: 'desc' },
  'code': { field: 'code', direction: 'asc' },
  'code asc': { field: 'code', direction: 'asc' },
  'code desc': { field: 'code', direction: 'desc' },
};

export function siteMessage(site: Site) {
  return create(SiteSchema, {
    siteId: site.id, clientId: site.client.id, name: site.name, equipmentCount: Number(site.equipmentCount ?? 0),
    createTime: timestampFromDate(site.createdAt), etag: etagOf(site),
  });
}

export function clientMessage(client: Client, sites?: Site[]) {
  return create(ClientSchema, {
    clientId: client.id, resellerId: client.reseller.id, name: client.name, code: client.code, status: statusValues[client.status],
    sites: sites?.map(siteMessage) ?? [], siteCount: Number(client.siteCount ?? 0), equipmentCount: Number(client.equipmentCount ?? 0),
    createTime: timestampFromDate(client.createdAt), updateTime: timestampFromDate(client.updatedAt), etag: etagOf(client),
  });
}

export function equipmentMessage(equipment: Equipment) {
  return create(EquipmentSchema, {
    equipmentId: equipment.id, siteId: equipment.site.id, clientId: equipment.client.id, kind: kindValues[equipment.kind],
    pbxDeviceId: equipment.pbxDeviceId ?? '', smartphoneId: equipment.smartphoneId ?? '', serialNumber: equipment.serialNumber ?? '',
    label: equipment.label ?? '', createTime: timestampFromDate(equipment.createdAt), etag: etagOf(equipment),
  });
}

async function clientResponse(em: Em, id: string) {
  const { client, sites } = await clientWithSites(em, id);
  return { client: clientMessage(client, sites) };
}

function requireActive(client: Client): void {
  if (client.status !== 'active') {
    throw failedPrecondition('CLIENT_INACTIVE', `client ${client.id} is inactive: reactivate it before changing its sites or equipment`, { metadata: { id: client.id } });
  }
}

function codeExists(code: string) {
  return alreadyExists('CLIENT_CODE_EXISTS', `a client with code "${code}" already exists for this reseller`, { metadata: { code } });
}

async function requireUniqueCode(em: Em, resellerId: string, code: string, exceptId?: string): Promise<void> {
  const other = await em.findOne(Client, { reseller: resellerId, code }, { fields: ['id'] });
  if (other && other.id !== exceptId) throw codeExists(code);
}

const INSERT_CLIENT = `insert into client (id, created_at, updated_at, version, reseller_id, name, code, search_text, status)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** What the audit subscriber names as changed when the ORM creates a client. */
const CLIENT_CREATED_FIELDS = ['code', 'name', 'reseller', 'searchText', 'status'];

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
    v.check();
    const principal = principalOf(ctx);
    const query = req.query.trim().toLowerCase();
    const resellerId = principal.resellerId ?? resellerFilter;
    const p = page(req.pageSize, req.pageToken, order!, ['clients', query, status ?? '', resellerId ?? '', req.orderBy]);
    const where = {
      ...(resellerId ? { reseller: resellerId } : {}),
      ...(status ? { status } : {}),
      ...(query ? { searchText: { $like: `%${escapeLike(query)}%` } } : {}),
      ...p.after,
    };
    const reads = readsOf(ctx);
    if (reads) {
      const rows = await readClientPage(reads, { resellerId, status, query }, p, p.cursor);
      const { items, nextPageToken } = p.finish(rows);
      return { clients: items.map((c) => c.message), nextPageToken };
    }
    const rows = await emOf(ctx).find(Client, where, { populate: ['siteCount', 'equipmentCount'], orderBy: p.orderBy, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows);
    return { clients: items.map((c) => clientMessage(c)), nextPageToken };
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
      // Plain SQL, not em.create + flush (issue 8: the unit of work was most of
      // the call). The row and its audit event are what the ORM and the audit
      // subscriber write (test/hot-paths.test.ts compares them); the code's
      // uniqueness is left to client_reseller_code_unique.
      const now = new Date();
      const id = uuidv7();
      const time = timeValue(em, now);
      try {
        await write(em, INSERT_CLIENT, [id, time, time, 1, resellerId, name, code, `${name} ${code}`.toLowerCase(), 'active']);
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) throw codeExists(code);
        throw error;
      }
      await writeAuditEvent(em, { time: now, objectType: 'Client', objectId: id, resellerId, action: 'create', changedFields: CLIENT_CREATED_FIELDS });
      return create(RegisterClientResponseSchema, {
        client: create(ClientSchema, {
          clientId: id, resellerId, name, code, status: ClientStatus.ACTIVE, sites: [], siteCount: 0, equipmentCount: 0,
          createTime: timestampFromDate(now), updateTime: timestampFromDate(now), etag: 'v1',
        }),
      });
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
      client.searchText = `${client.name} ${client.code}`.toLowerCase();
      await em.flush();
      return clientResponse(em, id);
    });
  }

  async getClient(req: GetClientRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('clientId', req.clientId);
    v.check();
    const reads = readsOf(ctx);
    if (reads) return { client: await readClientWithSites(reads, id, principalOf(ctx).resellerId) };
    return clientResponse(emOf(ctx), id);
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
      if (client.status !== status) {
        client.status = status;
        await em.flush();
      }
      return clientResponse(em, id);
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
      return create(CreateSiteResponseSchema, { site: siteMessage(site) }); // a new site: no equipment
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
      return { site: siteMessage(site) };
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
        throw failedPrecondition('SITE_HAS_EQUIPMENT', `site ${id} still has ${equipment} piece(s) of equipment: remove or move them first`,
          { metadata: { id, equipmentCount: String(equipment) } });
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
    const em = emOf(ctx);
    await requireClient(em, clientId);
    const p = page(req.pageSize, req.pageToken, { field: 'name', direction: 'asc' }, ['sites', clientId]);
    const rows = await em.find(Site, { client: clientId, ...p.after }, { populate: ['equipmentCount'], orderBy: p.orderBy, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows);
    return { sites: items.map(siteMessage), nextPageToken };
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
      await requireUniquePbxDevice(em, site.reseller.id, pbxDeviceId);
      const equipment = em.create(Equipment, {
        reseller: site.reseller.id, client: site.client, site, kind: kind!,
        pbxDeviceId: pbxDeviceId ?? null, smartphoneId: smartphoneId ?? null, serialNumber: serialNumber ?? null, label: label ?? null,
      });
      await em.flush();
      return create(AddEquipmentResponseSchema, { equipment: equipmentMessage(equipment) });
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
          throw apiError(Code.InvalidArgument, 'SITE_OF_ANOTHER_CLIENT', `site ${siteId} belongs to another client: equipment moves only between sites of its own client`, {
            metadata: { siteId }, violations: [{ field: 'siteId', description: 'belongs to another client', reason: 'SITE_OF_ANOTHER_CLIENT' }],
          });
        }
        equipment.site = site;
      }
      if (pbxDeviceId !== undefined) {
        await requireUniquePbxDevice(em, equipment.reseller.id, pbxDeviceId || undefined, equipment.id);
        equipment.pbxDeviceId = pbxDeviceId || null;
      }
      if (smartphoneId !== undefined) equipment.smartphoneId = smartphoneId || null;
      if (serialNumber !== undefined) equipment.serialNumber = serialNumber || null;
      if (label !== undefined) equipment.label = label || null;
      await em.flush();
      return { equipment: equipmentMessage(equipment) };
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
    const p = page(req.pageSize, req.pageToken, { field: 'createdAt', direction: 'asc', isDate: true }, ['equipment', clientId, siteId ?? '']);
    const where = { client: clientId, ...(siteId ? { site: siteId } : {}), ...p.after };
    const rows = await em.find(Equipment, where, { orderBy: p.orderBy, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows);
    return { equipment: items.map(equipmentMessage), nextPageToken };
  }
}
