// Interfaces (seed 003 shop instances) of every reseller: search by guid,
// subdomain or the customer's company (ignoring case and accents, on the
// server), filter by status and reseller, page through, export, save the
// filters, order one. An interface belongs to a reseller, not to one of its
// clients (its customer is its contact): a client's page finds its interfaces
// by its name as the customer's company (ClientInterfaces).
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { InterfaceService, InterfaceStatus, type Interface } from '@gen/reseller/v1/interfaces_pb.js';
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
import { OrderInterfaceDialog } from './InterfaceForms.tsx';
import { interfaceStatusLabels, interfaceStatusOptions, statusTone } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

/** How an interface is named on screen: its customer's company, else their last name, else the reseller's reference. */
export function interfaceName(i: Interface): string {
  return i.contact?.company || i.contact?.lastName || i.guid;
}

export function InterfacesScreen() {
  const { t } = useTranslation();
  const format = useFormat();
  const params = useListParams();
  const navigate = useNavigate();
  const [ordering, setOrdering] = useState(false);
  const status = Number(params.get('status', '0')) as InterfaceStatus;
  const resellerId = params.get('reseller');
  const search = params.get('q');
  const query = useDebounced(search.trim());
  const filter = { status, resellerId, query };
  const list = useQuery(InterfaceService.method.listInterfaces, { ...filter, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const resellers = useResellerChoices();
  const resellerName = useResellerName();
  const transport = useTransport();

  const columns: Column<Interface>[] = [
    { header: t('interfaces.columns.customer'), cell: (i) => <Link to={`/interfaces/${i.key}`}>{interfaceName(i)}</Link>, csv: (i) => interfaceName(i) },
    { header: t('interfaces.columns.reference'), cell: (i) => <code>{i.guid}</code>, csv: (i) => i.guid },
    { header: t('interfaces.columns.subdomain'), cell: (i) => <code>{i.subdomain}</code>, csv: (i) => i.subdomain },
    { header: t('interfaces.columns.reseller'), cell: (i) => <ResellerLink id={i.resellerId} />, csv: (i) => resellerName(i.resellerId) },
    { header: t('interfaces.columns.status'), cell: (i) => <Badge tone={statusTone(i.status)}>{tr(t, interfaceStatusLabels[i.status])}</Badge>, csv: (i) => tr(t, interfaceStatusLabels[i.status]) },
    { header: t('interfaces.columns.ordered'), cell: (i) => format.time(i.createTime), csv: (i) => csvTime(i.createTime), className: 'nowrap' },
    { header: t('interfaces.columns.accessEnds'), cell: (i) => format.date(i.accessEndTime), csv: (i) => csvTime(i.accessEndTime), className: 'nowrap' },
    { header: t('interfaces.columns.url'), cell: (i) => i.url, csv: (i) => i.url, exportOnly: true },
    { header: t('interfaces.columns.deletion'), cell: (i) => format.time(i.deletionTime), csv: (i) => csvTime(i.deletionTime), exportOnly: true },
    { header: t('interfaces.columns.key'), cell: (i) => i.key, csv: (i) => i.key, exportOnly: true },
  ];
  const filtered = status !== InterfaceStatus.UNSPECIFIED || resellerId !== '' || query !== '';
  return (
    <Page title={t('interfaces.title')} subtitle={t('interfaces.subtitle')}
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setOrdering(true)}>{t('interfaces.order')}</button></IfMayChange>}>
      <div className="toolbar">
        <SearchFilter label={t('interfaces.search')} value={search} onChange={(v) => params.set('q', v)} placeholder={t('interfaces.searchPlaceholder')} />
        <SelectFilter label={t('interfaces.columns.status')} value={status ? String(status) : ''} onChange={(v) => params.set('status', v)} options={interfaceStatusOptions(t)} />
        <SelectFilter label={t('interfaces.columns.reseller')} value={resellerId} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], t('common.everyReseller'))} />
        <SavedFilters list="interfaces" params={params} />
        <ExportButton file={t('export.files.interfaces')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(InterfaceService, transport).listInterfaces({ ...filter, pageSize: 200, pageToken });
          return { items: page.interfaces, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <ListView query={list} rows={(d) => d.interfaces} nextPageToken={(d) => d.nextPageToken} caption={t('interfaces.caption')}
        columns={columns} rowKey={(i) => i.key} list={params} what={t('interfaces.what')}
        empty={filtered ? <p>{t('interfaces.emptyFiltered')}</p> : <p>{t('interfaces.empty')}</p>} />
      {ordering && (
        <OrderInterfaceDialog resellerId={resellerId} onClose={() => setOrdering(false)}
          onOrdered={(answer) => navigate(`/interfaces/${answer.key}`)} />
      )}
    </Page>
  );
}
