// DeviceService (seed 002): linking PBX devices to accounts, assigning them as
// softphones for a client type, and the charges that extra seats cause.
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { raw } from '@mikro-orm/core';
import {
  ChargeBreakdownSchema, ChargeItemSchema, ChargeSchema, DeviceSchema, SoftphoneClientType,
  type AssignDeviceRequest, type DeviceService, type LinkDeviceRequest, type ListAccountDevicesRequest,
  type ListChargesRequest, type UnassignDeviceRequest, type UnlinkDeviceRequest,
} from '../../gen/reseller/v1/devices_pb.js';
import { moneyMessage as money } from '../platform/rpc/money.ts';
import { Charge, DeviceLink, type SoftphoneClientTypeName } from './devices.entity.ts';
import { seatPricing } from './devices.pricing.ts';
import { Equipment, type Client } from '../clients/clients.entity.ts';
import { requireClient } from '../clients/clients.repository.ts';
import { accountHasRole, requireAccountOfClient, serializeClientWrites } from '../provisioning/provisioning.repository.ts';
import type { Account, AccountRoleName } from '../provisioning/provisioning.entity.ts';
import { emOf, principalOf } from '../platform/rpc/context.ts';
import { alreadyExists, apiError, failedPrecondition } from '../platform/rpc/errors.ts';
import { pageOf } from '../platform/data/pagination.ts';
import { validate } from '../platform/rpc/validation.ts';
import { isUuid } from '../platform/core/ids.ts';
import type { Clock } from '../platform/core/clock.ts';
import type { Em } from '../platform/data/database.ts';


const REQUIRED_ROLES: AccountRoleName[] = ['customer_user_uc', 'customer_user_uc_softphone'];
const PBX_DEVICE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

const typeValues: Record<SoftphoneClientTypeName, SoftphoneClientType> = {
  desktop: SoftphoneClientType.DESKTOP, mobile: SoftphoneClientType.MOBILE, webrtc: SoftphoneClientType.WEBRTC, crm: SoftphoneClientType.CRM,
};
const typeNames = Object.fromEntries(Object.entries(typeValues).map(([name, value]) => [value, name])) as Record<number, SoftphoneClientTypeName>;

export function deviceMessage(link: DeviceLink) {
  return create(DeviceSchema, {
    deviceId: link.equipment.pbxDeviceId ?? '', equipmentId: link.equipment.id, clientId: link.client.id, accountId: link.account.id,
    clientType: link.clientType ? typeValues[link.clientType] : SoftphoneClientType.UNSPECIFIED,
    linkTime: timestampFromDate(link.createdAt), assignTime: link.assignedAt ? timestampFromDate(link.assignedAt) : undefined,
  });
}

export function chargeMessage(charge: Charge) {
  return create(ChargeSchema, {
    chargeId: charge.id, resellerId: charge.reseller.id, clientId: charge.client.id, accountId: charge.accountId, deviceId: charge.deviceId,
    item: create(ChargeItemSchema, {
      description: charge.description, offeringCode: charge.offeringCode, quantity: charge.quantity,
      unitPrice: money(charge.unitPriceMinor, charge.currency), total: money(charge.totalMinor, charge.currency),
    }),
    createTime: timestampFromDate(charge.chargedAt),
  });
}

interface Target {
  client: Client;
  account: Account;
}

/**
 * The seed's first checks, in its order: the client id's format (400), the
 * client (404), the account (404). Each later check assumes the earlier passed.
 */
async function requireTarget(em: Em, clientId: string, accountId: string, validateBody?: (v: ReturnType<typeof validate>) => void): Promise<Target> {
  const v = validate();
  if (!isUuid(clientId)) {
    v.add('clientId', clientId === '' ? 'is required' : `"${clientId}" is not a valid client id (a UUID)`, clientId === '' ? 'REQUIRED' : 'INVALID_ID');
  }
  validateBody?.(v);
  v.check();
  const client = await requireClient(em, clientId.toLowerCase());
  if (!isUuid(accountId)) {
    throw apiError(Code.NotFound, 'ACCOUNT_NOT_FOUND', `account ${accountId || '(empty)'} not found on client ${client.id}`,
      { metadata: { id: accountId, clientId: client.id }, legacyCode: 1 });
  }
  const account = await requireAccountOfClient(em, accountId.toLowerCase(), client.id);
  return { client, account };
}

function deviceNotFound(deviceId: string, accountId: string) {
  return apiError(Code.NotFound, 'DEVICE_NOT_FOUND', `device not found: ${deviceId || '(empty)'} is not linked to account ${accountId}`,
    { metadata: { deviceId, accountId } });
}

