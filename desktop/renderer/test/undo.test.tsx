// Undo where the API can reverse a change: an edit sends the old values back
// (with the etag the edit returned, so a change made since is not
// overwritten); a site just added is deleted again. A site's history opens in
// a dialog from its row.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { AuditService, type ListAuditEventsRequest } from '@gen/reseller/v1/audit_pb.js';
import { CatalogService } from '@gen/reseller/v1/catalog_pb.js';
import { ClientSchema, ClientService, ClientStatus, SiteSchema, type UpdateClientRequest } from '@gen/reseller/v1/clients_pb.js';
import { EditClientDialog, SiteDialog } from '../src/screens/clients/ClientForms.tsx';
import { ClientDetailScreen } from '../src/screens/clients/ClientDetailScreen.tsx';
import { renderWithApi } from './render.tsx';

const client = create(ClientSchema, { clientId: 'c1', name: 'Boulangerie Martin', code: 'BM-001', status: ClientStatus.ACTIVE, etag: 'v1',
  sites: [create(SiteSchema, { siteId: 's1', clientId: 'c1', name: 'Siège', etag: 'v1' })] });

describe('undo', () => {
  it('an edit of a client: Undo sends the old name back with the etag the edit returned', async () => {
    const updates: UpdateClientRequest[] = [];
    renderWithApi(<EditClientDialog client={client} onClose={() => undefined} onReload={() => undefined} />, (router) => {
      router.service(ClientService, { updateClient: (req) => { updates.push(req); return { client: { ...client, name: req.name ?? client.name, etag: `v${updates.length + 1}` } }; } });
    });
    const name = screen.getByLabelText(/^Name/);
    await userEvent.clear(name);
    await userEvent.type(name, 'Boulangerie Martin & Fils');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    const toast = await screen.findByTestId('toast');
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(updates).toHaveLength(2));
    expect(updates[0]).toMatchObject({ name: 'Boulangerie Martin & Fils', etag: 'v1' });
    expect(updates[0]!.code).toBeUndefined();
    expect(updates[1]).toMatchObject({ name: 'Boulangerie Martin', etag: 'v2' });
    expect(updates[1]!.code).toBeUndefined();
    await waitFor(() => expect(screen.getByTestId('toast').textContent).toContain('Client Boulangerie Martin as it was'));
  });

  it('a site just added: Undo deletes it', async () => {
    const calls: string[] = [];
    renderWithApi(<SiteDialog clientId="c1" onClose={() => undefined} onReload={() => undefined} />, (router) => {
      router.service(ClientService, {
        createSite: (req) => { calls.push(`create ${req.name}`); return { site: { siteId: 's9', name: req.name } }; },
        deleteSite: (req) => { calls.push(`delete ${req.siteId}`); return {}; },
      });
    });
    await userEvent.type(screen.getByLabelText(/^Site name/), 'Boutique');
    await userEvent.click(screen.getByRole('button', { name: 'Add site' }));
    await userEvent.click(within(await screen.findByTestId('toast')).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(calls).toEqual(['create Boutique', 'delete s9']));
  });

  it('a site\'s history opens from its row', async () => {
    const sent: ListAuditEventsRequest[] = [];
    renderWithApi(<ClientDetailScreen />, (router) => {
      router.service(AccessService, { listResellers: () => ({ resellers: [] }) });
      router.service(CatalogService, { listSmartphones: () => ({ smartphones: [] }) });
      router.service(ClientService, { getClient: () => ({ client }), listEquipment: () => ({ equipment: [] }) });
      router.service(AuditService, { listAuditEvents: (req) => { sent.push(req); return { events: [] }; } });
    }, { path: '/clients/c1', route: '/clients/:clientId' });
    await userEvent.click(await screen.findByRole('button', { name: 'History of Siège' }));
    const dialog = screen.getByRole('dialog', { name: 'History of Siège' });
    await within(dialog).findByText('No change recorded.');
    expect(sent.at(-1)).toMatchObject({ objectType: 'Site', objectId: 's1' });
  });
});
