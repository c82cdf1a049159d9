// The PBX devices of one account: link one of the client's equipment (by its
// PBX device id), assign it as a softphone seat of a client type, unassign,
// unlink. A seat beyond the client's included ones costs money: the server
// refuses the assignment (CHARGES_NOT_ACCEPTED) with the itemised charge, the
// console shows it and resends with acceptCharges only once it is accepted.
// Linking can be undone at once (unlinking a device that has no seat yet).
import { useState } from 'react';
import { ConnectError } from '@connectrpc/connect';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { ClientService, type Client } from '@gen/reseller/v1/clients_pb.js';
import {
  ChargeBreakdownSchema, DeviceService, SoftphoneClientType, type ChargeBreakdown, type Device,
} from '@gen/reseller/v1/devices_pb.js';
import type { TFunction } from 'i18next';
import { useInvalidate } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { tr, type MessageKey } from '../../i18n/keys.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import { Form, SelectField, useForm, type Option } from '../../ui/form.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { QueryView } from '../../ui/States.tsx';
import { useInactiveReason } from '../clients/inactive.ts';

export const clientTypeLabels: Record<SoftphoneClientType, MessageKey> = {
  [SoftphoneClientType.UNSPECIFIED]: 'devices.types.unspecified',
  [SoftphoneClientType.DESKTOP]: 'devices.types.desktop',
  [SoftphoneClientType.MOBILE]: 'devices.types.mobile',
  [SoftphoneClientType.WEBRTC]: 'devices.types.webrtc',
  [SoftphoneClientType.CRM]: 'devices.types.crm',
};

function clientTypeOptions(t: TFunction): Option[] {
  return [
    { value: '', label: t('devices.types.choose') },
    ...[SoftphoneClientType.DESKTOP, SoftphoneClientType.MOBILE, SoftphoneClientType.WEBRTC, SoftphoneClientType.CRM]
      .map((type) => ({ value: String(type), label: tr(t, clientTypeLabels[type]) })),
  ];
}

/** The charge the server asks to accept, if this error is that refusal. */
export function chargeToAccept(error: unknown): ChargeBreakdown | undefined {
  if (!(error instanceof ConnectError)) return undefined;
  return error.findDetails(ChargeBreakdownSchema)[0];
}

