// Charges recorded for extra softphone seats, for billing: filtered by
// reseller, client and period, with the totals of the whole filter per
// currency (the server sums every page), and a CSV of them.
import { Link } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { DeviceService, type Charge } from '@gen/reseller/v1/devices_pb.js';
import { decimalMoney, formatMoney, formatTime, isoTime } from '../../api/format.ts';
import { useListParams, usePages } from '../../api/lists.ts';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { SearchFilter, SelectFilter } from '../../ui/filters.tsx';
import { Page } from '../../ui/Page.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { QueryView } from '../../ui/States.tsx';
import { DateTimeFilter, localTimestamp } from '../audit/AuditScreen.tsx';
import { resellerOptions, useResellerChoices, useResellerName } from '../resellers/resellers.ts';

export function ChargesScreen() {
  const params = useListParams();
  const resellerId = params.get('reseller');
  const clientId = params.get('client');
  const from = params.get('from');
  const to = params.get('to');
  const { pageSize } = params;
  const invalidRange = from !== '' && to !== '' && new Date(from) >= new Date(to);
  const filter = { resellerId, clientId: clientId.trim(), startTime: localTimestamp(from), endTime: localTimestamp(to) };
  const pages = usePages(JSON.stringify({ resellerId, clientId, from, to, pageSize }));
  const list = useQuery(DeviceService.method.listCharges, { ...filter, pageSize: Number(pageSize), pageToken: pages.pageToken },
    { placeholderData: (p) => p, enabled: !invalidRange });
  const resellers = useResellerChoices();
  const resellerName = useResellerName();
  const transport = useTransport();

  const columns: Column<Charge>[] = [
    { header: 'Date', cell: (c) => formatTime(c.createTime), csv: (c) => isoTime(c.createTime), className: 'nowrap' },
    { header: 'Description', cell: (c) => c.item?.description, csv: (c) => c.item?.description },
    { header: 'Offering', cell: (c) => <code>{c.item?.offeringCode}</code>, csv: (c) => c.item?.offeringCode },
    { header: 'Quantity', cell: (c) => c.item?.quantity, csv: (c) => c.item?.quantity, className: 'num' },
    { header: 'Unit price', cell: (c) => formatMoney(c.item?.unitPrice), csv: (c) => decimalMoney(c.item?.unitPrice), className: 'num money' },
    { header: 'Total', cell: (c) => formatMoney(c.item?.total), csv: (c) => decimalMoney(c.item?.total), className: 'num money' },
    { header: 'Currency', cell: (c) => c.item?.total?.currency, csv: (c) => c.item?.total?.currency, exportOnly: true },
    { header: 'Client', cell: (c) => <Link to={`/clients/${c.clientId}`} className="mono">{c.clientId}</Link>, csv: (c) => c.clientId },
    { header: 'Reseller', cell: (c) => resellerName(c.resellerId), csv: (c) => resellerName(c.resellerId) },
    { header: 'Device', cell: (c) => <code>{c.deviceId}</code>, csv: (c) => c.deviceId },
    { header: 'Account id', cell: (c) => c.accountId, csv: (c) => c.accountId, exportOnly: true },
    { header: 'Charge id', cell: (c) => c.chargeId, csv: (c) => c.chargeId, exportOnly: true },
  ];
  const filtered = Boolean(resellerId || clientId || from || to);
  return (
    <Page title="Charges" subtitle="Extra softphone seats charged to clients, for billing.">
      <div className="toolbar">
        <SelectFilter label="Reseller" value={resellerId} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], 'Every reseller')} />
        <SearchFilter label="Client id" value={clientId} onChange={(v) => params.set('client', v.trim())} />
        <DateTimeFilter label="From" value={from} onChange={(v) => params.set('from', v)} />
        <DateTimeFilter label="Until" value={to} onChange={(v) => params.set('to', v)} />
        <ExportButton what="charges" columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(DeviceService, transport).listCharges({ ...filter, pageSize: 200, pageToken });
          return { items: page.charges, nextPageToken: page.nextPageToken };
        }} />
      </div>
      {invalidRange ? <p className="notice notice-warn" role="alert">“From” must be before “Until”.</p> : (
        <QueryView query={list} what="charges" isEmpty={(d) => d.charges.length === 0}
          empty={filtered ? <p>No charge matches these filters.</p> : <p>No charges yet.</p>}>
          {(data) => (
            <>
              <p className="totals" aria-label="Totals">
                {data.totals.map((t) => <span key={t.currency} data-testid={`total-${t.currency}`}>Total {t.currency}: <strong className="money">{formatMoney(t)}</strong></span>)}
              </p>
              <DataTable caption="Charges" columns={columns} rows={data.charges} rowKey={(c) => c.chargeId} />
              <Pager pages={pages} nextPageToken={data.nextPageToken} shown={data.charges.length} fetching={list.isFetching}
                pageSize={pageSize} onPageSize={params.setPageSize} />
            </>
          )}
        </QueryView>
      )}
    </Page>
  );
}
