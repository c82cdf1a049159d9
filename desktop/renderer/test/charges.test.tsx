// Charges: the totals per currency the server computed for the whole filter,
// each charge's amounts formatted from minor units, its client by name and
// code (linked), the filters sent (a client by id, or a part of a name).
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ClientService } from '@gen/reseller/v1/clients_pb.js';
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
      router.service(ClientService, { getClient: () => ({ client: { clientId: 'c1', name: 'Boulangerie Lefèvre' } }) });
      router.service(DeviceService, {
        listCharges: (req) => {
          sent.push(req);
          return {
            charges: [create(ChargeSchema, { chargeId: 'ch1', clientId: 'c1', clientName: 'Boulangerie Lefèvre', clientCode: 'BL-01', deviceId: 'pbx-100', item: { description: 'Extra seat', quantity: 2, unitPrice: eur(4900n), total: eur(9800n) } })],
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
    // The client by its name (from the charge itself) and code, linked to its page.
    expect(within(row).getByRole('link', { name: 'Boulangerie Lefèvre' }).getAttribute('href')).toBe('/clients/c1');
    expect(row.textContent).toContain('BL-01');
  });

  it('filters by a part of the client\'s name or code', async () => {
    const sent: ListChargesRequest[] = [];
    const { router } = renderWithApi(<ChargesScreen />, (r) => {
      r.service(AccessService, { listResellers: () => ({ resellers: [] }) });
      r.service(DeviceService, { listCharges: (req) => { sent.push(req); return { charges: [], totals: [] }; } });
    });
    await screen.findByText('No charges yet.');
    await userEvent.type(screen.getByLabelText('Client name or code'), 'lefevre');
    await waitFor(() => expect(sent.at(-1)!.clientQuery).toBe('lefevre'));
    expect(router.state.location.search).toBe('?clientq=lefevre');
    expect(await screen.findByText('No charge matches these filters.')).toBeTruthy();
  });
});
