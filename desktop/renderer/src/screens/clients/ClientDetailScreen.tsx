// One client: its facts, its sites (with equipment counts) and its equipment,
// and every change staff make to them. Deactivation keeps the client: it can
// be reactivated.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { ClientService, ClientStatus, type Client, type Equipment, type Site } from '@gen/reseller/v1/clients_pb.js';
import { formatTime } from '../../api/format.ts';
import { useInvalidate, usePages } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Page, Section } from '../../ui/Page.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { Empty, QueryView } from '../../ui/States.tsx';
import { useResellerName } from '../resellers/resellers.ts';
import { EditClientDialog, EquipmentDialog, SiteDialog } from './ClientForms.tsx';
import { kindLabels, statusLabels } from './labels.ts';
import { clientSections } from './sections.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';

export function ClientDetailScreen() {
  const { clientId = '' } = useParams();
  const query = useQuery(ClientService.method.getClient, { clientId });
  return (
    <QueryView query={query} what="the client">
      {(data) => <ClientDetail client={data.client!} reload={() => void query.refetch()} />}
    </QueryView>
  );
}

function ClientDetail({ client, reload }: { client: Client; reload: () => void }) {
  const [editing, setEditing] = useState(false);
  const invalidate = useInvalidate(ClientService);
  const deactivate = useMutation(ClientService.method.deactivateClient);
  const reactivate = useMutation(ClientService.method.reactivateClient);
  const resellerName = useResellerName();
  const active = client.status === ClientStatus.ACTIVE;

  return (
    <Page
      title={client.name}
      subtitle={<><Link to="/clients">Clients</Link> › <code>{client.code}</code> · <Badge tone={active ? 'ok' : 'off'}>{statusLabels[client.status]}</Badge></>}
      actions={<>
        <IfMayChange><button type="button" className="btn" onClick={() => setEditing(true)}>Edit</button></IfMayChange>
        {active ? (
          <ConfirmButton label="Deactivate" title={`Deactivate ${client.name}?`} confirmLabel="Deactivate client"
            onConfirm={async () => { await deactivate.mutateAsync({ clientId: client.clientId, etag: client.etag }); await invalidate(); }}>
            <p>The client goes out of service. Nothing is deleted: it stays readable and can be reactivated.</p>
            <p>Its sites and equipment cannot change while it is inactive.</p>
          </ConfirmButton>
        ) : (
          <ConfirmButton label="Reactivate" danger={false} title={`Reactivate ${client.name}?`} confirmLabel="Reactivate client"
            onConfirm={async () => { await reactivate.mutateAsync({ clientId: client.clientId, etag: client.etag }); await invalidate(); }}>
            <p>The client is back in service, with its sites and equipment as they were.</p>
          </ConfirmButton>
        )}
      </>}
    >
      <dl className="facts">
        <dt>Reseller</dt><dd><Link to={`/clients?reseller=${client.resellerId}`}>{resellerName(client.resellerId)}</Link></dd>
        <dt>Client id</dt><dd><code>{client.clientId}</code> <CopyButton text={client.clientId} what="client id" /></dd>
        <dt>Registered</dt><dd>{formatTime(client.createTime)}</dd>
        <dt>Last changed</dt><dd>{formatTime(client.updateTime)} <span className="muted">(version {client.etag})</span></dd>
        <dt>Sites</dt><dd>{client.siteCount}</dd>
        <dt>Equipment</dt><dd>{client.equipmentCount}</dd>
      </dl>
      {!active && <IfMayChange><p className="notice notice-warn">This client is inactive: reactivate it to change its sites or equipment.</p></IfMayChange>}

      <SitesSection client={client} reload={reload} />
      <EquipmentSection client={client} reload={reload} />
      {clientSections.map((section) => (
        <Section key={section.id} id={section.id} title={section.title}>{section.render(client)}</Section>
      ))}

      {editing && <EditClientDialog key={client.etag} client={client} onClose={() => setEditing(false)} onReload={reload} />}
    </Page>
  );
}

