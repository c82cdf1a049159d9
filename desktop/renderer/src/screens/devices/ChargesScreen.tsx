// Charges recorded for extra softphone seats, for billing: each shown by its
// client's name and code (the API's client_name, client_code), filtered by
// reseller, by a client chosen by name or by a part of clients' names or
// codes (client_query), and by period, with the totals of the whole
// filter per currency (the server sums every page), and a CSV of them. A
// client's page shows its own in a tab.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import type { Client } from '@gen/reseller/v1/clients_pb.js';
import { DeviceService, type Charge } from '@gen/reseller/v1/devices_pb.js';
import { csvTime } from '../../api/csv.ts';
import { decimalMoney } from '../../api/format.ts';
import { useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { ClientPicker } from '../../ui/ClientPicker.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { DateTimeFilter, localTimestamp, SearchFilter, SelectFilter, useDebounced } from '../../ui/filters.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { Page } from '../../ui/Page.tsx';
import { ClientLink, ResellerLink } from '../../ui/references.tsx';
import { SavedFilters } from '../../ui/SavedFilters.tsx';
import { resellerOptions, useResellerChoices, useResellerName } from '../resellers/resellers.ts';

function useChargeColumns({ withClient }: { withClient: boolean }): Column<Charge>[] {
  const { t } = useTranslation();
  const format = useFormat();
  const resellerName = useResellerName();
  return [
    { header: t('charges.columns.date'), cell: (c) => format.time(c.createTime), csv: (c) => csvTime(c.createTime), className: 'nowrap' },
    ...(withClient ? [{
      header: t('charges.columns.client'),
      cell: (c: Charge) => <><ClientLink id={c.clientId} name={c.clientName} /> <code className="muted">{c.clientCode}</code></>,
      csv: (c: Charge) => c.clientName,
    }, {
      header: t('charges.columns.clientCode'), cell: (c: Charge) => c.clientCode, csv: (c: Charge) => c.clientCode, exportOnly: true,
    }] : []),
    { header: t('charges.columns.description'), cell: (c) => c.item?.description, csv: (c) => c.item?.description },
    { header: t('charges.columns.offering'), cell: (c) => <Link to={`/offerings/${c.item?.offeringCode}`} className="mono">{c.item?.offeringCode}</Link>, csv: (c) => c.item?.offeringCode },
    { header: t('charges.columns.quantity'), cell: (c) => format.number(c.item?.quantity), csv: (c) => c.item?.quantity, className: 'num' },
    { header: t('charges.columns.unitPrice'), cell: (c) => format.money(c.item?.unitPrice), csv: (c) => ({ decimal: decimalMoney(c.item?.unitPrice) }), className: 'num money' },
    { header: t('charges.columns.total'), cell: (c) => format.money(c.item?.total), csv: (c) => ({ decimal: decimalMoney(c.item?.total) }), className: 'num money' },
    { header: t('charges.columns.currency'), cell: (c) => c.item?.total?.currency, csv: (c) => c.item?.total?.currency, exportOnly: true },
    { header: t('charges.columns.reseller'), cell: (c) => <ResellerLink id={c.resellerId} />, csv: (c) => resellerName(c.resellerId) },
    { header: t('charges.columns.device'), cell: (c) => <code>{c.deviceId}</code>, csv: (c) => c.deviceId },
    { header: t('charges.columns.accountId'), cell: (c) => c.accountId, csv: (c) => c.accountId, exportOnly: true },
    { header: t('charges.columns.clientId'), cell: (c) => c.clientId, csv: (c) => c.clientId, exportOnly: true },
    { header: t('charges.columns.chargeId'), cell: (c) => c.chargeId, csv: (c) => c.chargeId, exportOnly: true },
  ];
}

function Totals({ totals }: { totals: readonly { amountMinor: bigint; currency: string }[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <p className="totals" aria-label={t('charges.totals')}>
      {totals.map((m) => <span key={m.currency} data-testid={`total-${m.currency}`}>{t('charges.total', { currency: m.currency })} <strong className="money">{format.money(m)}</strong></span>)}
    </p>
  );
}

function ChargesList({ clientId, filters, withClient, savedAs }: { clientId: string; filters: ReactNode; withClient: boolean; savedAs?: string }) {
  const { t } = useTranslation();
  const params = useListParams();
  const resellerId = params.get('reseller');
  const from = params.get('from');
  const to = params.get('to');
  const clientQuery = useDebounced(params.get('clientq').trim());
  const invalidRange = from !== '' && to !== '' && new Date(from) >= new Date(to);
  const filter = { resellerId, clientId, clientQuery, startTime: localTimestamp(from), endTime: localTimestamp(to) };
  const list = useQuery(DeviceService.method.listCharges, { ...filter, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken },
    { placeholderData: (p) => p, enabled: !invalidRange });
  const transport = useTransport();
  const columns = useChargeColumns({ withClient });
  const filtered = Boolean(resellerId || clientId || clientQuery || from || to);
  return (
    <>
      <div className="toolbar">
        {filters}
        <DateTimeFilter label={t('common.from')} value={from} onChange={(v) => params.set('from', v)} />
        <DateTimeFilter label={t('common.until')} value={to} onChange={(v) => params.set('to', v)} />
        {savedAs && <SavedFilters list={savedAs} params={params} />}
        <ExportButton file={t('export.files.charges')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(DeviceService, transport).listCharges({ ...filter, pageSize: 200, pageToken });
          return { items: page.charges, nextPageToken: page.nextPageToken };
        }} />
      </div>
      {invalidRange ? <p className="notice notice-warn" role="alert">{t('common.badRange')}</p> : (
        <ListView query={list} rows={(d) => d.charges} nextPageToken={(d) => d.nextPageToken} caption={t('charges.caption')}
          columns={columns} rowKey={(c) => c.chargeId} list={params} what={t('charges.what')}
          above={(d) => <Totals totals={d.totals} />}
          empty={filtered ? <p>{t('charges.emptyFiltered')}</p> : <p>{t('charges.empty')}</p>} />
      )}
    </>
  );
}

export function ChargesScreen() {
  const { t } = useTranslation();
  const params = useListParams();
  const resellers = useResellerChoices();
  return (
    <Page title={t('charges.title')} subtitle={t('charges.subtitle')}>
      <ChargesList clientId={params.get('client')} withClient savedAs="charges" filters={<>
        <SelectFilter label={t('charges.columns.reseller')} value={params.get('reseller')} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], t('common.everyReseller'))} />
        <SearchFilter label={t('charges.clientQuery')} value={params.get('clientq')} onChange={(v) => params.set('clientq', v)} placeholder={t('charges.clientQueryPlaceholder')} />
        <ClientPicker label={t('charges.columns.client')} value={params.get('client')} onChange={(v) => params.set('client', v)} />
      </>} />
    </Page>
  );
}

/** The charges of one client, for its page. */
export function ClientCharges({ client }: { client: Client }) {
  return <ChargesList clientId={client.clientId} withClient={false} filters={null} />;
}