/** The link of `deviceId` to this account (seed: the device must already be the user's). */
async function requireLink(em: Em, target: Target, deviceId: string): Promise<DeviceLink> {
  const link = PBX_DEVICE_ID.test(deviceId)
    ? await em.findOne(DeviceLink, { account: target.account.id, equipment: { pbxDeviceId: deviceId, client: target.client.id } }, { populate: ['equipment'] })
    : null;
  if (!link) throw deviceNotFound(deviceId, target.account.id);
  return link;
}

async function requireRoles(em: Em, account: Account): Promise<void> {
  const missing: AccountRoleName[] = [];
  for (const role of REQUIRED_ROLES) if (!(await accountHasRole(em, account.id, role))) missing.push(role);
  if (missing.length > 0) {
    throw failedPrecondition('MISSING_ROLE',
      `account ${account.id} lacks the role(s) ${missing.join(', ')} that a softphone assignment requires: grant them first (ProvisioningService.GrantRole)`,
      { metadata: { accountId: account.id, missingRoles: missing.join(',') } });
  }
}

export interface DeviceDeps {
  clock: Clock;
}

export class DeviceServiceImpl implements ServiceImpl<typeof DeviceService> {
  readonly #clock: Clock;
  constructor(deps: DeviceDeps) {
    this.#clock = deps.clock;
  }

  async linkDevice(req: LinkDeviceRequest, ctx: HandlerContext) {
    return emOf(ctx).transactional(async (em) => {
      const target = await requireTarget(em as Em, req.clientId, req.accountId);
      const equipment = PBX_DEVICE_ID.test(req.deviceId)
        ? await em.findOne(Equipment, { client: target.client.id, pbxDeviceId: req.deviceId })
        : null;
      if (!equipment) {
        throw apiError(Code.NotFound, 'DEVICE_NOT_FOUND', `device not found: no equipment of client ${target.client.id} has PBX device id ${req.deviceId || '(empty)'}`,
          { metadata: { deviceId: req.deviceId, clientId: target.client.id } });
      }
      const existing = await em.findOne(DeviceLink, { equipment: equipment.id }, { populate: ['equipment'] });
      if (existing) {
        if (existing.account.id === target.account.id) return { device: deviceMessage(existing) }; // linking twice changes nothing
        throw alreadyExists('DEVICE_ALREADY_LINKED', `device ${req.deviceId} is already linked to another account (${existing.account.id}): unlink it there first`,
          { metadata: { deviceId: req.deviceId, accountId: existing.account.id } });
      }
      const link = em.create(DeviceLink, {
        reseller: target.client.reseller.id, client: target.client, account: target.account, equipment, clientType: null, assignedAt: null,
      });
      await em.flush();
      return { device: deviceMessage(link) };
    });
  }

  async unlinkDevice(req: UnlinkDeviceRequest, ctx: HandlerContext) {
    return emOf(ctx).transactional(async (em) => {
      const target = await requireTarget(em as Em, req.clientId, req.accountId);
      const link = await requireLink(em as Em, target, req.deviceId);
      // Unlinking an assigned device unassigns it first: the removal covers both.
      em.remove(link);
      await em.flush();
      return {};
    });
  }

  async assignDevice(req: AssignDeviceRequest, ctx: HandlerContext) {
    const clientType = typeNames[req.clientType];
    return emOf(ctx).transactional(async (tx) => {
      const em = tx as Em;
      const target = await requireTarget(em, req.clientId, req.accountId, (v) => {
        if (!clientType) v.add('clientType', 'must be SOFTPHONE_CLIENT_TYPE_DESKTOP, _MOBILE, _WEBRTC or _CRM', 'REQUIRED');
      });
      const link = await requireLink(em, target, req.deviceId);
      await requireRoles(em, target.account);
      if (link.clientType === clientType) return { device: deviceMessage(link), charges: [] };
      const now = this.#clock.now();
      const charges: Charge[] = [];
      if (link.clientType === null) {
        // A new assignment takes a seat; moving between client types does not.
        // Two assignments of one client take turns, so both cannot take the last free seat.
        await serializeClientWrites(em, target.client.id);
        const pricing = await seatPricing(em);
        const seatsInUse = await em.count(DeviceLink, { client: target.client.id, clientType: { $ne: null } });
        if (pricing && seatsInUse + 1 > pricing.includedPerClient) {
          const item = {
            description: `Softphone seat (${pricing.offeringCode})`, offeringCode: pricing.offeringCode, quantity: 1,
            unitPriceMinor: pricing.priceMinor, totalMinor: pricing.priceMinor, currency: pricing.currency,
          };
          if (!req.acceptCharges) throw chargesNotAccepted(target, clientType!, [item], seatsInUse, pricing.includedPerClient);
          charges.push(em.create(Charge, {
            reseller: target.client.reseller.id, client: target.client, accountId: target.account.id, deviceId: req.deviceId, ...item, chargedAt: now,
          }));
        }
      }
      link.clientType = clientType!;
      link.assignedAt = now;
      await em.flush();
      return { device: deviceMessage(link), charges: charges.map(chargeMessage) };
    });
  }

