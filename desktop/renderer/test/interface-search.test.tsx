// Finding interfaces: the list searches by guid, subdomain or the customer's
// company (the query goes to the server, which ignores case and accents) and
// keeps it in the address; a client's Interfaces tab lists its reseller's
// interfaces for a customer company containing the client's name, by name,
// and links to the list with that search.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { ClientSchema, ClientStatus } from '@gen/reseller/v1/clients_pb.js';
import { InterfaceSchema, InterfaceService, InterfaceStatus, type ListInterfacesRequest } from '@gen/reseller/v1/interfaces_pb.js';
import { ClientInterfaces } from '../src/screens/interfaces/ClientInterfaces.tsx';
import { InterfacesScreen } from '../src/screens/interfaces/InterfacesScreen.tsx';
import { renderWithApi } from './render.tsx';

const RESELLER = '01890000-0000-7000-8000-00000000000a';
const shop = create(InterfaceSchema, { key: 'k1', guid: 'bl-shop-1', subdomain: 'lefevre', resellerId: RESELLER, status: InterfaceStatus.ACTIVE,
  contact: { company: 'Boulangerie Lefèvre', lastName: 'Lefèvre' } });

function api(sent: ListInterfacesRequest[]) {
  return (router: Parameters<Parameters<typeof renderWithApi>[1]>[0]) => {
    router.service(AccessService, { listResellers: () => ({ resellers: [{ resellerId: RESELLER, name: 'Acme Telecom' }] }) });
    router.service(InterfaceService, { listInterfaces: (req) => { sent.push(req); return { interfaces: req.query === 'nobody' ? [] : [shop] }; } });
  };
}

describe('interface search', () => {
  it('sends the search to the server and keeps it in the address', async () => {
    const sent: ListInterfacesRequest[] = [];
    const { router } = renderWithApi(<InterfacesScreen />, api(sent));
    await screen.findByRole('table', { name: 'Interfaces' });
    await userEvent.type(screen.getByLabelText('Search'), 'lefevre');
    await waitFor(() => expect(sent.at(-1)!.query).toBe('lefevre'));
    expect(router.state.location.search).toBe('?q=lefevre');
    await userEvent.clear(screen.getByLabelText('Search'));
    await userEvent.type(screen.getByLabelText('Search'), 'nobody');
    expect(await screen.findByText('No interface matches these filters.')).toBeTruthy();
  });

  it('lists a client\'s interfaces by its name as the customer company, within its reseller', async () => {
    const sent: ListInterfacesRequest[] = [];
    const client = create(ClientSchema, { clientId: 'c1', resellerId: RESELLER, name: 'Boulangerie Lefèvre', status: ClientStatus.ACTIVE });
    renderWithApi(<ClientInterfaces client={client} />, api(sent));
    const table = await screen.findByRole('table', { name: 'Interfaces for Boulangerie Lefèvre' });
    expect(sent[0]).toMatchObject({ resellerId: RESELLER, query: 'Boulangerie Lefèvre' });
    expect(within(table).getByRole('link', { name: 'Boulangerie Lefèvre' }).getAttribute('href')).toBe('/interfaces/k1');
    expect(screen.getByRole('link', { name: 'Search the interfaces' }).getAttribute('href'))
      .toBe(`/interfaces?q=Boulangerie+Lef%C3%A8vre&reseller=${RESELLER}`);
  });
});
