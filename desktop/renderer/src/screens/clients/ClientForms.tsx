// The forms of the client screens: register and edit a client, create and
// rename a site, add and edit equipment. Creates carry a request id (one per
// dialog opened: a retried submit creates nothing twice); edits carry the etag
// that was read, so a change made meanwhile by someone else is refused
// (aborted) instead of silently overwritten. Each change is notified.
import { useState } from 'react';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { CatalogService, type SmartphoneSummary } from '@gen/reseller/v1/catalog_pb.js';
import {
  ClientService, EquipmentKind, type Client, type Equipment, type Site,
} from '@gen/reseller/v1/clients_pb.js';
import { newRequestId, useInvalidate } from '../../api/lists.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import { Form, ReloadLatestButton, SelectField, TextField, useForm } from '../../ui/form.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { useSmartphoneName } from '../../ui/references.tsx';
import { resellerOptions, useResellerChoices } from '../resellers/resellers.ts';
import { kindLabels, kindOptions } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

export function RegisterClientDialog({ resellerId, onClose, onRegistered }: {
  resellerId: string;
  onClose: () => void;
  onRegistered: (client: Client) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const resellers = useResellerChoices();
  const invalidate = useInvalidate(ClientService);
  const register = useMutation(ClientService.method.registerClient);
  const form = useForm({
    initial: { resellerId, name: '', code: '' },
    labels: { resellerId: t('clients.fields.reseller'), name: t('clients.fields.name'), code: t('clients.fields.code') },
    required: ['resellerId', 'name', 'code'],
    reasonFields: { CLIENT_CODE_EXISTS: 'code', RESELLER_NOT_FOUND: 'resellerId' },
    submit: async (v) => {
      const answer = await register.mutateAsync({ ...v, requestId });
      await invalidate();
      notify({ message: t('clients.notify.registered', { name: answer.client!.name }) });
      onRegistered(answer.client!);
    },
  });
  return (
    <Dialog title={t('clients.register')} onClose={onClose}>
      <Form form={form} submitLabel={t('clients.register')} onCancel={onClose}>
        <SelectField name="resellerId" options={resellerOptions(resellers.data?.resellers ?? [], t('common.chooseReseller'))} autoFocus={!resellerId} />
        {resellers.isError && <ErrorNotice error={resellers.error} title={t('common.resellersNotLoaded')} />}
        <TextField name="name" autoFocus={Boolean(resellerId)} hint={t('clients.fields.nameHint')} />
        <TextField name="code" mono hint={t('clients.fields.codeHint')} />
      </Form>
    </Dialog>
  );
}

export function EditClientDialog({ client, onClose, onReload }: { client: Client; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const invalidate = useInvalidate(ClientService);
  const update = useMutation(ClientService.method.updateClient);
  const form = useForm({
    initial: { name: client.name, code: client.code },
    labels: { name: t('clients.fields.name'), code: t('clients.fields.code') },
    required: ['name', 'code'],
    reasonFields: { CLIENT_CODE_EXISTS: 'code' },
    submit: async (v) => {
      const changed = { name: v.name !== client.name ? v.name : undefined, code: v.code !== client.code ? v.code : undefined };
      // Only what changed: the etag guards the rest.
      const answer = await update.mutateAsync({ clientId: client.clientId, ...changed, etag: client.etag });
      await invalidate();
      notify({
        message: t('clients.notify.saved', { name: answer.client?.name ?? v.name }),
        // The old values back (unless someone changed the client again since).
        undo: async () => {
          await update.mutateAsync({
            clientId: client.clientId, etag: answer.client?.etag ?? '',
            name: changed.name === undefined ? undefined : client.name, code: changed.code === undefined ? undefined : client.code,
          });
          await invalidate();
        },
        undone: t('clients.notify.restored', { name: client.name }),
      });
      onClose();
    },
  });
  return (
    <Dialog title={t('clients.editTitle', { name: client.name })} onClose={onClose}>
      <Form form={form} submitLabel={t('common.saveChanges')} onCancel={onClose}
        extraActions={<ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        <TextField name="name" autoFocus />
        <TextField name="code" mono hint={t('clients.fields.codeHint')} />
      </Form>
    </Dialog>
  );
}

export function SiteDialog({ clientId, site, onClose, onReload }: { clientId: string; site?: Site; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(ClientService);
  const createSite = useMutation(ClientService.method.createSite);
  const updateSite = useMutation(ClientService.method.updateSite);
  const deleteSite = useMutation(ClientService.method.deleteSite);
  const form = useForm({
    initial: { name: site?.name ?? '' },
    labels: { name: t('sites.fields.name') },
    required: ['name'],
    submit: async (v) => {
      if (site) {
        const answer = await updateSite.mutateAsync({ siteId: site.siteId, name: v.name, etag: site.etag });
        await invalidate();
        notify({
          message: t('sites.notify.renamed', { name: v.name }),
          undo: async () => { await updateSite.mutateAsync({ siteId: site.siteId, name: site.name, etag: answer.site?.etag ?? '' }); await invalidate(); },
          undone: t('sites.notify.renamed', { name: site.name }),
        });
      } else {
        const answer = await createSite.mutateAsync({ clientId, name: v.name, requestId });
        await invalidate();
        notify({
          message: t('sites.notify.added', { name: v.name }),
          // A site just added has no equipment yet: deleting it undoes the addition.
          undo: async () => { await deleteSite.mutateAsync({ siteId: answer.site!.siteId }); await invalidate(); },
          undone: t('sites.notify.deleted', { name: v.name }),
        });
      }
      onClose();
    },
  });
  return (
    <Dialog title={site ? t('sites.renameTitle', { name: site.name }) : t('sites.add')} onClose={onClose}>
      <Form form={form} submitLabel={site ? t('sites.rename') : t('sites.add')} onCancel={onClose}
        extraActions={<ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        <TextField name="name" autoFocus hint={t('sites.fields.nameHint')} />
      </Form>
    </Dialog>
  );
}

/** The catalog's smartphones to choose from, by brand and model (the API's largest page: the catalog is small). */
function useSmartphoneOptions(current: string, summary: SmartphoneSummary | undefined) {
  const { t } = useTranslation();
  const smartphoneName = useSmartphoneName();
  const catalog = useQuery(CatalogService.method.listSmartphones, { pageSize: 200 }, { staleTime: 60_000 });
  const phones = [...(catalog.data?.smartphones ?? [])].sort((a, b) => `${a.brand} ${a.model}`.localeCompare(`${b.brand} ${b.model}`));
  const options = [
    { value: '', label: t('equipment.fields.noSmartphone') },
    ...phones.map((s) => ({ value: s.smartphoneId, label: `${smartphoneName(s)} (${s.sku})` })),
  ];
  // The equipment's model when the catalog's first page does not list it: still shown by name, kept as it is.
  if (current && !phones.some((s) => s.smartphoneId === current)) {
    options.push({ value: current, label: summary ? `${smartphoneName(summary)} (${summary.sku})` : t('equipment.fields.unknownSmartphone', { id: current }) });
  }
  return { options, catalog };
}

export function EquipmentDialog({ sites, equipment, defaultSiteId, onClose, onReload }: {
  sites: readonly Site[];
  equipment?: Equipment;
  defaultSiteId?: string;
  onClose: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(ClientService);
  const add = useMutation(ClientService.method.addEquipment);
  const update = useMutation(ClientService.method.updateEquipment);
  const remove = useMutation(ClientService.method.removeEquipment);
  const initial = {
    siteId: equipment?.siteId ?? defaultSiteId ?? sites[0]?.siteId ?? '',
    kind: equipment ? String(equipment.kind) : '',
    label: equipment?.label ?? '',
    pbxDeviceId: equipment?.pbxDeviceId ?? '',
    smartphoneId: equipment?.smartphoneId ?? '',
    serialNumber: equipment?.serialNumber ?? '',
  };
  const smartphones = useSmartphoneOptions(initial.smartphoneId, equipment?.smartphone);
  const form = useForm({
    initial,
    labels: {
      siteId: t('equipment.fields.site'), kind: t('equipment.fields.kind'), label: t('equipment.fields.label'),
      pbxDeviceId: t('equipment.fields.pbxDeviceId'), smartphoneId: t('equipment.fields.smartphone'), serialNumber: t('equipment.fields.serialNumber'),
    },
    required: equipment ? ['siteId'] : ['siteId', 'kind'],
    reasonFields: { PBX_DEVICE_EXISTS: 'pbxDeviceId', SITE_OF_ANOTHER_CLIENT: 'siteId', SITE_NOT_FOUND: 'siteId', SMARTPHONE_NOT_FOUND: 'smartphoneId', UNKNOWN_SMARTPHONE: 'smartphoneId' },
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
      const name = v.label || tr(t, kindLabels[Number(v.kind) as EquipmentKind]);
      notify({ message: equipment ? t('equipment.notify.saved', { name }) : t('equipment.notify.added', { name }) });
      onClose();
    },
  });
  const siteOptions = sites.map((s) => ({ value: s.siteId, label: s.name }));
  return (
    <Dialog title={equipment ? t('equipment.editTitle', { name: equipment.label || tr(t, kindLabels[equipment.kind]) }) : t('equipment.add')} onClose={onClose}>
      <Form form={form} submitLabel={equipment ? t('common.saveChanges') : t('equipment.add')} onCancel={onClose}
        extraActions={<ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        <SelectField name="siteId" options={siteOptions} hint={equipment ? t('equipment.fields.moveHint') : undefined} />
        {equipment
          ? <p className="field-static"><span className="label">{t('equipment.fields.kind')}</span> {tr(t, kindLabels[equipment.kind])}</p>
          : <SelectField name="kind" options={kindOptions(t)} autoFocus />}
        <TextField name="label" autoFocus={Boolean(equipment)} hint={t('equipment.fields.labelHint')} />
        <TextField name="pbxDeviceId" mono hint={t('equipment.fields.pbxDeviceIdHint')} />
        <SelectField name="smartphoneId" options={smartphones.options} hint={t('equipment.fields.smartphoneHint')} />
        {smartphones.catalog.isError && <ErrorNotice error={smartphones.catalog.error} title={t('equipment.fields.catalogNotLoaded')} />}
        <TextField name="serialNumber" mono />
      </Form>
    </Dialog>
  );
}
