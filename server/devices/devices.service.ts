// DeviceService (seed 002): linking PBX devices to accounts, assigning them as
// softphones for a client type, and the charges that extra seats cause.
import { create } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Code, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import {
  ChargeBreakdownSchema, ChargeItemSchema,
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
import { dbIn, emOf, principalOf, readerOf, scopeOf } from '../platform/rpc/context.ts';
import { accountDevices, chargeById, chargePage, chargeTotals, deviceByLink, typeValues } from './devices.queries.ts';
import { recordEvent } from '../events/events.queries.ts';
import { fold } from '../platform/core/text.ts';
import { alreadyExists, apiError, failedPrecondition } from '../platform/rpc/errors.ts';
import { escapeLike, pageOf } from '../platform/data/pagination.ts';
import { validate } from '../platform/rpc/validation.ts';
import { isUuid } from '../platform/core/ids.ts';
import type { Clock } from '../platform/core/clock.ts';
import type { Em } from '../platform/data/database.ts';


const REQUIRED_ROLES: AccountRoleName[] = ['customer_user_uc', 'customer_user_uc_softphone'];
const PBX_DEVICE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

const typeNames = Object.fromEntries(Object.entries(typeValues).map(([name, value]) => [value, name])) as Record<number, SoftphoneClientTypeName>;

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
      `account ${account.identifier} lacks the role(s) ${missing.join(', ')} that a softphone assignment requires: grant them first (ProvisioningService.GrantRole)`,
      { metadata: { accountId: account.id, identifier: account.identifier, missingRoles: missing.join(',') } });
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
      const existing = await em.findOne(DeviceLink, { equipment: equipment.id }, { populate: ['account'] });
      if (existing) {
        if (existing.account.id === target.account.id) return { device: await deviceByLink(dbIn(ctx, em as Em), scopeOf(ctx), existing.id) }; // linking twice changes nothing
        throw alreadyExists('DEVICE_ALREADY_LINKED', `device ${req.deviceId} is already linked to another account (${existing.account.identifier}): unlink it there first`,
          { metadata: { deviceId: req.deviceId, accountId: existing.account.id, identifier: existing.account.identifier } });
      }
      const link = em.create(DeviceLink, {
        reseller: target.client.reseller.id, client: target.client, account: target.account, equipment, clientType: null, assignedAt: null,
      });
      await em.flush();
      return { device: await deviceByLink(dbIn(ctx, em as Em), scopeOf(ctx), link.id) };
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
      if (link.clientType === clientType) return { device: await deviceByLink(dbIn(ctx, em), scopeOf(ctx), link.id), charges: [] };
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
      const db = dbIn(ctx, em);
      const device = await deviceByLink(db, scopeOf(ctx), link.id);
      const recorded = await Promise.all(charges.map((charge) => chargeById(db, scopeOf(ctx), charge.id)));
      const resellerId = target.client.reseller.id;
      await recordEvent(db, { type: 'device.assigned', resellerId, objectId: device.deviceId, state: { case: 'device', value: device }, time: now });
      for (const charge of recorded) {
        await recordEvent(db, { type: 'charge.recorded', resellerId, objectId: charge.chargeId, state: { case: 'charge', value: charge }, time: now });
      }
      return { device, charges: recorded };
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
      return { device: await deviceByLink(dbIn(ctx, em), scopeOf(ctx), link.id) };
    });
  }

  async listAccountDevices(req: ListAccountDevicesRequest, ctx: HandlerContext) {
    const target = await requireTarget(emOf(ctx), req.clientId, req.accountId);
    return { devices: await accountDevices(readerOf(ctx), scopeOf(ctx), target.account.id) };
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
    const clientQuery = fold(v.optionalText('clientQuery', req.clientQuery, 200)?.trim() ?? '');
    v.check();
    if (clientId) await requireClient(emOf(ctx), clientId);
    const resellerId = principal.resellerId ?? resellerFilter;
    const filter = { resellerId, clientId, clientPattern: clientQuery ? `%${escapeLike(clientQuery)}%` : undefined, start, end };
    const p = await pageOf(ctx, req, { field: 'chargedAt', direction: 'desc', type: 'date' },
      ['charges', resellerId ?? '', clientId ?? '', clientQuery, start?.toISOString() ?? '', end?.toISOString() ?? '']);
    const db = readerOf(ctx);
    const [rows, totals] = await Promise.all([chargePage(db, scopeOf(ctx), filter, p.cursor, p.limit), chargeTotals(db, scopeOf(ctx), filter)]);
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    // Totals over the whole filter, not the page: what the reseller owes for the period.
    return { charges: items.map((row) => row.message), nextPageToken, totals };
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
