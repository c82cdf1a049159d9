// Charges: the totals per currency the server computed for the whole filter,
// each charge's amounts formatted from minor units, the filters sent.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { create } from '@bufbuild/protobuf';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { ChargeSchema, DeviceService, type ListChargesRequest } from '@gen/reseller/v1/devices_pb.js';
import { ChargesScreen } from '../src/screens/devices/ChargesScreen.tsx';
import { renderWithApi } from './render.tsx';

describe('charges', () => {
  it('shows the totals per currency and each charge, and sends the client filter', async () => {
    const sent: ListChargesRequest[] = [];
    const eur = (amountMinor: bigint) => ({ amountMinor, currency: 'EUR' });
    renderWithApi(<ChargesScreen />, (router) => {
      router.service(AccessService, { listResellers: () => ({ resellers: [] }) });
      router.service(DeviceService, {
        listCharges: (req) => {
          sent.push(req);
          return {
            charges: [create(ChargeSchema, { chargeId: 'ch1', clientId: 'c1', deviceId: 'pbx-100', item: { description: 'Extra seat', quantity: 2, unitPrice: eur(4900n), total: eur(9800n) } })],
            totals: [eur(9800n), { amountMinor: 1500n, currency: 'USD' }],
          };
        },
      });
    }, { path: '/?client=c1' });
    const table = await screen.findByRole('table', { name: 'Charges' });
    expect(screen.getByTestId('total-EUR').textContent).toBe('Total EUR: €98.00');
    expect(screen.getByTestId('total-USD').textContent).toContain('$15.00');
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('€49.00');
    expect(row.textContent).toContain('€98.00');
    expect(sent.at(-1)!.clientId).toBe('c1');
  });
});
