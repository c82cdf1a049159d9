// Clients of every reseller: search by name or code, filter by status and
// reseller, sort by the API's orders, page through, export, register one.
// The filters live in the URL, so back/forward and links keep them.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { ClientService, ClientStatus, type Client } from '@gen/reseller/v1/clients_pb.js';
import { formatTime, isoTime } from '../../api/format.ts';
import { useListParams, usePages } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { SearchFilter, SelectFilter, useDebounced } from '../../ui/filters.tsx';
import { Page } from '../../ui/Page.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { QueryView } from '../../ui/States.tsx';
import { resellerOptions, useResellerChoices, useResellerName } from '../resellers/resellers.ts';
import { RegisterClientDialog } from './ClientForms.tsx';
import { orderOptions, statusFilterOptions, statusLabels } from './labels.ts';
import { IfMayChange } from '../../ui/IfMayChange.tsx';

export function ClientsScreen() {
  const params = useListParams();
  const navigate = useNavigate();
  const [search, setSearch] = useState(params.get('q'));
  const [registering, setRegistering] = useState(false);
  const status = Number(params.get('status', '0')) as ClientStatus;
  const resellerId = params.get('reseller');
  const orderBy = params.get('order', 'create_time desc');
  const { pageSize } = params;
  const query = useDebounced(search.trim());
  const filter = { query, status, resellerId, orderBy };
  const pages = usePages(JSON.stringify({ ...filter, pageSize }));
  const list = useQuery(ClientService.method.listClients, { ...filter, pageSize: Number(pageSize), pageToken: pages.pageToken }, { placeholderData: (p) => p });
  const resellers = useResellerChoices();
  const resellerName = useResellerName();
  const transport = useTransport();

  const onSearch = (value: string) => {
    setSearch(value);
    params.set('q', value.trim());
  };

  const columns: Column<Client>[] = [
    { header: 'Name', sortField: 'name', cell: (c) => <Link to={`/clients/${c.clientId}`}>{c.name}</Link>, csv: (c) => c.name },
    { header: 'Code', sortField: 'code', cell: (c) => <code>{c.code}</code>, csv: (c) => c.code },
    { header: 'Reseller', cell: (c) => resellerName(c.resellerId), csv: (c) => resellerName(c.resellerId) },
    { header: 'Status', cell: (c) => <Badge tone={c.status === ClientStatus.ACTIVE ? 'ok' : 'off'}>{statusLabels[c.status]}</Badge>, csv: (c) => statusLabels[c.status] },
    { header: 'Sites', cell: (c) => c.siteCount, csv: (c) => c.siteCount, className: 'num' },
    { header: 'Equipment', cell: (c) => c.equipmentCount, csv: (c) => c.equipmentCount, className: 'num' },
    { header: 'Registered', sortField: 'create_time', cell: (c) => formatTime(c.createTime), csv: (c) => isoTime(c.createTime), className: 'nowrap' },
    { header: 'Client id', cell: (c) => c.clientId, csv: (c) => c.clientId, exportOnly: true },
  ];

  const filtered = query !== '' || status !== ClientStatus.UNSPECIFIED || resellerId !== '';
  return (
    <Page title="Clients" subtitle="Resellers' customers, with their sites and equipment."
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setRegistering(true)}>Register client</button></IfMayChange>}>
      <div className="toolbar">
        <SearchFilter label="Search name or code" value={search} onChange={onSearch} />
        <SelectFilter label="Status" value={status ? String(status) : ''} onChange={(v) => params.set('status', v)} options={statusFilterOptions} />
        <SelectFilter label="Reseller" value={resellerId} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], 'Every reseller')} />
        <SelectFilter label="Sort" value={orderBy} onChange={(v) => params.set('order', v === 'create_time desc' ? '' : v)} options={orderOptions} />
        <ExportButton what="clients" columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(ClientService, transport).listClients({ ...filter, pageSize: 200, pageToken });
          return { items: page.clients, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <QueryView query={list} what="clients" isEmpty={(d) => d.clients.length === 0}
        empty={filtered ? <p>No client matches these filters.</p> : <p>No clients yet. Register one with <em>Register client</em>.</p>}>
        {(data) => (
          <>
            <DataTable caption="Clients" columns={columns} rows={data.clients} rowKey={(c) => c.clientId}
              sort={{ orderBy, onChange: (v) => params.set('order', v === 'create_time desc' ? '' : v) }} />
            <Pager pages={pages} nextPageToken={data.nextPageToken} shown={data.clients.length} fetching={list.isFetching}
              pageSize={pageSize} onPageSize={params.setPageSize} />
          </>
        )}
      </QueryView>
      {registering && (
        <RegisterClientDialog resellerId={resellerId} onClose={() => setRegistering(false)}
          onRegistered={(client) => navigate(`/clients/${client.clientId}`)} />
      )}
    </Page>
  );
}
