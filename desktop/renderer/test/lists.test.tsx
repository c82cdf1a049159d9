// A list's whole state is in the address: filters, sort, page size and the
// page's cursor. Next and Previous move the cursor; a filter goes back to the
// first page; following the bare path (the sidebar's link) resets the list
// and its inputs follow. While the next page loads, the old rows stay dimmed
// and busy rather than passing for the new answer. Saved filters come back.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { ClientSchema, ClientService, type ListClientsRequest } from '@gen/reseller/v1/clients_pb.js';
import { ClientsScreen } from '../src/screens/clients/ClientsScreen.tsx';
import { renderWithApi } from './render.tsx';

const client = (n: number) => create(ClientSchema, { clientId: `c${n}`, name: `Client ${n}`, code: `C-${n}` });

function renderClients(path = '/clients', hold?: Promise<void>) {
  const sent: ListClientsRequest[] = [];
  const rendered = renderWithApi(<ClientsScreen />, (router) => {
    router.service(AccessService, { listResellers: () => ({ resellers: [] }) });
    router.service(ClientService, {
      listClients: async (req) => {
        sent.push(req);
        if (req.pageToken === 'p2') {
          await hold;
          return { clients: [client(3)], nextPageToken: '' };
        }
        return { clients: [client(1), client(2)], nextPageToken: 'p2' };
      },
    });
  }, { path, route: '/clients' });
  return { sent, ...rendered };
}

describe('list state in the address', () => {
  it('puts the page cursor in the address; Previous comes back to the first page', async () => {
    const { sent, router } = renderClients();
    await screen.findByRole('link', { name: 'Client 1' });
    await userEvent.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByRole('link', { name: 'Client 3' });
    expect(router.state.location.search).toBe('?page=p2');
    expect(screen.getByText(/Page 2 · 1 shown/)).toBeTruthy();
    expect(sent.at(-1)!.pageToken).toBe('p2');
    await userEvent.click(screen.getByRole('button', { name: '← Previous' }));
    await screen.findByRole('link', { name: 'Client 1' });
    expect(router.state.location.search).toBe('');
  });

  it('opens the page its address names (a reload, a shared link), and a filter goes back to the first page', async () => {
    const { sent, router } = renderClients('/clients?status=1&page=p2');
    await screen.findByRole('link', { name: 'Client 3' });
    expect(sent[0]).toMatchObject({ pageToken: 'p2', status: 1 });
    // Opened cold: which page number it is is not known, and Previous goes to the first.
    expect(screen.getByText(/A later page/)).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Inactive');
    await waitFor(() => expect(router.state.location.search).toBe('?status=2'));
    await waitFor(() => expect(sent.at(-1)).toMatchObject({ pageToken: '', status: 2 }));
  });

  it('the bare path resets the filters, and the inputs follow', async () => {
    const { router } = renderClients('/clients?q=martin&size=25');
    expect((await screen.findByLabelText('Search name or code') as HTMLInputElement).value).toBe('martin');
    await screen.findByRole('link', { name: 'Client 1' });
    expect((screen.getByLabelText('Rows per page') as HTMLSelectElement).value).toBe('25');
    await router.navigate('/clients');
    await waitFor(() => expect((screen.getByLabelText('Search name or code') as HTMLInputElement).value).toBe(''));
    expect((screen.getByLabelText('Rows per page') as HTMLSelectElement).value).toBe('50');
  });

  it('while the next page loads, the rows on screen are the old ones, dimmed and busy, and the pager says it is loading', async () => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => { release = resolve; });
    renderClients('/clients', hold);
    await screen.findByRole('link', { name: 'Client 1' });
    await userEvent.click(screen.getByRole('button', { name: 'Next →' }));
    const wrap = screen.getByRole('table', { name: 'Clients' }).parentElement!;
    await waitFor(() => expect(wrap.getAttribute('aria-busy')).toBe('true'));
    expect(wrap.className).toContain('is-stale');
    expect(screen.getByText(/loading…/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next →' }) as HTMLButtonElement).disabled).toBe(true);
    release();
    await screen.findByRole('link', { name: 'Client 3' });
    expect(screen.getByRole('table', { name: 'Clients' }).parentElement!.getAttribute('aria-busy')).toBeNull();
  });

  it('saves the filters under a name, puts them back, and deletes them with an undo', async () => {
    const { router } = renderClients('/clients?status=2&order=name');
    await screen.findByRole('link', { name: 'Client 1' });
    await userEvent.click(screen.getByRole('button', { name: 'Save filters' }));
    const dialog = screen.getByRole('dialog', { name: 'Save these filters' });
    await userEvent.type(within(dialog).getByLabelText(/^Name/), 'Inactive by name');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save filters' }));
    expect(JSON.parse(localStorage.getItem('console.savedFilters.clients')!)).toEqual([{ name: 'Inactive by name', query: 'status=2&order=name' }]);

    await router.navigate('/clients');
    await waitFor(() => expect((screen.getByLabelText('Saved filters') as HTMLSelectElement).value).toBe(''));
    await userEvent.selectOptions(screen.getByLabelText('Saved filters'), 'Inactive by name');
    await waitFor(() => expect(router.state.location.search).toBe('?status=2&order=name'));

    await userEvent.click(screen.getByRole('button', { name: 'Delete the saved filters “Inactive by name”' }));
    expect(JSON.parse(localStorage.getItem('console.savedFilters.clients')!)).toEqual([]);
    const toast = (await screen.findAllByTestId('toast')).find((t) => t.textContent?.includes('deleted'))!;
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(JSON.parse(localStorage.getItem('console.savedFilters.clients')!)).toHaveLength(1));
  });
});
