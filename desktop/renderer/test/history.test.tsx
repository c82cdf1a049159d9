// An object's History tab: the audit trail of that object (its type and id
// sent to ListAuditEvents), newest first as the server gives it, with who,
// when, what the call did and the changed fields in words (the event's
// changed_field_keys, translated); who by the credential's display name; a
// background job's step reads as such.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AuditAction, AuditEventSchema, AuditService, type ListAuditEventsRequest } from '@gen/reseller/v1/audit_pb.js';
import { HistoryTab } from '../src/screens/audit/HistoryTab.tsx';
import { renderWithApi } from './render.tsx';

const CLIENT = '01890000-0000-7000-8000-0000000000c1';

function renderHistory(language: 'en' | 'fr') {
  const sent: ListAuditEventsRequest[] = [];
  renderWithApi(<HistoryTab objectType="Client" objectId={CLIENT} name="Boulangerie Lefèvre" />, (router) => {
    router.service(AuditService, {
      listAuditEvents: (req) => {
        sent.push(req);
        return {
          events: [
            create(AuditEventSchema, { eventId: 'e2', time: timestampFromDate(new Date('2026-11-21T10:00:00Z')), actorClientId: 'ck_support', actorDisplayName: 'Support desk', method: 'reseller.v1.ClientService/UpdateClient', objectType: 'Client', objectId: CLIENT, action: AuditAction.UPDATE, changedFields: ['name'], changedFieldKeys: ['name'] }),
            create(AuditEventSchema, { eventId: 'e1', time: timestampFromDate(new Date('2026-11-20T10:00:00Z')), actorClientId: 'system', method: 'job:interfaces.install', objectType: 'Client', objectId: CLIENT, action: AuditAction.UPDATE, changedFields: ['installedAt'], changedFieldKeys: ['installTime', 'status'] }),
          ],
        };
      },
    });
  }, { language });
  return sent;
}

describe('history tab', () => {
  it('asks for the object\'s events and shows who, when, what and which fields, in words', async () => {
    const sent = renderHistory('en');
    const table = await screen.findByRole('table', { name: 'History of Boulangerie Lefèvre' });
    expect(sent[0]).toMatchObject({ objectType: 'Client', objectId: CLIENT });
    const [latest, first] = within(table).getAllByRole('row').slice(1);
    expect(within(latest!).getByTitle('ck_support').textContent).toBe('Support desk');
    expect(latest!.textContent).toContain('Changed the client');
    expect(within(latest!).getAllByRole('cell').at(-1)!.textContent).toBe('Name');
    expect(first!.textContent).toContain('System (background job)');
    expect(first!.textContent).toContain('Installed the interface (background job)');
    expect(within(first!).getAllByRole('cell').at(-1)!.textContent).toBe('Installation, Status');
    expect(screen.getByRole('link', { name: 'Open in the audit trail' }).getAttribute('href')).toBe(`/audit?type=Client&object=${CLIENT}`);
  });

  it('reads in French', async () => {
    renderHistory('fr');
    const table = await screen.findByRole('table', { name: 'Historique de Boulangerie Lefèvre' });
    const latest = within(table).getAllByRole('row')[1]!;
    expect(latest.textContent).toContain('A modifié le client');
    expect(latest.textContent).toContain('Modification');
    expect(within(latest).getAllByRole('cell').at(-1)!.textContent).toBe('Nom');
    const first = within(table).getAllByRole('row')[2]!;
    expect(first.textContent).toContain('A installé l’interface (tâche de fond)');
    expect(within(first).getAllByRole('cell').at(-1)!.textContent).toBe('Installation, Statut');
  });
});
