// The PBX devices of one account: link one of the client's equipment (by its
// PBX device id), assign it as a softphone seat of a client type, unassign,
// unlink. A seat beyond the client's included ones costs money: the server
// refuses the assignment (CHARGES_NOT_ACCEPTED) with the itemised charge, the
// console shows it and resends with acceptCharges only once it is accepted.
import { useState } from 'react';
import { ConnectError } from '@connectrpc/connect';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { ClientService, ClientStatus, type Client } from '@gen/reseller/v1/clients_pb.js';
import {
  ChargeBreakdownSchema, DeviceService, SoftphoneClientType, type ChargeBreakdown, type Device,
} from '@gen/reseller/v1/devices_pb.js';
import { formatMoney, formatTime } from '../../api/format.ts';
import { useInvalidate } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import { Form, SelectField, useForm, type Option } from '../../ui/form.tsx';
import { QueryView } from '../../ui/States.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';

export const clientTypeLabels: Record<SoftphoneClientType, string> = {
  [SoftphoneClientType.UNSPECIFIED]: '',
  [SoftphoneClientType.DESKTOP]: 'Desktop',
  [SoftphoneClientType.MOBILE]: 'Mobile',
  [SoftphoneClientType.WEBRTC]: 'WebRTC',
  [SoftphoneClientType.CRM]: 'CRM',
};

const clientTypeOptions: Option[] = [
  { value: '', label: 'Choose a client type…' },
  ...[SoftphoneClientType.DESKTOP, SoftphoneClientType.MOBILE, SoftphoneClientType.WEBRTC, SoftphoneClientType.CRM]
    .map((t) => ({ value: String(t), label: clientTypeLabels[t] })),
];

/** The charge the server asks to accept, if this error is that refusal. */
export function chargeToAccept(error: unknown): ChargeBreakdown | undefined {
  if (!(error instanceof ConnectError)) return undefined;
  return error.findDetails(ChargeBreakdownSchema)[0];
}

export function DevicesPanel({ client, accountId, accountName }: { client: Client; accountId: string; accountName: string }) {
  const [linking, setLinking] = useState(false);
  const [assigningId, setAssigningId] = useState<string>();
  const list = useQuery(DeviceService.method.listAccountDevices, { clientId: client.clientId, accountId });
  const invalidate = useInvalidate(DeviceService);
  const unassign = useMutation(DeviceService.method.unassignDevice);
  const unlink = useMutation(DeviceService.method.unlinkDevice);
  const active = client.status === ClientStatus.ACTIVE;
  const ids = { clientId: client.clientId, accountId };

  const columns: Column<Device>[] = [
    { header: 'PBX device id', cell: (d) => <code>{d.deviceId}</code> },
    { header: 'Seat', cell: (d) => d.clientType ? <Badge tone="ok">{clientTypeLabels[d.clientType]}</Badge> : <Badge tone="off">Not assigned</Badge> },
    { header: 'Linked', cell: (d) => formatTime(d.linkTime), className: 'nowrap' },
    { header: 'Assigned', cell: (d) => formatTime(d.assignTime), className: 'nowrap' },
    {
      header: 'Actions', changes: true,
      cell: (d) => (
        <span className="row-actions">
          {d.clientType ? (
            <ConfirmButton small label="Unassign" accessibleLabel={`Unassign ${d.deviceId}`} title={`Unassign ${d.deviceId}?`} confirmLabel="Unassign device" disabled={!active}
              onConfirm={async () => { await unassign.mutateAsync({ ...ids, deviceId: d.deviceId }); await invalidate(); }}>
              <p>The device stops being a {clientTypeLabels[d.clientType]} seat of {accountName}. It stays linked.</p>
            </ConfirmButton>
          ) : (
            <button type="button" className="btn btn-small" onClick={() => setAssigningId(d.deviceId)} disabled={!active} aria-label={`Assign ${d.deviceId}`}>Assign</button>
          )}
          <ConfirmButton small label="Unlink" accessibleLabel={`Unlink ${d.deviceId}`} title={`Unlink ${d.deviceId}?`} confirmLabel="Unlink device" disabled={!active}
            onConfirm={async () => { await unlink.mutateAsync({ ...ids, deviceId: d.deviceId }); await invalidate(); }}>
            <p>The device is no longer linked to {accountName}{d.clientType ? ' and its seat is released' : ''}.</p>
          </ConfirmButton>
        </span>
      ),
    },
  ];
  return (
    <div className="subsection">
      <div className="subsection-header">
        <h4>Devices</h4>
        <IfMayChange><button type="button" className="btn btn-small" onClick={() => setLinking(true)} disabled={!active}>Link device</button></IfMayChange>
      </div>
      <QueryView query={list} what="devices" isEmpty={(d) => d.devices.length === 0} empty={<p>No device linked to {accountName}.</p>}>
        {(data) => <DataTable caption={`Devices of ${accountName}`} columns={columns} rows={data.devices} rowKey={(d) => d.deviceId} />}
      </QueryView>
      {linking && <LinkDeviceDialog client={client} accountId={accountId} linked={list.data?.devices ?? []} onClose={() => setLinking(false)} />}
      {assigningId && <AssignDeviceDialog clientId={client.clientId} accountId={accountId} deviceId={assigningId} onClose={() => setAssigningId(undefined)} />}
    </div>
  );
}

