// Accounts and families: the client's tabs list them (ListAccounts and
// ListFamilies, searched and paged, with totals), each by name and linked;
// founding a family from there opens the family's page; a family's page deletes it
// after asking and says what the server deleted with it; an account's page
// grants a role and offers to undo it.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { create } from '@bufbuild/protobuf';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { AuditService } from '@gen/reseller/v1/audit_pb.js';
import { ClientSchema, ClientService, ClientStatus } from '@gen/reseller/v1/clients_pb.js';
import { DeviceService } from '@gen/reseller/v1/devices_pb.js';
import {
  AccountRole, AccountSchema, FamilyRight, FamilySchema, IdentifierType, ProvisioningService, type FoundFamilyRequest, type ListAccountsRequest,
} from '@gen/reseller/v1/provisioning_pb.js';
import { AccountDetailScreen } from '../src/screens/accounts/AccountDetailScreen.tsx';
import { AccountsSection, FamiliesSection } from '../src/screens/accounts/AccountsSection.tsx';
import { FamilyDetailScreen } from '../src/screens/accounts/FamilyDetailScreen.tsx';
import { errorNextTo, renderWithApi } from './render.tsx';

const CLIENT = create(ClientSchema, { clientId: 'c1', name: 'Boulangerie', status: ClientStatus.ACTIVE });

function fixtures() {
  const account = create(AccountSchema, { accountId: 'a1', clientId: 'c1', identifierType: IdentifierType.EMAIL, identifier: 'anna@example.com', firstName: 'Anna', locale: 'fr_FR',
    families: [{ familyId: 'f1', familyName: 'Martin household', right: FamilyRight.SUPER_ADMIN }], etag: 'v1' });
  const family = create(FamilySchema, { familyId: 'f1', clientId: 'c1', name: 'Martin household', members: [{ account, right: FamilyRight.SUPER_ADMIN }], etag: 'v1' });
  return { account, family };
}

function renderPages(api: Parameters<typeof renderWithApi>[1], path: string) {
  return renderWithApi(
    <Routes>
      <Route path="/clients/:clientId" element={<AccountsSection client={CLIENT} />} />
      <Route path="/clients/:clientId/families" element={<FamiliesSection client={CLIENT} />} />
      <Route path="/families/:familyId" element={<FamilyDetailScreen />} />
      <Route path="/accounts/:accountId" element={<AccountDetailScreen />} />
    </Routes>,
    (router) => {
      router.service(ClientService, { getClient: () => ({ client: CLIENT }) });
      router.service(AccessService, { listResellers: () => ({ resellers: [] }) });
      router.service(AuditService, { listAuditEvents: () => ({ events: [] }) });
      router.service(DeviceService, { listAccountDevices: () => ({ devices: [] }) });
      api(router);
    },
    { path },
  );
}

