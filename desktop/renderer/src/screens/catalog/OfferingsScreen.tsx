// The catalog's offerings (seed 003 prestations): by kind, retired ones on
// request, with their price, billing period and associated offerings; CSV;
// saved filters; a new one (admin).
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { CatalogService, OfferingKind, type Offering } from '@gen/reseller/v1/catalog_pb.js';
import { csvTime } from '../../api/csv.ts';
import { decimalMoney } from '../../api/format.ts';
import { useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { CheckboxFilter, SelectFilter } from '../../ui/filters.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { Page } from '../../ui/Page.tsx';
import { SavedFilters } from '../../ui/SavedFilters.tsx';
import { OfferingDialog } from './CatalogForms.tsx';
import { billingLabels, offeringKindLabels, offeringKindOptions } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

export function OfferingsScreen() {
  const { t } = useTranslation();
  const format = useFormat();
  const params = useListParams();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const kind = Number(params.get('kind', '0')) as OfferingKind;
  const includeRetired = params.get('retired') === '1';
  const filter = { kind, includeRetired };
  const list = useQuery(CatalogService.method.listOfferings, { ...filter, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const transport = useTransport();

  const columns: Column<Offering>[] = [
    { header: t('catalog.columns.code'), cell: (o) => <Link to={`/offerings/${o.code}`} className="mono">{o.code}</Link>, csv: (o) => o.code },
    { header: t('catalog.columns.name'), cell: (o) => o.name, csv: (o) => o.name },
    { header: t('catalog.columns.kind'), cell: (o) => tr(t, offeringKindLabels[o.kind]), csv: (o) => tr(t, offeringKindLabels[o.kind]) },
    { header: t('catalog.columns.price'), cell: (o) => `${format.money(o.price)} ${tr(t, billingLabels[o.billingPeriod])}`, csv: (o) => ({ decimal: decimalMoney(o.price) }), className: 'num money' },
    { header: t('catalog.columns.currency'), cell: (o) => o.price?.currency, csv: (o) => o.price?.currency, exportOnly: true },
    { header: t('catalog.columns.billing'), cell: (o) => tr(t, billingLabels[o.billingPeriod]), csv: (o) => tr(t, billingLabels[o.billingPeriod]), exportOnly: true },
    { header: t('catalog.columns.needsOneOf'), cell: (o) => <span className="codes">{o.associatedCodes.map((c) => <code key={c}>{c}</code>)}</span>, csv: (o) => o.associatedCodes.join(' ') },
    { header: t('catalog.columns.onSale'), cell: (o) => (o.retired ? <Badge tone="off">{t('catalog.retired')}</Badge> : <Badge tone="ok">{t('catalog.onSale')}</Badge>), csv: (o) => (o.retired ? t('catalog.retired') : t('catalog.onSale')) },
    { header: t('catalog.columns.retiredOn'), cell: (o) => format.time(o.retireTime), csv: (o) => csvTime(o.retireTime), exportOnly: true },
  ];
  return (
    <Page title={t('catalog.offerings.title')} subtitle={t('catalog.offerings.subtitle')}
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>{t('catalog.offerings.new')}</button></IfMayChange>}>
      <div className="toolbar">
        <SelectFilter label={t('catalog.columns.kind')} value={kind ? String(kind) : ''} onChange={(v) => params.set('kind', v)} options={offeringKindOptions(t)} />
        <CheckboxFilter label={t('catalog.offerings.includeRetired')} checked={includeRetired} onChange={(v) => params.set('retired', v ? '1' : '')} />
        <SavedFilters list="offerings" params={params} />
        <ExportButton file={t('export.files.offerings')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(CatalogService, transport).listOfferings({ ...filter, pageSize: 200, pageToken });
          return { items: page.offerings, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <ListView query={list} rows={(d) => d.offerings} nextPageToken={(d) => d.nextPageToken} caption={t('catalog.offerings.caption')}
        columns={columns} rowKey={(o) => o.code} list={params} what={t('catalog.offerings.what')} empty={<p>{t('catalog.offerings.empty')}</p>} />
      {creating && <OfferingDialog onClose={() => setCreating(false)} onSaved={(o) => navigate(`/offerings/${o.code}`)} />}
    </Page>
  );
}
