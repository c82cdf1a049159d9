// Staff users: the list names people (name, e-mail, role, status), inviting
// sends the e-mail, name and role once; disabling asks first; a person's
// sessions show and a live one can be ended; support is offered no action.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { Role } from '@gen/reseller/v1/access_pb.js';
import { SessionSchema, StaffService, StaffUserSchema, StaffUserStatus } from '@gen/reseller/v1/staff_pb.js';
import { StaffUsersScreen } from '../src/screens/staff/StaffUsersScreen.tsx';
import { renderWithApi } from './render.tsx';

const ADA = create(StaffUserSchema, { staffUserId: 'u1', email: 'ada@example.com', displayName: 'Ada Lovelace', role: Role.ADMIN, status: StaffUserStatus.ACTIVE });
const BOB = create(StaffUserSchema, { staffUserId: 'u2', email: 'bob@example.com', displayName: 'Bob Invited', role: Role.SUPPORT, status: StaffUserStatus.INVITED });

function renderStaff(role?: Role) {
  const calls: { invited: unknown[]; disabled: string[]; revoked: string[] } = { invited: [], disabled: [], revoked: [] };
  renderWithApi(<StaffUsersScreen />, (router) => {
    router.service(StaffService, {
      listStaffUsers: () => ({ staffUsers: [ADA, BOB] }),
      inviteStaffUser: (req) => { calls.invited.push({ email: req.email, displayName: req.displayName, role: req.role }); return { staffUser: BOB }; },
      disableStaffUser: (req) => { calls.disabled.push(req.staffUserId); return { staffUser: BOB }; },
      listSessions: () => ({ sessions: [create(SessionSchema, { sessionId: 's1', staffUserId: 'u1', deviceName: 'Console on Linux', address: '10.0.0.7' })] }),
      revokeSession: (req) => { calls.revoked.push(req.sessionId); return { session: create(SessionSchema, { sessionId: req.sessionId }) }; },
    });
  }, { role });
  return calls;
}

describe('staff users', () => {
  it('lists people by name with their e-mail, role and status', async () => {
    renderStaff();
    const table = await screen.findByRole('table', { name: 'Staff users' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]!.textContent).toContain('Ada Lovelace');
    expect(rows[1]!.textContent).toContain('ada@example.com');
    expect(rows[1]!.textContent).toContain('Active');
    expect(rows[2]!.textContent).toContain('Invited');
  });

  it('invites a person: e-mail and name required, then sent once with the role chosen', async () => {
    const calls = renderStaff();
    await userEvent.click(await screen.findByRole('button', { name: 'Invite a person' }));
    const dialog = screen.getByRole('dialog', { name: 'Invite a person' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send the invitation' }));
    expect(calls.invited).toEqual([]);
    await userEvent.type(within(dialog).getByLabelText(/^E-mail/), 'carla@example.com');
    await userEvent.type(within(dialog).getByLabelText(/^Name/), 'Carla Support');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send the invitation' }));
    await waitFor(() => expect(calls.invited).toEqual([{ email: 'carla@example.com', displayName: 'Carla Support', role: Role.SUPPORT }]));
    await screen.findByText('Invitation sent to carla@example.com.');
  });

  it('disables after confirming; shows a person\'s sessions and ends a live one', async () => {
    const calls = renderStaff();
    await userEvent.click(await screen.findByRole('button', { name: 'Disable Bob Invited' }));
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(calls.disabled).toEqual(['u2']));

    await userEvent.click(screen.getByRole('button', { name: 'Sessions of Ada Lovelace' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sessions of Ada Lovelace' });
    expect((await within(dialog).findByText('Console on Linux')).closest('tr')!.textContent).toContain('Live');
    await userEvent.click(within(dialog).getByRole('button', { name: 'End session' }));
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'End session' }));
    await waitFor(() => expect(calls.revoked).toEqual(['s1']));
  });

  it('offers support no invitation, no disabling and no ending of sessions', async () => {
    renderStaff(Role.SUPPORT);
    await screen.findByRole('table', { name: 'Staff users' });
    expect(screen.queryByRole('button', { name: 'Invite a person' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Disable/ })).toBeNull();
  });
});