function SitesSection({ client, reload }: { client: Client; reload: () => void }) {
  const [adding, setAdding] = useState(false);
  const [renamingId, setRenamingId] = useState<string>();
  const invalidate = useInvalidate(ClientService);
  const deleteSite = useMutation(ClientService.method.deleteSite);
  const active = client.status === ClientStatus.ACTIVE;
  const renaming = client.sites.find((s) => s.siteId === renamingId);

  const columns: Column<Site>[] = [
    { header: 'Site', cell: (s) => <strong>{s.name}</strong> },
    { header: 'Equipment', cell: (s) => s.equipmentCount, className: 'num' },
    { header: 'Created', cell: (s) => formatTime(s.createTime), className: 'nowrap' },
    {
      header: 'Actions', changes: true,
      cell: (s) => (
        <span className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => setRenamingId(s.siteId)} disabled={!active} aria-label={`Rename ${s.name}`}>Rename</button>
          <ConfirmButton small disabled={!active} label="Delete" accessibleLabel={`Delete ${s.name}`} title={`Delete site ${s.name}?`} confirmLabel="Delete site"
            onConfirm={async () => { await deleteSite.mutateAsync({ siteId: s.siteId }); await invalidate(); }}>
            <p>The site is deleted for good. A site that still has equipment cannot be deleted: remove or move its equipment first.</p>
          </ConfirmButton>
        </span>
      ),
    },
  ];
  return (
    <Section title="Sites" actions={<IfMayChange><button type="button" className="btn" onClick={() => setAdding(true)} disabled={!active}>Add site</button></IfMayChange>}>
      {client.sites.length === 0
        ? <Empty><p>No sites yet. Add the places where the client has equipment.</p></Empty>
        : <DataTable caption={`Sites of ${client.name}`} columns={columns} rows={client.sites} rowKey={(s) => s.siteId} />}
      {adding && <SiteDialog clientId={client.clientId} onClose={() => setAdding(false)} onReload={reload} />}
      {renaming && <SiteDialog key={renaming.etag} clientId={client.clientId} site={renaming} onClose={() => setRenamingId(undefined)} onReload={reload} />}
    </Section>
  );
}

function EquipmentSection({ client, reload }: { client: Client; reload: () => void }) {
  const [adding, setAdding] = useState(false);
  const [editingId, setEditingId] = useState<string>();
  const pages = usePages(client.clientId);
  const list = useQuery(ClientService.method.listEquipment, { clientId: client.clientId, pageSize: 50, pageToken: pages.pageToken }, { placeholderData: (p) => p });
  const invalidate = useInvalidate(ClientService);
  const remove = useMutation(ClientService.method.removeEquipment);
  const active = client.status === ClientStatus.ACTIVE;
  const siteName = (id: string) => client.sites.find((s) => s.siteId === id)?.name ?? id;
  const editing = list.data?.equipment.find((e) => e.equipmentId === editingId);
  const name = (e: Equipment) => e.label || `${kindLabels[e.kind]} ${e.serialNumber}`.trim();

  const columns: Column<Equipment>[] = [
    { header: 'Label', cell: (e) => <strong>{e.label || <span className="muted">—</span>}</strong> },
    { header: 'Kind', cell: (e) => kindLabels[e.kind] },
    { header: 'Site', cell: (e) => siteName(e.siteId) },
    { header: 'PBX device id', cell: (e) => <code>{e.pbxDeviceId}</code> },
    { header: 'Smartphone', cell: (e) => <code>{e.smartphoneId}</code> },
    { header: 'Serial number', cell: (e) => <code>{e.serialNumber}</code> },
    { header: 'Added', cell: (e) => formatTime(e.createTime), className: 'nowrap' },
    {
      header: 'Actions', changes: true,
      cell: (e) => (
        <span className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => setEditingId(e.equipmentId)} disabled={!active} aria-label={`Edit ${name(e)}`}>Edit</button>
          <ConfirmButton small label="Remove" accessibleLabel={`Remove ${name(e)}`} title={`Remove ${name(e)}?`} confirmLabel="Remove equipment" disabled={!active}
            onConfirm={async () => { await remove.mutateAsync({ equipmentId: e.equipmentId }); await invalidate(); }}>
            <p>The equipment is removed from {siteName(e.siteId)} for good.</p>
          </ConfirmButton>
        </span>
      ),
    },
  ];
  return (
    <Section title="Equipment" actions={
      <IfMayChange>
        <button type="button" className="btn" onClick={() => setAdding(true)} disabled={!active || client.sites.length === 0}
          title={client.sites.length === 0 ? 'Add a site first' : undefined}>Add equipment</button>
      </IfMayChange>
    }>
      <QueryView query={list} what="equipment" isEmpty={(d) => d.equipment.length === 0}
        empty={<p>No equipment yet.{client.sites.length === 0 ? ' Add a site first, then the equipment on it.' : ''}</p>}>
        {(data) => (
          <>
            <DataTable caption={`Equipment of ${client.name}`} columns={columns} rows={data.equipment} rowKey={(e) => e.equipmentId} />
            {(pages.hasPrevious || data.nextPageToken) && (
              <Pager pages={pages} nextPageToken={data.nextPageToken} shown={data.equipment.length} fetching={list.isFetching} />
            )}
          </>
        )}
      </QueryView>
      {adding && <EquipmentDialog sites={client.sites} onClose={() => setAdding(false)} onReload={reload} />}
      {editing && (
        <EquipmentDialog key={editing.etag} sites={client.sites} equipment={editing} onClose={() => setEditingId(undefined)}
          onReload={() => { reload(); void list.refetch(); }} />
      )}
    </Section>
  );
}