describe('accounts and families', () => {
  it('lists the client\'s accounts by name with their families, searched and paged, with the total', async () => {
    const { account } = fixtures();
    const second = create(AccountSchema, { accountId: 'a2', clientId: 'c1', identifierType: IdentifierType.LOGIN, identifier: 'bruno', firstName: '', roles: [AccountRole.CUSTOMER_USER_UC] });
    const sent: ListAccountsRequest[] = [];
    const { router } = renderPages((r) => r.service(ProvisioningService, {
      listAccounts: (req) => {
        sent.push(req);
        if (req.pageToken === 'p2') return { accounts: [second], totalSize: 2 };
        return { accounts: [account], nextPageToken: 'p2', totalSize: req.query ? 1 : 2 };
      },
    }), '/clients/c1?size=25');
    const table = await screen.findByRole('table', { name: 'Accounts of Boulangerie' });
    expect(within(table).getByRole('link', { name: 'Anna' }).getAttribute('href')).toBe('/accounts/a1');
    expect(within(table).getByRole('link', { name: 'Martin household' }).getAttribute('href')).toBe('/families/f1');
    expect(screen.getByRole('navigation', { name: 'Pages' }).textContent).toContain('2 in all');
    expect(sent[0]).toMatchObject({ clientId: 'c1', pageSize: 25, pageToken: '', query: '' });

    await userEvent.click(screen.getByRole('button', { name: /^Next/ }));
    expect(await within(table).findByRole('link', { name: 'bruno' })).toBeTruthy();
    expect(within(table).getByText('UC user')).toBeTruthy();
    expect(router.state.location.search).toContain('page=p2');

    await userEvent.type(screen.getByLabelText('Search by identifier or first name'), 'lefevre');
    await waitFor(() => expect(sent.at(-1)).toMatchObject({ query: 'lefevre', pageToken: '' }));
    expect(router.state.location.search).not.toContain('page=');
  });

  it('lists the client\'s families with their members linked by name', async () => {
    const { family } = fixtures();
    renderPages((r) => r.service(ProvisioningService, { listFamilies: (req) => ({ families: req.clientId === 'c1' ? [family] : [], totalSize: 1 }) }), '/clients/c1/families');
    const table = await screen.findByRole('table', { name: 'Families of Boulangerie' });
    expect(within(table).getByRole('link', { name: 'Martin household' }).getAttribute('href')).toBe('/families/f1');
    expect(within(table).getByRole('link', { name: 'Anna (anna@example.com)' }).getAttribute('href')).toBe('/accounts/a1');
    expect(within(table).getByText('(Super admin)')).toBeTruthy();
  });

  it('founds a family: required fields first, then its page opens', async () => {
    const sent: FoundFamilyRequest[] = [];
    const { account, family } = fixtures();
    renderPages((r) => r.service(ProvisioningService, {
      listAccounts: () => ({ accounts: [] }),
      foundFamily: (req) => { sent.push(req); return { family, account }; },
      getFamily: () => ({ family }),
    }), '/clients/c1');
    expect(await screen.findByText(/No account yet/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Found a family' }));
    const dialog = await screen.findByRole('dialog', { name: 'Found a family' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Found family' }));
    expect(errorNextTo(within(dialog).getByLabelText(/^Family name/))).toBe('Family name is required');
    expect(errorNextTo(within(dialog).getByLabelText(/^Identifier \*/))).toBe('Identifier is required');
    expect(sent).toEqual([]);

    await userEvent.type(within(dialog).getByLabelText(/^Family name/), 'Martin household');
    await userEvent.type(within(dialog).getByLabelText(/^Identifier \*/), 'anna@example.com');
    await userEvent.type(within(dialog).getByLabelText(/^First name/), 'Anna');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Found family' }));
    await screen.findByRole('heading', { name: 'Family Martin household', level: 1 });
    expect(sent).toMatchObject([{ clientId: 'c1', familyName: 'Martin household', identifierType: IdentifierType.EMAIL, identifier: 'anna@example.com', firstName: 'Anna', locale: 'fr_FR' }]);
    expect(sent[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await screen.findByTestId('toast')).textContent).toContain('Family Martin household founded');
    // The member links to the account's page, by name.
    expect(screen.getByRole('link', { name: 'Anna (anna@example.com)' }).getAttribute('href')).toBe('/accounts/a1');
  });

  it('deletes a family after asking, says which accounts went with it, and goes back to the client', async () => {
    const { account, family } = fixtures();
    let deleted = false;
    const { router } = renderPages((r) => r.service(ProvisioningService, {
      getFamily: () => ({ family }),
      getAccount: () => ({ account }),
      deleteFamily: () => { deleted = true; return { deletedAccountIds: ['a1'] }; },
      listAccounts: () => ({ accounts: deleted ? [] : [account] }),
    }), '/families/f1');
    await userEvent.click(await screen.findByRole('button', { name: 'Delete family' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete family Martin household?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(deleted).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Delete family' }));
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete family' }));
    expect((await screen.findByTestId('toast')).textContent).toBe('Family Martin household deleted, with 1 account that belonged to no other family×');
    await waitFor(() => expect(router.state.location.pathname).toBe('/clients/c1'));
    // Neither is listed on the client any more.
    expect(screen.queryByRole('link', { name: 'Martin household' })).toBeNull();
  });

  it('grants a role on the account\'s page, and Undo revokes it', async () => {
    const { account } = fixtures();
    const calls: string[] = [];
    renderPages((r) => r.service(ProvisioningService, {
      getAccount: () => ({ account }),
      grantRole: (req) => { calls.push(`grant ${req.role}`); return { account }; },
      revokeRole: (req) => { calls.push(`revoke ${req.role}`); return { account }; },
    }), '/accounts/a1');
    await userEvent.click(await screen.findByRole('button', { name: 'Grant UC user' }));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('UC user granted to Anna (anna@example.com)');
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(calls).toEqual([`grant ${AccountRole.CUSTOMER_USER_UC}`, `revoke ${AccountRole.CUSTOMER_USER_UC}`]));
  });
});