  async unassignDevice(req: UnassignDeviceRequest, ctx: HandlerContext) {
    return emOf(ctx).transactional(async (tx) => {
      const em = tx as Em;
      const target = await requireTarget(em, req.clientId, req.accountId);
      const link = await requireLink(em, target, req.deviceId);
      // Unassigning an unassigned device changes nothing (a retry is safe).
      if (link.clientType !== null) {
        link.clientType = null;
        link.assignedAt = null;
        await em.flush();
      }
      return { device: deviceMessage(link) };
    });
  }

  async listAccountDevices(req: ListAccountDevicesRequest, ctx: HandlerContext) {
    const em = emOf(ctx);
    const target = await requireTarget(em, req.clientId, req.accountId);
    const links = await em.find(DeviceLink, { account: target.account.id }, { populate: ['equipment'], orderBy: { createdAt: 'asc', id: 'asc' } });
    return { devices: links.map(deviceMessage) };
  }

  async listCharges(req: ListChargesRequest, ctx: HandlerContext) {
    const v = validate();
    const clientId = v.optionalId('clientId', req.clientId);
    const principal = principalOf(ctx);
    const resellerFilter = v.optionalId('resellerId', req.resellerId);
    if (resellerFilter && principal.resellerId && resellerFilter !== principal.resellerId) {
      v.add('resellerId', 'must be empty or your own reseller id', 'NOT_ALLOWED');
    }
    const start = req.startTime ? timestampDate(req.startTime) : undefined;
    const end = req.endTime ? timestampDate(req.endTime) : undefined;
    if (start && end && start >= end) v.add('endTime', 'must be after startTime', 'INVALID_RANGE');
    v.check();
    const em = emOf(ctx);
    if (clientId) await requireClient(em, clientId);
    const resellerId = principal.resellerId ?? resellerFilter;
    const where = {
      ...(resellerId ? { reseller: resellerId } : {}),
      ...(clientId ? { client: clientId } : {}),
      ...(start || end ? { chargedAt: { ...(start ? { $gte: start } : {}), ...(end ? { $lt: end } : {}) } } : {}),
    };
    const p = await pageOf(ctx, req, { field: 'chargedAt', direction: 'desc', type: 'date' },
      ['charges', resellerId ?? '', clientId ?? '', start?.toISOString() ?? '', end?.toISOString() ?? '']);
    const rows = await em.find(Charge, { $and: [where, p.after] }, { orderBy: p.orderBy, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows);
    // Totals over the whole filter, not the page: what the reseller owes for the period.
    const sums = await em.createQueryBuilder(Charge, 'c')
      .select(['c.currency', raw('sum(c.total_minor) as total')])
      .where(where)
      .groupBy('c.currency')
      .orderBy({ currency: 'asc' })
      .execute<{ currency: string; total: number | string }[]>('all', false);
    return { charges: items.map(chargeMessage), nextPageToken, totals: sums.map((s) => money(Number(s.total), s.currency)) };
  }
}

interface ItemFields { description: string; offeringCode: string; quantity: number; unitPriceMinor: number; totalMinor: number; currency: string }

/** The seed's 402 answer: refused, with what would have been charged. */
function chargesNotAccepted(target: Target, clientType: SoftphoneClientTypeName, items: ItemFields[], seatsInUse: number, included: number) {
  const total = items.reduce((sum, i) => sum + i.totalMinor, 0);
  const currency = items[0]!.currency;
  const error = failedPrecondition('CHARGES_NOT_ACCEPTED',
    `extra charges apply: this assignment adds a softphone seat beyond the ${included} included (${seatsInUse} in use), ` +
    `${(total / 100).toFixed(2)} ${currency}; send accept_charges: true to accept them`,
    { metadata: { clientId: target.client.id, clientType, total: String(total), currency, seatsInUse: String(seatsInUse), includedSeats: String(included) } });
  const breakdown = create(ChargeBreakdownSchema, {
    items: items.map((i) => create(ChargeItemSchema, {
      description: i.description, offeringCode: i.offeringCode, quantity: i.quantity,
      unitPrice: money(i.unitPriceMinor, i.currency), total: money(i.totalMinor, i.currency),
    })),
    total: money(total, currency),
  });
  error.details.push({ desc: ChargeBreakdownSchema, value: breakdown });
  return error;
}