export function DevicesPanel({ client, accountId, accountName }: { client: Client; accountId: string; accountName: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const [linking, setLinking] = useState(false);
  const [assigningId, setAssigningId] = useState<string>();
  const list = useQuery(DeviceService.method.listAccountDevices, { clientId: client.clientId, accountId });
  const invalidate = useInvalidate(DeviceService);
  const unassign = useMutation(DeviceService.method.unassignDevice);
  const unlink = useMutation(DeviceService.method.unlinkDevice);
  const link = useMutation(DeviceService.method.linkDevice);
  const inactive = useInactiveReason(client);
  const ids = { clientId: client.clientId, accountId };

  const columns: Column<Device>[] = [
    { header: t('devices.columns.deviceId'), cell: (d) => <code>{d.deviceId}</code> },
    { header: t('devices.columns.seat'), cell: (d) => d.clientType ? <Badge tone="ok">{tr(t, clientTypeLabels[d.clientType])}</Badge> : <Badge tone="off">{t('devices.notAssigned')}</Badge> },
    { header: t('devices.columns.linked'), cell: (d) => format.time(d.linkTime), className: 'nowrap' },
    { header: t('devices.columns.assigned'), cell: (d) => format.time(d.assignTime), className: 'nowrap' },
    {
      header: t('common.actions'), changes: true,
      cell: (d) => (
        <span className="row-actions">
          {d.clientType ? (
            <ConfirmButton small label={t('devices.unassign')} accessibleLabel={t('devices.unassignNamed', { device: d.deviceId })} title={t('devices.unassignTitle', { device: d.deviceId })}
              confirmLabel={t('devices.unassignConfirm')} disabledReason={inactive}
              onConfirm={async () => {
                await unassign.mutateAsync({ ...ids, deviceId: d.deviceId });
                await invalidate();
                notify({ message: t('devices.notify.unassigned', { device: d.deviceId }) });
              }}>
              <p>{t('devices.unassignText', { type: tr(t, clientTypeLabels[d.clientType]), account: accountName })}</p>
            </ConfirmButton>
          ) : (
            <Button className="btn btn-small" onClick={() => setAssigningId(d.deviceId)} disabledReason={inactive} aria-label={t('devices.assignNamed', { device: d.deviceId })}>{t('devices.assign')}</Button>
          )}
          <ConfirmButton small label={t('devices.unlink')} accessibleLabel={t('devices.unlinkNamed', { device: d.deviceId })} title={t('devices.unlinkTitle', { device: d.deviceId })}
            confirmLabel={t('devices.unlinkConfirm')} disabledReason={inactive}
            onConfirm={async () => {
              await unlink.mutateAsync({ ...ids, deviceId: d.deviceId });
              await invalidate();
              // Linking again undoes an unlink; a seat it had is not given back (it may cost).
              notify({
                message: t('devices.notify.unlinked', { device: d.deviceId }),
                ...(d.clientType ? {} : {
                  undo: async () => { await link.mutateAsync({ ...ids, deviceId: d.deviceId }); await invalidate(); },
                  undone: t('devices.notify.linked', { device: d.deviceId }),
                }),
              });
            }}>
            <p>{d.clientType ? t('devices.unlinkTextSeat', { account: accountName }) : t('devices.unlinkText', { account: accountName })}</p>
          </ConfirmButton>
        </span>
      ),
    },
  ];
  return (
    <div className="subsection">
      <div className="subsection-header">
        <h3>{t('devices.title')}</h3>
        <IfMayChange><Button className="btn btn-small" onClick={() => setLinking(true)} disabledReason={inactive}>{t('devices.link')}</Button></IfMayChange>
      </div>
      <QueryView query={list} what={t('devices.what')} isEmpty={(d) => d.devices.length === 0} empty={<p>{t('devices.empty', { account: accountName })}</p>}>
        {(data) => <DataTable caption={t('devices.caption', { account: accountName })} columns={columns} rows={data.devices} rowKey={(d) => d.deviceId} />}
      </QueryView>
      {linking && <LinkDeviceDialog client={client} accountId={accountId} linked={list.data?.devices ?? []} onClose={() => setLinking(false)} />}
      {assigningId && <AssignDeviceDialog clientId={client.clientId} accountId={accountId} deviceId={assigningId} onClose={() => setAssigningId(undefined)} />}
    </div>
  );
}

export function LinkDeviceDialog({ client, accountId, linked, onClose }: { client: Client; accountId: string; linked: readonly Device[]; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const equipment = useQuery(ClientService.method.listEquipment, { clientId: client.clientId, pageSize: 200 });
  const invalidate = useInvalidate(DeviceService);
  const link = useMutation(DeviceService.method.linkDevice);
  const unlink = useMutation(DeviceService.method.unlinkDevice);
  const form = useForm({
    initial: { deviceId: '' },
    labels: { deviceId: t('devices.fields.equipment') },
    required: ['deviceId'],
    reasonFields: { DEVICE_NOT_FOUND: 'deviceId', DEVICE_ALREADY_LINKED: 'deviceId' },
    submit: async (v) => {
      const ids = { clientId: client.clientId, accountId, deviceId: v.deviceId };
      await link.mutateAsync(ids);
      await invalidate();
      notify({
        message: t('devices.notify.linked', { device: v.deviceId }),
        undo: async () => { await unlink.mutateAsync(ids); await invalidate(); },
        undone: t('devices.notify.unlinked', { device: v.deviceId }),
      });
      onClose();
    },
  });
  const taken = new Set(linked.map((d) => d.deviceId));
  const choices = (equipment.data?.equipment ?? []).filter((e) => e.pbxDeviceId && !taken.has(e.pbxDeviceId));
  const options: Option[] = [
    { value: '', label: choices.length ? t('devices.fields.chooseEquipment') : t('devices.fields.noEquipment') },
    ...choices.map((e) => ({ value: e.pbxDeviceId, label: `${e.label || e.serialNumber || t('devices.fields.unnamed')} (${e.pbxDeviceId})` })),
  ];
  return (
    <Dialog title={t('devices.link')} onClose={onClose}>
      <Form form={form} submitLabel={t('devices.link')} onCancel={onClose}>
        <SelectField name="deviceId" options={options} autoFocus hint={t('devices.fields.equipmentHint')} />
        {equipment.isError && <ErrorNotice error={equipment.error} title={t('devices.fields.equipmentNotLoaded')} />}
      </Form>
    </Dialog>
  );
}

export function AssignDeviceDialog({ clientId, accountId, deviceId, onClose }: { clientId: string; accountId: string; deviceId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const [charge, setCharge] = useState<{ breakdown: ChargeBreakdown; clientType: SoftphoneClientType }>();
  const [accepting, setAccepting] = useState(false);
  const [acceptError, setAcceptError] = useState<unknown>(null);
  const invalidate = useInvalidate(DeviceService);
  const assign = useMutation(DeviceService.method.assignDevice);
  const assigned = async (clientType: SoftphoneClientType) => {
    await invalidate();
    notify({ message: t('devices.notify.assigned', { device: deviceId, type: tr(t, clientTypeLabels[clientType]) }) });
    onClose();
  };
  const form = useForm({
    initial: { clientType: '' },
    labels: { clientType: t('devices.fields.clientType') },
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
      await assigned(clientType);
    },
  });
  const accept = async () => {
    setAccepting(true);
    setAcceptError(null);
    try {
      await assign.mutateAsync({ clientId, accountId, deviceId, clientType: charge!.clientType, acceptCharges: true });
      await assigned(charge!.clientType);
    } catch (error) {
      setAcceptError(error);
    } finally {
      setAccepting(false);
    }
  };
  if (charge) {
    return (
      <Dialog key="charge" title={t('devices.charge.title')} onClose={onClose} role="alertdialog" wide>
        <p>{t('devices.charge.text', { device: deviceId, type: tr(t, clientTypeLabels[charge.clientType]) })}</p>
        <ChargeTable breakdown={charge.breakdown} />
        {acceptError !== null && <ErrorNotice error={acceptError} />}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} data-autofocus disabled={accepting}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-primary" onClick={() => void accept()} disabled={accepting}>
            {accepting ? t('common.working') : t('devices.charge.accept', { total: format.money(charge.breakdown.total) })}
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={t('devices.assignTitle', { device: deviceId })} onClose={onClose}>
      <Form form={form} submitLabel={t('devices.assignConfirm')} onCancel={onClose}>
        <SelectField name="clientType" options={clientTypeOptions(t)} autoFocus hint={t('devices.fields.clientTypeHint')} />
      </Form>
    </Dialog>
  );
}

export function ChargeTable({ breakdown }: { breakdown: ChargeBreakdown }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{t('devices.charge.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('charges.columns.description')}</th><th scope="col" className="num">{t('charges.columns.quantity')}</th>
            <th scope="col" className="num">{t('charges.columns.unitPrice')}</th><th scope="col" className="num">{t('charges.columns.total')}</th>
          </tr>
        </thead>
        <tbody>
          {breakdown.items.map((item, i) => (
            <tr key={i}>
              <td>{item.description}{item.offeringCode && <> <code>{item.offeringCode}</code></>}</td>
              <td className="num">{format.number(item.quantity)}</td>
              <td className="num money">{format.money(item.unitPrice)}</td>
              <td className="num money">{format.money(item.total)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr><th scope="row" colSpan={3}>{t('charges.columns.total')}</th><td className="num money" data-testid="charge-total"><strong>{format.money(breakdown.total)}</strong></td></tr>
        </tfoot>
      </table>
    </div>
  );
}
