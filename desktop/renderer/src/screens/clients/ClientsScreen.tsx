// Clients of every reseller: search by name or code, filter by status and
// reseller, sort by the API's orders, page through, export, save the filters,
// register one. The list's state lives in the address (useListParams).
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { ClientService, ClientStatus, type Client } from '@gen/reseller/v1/clients_pb.js';
import { csvTime } from '../../api/csv.ts';
import { useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { SearchFilter, SelectFilter, useDebounced } from '../../ui/filters.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { Page } from '../../ui/Page.tsx';
import { ResellerLink } from '../../ui/references.tsx';
import { SavedFilters } from '../../ui/SavedFilters.tsx';
import { resellerOptions, useResellerChoices, useResellerName } from '../resellers/resellers.ts';
import { RegisterClientDialog } from './ClientForms.tsx';
import { orderOptions, statusFilterOptions, statusLabels } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

const DEFAULT_ORDER = 'create_time desc';

export function ClientsScreen() {
  const { t } = useTranslation();
  const format = useFormat();
  const params = useListParams();
  const navigate = useNavigate();
  const [registering, setRegistering] = useState(false);
  const search = params.get('q');
  const status = Number(params.get('status', '0')) as ClientStatus;
  const resellerId = params.get('reseller');
  const orderBy = params.get('order', DEFAULT_ORDER);
  const { pageSize } = params;
  const query = useDebounced(search.trim());
  const filter = { query, status, resellerId, orderBy };
  const list = useQuery(ClientService.method.listClients, { ...filter, pageSize: Number(pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const resellers = useResellerChoices();
  const resellerName = useResellerName();
  const transport = useTransport();
  const setOrder = (v: string) => params.set('order', v === DEFAULT_ORDER ? '' : v);

  const columns: Column<Client>[] = [
    { header: t('clients.columns.name'), sortField: 'name', cell: (c) => <Link to={`/clients/${c.clientId}`}>{c.name}</Link>, csv: (c) => c.name },
    { header: t('clients.columns.code'), sortField: 'code', cell: (c) => <code>{c.code}</code>, csv: (c) => c.code },
    { header: t('clients.columns.reseller'), cell: (c) => <ResellerLink id={c.resellerId} />, csv: (c) => resellerName(c.resellerId) },
    { header: t('clients.columns.status'), cell: (c) => <Badge tone={c.status === ClientStatus.ACTIVE ? 'ok' : 'off'}>{tr(t, statusLabels[c.status])}</Badge>, csv: (c) => tr(t, statusLabels[c.status]) },
    { header: t('clients.columns.sites'), cell: (c) => format.number(c.siteCount), csv: (c) => c.siteCount, className: 'num' },
    { header: t('clients.columns.equipment'), cell: (c) => format.number(c.equipmentCount), csv: (c) => c.equipmentCount, className: 'num' },
    { header: t('clients.columns.registered'), sortField: 'create_time', cell: (c) => format.time(c.createTime), csv: (c) => csvTime(c.createTime), className: 'nowrap' },
    { header: t('clients.columns.clientId'), cell: (c) => c.clientId, csv: (c) => c.clientId, exportOnly: true },
  ];

  const filtered = query !== '' || status !== ClientStatus.UNSPECIFIED || resellerId !== '';
  return (
    <Page title={t('clients.title')} subtitle={t('clients.subtitle')}
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setRegistering(true)}>{t('clients.register')}</button></IfMayChange>}>
      <div className="toolbar">
        <SearchFilter label={t('clients.search')} value={search} onChange={(v) => params.set('q', v)} />
        <SelectFilter label={t('clients.columns.status')} value={status ? String(status) : ''} onChange={(v) => params.set('status', v)} options={statusFilterOptions(t)} />
        <SelectFilter label={t('clients.columns.reseller')} value={resellerId} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], t('common.everyReseller'))} />
        <SelectFilter label={t('clients.sort')} value={orderBy} onChange={setOrder} options={orderOptions(t)} />
        <SavedFilters list="clients" params={params} />
        <ExportButton file={t('export.files.clients')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(ClientService, transport).listClients({ ...filter, pageSize: 200, pageToken });
          return { items: page.clients, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <ListView query={list} rows={(d) => d.clients} nextPageToken={(d) => d.nextPageToken} caption={t('clients.caption')}
        columns={columns} rowKey={(c) => c.clientId} sort={{ orderBy, onChange: setOrder }} list={params} what={t('clients.what')}
        empty={filtered ? <p>{t('clients.emptyFiltered')}</p> : <p>{t('clients.empty')}</p>} />
      {registering && (
        <RegisterClientDialog resellerId={resellerId} onClose={() => setRegistering(false)}
          onRegistered={(client) => navigate(`/clients/${client.clientId}`)} />
      )}
    </Page>
  );
}
