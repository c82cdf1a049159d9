// Accounts and families on the client page: founding a family keeps the
// family and its founder on the page; deleting a family asks first and says
// which accounts the server deleted with it.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { ClientSchema, ClientStatus } from '@gen/reseller/v1/clients_pb.js';
import { DeviceService } from '@gen/reseller/v1/devices_pb.js';
import {
  AccountSchema, FamilyRight, FamilySchema, IdentifierType, ProvisioningService, type FoundFamilyRequest,
} from '@gen/reseller/v1/provisioning_pb.js';
import { AccountsSection } from '../src/screens/accounts/AccountsSection.tsx';
import { errorNextTo, renderWithApi } from './render.tsx';

const CLIENT = create(ClientSchema, { clientId: 'c1', name: 'Boulangerie', status: ClientStatus.ACTIVE });

describe('accounts and families', () => {
  it('founds a family: required fields first, then the family and its founder stay on the page; deleting the family shows the cascade', async () => {
    const sent: FoundFamilyRequest[] = [];
    let deleted = false;
    const account = create(AccountSchema, { accountId: 'a1', clientId: 'c1', identifierType: IdentifierType.EMAIL, identifier: 'anna@example.com', firstName: 'Anna', locale: 'fr_FR',
      families: [{ familyId: 'f1', familyName: 'Martin household', right: FamilyRight.SUPER_ADMIN }] });
    const family = create(FamilySchema, { familyId: 'f1', clientId: 'c1', name: 'Martin household', members: [{ account, right: FamilyRight.SUPER_ADMIN }] });
    renderWithApi(<AccountsSection client={CLIENT} />, (router) => {
      router.service(ProvisioningService, {
        foundFamily: (req) => { sent.push(req); return { family, account }; },
        getFamily: () => ({ family }),
        getAccount: () => ({ account }),
        deleteFamily: () => { deleted = true; return { deletedAccountIds: ['a1'] }; },
      });
      router.service(DeviceService, { listAccountDevices: () => ({ devices: [] }) });
    });
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
    await screen.findByRole('heading', { name: 'Family Martin household' });
    await screen.findByRole('heading', { name: 'Account Anna (anna@example.com)' });
    expect(sent).toMatchObject([{ clientId: 'c1', familyName: 'Martin household', identifierType: IdentifierType.EMAIL, identifier: 'anna@example.com', firstName: 'Anna', locale: 'fr_FR' }]);
    expect(sent[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);

    await userEvent.click(screen.getByRole('button', { name: 'Delete family Martin household' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete family Martin household?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(deleted).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Delete family Martin household' }));
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete family' }));
    expect((await screen.findByText(/Family Martin household deleted/)).textContent).toContain('the accounts that belonged to no other family: a1');
    // Both are gone from the page.
    expect(screen.queryByRole('heading', { name: 'Family Martin household' })).toBeNull();
    expect(screen.queryByRole('heading', { name: /^Account Anna/ })).toBeNull();
  });
});
