// The smartphones resellers sell: by availability, or a search on brand and
// model; with price, storage and colour; CSV; saved filters; a new one, or
// one edited (admin).
import { useState } from 'react';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { CatalogService, SmartphoneAvailability, type Smartphone } from '@gen/reseller/v1/catalog_pb.js';
import { decimalMoney } from '../../api/format.ts';
import { useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { SearchFilter, SelectFilter, useDebounced } from '../../ui/filters.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { Page } from '../../ui/Page.tsx';
import { SavedFilters } from '../../ui/SavedFilters.tsx';
import { SmartphoneDialog } from './CatalogForms.tsx';
import { availabilityLabels, availabilityOptions } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

export function SmartphonesScreen() {
  const { t } = useTranslation();
  const format = useFormat();
  const params = useListParams();
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string>();
  const search = params.get('q');
  const availability = Number(params.get('availability', '0')) as SmartphoneAvailability;
  const query = useDebounced(search.trim());
  const filter = { availability, query };
  const list = useQuery(CatalogService.method.listSmartphones, { ...filter, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const transport = useTransport();
  const editing = list.data?.smartphones.find((s) => s.smartphoneId === editingId);

  const columns: Column<Smartphone>[] = [
    { header: t('catalog.phones.brand'), cell: (s) => s.brand, csv: (s) => s.brand },
    { header: t('catalog.phones.model'), cell: (s) => <strong>{s.model}</strong>, csv: (s) => s.model },
    { header: t('catalog.phones.storage'), cell: (s) => t('catalog.phones.gb', { size: format.number(s.storageGb) }), csv: (s) => s.storageGb, className: 'num nowrap' },
    { header: t('catalog.phones.colour'), cell: (s) => s.colour, csv: (s) => s.colour },
    { header: t('catalog.columns.price'), cell: (s) => format.money(s.price), csv: (s) => ({ decimal: decimalMoney(s.price) }), className: 'num money' },
    { header: t('catalog.columns.currency'), cell: (s) => s.price?.currency, csv: (s) => s.price?.currency, exportOnly: true },
    {
      header: t('catalog.phones.availability'),
      cell: (s) => <Badge tone={s.availability === SmartphoneAvailability.IN_STOCK ? 'ok' : s.availability === SmartphoneAvailability.OUT_OF_STOCK ? 'warn' : 'off'}>{tr(t, availabilityLabels[s.availability])}</Badge>,
      csv: (s) => tr(t, availabilityLabels[s.availability]),
    },
    { header: t('catalog.phones.sku'), cell: (s) => <code>{s.sku}</code>, csv: (s) => s.sku },
    { header: t('catalog.phones.smartphoneId'), cell: (s) => s.smartphoneId, csv: (s) => s.smartphoneId, exportOnly: true },
    {
      header: t('common.actions'), changes: true,
      cell: (s) => <button type="button" className="btn btn-small" onClick={() => setEditingId(s.smartphoneId)} aria-label={t('catalog.phones.editNamed', { sku: s.sku })}>{t('common.edit')}</button>,
    },
  ];
  const filtered = query !== '' || availability !== SmartphoneAvailability.UNSPECIFIED;
  return (
    <Page title={t('catalog.phones.title')} subtitle={t('catalog.phones.subtitle')}
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>{t('catalog.phones.new')}</button></IfMayChange>}>
      <div className="toolbar">
        <SearchFilter label={t('catalog.phones.search')} value={search} onChange={(v) => params.set('q', v)} />
        <SelectFilter label={t('catalog.phones.availability')} value={availability ? String(availability) : ''} onChange={(v) => params.set('availability', v)} options={availabilityOptions(t)} />
        <SavedFilters list="smartphones" params={params} />
        <ExportButton file={t('export.files.smartphones')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(CatalogService, transport).listSmartphones({ ...filter, pageSize: 200, pageToken });
          return { items: page.smartphones, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <ListView query={list} rows={(d) => d.smartphones} nextPageToken={(d) => d.nextPageToken} caption={t('catalog.phones.caption')}
        columns={columns} rowKey={(s) => s.smartphoneId} list={params} what={t('catalog.phones.what')}
        empty={filtered ? <p>{t('catalog.phones.emptyFiltered')}</p> : <p>{t('catalog.phones.empty')}</p>} />
      {creating && <SmartphoneDialog onClose={() => setCreating(false)} />}
      {editing && <SmartphoneDialog key={editing.etag} smartphone={editing} onClose={() => setEditingId(undefined)} onReload={() => void list.refetch()} />}
    </Page>
  );
}
