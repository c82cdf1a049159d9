// The forms of the client screens: register and edit a client, create and
// rename a site, add and edit equipment. Creates carry a request id (one per
// dialog opened: a retried submit creates nothing twice); edits carry the etag
// that was read, so a change made meanwhile by someone else is refused
// (aborted) instead of silently overwritten.
import { useState } from 'react';
import { useMutation } from '@connectrpc/connect-query';
import {
  ClientService, EquipmentKind, type Client, type Equipment, type Site,
} from '@gen/reseller/v1/clients_pb.js';
import { newRequestId, useInvalidate } from '../../api/lists.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import { Form, ReloadLatestButton, SelectField, TextField, useForm } from '../../ui/form.tsx';
import { resellerOptions, useResellerChoices } from '../resellers/resellers.ts';
import { kindLabels, kindOptions } from './labels.ts';

const CODE_HINT = '1 to 64 letters, digits, “.”, “_” or “-”; unique for the reseller.';

export function RegisterClientDialog({ resellerId, onClose, onRegistered }: {
  resellerId: string;
  onClose: () => void;
  onRegistered: (client: Client) => void;
}) {
  const [requestId] = useState(newRequestId);
  const resellers = useResellerChoices();
  const invalidate = useInvalidate(ClientService);
  const register = useMutation(ClientService.method.registerClient);
  const form = useForm({
    initial: { resellerId, name: '', code: '' },
    labels: { resellerId: 'Reseller', name: 'Name', code: 'Code' },
    required: ['resellerId', 'name', 'code'],
    reasonFields: { CLIENT_CODE_EXISTS: 'code', RESELLER_NOT_FOUND: 'resellerId' },
    submit: async (v) => {
      const answer = await register.mutateAsync({ ...v, requestId });
      await invalidate();
      onRegistered(answer.client!);
    },
  });
  return (
    <Dialog title="Register client" onClose={onClose}>
      <Form form={form} submitLabel="Register client" onCancel={onClose}>
        <SelectField name="resellerId" options={resellerOptions(resellers.data?.resellers ?? [], 'Choose a reseller…')} autoFocus={!resellerId} />
        {resellers.isError && <ErrorNotice error={resellers.error} title="Could not load the resellers to choose from" />}
        <TextField name="name" autoFocus={Boolean(resellerId)} hint="The customer's name, for example “Boulangerie Martin”." />
        <TextField name="code" mono hint={CODE_HINT} />
      </Form>
    </Dialog>
  );
}

export function EditClientDialog({ client, onClose, onReload }: { client: Client; onClose: () => void; onReload: () => void }) {
  const invalidate = useInvalidate(ClientService);
  const update = useMutation(ClientService.method.updateClient);
  const form = useForm({
    initial: { name: client.name, code: client.code },
    labels: { name: 'Name', code: 'Code' },
    required: ['name', 'code'],
    reasonFields: { CLIENT_CODE_EXISTS: 'code' },
    submit: async (v) => {
      await update.mutateAsync({
        clientId: client.clientId,
        // Only what changed: the etag guards the rest.
        name: v.name !== client.name ? v.name : undefined,
        code: v.code !== client.code ? v.code : undefined,
        etag: client.etag,
      });
      await invalidate();
      onClose();
    },
  });
  return (
    <Dialog title={`Edit ${client.name}`} onClose={onClose}>
      <Form form={form} submitLabel="Save changes" onCancel={onClose}
        extraActions={<ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        <TextField name="name" autoFocus />
        <TextField name="code" mono hint={CODE_HINT} />
      </Form>
    </Dialog>
  );
}

export function SiteDialog({ clientId, site, onClose, onReload }: { clientId: string; site?: Site; onClose: () => void; onReload: () => void }) {
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(ClientService);
  const createSite = useMutation(ClientService.method.createSite);
  const updateSite = useMutation(ClientService.method.updateSite);
  const form = useForm({
    initial: { name: site?.name ?? '' },
    labels: { name: 'Site name' },
    required: ['name'],
    submit: async (v) => {
      if (site) await updateSite.mutateAsync({ siteId: site.siteId, name: v.name, etag: site.etag });
      else await createSite.mutateAsync({ clientId, name: v.name, requestId });
      await invalidate();
      onClose();
    },
  });
  return (
    <Dialog title={site ? `Rename ${site.name}` : 'Add site'} onClose={onClose}>
      <Form form={form} submitLabel={site ? 'Rename site' : 'Add site'} onCancel={onClose}
        extraActions={<ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        <TextField name="name" autoFocus hint="A place where the client has equipment, for example “Head office”." />
      </Form>
    </Dialog>
  );
}

export function EquipmentDialog({ sites, equipment, defaultSiteId, onClose, onReload }: {
  sites: readonly Site[];
  equipment?: Equipment;
  defaultSiteId?: string;
  onClose: () => void;
  onReload: () => void;
}) {
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(ClientService);
  const add = useMutation(ClientService.method.addEquipment);
  const update = useMutation(ClientService.method.updateEquipment);
  const initial = {
    siteId: equipment?.siteId ?? defaultSiteId ?? sites[0]?.siteId ?? '',
    kind: equipment ? String(equipment.kind) : '',
    label: equipment?.label ?? '',
    pbxDeviceId: equipment?.pbxDeviceId ?? '',
    smartphoneId: equipment?.smartphoneId ?? '',
    serialNumber: equipment?.serialNumber ?? '',
  };
  const form = useForm({
    initial,
    labels: { siteId: 'Site', kind: 'Kind', label: 'Label', pbxDeviceId: 'PBX device id', smartphoneId: 'Smartphone model', serialNumber: 'Serial number' },
    required: equipment ? ['siteId'] : ['siteId', 'kind'],
    reasonFields: { PBX_DEVICE_EXISTS: 'pbxDeviceId', SITE_OF_ANOTHER_CLIENT: 'siteId', SITE_NOT_FOUND: 'siteId' },
    submit: async (v) => {
      if (equipment) {
        const changed = (field: keyof typeof initial) => (v[field] !== initial[field] ? v[field] : undefined);
        await update.mutateAsync({
          equipmentId: equipment.equipmentId,
          siteId: changed('siteId'),
          label: changed('label'),
          pbxDeviceId: changed('pbxDeviceId'),
          smartphoneId: changed('smartphoneId'),
          serialNumber: changed('serialNumber'),
          etag: equipment.etag,
        });
      } else {
        await add.mutateAsync({ ...v, kind: Number(v.kind) as EquipmentKind, requestId });
      }
      await invalidate();
      onClose();
    },
  });
  const siteOptions = sites.map((s) => ({ value: s.siteId, label: s.name }));
  return (
    <Dialog title={equipment ? `Edit ${equipment.label || kindLabels[equipment.kind]}` : 'Add equipment'} onClose={onClose}>
      <Form form={form} submitLabel={equipment ? 'Save changes' : 'Add equipment'} onCancel={onClose}
        extraActions={<ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        <SelectField name="siteId" options={siteOptions} hint={equipment ? 'Choose another site to move it there.' : undefined} />
        {equipment
          ? <p className="field-static"><span className="label">Kind</span> {kindLabels[equipment.kind]}</p>
          : <SelectField name="kind" options={kindOptions} autoFocus />}
        <TextField name="label" autoFocus={Boolean(equipment)} hint="To recognise it, for example “Reception desk”." />
        <TextField name="pbxDeviceId" mono hint="Its id on the communications platform, if it has one; unique for the reseller." />
        <TextField name="smartphoneId" mono hint="The catalog model, for smartphones bought through us." />
        <TextField name="serialNumber" mono />
      </Form>
    </Dialog>
  );
}
