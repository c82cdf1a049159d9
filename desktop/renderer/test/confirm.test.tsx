// Destructive actions ask first: nothing is sent until the confirmation,
// Cancel (which has the focus) sends nothing, and a refusal keeps
// the dialog open with the server's message and reason.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import { AccessService, CredentialSchema, Role } from '@gen/reseller/v1/access_pb.js';
import { ClientSchema, ClientService, ClientStatus, SiteSchema } from '@gen/reseller/v1/clients_pb.js';
import { CredentialsScreen } from '../src/screens/credentials/CredentialsScreen.tsx';
import { ClientDetailScreen } from '../src/screens/clients/ClientDetailScreen.tsx';
import { apiError, renderWithApi } from './render.tsx';

const RESELLER = '01890000-0000-7000-8000-00000000000a';

describe('revoking a credential', () => {
  function renderCredentials(revoke: (id: string) => unknown) {
    const revoked: string[] = [];
    renderWithApi(<CredentialsScreen />, (router) => {
      router.service(AccessService, {
        listResellers: () => ({ resellers: [{ resellerId: RESELLER, name: 'Acme Telecom' }] }),
        listCredentials: () => ({
          credentials: [create(CredentialSchema, { credentialId: 'cr1', clientId: 'ck_acme', role: Role.RESELLER, resellerId: RESELLER, displayName: 'Acme API' })],
        }),
        revokeCredential: (req) => { revoked.push(req.credentialId); return revoke(req.credentialId) as never; },
      });
    });
    return revoked;
  }

  // (Escape, which the browser turns into the dialog's cancel, is checked in Chromium: test/console.e2e.test.ts.)
  it('asks first; Cancel revokes nothing; confirming revokes once', async () => {
    const revoked = renderCredentials(() => ({}));
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke Acme API' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Revoke “Acme API”?' });
    expect(dialog.textContent).toContain('ck_acme');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();

    expect(revoked).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Revoke Acme API' }));
    dialog = screen.getByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke credential' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(revoked).toEqual(['cr1']);
  });

  it('keeps the dialog open with the server\'s message and reason when refused', async () => {
    renderCredentials(() => { throw apiError(Code.PermissionDenied, 'READ_ONLY_ROLE', 'the support role may read but not change anything'); });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke Acme API' }));
    const dialog = screen.getByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke credential' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('the support role may read but not change anything');
    expect(within(alert).getByTestId('error-reason').textContent).toBe('READ_ONLY_ROLE');
  });
});

describe('client detail', () => {
  const CLIENT = '01890000-0000-7000-8000-0000000000c1';
  function renderClient(status: ClientStatus, calls: string[], deleteSite: () => unknown = () => ({})) {
    const client = create(ClientSchema, {
      clientId: CLIENT, resellerId: RESELLER, name: 'Boulangerie Martin', code: 'BM-001', status, etag: 'v2', siteCount: 1, equipmentCount: 2,
      sites: [
        create(SiteSchema, { siteId: 's1', clientId: CLIENT, name: 'Head office', equipmentCount: 2, etag: 'v1' }),
        create(SiteSchema, { siteId: 's2', clientId: CLIENT, name: 'Shop', equipmentCount: 0, etag: 'v1' }),
      ],
    });
    renderWithApi(<ClientDetailScreen />, (router) => {
      router.service(AccessService, { listResellers: () => ({ resellers: [{ resellerId: RESELLER, name: 'Acme Telecom' }] }) });
      router.service(ClientService, {
        getClient: () => ({ client }),
        listEquipment: () => ({ equipment: [] }),
        deactivateClient: (req) => { calls.push(`deactivate ${req.clientId} ${req.etag}`); return { client }; },
        reactivateClient: (req) => { calls.push(`reactivate ${req.clientId} ${req.etag}`); return { client }; },
        deleteSite: (req) => { calls.push(`delete ${req.siteId}`); return deleteSite() as never; },
      });
    }, { path: `/clients/${CLIENT}`, route: '/clients/:clientId' });
  }

  it('deactivates only after confirmation, sending the etag it read', async () => {
    const calls: string[] = [];
    renderClient(ClientStatus.ACTIVE, calls);
    await userEvent.click(await screen.findByRole('button', { name: 'Deactivate' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Deactivate Boulangerie Martin?' });
    expect(dialog.textContent).toContain('can be reactivated');
    expect(calls).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deactivate client' }));
    await waitFor(() => expect(calls).toEqual([`deactivate ${CLIENT} v2`]));
  });

  it('notifies the deactivation, and Undo reactivates the client; the focus goes back to the button that opened the dialog', async () => {
    const calls: string[] = [];
    renderClient(ClientStatus.ACTIVE, calls);
    const opener = await screen.findByRole('button', { name: 'Deactivate' });
    await userEvent.click(opener);
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Deactivate client' }));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('Client Boulangerie Martin deactivated');
    // The dialog closed: the focus is back where it was, not on <body>.
    await waitFor(() => expect(document.activeElement).toBe(opener));
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(calls).toEqual([`deactivate ${CLIENT} v2`, `reactivate ${CLIENT} `]));
    await waitFor(() => expect(screen.getByTestId('toast').textContent).toContain('Client Boulangerie Martin reactivated'));
  });

  it('reactivates an inactive client after confirmation, and disables changes to its sites meanwhile', async () => {
    const calls: string[] = [];
    renderClient(ClientStatus.INACTIVE, calls);
    await screen.findByText(/This client is inactive/);
    // Disabled, and saying why (focusable, described by its reason).
    const addSite = screen.getByRole('button', { name: 'Add site' });
    expect(addSite.getAttribute('aria-disabled')).toBe('true');
    expect(document.getElementById(addSite.getAttribute('aria-describedby')!)?.textContent).toBe('The client is inactive: reactivate it first');
    await userEvent.click(addSite);
    expect(screen.queryByRole('dialog')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Reactivate' }));
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Reactivate client' }));
    await waitFor(() => expect(calls).toEqual([`reactivate ${CLIENT} v2`]));
  });

  it('deleting a site asks first, and shows why the server refused (SITE_HAS_EQUIPMENT)', async () => {
    const calls: string[] = [];
    renderClient(ClientStatus.ACTIVE, calls, () => {
      throw apiError(Code.FailedPrecondition, 'SITE_HAS_EQUIPMENT', 'site s1 still has 2 piece(s) of equipment: remove or move them first');
    });
    // A site with equipment is not offered for deletion, and says why.
    const withEquipment = await screen.findByRole('button', { name: 'Delete Head office' });
    expect(document.getElementById(withEquipment.getAttribute('aria-describedby')!)?.textContent).toContain('still has equipment');
    // One the console thinks empty may still be refused (equipment added meanwhile).
    await userEvent.click(screen.getByRole('button', { name: 'Delete Shop' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete site Shop?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete site' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('still has 2 piece(s) of equipment');
    expect(within(alert).getByTestId('error-reason').textContent).toBe('SITE_HAS_EQUIPMENT');
    expect(calls).toEqual(['delete s2']);
  });

  it('has tabs for the families and accounts that the provisioning feature fills', async () => {
    renderClient(ClientStatus.ACTIVE, []);
    await userEvent.click(await screen.findByRole('tab', { name: 'Families' }));
    expect(await screen.findByRole('heading', { name: 'Families' })).toBeTruthy();
    await userEvent.click(await screen.findByRole('tab', { name: 'Accounts' }));
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeTruthy();
  });
});
