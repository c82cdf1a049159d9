// The home screen: interfaces waiting for installation, access ending this
// month (the 1st of next month, as the server sets it), this month's charges
// with their totals, and the latest changes, each from one read of a list.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { AuditAction, AuditEventSchema, AuditService } from '@gen/reseller/v1/audit_pb.js';
import { DeviceService, type ListChargesRequest } from '@gen/reseller/v1/devices_pb.js';
import { InterfaceSchema, InterfaceService, InterfaceStatus } from '@gen/reseller/v1/interfaces_pb.js';
import { endsThisMonth, HomeScreen, monthBounds } from '../src/screens/home/HomeScreen.tsx';
import { renderWithApi } from './render.tsx';

const NOW = new Date(2026, 10, 15, 12, 0);
const at = (date: Date) => timestampFromDate(date);

describe('home screen', () => {
  it('access ends this month when it ends after now and by the 1st of next month', () => {
    const iface = (end: Date) => create(InterfaceSchema, { accessEndTime: at(end) });
    expect(endsThisMonth(iface(new Date(2026, 11, 1)), NOW)).toBe(true);
    expect(endsThisMonth(iface(new Date(2026, 10, 1)), NOW)).toBe(false);
    expect(endsThisMonth(iface(new Date(2027, 0, 1)), NOW)).toBe(false);
    expect(endsThisMonth(create(InterfaceSchema, {}), NOW)).toBe(false);
  });

  it('shows the four lists, each from one read', async () => {
    const { next } = monthBounds();
    const chargesSent: ListChargesRequest[] = [];
    renderWithApi(<HomeScreen />, (router) => {
      router.service(AccessService, { listResellers: () => ({ resellers: [] }) });
      router.service(InterfaceService, {
        listInterfaces: (req) => ({
          interfaces: req.status === InterfaceStatus.PENDING
            ? [create(InterfaceSchema, { key: 'k1', guid: 'g1', status: InterfaceStatus.PENDING, contact: { company: 'Boulangerie Martin' } })]
            : [
              create(InterfaceSchema, { key: 'k2', guid: 'g2', status: InterfaceStatus.DEACTIVATED, contact: { company: 'Garage Dupont' }, accessEndTime: at(next) }),
              create(InterfaceSchema, { key: 'k3', guid: 'g3', status: InterfaceStatus.DEACTIVATED, contact: { company: 'Fleurs & Jardins' }, accessEndTime: at(new Date(2020, 0, 1)) }),
            ],
        }),
      });
      router.service(DeviceService, { listCharges: (req) => { chargesSent.push(req); return { charges: [{ chargeId: 'ch1' }], totals: [{ amountMinor: 4900n, currency: 'EUR' }] }; } });
      router.service(AuditService, {
        listAuditEvents: () => ({ events: [create(AuditEventSchema, { eventId: 'e1', actorClientId: 'admin', method: 'reseller.v1.ClientService/DeactivateClient', objectType: 'Client', action: AuditAction.UPDATE })] }),
      });
    });
    const pending = await screen.findByRole('table', { name: 'Interfaces waiting for installation' });
    expect(within(pending).getByRole('link', { name: 'Boulangerie Martin' }).getAttribute('href')).toBe('/interfaces/k1');
    const ending = await screen.findByRole('table', { name: 'Access ending this month' });
    expect(ending.textContent).toContain('Garage Dupont');
    expect(ending.textContent).not.toContain('Fleurs & Jardins');
    await waitFor(() => expect(screen.getByTestId('home-total-EUR').textContent).toMatch(/€49\.00/));
    expect(timestampDate(chargesSent[0]!.startTime!).getTime()).toBe(monthBounds().start.getTime());
    expect((await screen.findByRole('table', { name: 'Latest changes' })).textContent).toContain('Deactivated the client');
  });
});
