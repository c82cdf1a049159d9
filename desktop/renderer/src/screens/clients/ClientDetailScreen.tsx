// One client (react-admin's <Show> with tabs): its facts and sites, its
// equipment, its accounts and families, its charges and its history, and
// every change staff make to them. Deactivation keeps the client: it can be
// reactivated, and the notification offers to undo it at once.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { ClientService, ClientStatus, EquipmentKind, type Client, type Equipment, type Site } from '@gen/reseller/v1/clients_pb.js';
import { useInvalidate, useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Details } from '../../ui/Details.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { Page, Section } from '../../ui/Page.tsx';
import { ResellerLink, useSmartphoneName } from '../../ui/references.tsx';
import { Empty, QueryView } from '../../ui/States.tsx';
import { Tabs } from '../../ui/Tabs.tsx';
import { HistoryTab } from '../audit/HistoryTab.tsx';
import { EditClientDialog, EquipmentDialog, SiteDialog } from './ClientForms.tsx';
import { kindLabels, statusLabels } from './labels.ts';
import { clientTabs } from './sections.tsx';
import { useInactiveReason } from './inactive.ts';
import { tr } from '../../i18n/keys.ts';

export function ClientDetailScreen() {
  const { t } = useTranslation();
  const { clientId = '' } = useParams();
  const query = useQuery(ClientService.method.getClient, { clientId });
  return (
    <QueryView query={query} what={t('clients.whatOne')}>
      {(data) => <ClientDetail client={data.client!} reload={() => void query.refetch()} />}
    </QueryView>
  );
}

