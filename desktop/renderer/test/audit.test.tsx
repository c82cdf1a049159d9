// The audit trail: each event's object by its label (linked to its page), who
// by display name, what changed in words (changed_field_keys); the filters go
// to the server as the request's fields (the actor as the table shows it, the
// time range as timestamps), a range that ends before it starts is refused
// before sending, and an event's History button narrows the list to its object.
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
const CREDENTIAL = '01890000-0000-7000-8000-0000000000a1';

function renderAudit(path = '/') {
  const sent: ListAuditEventsRequest[] = [];
  renderWithApi(<AuditScreen />, (router) => {
    router.service(AccessService, {
      listResellers: () => ({ resellers: [{ resellerId: RESELLER, name: 'Acme Telecom' }] }),
    });
    router.service(AuditService, {
      listAuditEvents: (req) => {
        sent.push(req);
        return {
          events: [create(AuditEventSchema, {
            eventId: 'e1', time: timestampFromDate(new Date('2026-11-20T10:00:00Z')), requestId: 'r1', actorCredentialId: CREDENTIAL,
            actorClientId: 'ck_acme', actorDisplayName: 'Acme API', resellerId: RESELLER, method: 'reseller.v1.ClientService/RegisterClient', objectType: 'Client',
            objectId: CLIENT, label: 'Boulangerie Lefèvre', action: AuditAction.CREATE, changedFields: ['name', 'code', 'reseller'], changedFieldKeys: ['code', 'name', 'resellerId'],
          }), create(AuditEventSchema, {
            eventId: 'e0', time: timestampFromDate(new Date('2026-11-19T10:00:00Z')), actorClientId: 'system', method: 'job:interfaces.install',
            objectType: 'ShopInterface', objectId: 'k1', label: 'SHOP-42', action: AuditAction.UPDATE, changedFieldKeys: ['installTime', 'status'],
          })],
          nextPageToken: '',
        };
      },
    });
  }, { path });
  return sent;
}

describe('audit trail', () => {
  it('lists events with action, object by name, method, changed fields in words, reseller and actor by name', async () => {
    renderAudit();
    const table = await screen.findByRole('table', { name: 'Audit events' });
    const [row, job] = within(table).getAllByRole('row').slice(1);
    expect(row!.textContent).toContain('Create');
    expect(within(row!).getByRole('link', { name: 'Boulangerie Lefèvre' }).getAttribute('href')).toBe(`/clients/${CLIENT}`);
    expect(row!.textContent).not.toContain(CLIENT.split('-').pop());
    // What the call did and what changed, in words (the method's name stays in its title).
    expect(row!.textContent).toContain('Registered the client');
    expect(within(row!).getByTitle('ClientService/RegisterClient')).toBeTruthy();
    expect(row!.textContent).toContain('Code, Name, Reseller');
    await waitFor(() => expect(row!.textContent).toContain('Acme Telecom'));
    expect(within(row!).getByRole('button', { name: 'Acme API' })).toBeTruthy();
    // A background job's step, on the interface it moved.
    expect(within(job!).getByRole('link', { name: 'SHOP-42' }).getAttribute('href')).toBe('/interfaces/k1');
    expect(job!.textContent).toContain('Installed the interface (background job)');
    expect(job!.textContent).toContain('Installation, Status');
    expect(job!.textContent).toContain('System (background job)');
  });

  it('filters by the actor the table shows (its display name), sent as the request\'s actor', async () => {
    const sent = renderAudit();
    const table = await screen.findByRole('table', { name: 'Audit events' });
    await userEvent.click(within(table).getByRole('button', { name: 'Acme API' }));
    expect((screen.getByLabelText('Made by') as HTMLInputElement).value).toBe('Acme API');
    await waitFor(() => expect(sent.at(-1)!.actor).toBe('Acme API'));
  });

  it('sends the filters from the address: reseller, object type, object id, actor and the time range', async () => {
    const sent = renderAudit(`/?reseller=${RESELLER}&type=Client&object=${CLIENT}&actor=admin&from=2026-11-01T00:00&to=2026-11-30T00:00`);
    await screen.findByRole('table', { name: 'Audit events' });
    const req = sent.at(-1)!;
    expect(req).toMatchObject({ resellerId: RESELLER, objectType: 'Client', objectId: CLIENT, actor: 'admin', actorCredentialId: '' });
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

  it('narrows to one object\'s history from its row', async () => {
    const sent = renderAudit();
    await userEvent.click(await screen.findByRole('button', { name: 'Show the history of Boulangerie Lefèvre' }));
    expect((screen.getByLabelText('Object id') as HTMLInputElement).value).toBe(CLIENT);
    await waitFor(() => expect(sent.at(-1)).toMatchObject({ objectType: 'Client', objectId: CLIENT }));
    // Said by name, with a way back to every object.
    expect(await screen.findByText(/^The history of Client Boulangerie Lefèvre\./)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Every object' }));
    await waitFor(() => expect(sent.at(-1)).toMatchObject({ objectType: '', objectId: '' }));
  });
});