export function LinkDeviceDialog({ client, accountId, linked, onClose }: { client: Client; accountId: string; linked: readonly Device[]; onClose: () => void }) {
  const equipment = useQuery(ClientService.method.listEquipment, { clientId: client.clientId, pageSize: 200 });
  const invalidate = useInvalidate(DeviceService);
  const link = useMutation(DeviceService.method.linkDevice);
  const form = useForm({
    initial: { deviceId: '' },
    labels: { deviceId: 'Equipment' },
    required: ['deviceId'],
    reasonFields: { DEVICE_NOT_FOUND: 'deviceId', DEVICE_ALREADY_LINKED: 'deviceId' },
    submit: async (v) => {
      await link.mutateAsync({ clientId: client.clientId, accountId, deviceId: v.deviceId });
      await invalidate();
      onClose();
    },
  });
  const taken = new Set(linked.map((d) => d.deviceId));
  const choices = (equipment.data?.equipment ?? []).filter((e) => e.pbxDeviceId && !taken.has(e.pbxDeviceId));
  const options: Option[] = [
    { value: '', label: choices.length ? 'Choose equipment…' : 'No equipment with a PBX device id' },
    ...choices.map((e) => ({ value: e.pbxDeviceId, label: `${e.label || e.serialNumber || 'Equipment'} (${e.pbxDeviceId})` })),
  ];
  return (
    <Dialog title="Link device" onClose={onClose}>
      <Form form={form} submitLabel="Link device" onCancel={onClose}>
        <SelectField name="deviceId" options={options} autoFocus hint="The client's equipment that has a PBX device id." />
        {equipment.isError && <ErrorNotice error={equipment.error} title="Could not load the client's equipment" />}
      </Form>
    </Dialog>
  );
}

export function AssignDeviceDialog({ clientId, accountId, deviceId, onClose }: { clientId: string; accountId: string; deviceId: string; onClose: () => void }) {
  const [charge, setCharge] = useState<{ breakdown: ChargeBreakdown; clientType: SoftphoneClientType }>();
  const [accepting, setAccepting] = useState(false);
  const [acceptError, setAcceptError] = useState<unknown>(null);
  const invalidate = useInvalidate(DeviceService);
  const assign = useMutation(DeviceService.method.assignDevice);
  const form = useForm({
    initial: { clientType: '' },
    labels: { clientType: 'Client type' },
    required: ['clientType'],
    submit: async (v) => {
      const clientType = Number(v.clientType) as SoftphoneClientType;
      try {
        await assign.mutateAsync({ clientId, accountId, deviceId, clientType });
      } catch (error) {
        const breakdown = chargeToAccept(error);
        if (!breakdown) throw error;
        setCharge({ breakdown, clientType });
        return;
      }
      await invalidate();
      onClose();
    },
  });
  const accept = async () => {
    setAccepting(true);
    setAcceptError(null);
    try {
      await assign.mutateAsync({ clientId, accountId, deviceId, clientType: charge!.clientType, acceptCharges: true });
      await invalidate();
      onClose();
    } catch (error) {
      setAcceptError(error);
    } finally {
      setAccepting(false);
    }
  };
  if (charge) {
    return (
      <Dialog key="charge" title="Accept the charge?" onClose={onClose} role="alertdialog" wide>
        <p>This seat is beyond the ones included for the client: assigning {deviceId} as a {clientTypeLabels[charge.clientType]} seat is charged.</p>
        <ChargeTable breakdown={charge.breakdown} />
        {acceptError !== null && <ErrorNotice error={acceptError} />}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} data-autofocus disabled={accepting}>Cancel</button>
          <button type="button" className="btn btn-primary" onClick={() => void accept()} disabled={accepting}>
            {accepting ? 'Working…' : `Accept ${formatMoney(charge.breakdown.total)} and assign`}
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={`Assign ${deviceId}`} onClose={onClose}>
      <Form form={form} submitLabel="Assign device" onCancel={onClose}>
        <SelectField name="clientType" options={clientTypeOptions} autoFocus hint="The softphone this seat is for." />
      </Form>
    </Dialog>
  );
}

export function ChargeTable({ breakdown }: { breakdown: ChargeBreakdown }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Charge</caption>
        <thead>
          <tr><th scope="col">Description</th><th scope="col" className="num">Quantity</th><th scope="col" className="num">Unit price</th><th scope="col" className="num">Total</th></tr>
        </thead>
        <tbody>
          {breakdown.items.map((item, i) => (
            <tr key={i}>
              <td>{item.description}{item.offeringCode && <> <code>{item.offeringCode}</code></>}</td>
              <td className="num">{item.quantity}</td>
              <td className="num money">{formatMoney(item.unitPrice)}</td>
              <td className="num money">{formatMoney(item.total)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr><th scope="row" colSpan={3}>Total</th><td className="num money" data-testid="charge-total"><strong>{formatMoney(breakdown.total)}</strong></td></tr>
        </tfoot>
      </table>
    </div>
  );
}
