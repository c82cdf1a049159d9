// Equipment names its smartphone by brand and model (the API's summary on the
// equipment, not its id) and picks it from the catalog (a select fed by
// ListSmartphones); the server's refusal of a smartphone it does not know
// (UNKNOWN_SMARTPHONE) shows next to that select.
import { describe, expect, it } from 'vitest';
import { Code } from '@connectrpc/connect';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { AuditService } from '@gen/reseller/v1/audit_pb.js';
import { CatalogService, SmartphoneSchema } from '@gen/reseller/v1/catalog_pb.js';
import {
  ClientSchema, ClientService, ClientStatus, EquipmentKind, EquipmentSchema, SiteSchema, type AddEquipmentRequest,
} from '@gen/reseller/v1/clients_pb.js';
import { ClientDetailScreen } from '../src/screens/clients/ClientDetailScreen.tsx';
import { apiError, errorNextTo, renderWithApi } from './render.tsx';

const client = create(ClientSchema, { clientId: 'c1', name: 'Boulangerie Martin', code: 'BM-001', status: ClientStatus.ACTIVE, etag: 'v1',
  sites: [create(SiteSchema, { siteId: 's1', clientId: 'c1', name: 'Siège', etag: 'v1' })] });
const galaxy = create(SmartphoneSchema, { smartphoneId: 'sp1', sku: 'SM-A55', brand: 'Samsung', model: 'Galaxy A55', storageGb: 128, colour: 'Navy' });
const pixel = create(SmartphoneSchema, { smartphoneId: 'sp2', sku: 'GP-8', brand: 'Google', model: 'Pixel 8', storageGb: 256, colour: 'Obsidian' });

function renderEquipment(sent: AddEquipmentRequest[], language: 'en' | 'fr' = 'en') {
  renderWithApi(<ClientDetailScreen />, (router) => {
    router.service(AccessService, { listResellers: () => ({ resellers: [] }) });
    router.service(AuditService, { listAuditEvents: () => ({ events: [] }) });
    router.service(CatalogService, { listSmartphones: () => ({ smartphones: [galaxy, pixel] }) });
    router.service(ClientService, {
      getClient: () => ({ client }),
      listEquipment: () => ({
        equipment: [create(EquipmentSchema, { equipmentId: 'e1', siteId: 's1', clientId: 'c1', kind: EquipmentKind.SMARTPHONE, label: 'Manager phone',
          smartphoneId: 'sp9', smartphone: { smartphoneId: 'sp9', sku: 'IP-15', brand: 'Apple', model: 'iPhone 15', storageGb: 128, colour: 'Black' } })],
      }),
      addEquipment: (req) => {
        sent.push(req);
        throw apiError(Code.InvalidArgument, 'UNKNOWN_SMARTPHONE', 'invalid request: smartphone sp2 is not in the catalog',
          [{ field: 'smartphoneId', description: 'is not a smartphone of the catalog', reason: 'UNKNOWN_SMARTPHONE' }]);
      },
    });
  }, { path: '/?tab=equipment', language });
}

describe('equipment', () => {
  it('shows a smartphone by brand and model, picks one from the catalog, and shows the server\'s refusal next to it', async () => {
    const sent: AddEquipmentRequest[] = [];
    renderEquipment(sent);
    const table = await screen.findByRole('table', { name: /Equipment of Boulangerie Martin/ });
    // Not in the catalog's first page, yet named by the equipment's own summary.
    expect(within(table).getByText('Apple iPhone 15 · 128 GB · Black')).toBeTruthy();
    expect(table.textContent).not.toContain('sp9');

    await userEvent.click(screen.getByRole('button', { name: 'Add equipment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add equipment' });
    const model = within(dialog).getByLabelText(/^Smartphone model/) as HTMLSelectElement;
    expect([...model.options].map((o) => o.textContent)).toEqual([
      'None', 'Google Pixel 8 · 256 GB · Obsidian (GP-8)', 'Samsung Galaxy A55 · 128 GB · Navy (SM-A55)',
    ]);
    await userEvent.selectOptions(within(dialog).getByLabelText(/^Kind/), String(EquipmentKind.SMARTPHONE));
    await userEvent.selectOptions(model, 'sp2');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add equipment' }));
    expect(await within(dialog).findByRole('alert')).toBeTruthy();
    expect(errorNextTo(model)).toBe('Smartphone model is not a smartphone of the catalog');
    expect(sent).toMatchObject([{ siteId: 's1', kind: EquipmentKind.SMARTPHONE, smartphoneId: 'sp2' }]);
  });

  it('names the smartphone in French too (Go, not GB)', async () => {
    renderEquipment([], 'fr');
    expect(await screen.findByText('Apple iPhone 15 · 128 Go · Black')).toBeTruthy();
  });
});
