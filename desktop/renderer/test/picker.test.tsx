// Choosing a client by name for the charges' filter: typing searches the
// clients (ListClients), the list offers name, code and reseller, Enter or a
// click chooses, the address keeps the id and the filter shows the name.
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { ClientSchema, ClientService, type ListClientsRequest } from '@gen/reseller/v1/clients_pb.js';
import { DeviceService, type ListChargesRequest } from '@gen/reseller/v1/devices_pb.js';
import { ChargesScreen } from '../src/screens/devices/ChargesScreen.tsx';
import { renderWithApi } from './render.tsx';

describe('client picker', () => {
  it('finds a client by name and filters the charges by it', async () => {
    const lefevre = create(ClientSchema, { clientId: 'c7', name: 'Boulangerie Lefèvre', code: 'BL-7' });
    const searched: ListClientsRequest[] = [];
    const charges: ListChargesRequest[] = [];
    const { router } = renderWithApi(<ChargesScreen />, (r) => {
      r.service(AccessService, { listResellers: () => ({ resellers: [] }) });
      r.service(ClientService, {
        listClients: (req) => { searched.push(req); return { clients: [lefevre] }; },
        getClient: () => ({ client: lefevre }),
      });
      r.service(DeviceService, { listCharges: (req) => { charges.push(req); return { charges: [], totals: [] }; } });
    });
    const input = await screen.findByRole('combobox', { name: 'Client' });
    await userEvent.type(input, 'lefe');
    await screen.findByRole('option', { name: /Boulangerie Lefèvre BL-7/ });
    expect(searched.at(-1)).toMatchObject({ query: 'lefe' });
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.search).toBe('?client=c7'));
    await waitFor(() => expect(charges.at(-1)!.clientId).toBe('c7'));
    expect(await screen.findByText('Boulangerie Lefèvre')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Clear Boulangerie Lefèvre' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
  });
});