/** Why a change to an inactive client's sites, equipment or accounts is not offered. */
function ClientDetail({ client, reload }: { client: Client; reload: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const [editing, setEditing] = useState(false);
  const invalidate = useInvalidate(ClientService);
  const deactivate = useMutation(ClientService.method.deactivateClient);
  const reactivate = useMutation(ClientService.method.reactivateClient);
  const active = client.status === ClientStatus.ACTIVE;
  const ids = { clientId: client.clientId };
  const undoable = (message: string, undo: () => Promise<unknown>, undone: string) =>
    notify({ message, undo: async () => { await undo(); await invalidate(); }, undone });

  return (
    <Page
      title={client.name}
      subtitle={<><Link to="/clients">{t('clients.title')}</Link> › <code>{client.code}</code> <Badge tone={active ? 'ok' : 'off'}>{tr(t, statusLabels[client.status])}</Badge></>}
      actions={<>
        <IfMayChange><button type="button" className="btn" onClick={() => setEditing(true)}>{t('common.edit')}</button></IfMayChange>
        {active ? (
          <ConfirmButton label={t('clients.deactivate')} title={t('clients.deactivateTitle', { name: client.name })} confirmLabel={t('clients.deactivateConfirm')}
            onConfirm={async () => {
              await deactivate.mutateAsync({ ...ids, etag: client.etag });
              await invalidate();
              undoable(t('clients.notify.deactivated', { name: client.name }), () => reactivate.mutateAsync(ids), t('clients.notify.reactivated', { name: client.name }));
            }}>
            <p>{t('clients.deactivateText1')}</p>
            <p>{t('clients.deactivateText2')}</p>
          </ConfirmButton>
        ) : (
          <ConfirmButton label={t('clients.reactivate')} danger={false} title={t('clients.reactivateTitle', { name: client.name })} confirmLabel={t('clients.reactivateConfirm')}
            onConfirm={async () => {
              await reactivate.mutateAsync({ ...ids, etag: client.etag });
              await invalidate();
              undoable(t('clients.notify.reactivated', { name: client.name }), () => deactivate.mutateAsync(ids), t('clients.notify.deactivated', { name: client.name }));
            }}>
            <p>{t('clients.reactivateText')}</p>
          </ConfirmButton>
        )}
      </>}
    >
      <dl className="facts">
        <dt>{t('clients.fields.reseller')}</dt><dd><ResellerLink id={client.resellerId} /></dd>
        <dt>{t('clients.fields.registered')}</dt><dd>{format.time(client.createTime)}</dd>
        <dt>{t('clients.columns.sites')}</dt><dd>{format.number(client.siteCount)}</dd>
        <dt>{t('clients.columns.equipment')}</dt><dd>{format.number(client.equipmentCount)}</dd>
        <dt>{t('clients.fields.lastChanged')}</dt><dd>{format.time(client.updateTime)}</dd>
      </dl>
      <Details ids={[{ label: t('clients.fields.clientId'), value: client.clientId }, { label: t('clients.fields.resellerId'), value: client.resellerId }, { label: t('clients.fields.version'), value: client.etag }]} />
      {!active && <IfMayChange><p className="notice notice-warn">{t('clients.inactiveNotice')}</p></IfMayChange>}

      <Tabs label={t('clients.tabs.label')} tabs={[
        { id: 'overview', label: t('clients.tabs.sites'), render: () => <SitesSection client={client} reload={reload} /> },
        { id: 'equipment', label: t('clients.tabs.equipment'), render: () => <EquipmentSection client={client} reload={reload} /> },
        ...clientTabs.map((tab) => ({ id: tab.id, label: tr(t, tab.title), render: () => tab.render(client) })),
        { id: 'history', label: t('history.tab'), render: () => <HistoryTab objectType="Client" objectId={client.clientId} name={client.name} /> },
      ]} />

      {editing && <EditClientDialog key={client.etag} client={client} onClose={() => setEditing(false)} onReload={reload} />}
    </Page>
  );
}

function SitesSection({ client, reload }: { client: Client; reload: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const [adding, setAdding] = useState(false);
  const [renamingId, setRenamingId] = useState<string>();
  const [historyOf, setHistoryOf] = useState<Site>();
  const invalidate = useInvalidate(ClientService);
  const deleteSite = useMutation(ClientService.method.deleteSite);
  const inactive = useInactiveReason(client);
  const renaming = client.sites.find((s) => s.siteId === renamingId);

  const columns: Column<Site>[] = [
    { header: t('sites.columns.site'), cell: (s) => <strong>{s.name}</strong> },
    { header: t('sites.columns.equipment'), cell: (s) => format.number(s.equipmentCount), className: 'num' },
    { header: t('sites.columns.created'), cell: (s) => format.time(s.createTime), className: 'nowrap' },
    {
      header: t('history.tab'),
      cell: (s) => <button type="button" className="btn btn-small" onClick={() => setHistoryOf(s)} aria-label={t('history.caption', { name: s.name })}>{t('history.tab')}</button>,
    },
    {
      header: t('common.actions'), changes: true,
      cell: (s) => (
        <span className="row-actions">
          <Button className="btn btn-small" onClick={() => setRenamingId(s.siteId)} disabledReason={inactive} aria-label={t('sites.renameNamed', { name: s.name })}>{t('sites.rename')}</Button>
          <ConfirmButton small disabledReason={inactive ?? (s.equipmentCount > 0 && t('sites.hasEquipment'))} label={t('common.delete')} accessibleLabel={t('sites.deleteNamed', { name: s.name })}
            title={t('sites.deleteTitle', { name: s.name })} confirmLabel={t('sites.delete')}
            onConfirm={async () => {
              await deleteSite.mutateAsync({ siteId: s.siteId });
              await invalidate();
              notify({ message: t('sites.notify.deleted', { name: s.name }) });
            }}>
            <p>{t('sites.deleteText')}</p>
          </ConfirmButton>
        </span>
      ),
    },
  ];
  return (
    <Section title={t('clients.tabs.sites')} actions={<IfMayChange><Button onClick={() => setAdding(true)} disabledReason={inactive}>{t('sites.add')}</Button></IfMayChange>}>
      {client.sites.length === 0
        ? <Empty><p>{t('sites.empty')}</p></Empty>
        : <DataTable caption={t('sites.caption', { name: client.name })} columns={columns} rows={client.sites} rowKey={(s) => s.siteId} />}
      {adding && <SiteDialog clientId={client.clientId} onClose={() => setAdding(false)} onReload={reload} />}
      {renaming && <SiteDialog key={renaming.etag} clientId={client.clientId} site={renaming} onClose={() => setRenamingId(undefined)} onReload={reload} />}
      {historyOf && (
        <Dialog title={t('history.caption', { name: historyOf.name })} onClose={() => setHistoryOf(undefined)} wide>
          <HistoryTab objectType="Site" objectId={historyOf.siteId} name={historyOf.name} inDialog />
        </Dialog>
      )}
    </Section>
  );
}

function EquipmentSection({ client, reload }: { client: Client; reload: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const params = useListParams();
  const [adding, setAdding] = useState(false);
  const [editingId, setEditingId] = useState<string>();
  const [historyOf, setHistoryOf] = useState<Equipment>();
  const list = useQuery(ClientService.method.listEquipment, { clientId: client.clientId, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const invalidate = useInvalidate(ClientService);
  const remove = useMutation(ClientService.method.removeEquipment);
  const inactive = useInactiveReason(client);
  const smartphoneName = useSmartphoneName();
  const siteName = (id: string) => client.sites.find((s) => s.siteId === id)?.name ?? id;
  const editing = list.data?.equipment.find((e) => e.equipmentId === editingId);
  const name = (e: Equipment) => e.label || `${tr(t, kindLabels[e.kind])} ${e.serialNumber}`.trim();
  const noSite = client.sites.length === 0 ? t('equipment.addSiteFirst') : undefined;

  const columns: Column<Equipment>[] = [
    { header: t('equipment.columns.label'), cell: (e) => <strong>{e.label || <span className="muted">{t('common.dash')}</span>}</strong> },
    { header: t('equipment.columns.kind'), cell: (e) => tr(t, kindLabels[e.kind]) },
    { header: t('equipment.columns.site'), cell: (e) => siteName(e.siteId) },
    { header: t('equipment.columns.pbxDeviceId'), cell: (e) => <code>{e.pbxDeviceId}</code> },
    {
      header: t('equipment.columns.smartphone'),
      cell: (e) => (e.smartphone ? <span title={e.smartphone.sku}>{smartphoneName(e.smartphone)}</span> : e.kind === EquipmentKind.SMARTPHONE ? <span className="muted">{t('common.dash')}</span> : null),
    },
    { header: t('equipment.columns.serialNumber'), cell: (e) => <code>{e.serialNumber}</code> },
    { header: t('equipment.columns.added'), cell: (e) => format.time(e.createTime), className: 'nowrap' },
    {
      header: t('history.tab'),
      cell: (e) => <button type="button" className="btn btn-small" onClick={() => setHistoryOf(e)} aria-label={t('history.caption', { name: name(e) })}>{t('history.tab')}</button>,
    },
    {
      header: t('common.actions'), changes: true,
      cell: (e) => (
        <span className="row-actions">
          <Button className="btn btn-small" onClick={() => setEditingId(e.equipmentId)} disabledReason={inactive} aria-label={t('equipment.editNamed', { name: name(e) })}>{t('common.edit')}</Button>
          <ConfirmButton small label={t('equipment.remove')} accessibleLabel={t('equipment.removeNamed', { name: name(e) })} title={t('equipment.removeTitle', { name: name(e) })}
            confirmLabel={t('equipment.removeConfirm')} disabledReason={inactive}
            onConfirm={async () => {
              await remove.mutateAsync({ equipmentId: e.equipmentId });
              await invalidate();
              notify({ message: t('equipment.notify.removed', { name: name(e) }) });
            }}>
            <p>{t('equipment.removeText', { site: siteName(e.siteId) })}</p>
          </ConfirmButton>
        </span>
      ),
    },
  ];
  return (
    <Section title={t('clients.tabs.equipment')} actions={
      <IfMayChange>
        <Button onClick={() => setAdding(true)} disabledReason={inactive ?? noSite}>{t('equipment.add')}</Button>
      </IfMayChange>
    }>
      <ListView query={list} rows={(d) => d.equipment} nextPageToken={(d) => d.nextPageToken} caption={t('equipment.caption', { name: client.name })}
        columns={columns} rowKey={(e) => e.equipmentId} list={params} what={t('equipment.what')}
        empty={<p>{t('equipment.empty')}{noSite ? ` ${t('equipment.emptyNoSite')}` : ''}</p>} />
      {adding && <EquipmentDialog sites={client.sites} onClose={() => setAdding(false)} onReload={reload} />}
      {editing && (
        <EquipmentDialog key={editing.etag} sites={client.sites} equipment={editing} onClose={() => setEditingId(undefined)}
          onReload={() => { reload(); void list.refetch(); }} />
      )}
      {historyOf && (
        <Dialog title={t('history.caption', { name: name(historyOf) })} onClose={() => setHistoryOf(undefined)} wide>
          <HistoryTab objectType="Equipment" objectId={historyOf.equipmentId} name={name(historyOf)} inDialog />
        </Dialog>
      )}
    </Section>
  );
}
