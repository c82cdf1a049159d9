// The smartphones resellers sell: by availability and brand, or a search;
// with price, storage and colour; CSV; a new one, or one edited (admin).
import { useState } from 'react';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { CatalogService, SmartphoneAvailability, type Smartphone } from '@gen/reseller/v1/catalog_pb.js';
import { decimalMoney, formatMoney } from '../../api/format.ts';
import { useListParams, usePages } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { SearchFilter, SelectFilter, useDebounced } from '../../ui/filters.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { Page } from '../../ui/Page.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { QueryView } from '../../ui/States.tsx';
import { SmartphoneDialog } from './CatalogForms.tsx';
import { availabilityLabels, availabilityOptions } from './labels.ts';

export function SmartphonesScreen() {
  const params = useListParams();
  const [search, setSearch] = useState(params.get('q'));
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string>();
  const availability = Number(params.get('availability', '0')) as SmartphoneAvailability;
  const { pageSize } = params;
  const query = useDebounced(search.trim());
  const filter = { availability, query };
  const pages = usePages(JSON.stringify({ ...filter, pageSize }));
  const list = useQuery(CatalogService.method.listSmartphones, { ...filter, pageSize: Number(pageSize), pageToken: pages.pageToken }, { placeholderData: (p) => p });
  const transport = useTransport();
  const editing = list.data?.smartphones.find((s) => s.smartphoneId === editingId);

  const columns: Column<Smartphone>[] = [
    { header: 'Brand', cell: (s) => s.brand, csv: (s) => s.brand },
    { header: 'Model', cell: (s) => <strong>{s.model}</strong>, csv: (s) => s.model },
    { header: 'Storage', cell: (s) => `${s.storageGb} GB`, csv: (s) => s.storageGb, className: 'num' },
    { header: 'Colour', cell: (s) => s.colour, csv: (s) => s.colour },
    { header: 'Price', cell: (s) => formatMoney(s.price), csv: (s) => decimalMoney(s.price), className: 'num money' },
    { header: 'Currency', cell: (s) => s.price?.currency, csv: (s) => s.price?.currency, exportOnly: true },
    {
      header: 'Availability',
      cell: (s) => <Badge tone={s.availability === SmartphoneAvailability.IN_STOCK ? 'ok' : s.availability === SmartphoneAvailability.OUT_OF_STOCK ? 'warn' : 'off'}>{availabilityLabels[s.availability]}</Badge>,
      csv: (s) => availabilityLabels[s.availability],
    },
    { header: 'SKU', cell: (s) => <code>{s.sku}</code>, csv: (s) => s.sku },
    { header: 'Smartphone id', cell: (s) => s.smartphoneId, csv: (s) => s.smartphoneId, exportOnly: true },
    {
      header: 'Actions', changes: true,
      cell: (s) => <button type="button" className="btn btn-small" onClick={() => setEditingId(s.smartphoneId)} aria-label={`Edit ${s.sku}`}>Edit</button>,
    },
  ];
  const filtered = query !== '' || availability !== SmartphoneAvailability.UNSPECIFIED;
  return (
    <Page title="Smartphones" subtitle="The smartphones resellers sell. Prices exclude VAT."
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>New smartphone</button></IfMayChange>}>
      <div className="toolbar">
        <SearchFilter label="Search brand or model" value={search} onChange={(v) => { setSearch(v); params.set('q', v.trim()); }} />
        <SelectFilter label="Availability" value={availability ? String(availability) : ''} onChange={(v) => params.set('availability', v)} options={availabilityOptions} />
        <ExportButton what="smartphones" columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(CatalogService, transport).listSmartphones({ ...filter, pageSize: 200, pageToken });
          return { items: page.smartphones, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <QueryView query={list} what="smartphones" isEmpty={(d) => d.smartphones.length === 0}
        empty={filtered ? <p>No smartphone matches these filters.</p> : <p>No smartphones in the catalog.</p>}>
        {(data) => (
          <>
            <DataTable caption="Smartphones" columns={columns} rows={data.smartphones} rowKey={(s) => s.smartphoneId} />
            <Pager pages={pages} nextPageToken={data.nextPageToken} shown={data.smartphones.length} fetching={list.isFetching}
              pageSize={pageSize} onPageSize={params.setPageSize} />
          </>
        )}
      </QueryView>
      {creating && <SmartphoneDialog onClose={() => setCreating(false)} />}
      {editing && <SmartphoneDialog key={editing.etag} smartphone={editing} onClose={() => setEditingId(undefined)} onReload={() => void list.refetch()} />}
    </Page>
  );
}
