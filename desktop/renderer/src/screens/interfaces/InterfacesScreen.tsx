// Interfaces (seed 003 shop instances) of every reseller: filter by status
// and reseller, page through, export, order one.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { InterfaceService, InterfaceStatus, type Interface } from '@gen/reseller/v1/interfaces_pb.js';
import { formatTime, isoTime } from '../../api/format.ts';
import { useListParams, usePages } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { SelectFilter } from '../../ui/filters.tsx';
import { Page } from '../../ui/Page.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { QueryView } from '../../ui/States.tsx';
import { resellerOptions, useResellerChoices, useResellerName } from '../resellers/resellers.ts';
import { OrderInterfaceDialog } from './InterfaceForms.tsx';
import { interfaceStatusLabels, interfaceStatusOptions, statusTone } from './labels.ts';
import { IfMayChange } from '../../ui/IfMayChange.tsx';

export function InterfacesScreen() {
  const params = useListParams();
  const navigate = useNavigate();
  const [ordering, setOrdering] = useState(false);
  const status = Number(params.get('status', '0')) as InterfaceStatus;
  const resellerId = params.get('reseller');
  const { pageSize } = params;
  const filter = { status, resellerId };
  const pages = usePages(JSON.stringify({ ...filter, pageSize }));
  const list = useQuery(InterfaceService.method.listInterfaces, { ...filter, pageSize: Number(pageSize), pageToken: pages.pageToken }, { placeholderData: (p) => p });
  const resellers = useResellerChoices();
  const resellerName = useResellerName();
  const transport = useTransport();

  const columns: Column<Interface>[] = [
    { header: 'Reference', cell: (i) => <Link to={`/interfaces/${i.key}`}>{i.guid}</Link>, csv: (i) => i.guid },
    { header: 'Customer', cell: (i) => i.contact?.company || i.contact?.lastName, csv: (i) => i.contact?.company || i.contact?.lastName },
    { header: 'Subdomain', cell: (i) => <code>{i.subdomain}</code>, csv: (i) => i.subdomain },
    { header: 'Reseller', cell: (i) => resellerName(i.resellerId), csv: (i) => resellerName(i.resellerId) },
    { header: 'Status', cell: (i) => <Badge tone={statusTone(i.status)}>{interfaceStatusLabels[i.status]}</Badge>, csv: (i) => interfaceStatusLabels[i.status] },
    { header: 'Ordered', cell: (i) => formatTime(i.createTime), csv: (i) => isoTime(i.createTime), className: 'nowrap' },
    { header: 'URL', cell: (i) => i.url, csv: (i) => i.url, exportOnly: true },
    { header: 'Deletion', cell: (i) => formatTime(i.deletionTime), csv: (i) => isoTime(i.deletionTime), exportOnly: true },
    { header: 'Key', cell: (i) => i.key, csv: (i) => i.key, exportOnly: true },
  ];
  const filtered = status !== InterfaceStatus.UNSPECIFIED || resellerId !== '';
  return (
    <Page title="Interfaces" subtitle="Shop interfaces ordered by resellers for their customers."
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setOrdering(true)}>Order interface</button></IfMayChange>}>
      <div className="toolbar">
        <SelectFilter label="Status" value={status ? String(status) : ''} onChange={(v) => params.set('status', v)} options={interfaceStatusOptions} />
        <SelectFilter label="Reseller" value={resellerId} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], 'Every reseller')} />
        <ExportButton what="interfaces" columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(InterfaceService, transport).listInterfaces({ ...filter, pageSize: 200, pageToken });
          return { items: page.interfaces, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <QueryView query={list} what="interfaces" isEmpty={(d) => d.interfaces.length === 0}
        empty={filtered ? <p>No interface matches these filters.</p> : <p>No interfaces yet. Order one with <em>Order interface</em>.</p>}>
        {(data) => (
          <>
            <DataTable caption="Interfaces" columns={columns} rows={data.interfaces} rowKey={(i) => i.key} />
            <Pager pages={pages} nextPageToken={data.nextPageToken} shown={data.interfaces.length} fetching={list.isFetching}
              pageSize={pageSize} onPageSize={params.setPageSize} />
          </>
        )}
      </QueryView>
      {ordering && (
        <OrderInterfaceDialog resellerId={resellerId} onClose={() => setOrdering(false)}
          onOrdered={(answer) => navigate(`/interfaces/${answer.key}`)} />
      )}
    </Page>
  );
}
