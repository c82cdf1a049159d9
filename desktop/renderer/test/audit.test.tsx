// The audit trail: the filters go to the server as the request's fields (the
// time range as timestamps), a range that ends before it starts is refused
// before sending, and an event's object id narrows the list to its history.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { AuditAction, AuditEventSchema, AuditService, type ListAuditEventsRequest } from '@gen/reseller/v1/audit_pb.js';
import { AuditScreen } from '../src/screens/audit/AuditScreen.tsx';
import { renderWithApi } from './render.tsx';

const RESELLER = '01890000-0000-7000-8000-00000000000a';
const CLIENT = '01890000-0000-7000-8000-0000000000c1';
const ADMIN_CREDENTIAL = '01890000-0000-7000-8000-0000000000a1';

function renderAudit(path = '/') {
  const sent: ListAuditEventsRequest[] = [];
  renderWithApi(<AuditScreen />, (router) => {
    router.service(AccessService, {
      listResellers: () => ({ resellers: [{ resellerId: RESELLER, name: 'Acme Telecom' }] }),
      listCredentials: () => ({ credentials: [{ credentialId: ADMIN_CREDENTIAL, clientId: 'admin', displayName: 'Admin' }] }),
    });
    router.service(AuditService, {
      listAuditEvents: (req) => {
        sent.push(req);
        return {
          events: [create(AuditEventSchema, {
            eventId: 'e1', time: timestampFromDate(new Date('2026-11-20T10:00:00Z')), requestId: 'r1', actorCredentialId: ADMIN_CREDENTIAL,
            actorClientId: 'admin', resellerId: RESELLER, method: 'reseller.v1.ClientService/RegisterClient', objectType: 'Client',
            objectId: CLIENT, action: AuditAction.CREATE, changedFields: ['name', 'code'],
          })],
          nextPageToken: '',
        };
      },
    });
  }, { path });
  return sent;
}

describe('audit trail', () => {
  it('lists events with action, object, method, changed fields, reseller and actor', async () => {
    renderAudit();
    const table = await screen.findByRole('table', { name: 'Audit events' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('Create');
    expect(row.textContent).toContain(`Client …${CLIENT.split('-').pop()}`);
    // What the call did and what changed, in words (the method's name stays in its title).
    expect(row.textContent).toContain('Registered the client');
    expect(within(row).getByTitle('ClientService/RegisterClient')).toBeTruthy();
    expect(row.textContent).toContain('Name, Code');
    await waitFor(() => expect(row.textContent).toContain('Acme Telecom'));
    expect(row.textContent).toContain('admin');
  });

  it('sends the filters from the address: reseller, object type, object id, actor (by the client id the table shows) and the time range', async () => {
    const sent = renderAudit(`/?reseller=${RESELLER}&type=Client&object=${CLIENT}&actor=admin&from=2026-11-01T00:00&to=2026-11-30T00:00`);
    await screen.findByRole('table', { name: 'Audit events' });
    const req = sent.at(-1)!;
    expect(req).toMatchObject({ resellerId: RESELLER, objectType: 'Client', objectId: CLIENT, actorCredentialId: ADMIN_CREDENTIAL });
    expect(timestampDate(req.startTime!).getTime()).toBe(new Date('2026-11-01T00:00').getTime());
    expect(timestampDate(req.endTime!).getTime()).toBe(new Date('2026-11-30T00:00').getTime());
  });

  it('refuses a time range that ends before it starts, without asking the server', async () => {
    const sent = renderAudit('/?from=2026-11-30T00:00&to=2026-11-01T00:00');
    expect((await screen.findByRole('alert')).textContent).toContain('“From” must be before “Until”');
    expect(sent).toEqual([]);
    // Fixing the range lists again.
    fireEvent.change(screen.getByLabelText('Until'), { target: { value: '2026-12-01T00:00' } });
    await screen.findByRole('table', { name: 'Audit events' });
    expect(sent.length).toBeGreaterThan(0);
  });

  it('says so when no credential has the client id typed as the actor, without asking for events', async () => {
    const sent = renderAudit('/?actor=ck_nobody');
    expect((await screen.findByRole('alert')).textContent).toContain('No credential has the client id “ck_nobody”');
    expect(sent).toEqual([]);
  });

  it('narrows to one object\'s history from its id in the list', async () => {
    const sent = renderAudit();
    await userEvent.click(await screen.findByRole('button', { name: `Show the history of ${CLIENT}` }));
    expect((screen.getByLabelText('Object id') as HTMLInputElement).value).toBe(CLIENT);
    await waitFor(() => expect(sent.at(-1)!.objectId).toBe(CLIENT));
  });
});
