// The catalog's offerings (seed 003 prestations): by kind, retired ones on
// request, with their price, billing period and associated offerings; CSV;
// a new one (admin).
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { CatalogService, OfferingKind, type Offering } from '@gen/reseller/v1/catalog_pb.js';
import { decimalMoney, formatMoney, formatTime, isoTime } from '../../api/format.ts';
import { useListParams, usePages } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { CheckboxFilter, SelectFilter } from '../../ui/filters.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { Page } from '../../ui/Page.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { QueryView } from '../../ui/States.tsx';
import { OfferingDialog } from './CatalogForms.tsx';
import { billingLabels, offeringKindLabels, offeringKindOptions } from './labels.ts';

export function OfferingsScreen() {
  const params = useListParams();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const kind = Number(params.get('kind', '0')) as OfferingKind;
  const includeRetired = params.get('retired') === '1';
  const { pageSize } = params;
  const filter = { kind, includeRetired };
  const pages = usePages(JSON.stringify({ ...filter, pageSize }));
  const list = useQuery(CatalogService.method.listOfferings, { ...filter, pageSize: Number(pageSize), pageToken: pages.pageToken }, { placeholderData: (p) => p });
  const transport = useTransport();

  const columns: Column<Offering>[] = [
    { header: 'Code', cell: (o) => <Link to={`/offerings/${o.code}`} className="mono">{o.code}</Link>, csv: (o) => o.code },
    { header: 'Name', cell: (o) => o.name, csv: (o) => o.name },
    { header: 'Kind', cell: (o) => offeringKindLabels[o.kind], csv: (o) => offeringKindLabels[o.kind] },
    { header: 'Price', cell: (o) => `${formatMoney(o.price)} ${billingLabels[o.billingPeriod]}`, csv: (o) => decimalMoney(o.price), className: 'num money' },
    { header: 'Currency', cell: (o) => o.price?.currency, csv: (o) => o.price?.currency, exportOnly: true },
    { header: 'Billing', cell: (o) => billingLabels[o.billingPeriod], csv: (o) => billingLabels[o.billingPeriod], exportOnly: true },
    { header: 'Needs one of', cell: (o) => o.associatedCodes.map((c) => <code key={c}>{c} </code>), csv: (o) => o.associatedCodes.join(' ') },
    { header: 'On sale', cell: (o) => (o.retired ? <Badge tone="off">Retired</Badge> : <Badge tone="ok">On sale</Badge>), csv: (o) => (o.retired ? 'retired' : 'on sale') },
    { header: 'Retired on', cell: (o) => formatTime(o.retireTime), csv: (o) => isoTime(o.retireTime), exportOnly: true },
  ];
  return (
    <Page title="Offerings" subtitle="What resellers order interfaces with. Prices exclude VAT."
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>New offering</button></IfMayChange>}>
      <div className="toolbar">
        <SelectFilter label="Kind" value={kind ? String(kind) : ''} onChange={(v) => params.set('kind', v)} options={offeringKindOptions} />
        <CheckboxFilter label="Include retired" checked={includeRetired} onChange={(v) => params.set('retired', v ? '1' : '')} />
        <ExportButton what="offerings" columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(CatalogService, transport).listOfferings({ ...filter, pageSize: 200, pageToken });
          return { items: page.offerings, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <QueryView query={list} what="offerings" isEmpty={(d) => d.offerings.length === 0} empty={<p>No offering matches these filters.</p>}>
        {(data) => (
          <>
            <DataTable caption="Offerings" columns={columns} rows={data.offerings} rowKey={(o) => o.code} />
            <Pager pages={pages} nextPageToken={data.nextPageToken} shown={data.offerings.length} fetching={list.isFetching}
              pageSize={pageSize} onPageSize={params.setPageSize} />
          </>
        )}
      </QueryView>
      {creating && <OfferingDialog onClose={() => setCreating(false)} onSaved={(o) => navigate(`/offerings/${o.code}`)} />}
    </Page>
  );
}
