// Devices on an account: linking offers only the client's equipment that has
// a PBX device id; an assignment the server refuses with CHARGES_NOT_ACCEPTED
// shows the itemised charge and is resent with acceptCharges only on confirm.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { ClientSchema, ClientService, ClientStatus, EquipmentSchema } from '@gen/reseller/v1/clients_pb.js';
import { ErrorDetailSchema } from '@gen/reseller/v1/common_pb.js';
import {
  ChargeBreakdownSchema, DeviceSchema, DeviceService, SoftphoneClientType, type AssignDeviceRequest, type LinkDeviceRequest,
} from '@gen/reseller/v1/devices_pb.js';
import { AssignDeviceDialog, DevicesPanel } from '../src/screens/devices/DevicesPanel.tsx';
import { fmt, renderWithApi } from './render.tsx';

const CLIENT = create(ClientSchema, { clientId: 'c1', name: 'Boulangerie', status: ClientStatus.ACTIVE });

function chargesNotAccepted(): ConnectError {
  const money = (amountMinor: bigint) => ({ amountMinor, currency: 'EUR' });
  const breakdown = create(ChargeBreakdownSchema, {
    items: [{ description: 'Extra softphone seat (Desktop)', offeringCode: 'SEAT', quantity: 1, unitPrice: money(4900n), total: money(4900n) }],
    total: money(4900n),
  });
  const detail = create(ErrorDetailSchema, { reason: 'CHARGES_NOT_ACCEPTED', domain: 'test' });
  return new ConnectError('assigning this device is charged: accept the charges to go on', Code.FailedPrecondition, undefined, [
    { desc: ErrorDetailSchema, value: detail }, { desc: ChargeBreakdownSchema, value: breakdown },
  ]);
}

describe('assigning a device', () => {
  function renderAssign() {
    const sent: AssignDeviceRequest[] = [];
    let closed = false;
    renderWithApi(<AssignDeviceDialog clientId="c1" accountId="a1" deviceId="pbx-100" onClose={() => { closed = true; }} />, (router) => {
      router.service(DeviceService, {
        assignDevice: (req) => {
          sent.push(req);
          if (!req.acceptCharges) throw chargesNotAccepted();
          return { device: create(DeviceSchema, { deviceId: req.deviceId, clientType: req.clientType }) };
        },
      });
    });
    return { sent, closed: () => closed };
  }

  it('asks for a client type before sending', async () => {
    const { sent } = renderAssign();
    const dialog = await screen.findByRole('dialog', { name: 'Assign pbx-100' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Assign device' }));
    expect(within(dialog).getByText('Client type is required')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it('shows the itemised charge the server asks to accept (CHARGES_NOT_ACCEPTED), and resends with acceptCharges on confirm', async () => {
    const { sent, closed } = renderAssign();
    const dialog = await screen.findByRole('dialog', { name: 'Assign pbx-100' });
    await userEvent.selectOptions(within(dialog).getByLabelText(/^Client type/), 'Desktop');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Assign device' }));

    const confirm = await screen.findByRole('alertdialog', { name: 'Accept the charge?' });
    const amount = '€49.00';
    const row = within(confirm).getByRole('row', { name: /Extra softphone seat/ });
    expect(row.textContent).toContain('SEAT');
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Extra softphone seat (Desktop) SEAT', '1', amount, amount]);
    expect(within(confirm).getByTestId('charge-total').textContent).toBe(amount);
    expect(sent.map((r) => r.acceptCharges)).toEqual([false]);
    // Cancel has the focus: nothing is charged on a reflex.
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));

    await userEvent.click(within(confirm).getByRole('button', { name: `Accept ${amount} and assign` }));
    await waitFor(() => expect(closed()).toBe(true));
    expect(sent.map((r) => [r.acceptCharges, r.clientType])).toEqual([[false, SoftphoneClientType.DESKTOP], [true, SoftphoneClientType.DESKTOP]]);
  });

  it('formats money from minor units with the currency\'s decimals', () => {
    expect(fmt.money({ amountMinor: 123456n, currency: 'EUR' })).toBe('€1,234.56');
    expect(fmt.money({ amountMinor: 500n, currency: 'JPY' })).toBe('¥500');
  });
});

describe('linking a device', () => {
  it('offers only the client\'s equipment with a PBX device id, and sends its PBX id', async () => {
    const linked: LinkDeviceRequest[] = [];
    renderWithApi(<DevicesPanel client={CLIENT} accountId="a1" accountName="Anna" />, (router) => {
      router.service(ClientService, {
        listEquipment: () => ({ equipment: [
          create(EquipmentSchema, { equipmentId: 'e1', label: 'Reception desk', pbxDeviceId: 'pbx-100' }),
          create(EquipmentSchema, { equipmentId: 'e2', label: 'Router', pbxDeviceId: '' }),
        ] }),
      });
      router.service(DeviceService, {
        listAccountDevices: () => ({ devices: linked.map((l) => create(DeviceSchema, { deviceId: l.deviceId, accountId: 'a1' })) }),
        linkDevice: (req) => { linked.push(req); return { device: create(DeviceSchema, { deviceId: req.deviceId }) }; },
      });
    });
    await screen.findByText('No device linked to Anna.');
    await userEvent.click(screen.getByRole('button', { name: 'Link device' }));
    const dialog = await screen.findByRole('dialog', { name: 'Link device' });
    const select = within(dialog).getByLabelText(/^Equipment/);
    await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose equipment…', 'Reception desk (pbx-100)']));
    await userEvent.selectOptions(select, 'pbx-100');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Link device' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(linked).toMatchObject([{ clientId: 'c1', accountId: 'a1', deviceId: 'pbx-100' }]);
    await screen.findByRole('button', { name: 'Assign pbx-100' });
  });
});
