// One offering in full, and the changes an admin makes to it: edit, retire.
// Its long description is HTML that the server sanitised when staff wrote it
// (CatalogService: "already sanitised: safe to render as HTML"), so it is
// rendered as such.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { CatalogService, type Offering } from '@gen/reseller/v1/catalog_pb.js';
import { useInvalidate } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { Details } from '../../ui/Details.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { Page } from '../../ui/Page.tsx';
import { QueryView } from '../../ui/States.tsx';
import { Tabs } from '../../ui/Tabs.tsx';
import { HistoryTab } from '../audit/HistoryTab.tsx';
import { OfferingDialog } from './CatalogForms.tsx';
import { billingLabels, offeringKindLabels } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

export function OfferingDetailScreen() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const query = useQuery(CatalogService.method.getOffering, { code });
  return (
    <QueryView query={query} what={t('catalog.offerings.whatOne')}>
      {(data) => <OfferingDetail offering={data.offering!} reload={() => void query.refetch()} />}
    </QueryView>
  );
}

function OfferingDetail({ offering: o, reload }: { offering: Offering; reload: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const [editing, setEditing] = useState(false);
  const invalidate = useInvalidate(CatalogService);
  const retire = useMutation(CatalogService.method.retireOffering);
  return (
    <Page title={o.name}
      subtitle={<><Link to="/offerings">{t('catalog.offerings.title')}</Link> › <code>{o.code}</code> {o.retired ? <Badge tone="off">{t('catalog.retired')}</Badge> : <Badge tone="ok">{t('catalog.onSale')}</Badge>}</>}
      actions={<>
        <IfMayChange><button type="button" className="btn" onClick={() => setEditing(true)}>{t('common.edit')}</button></IfMayChange>
        {!o.retired && (
          <ConfirmButton label={t('catalog.offerings.retire')} title={t('catalog.offerings.retireTitle', { name: o.name })} confirmLabel={t('catalog.offerings.retireConfirm')}
            onConfirm={async () => {
              await retire.mutateAsync({ code: o.code });
              await invalidate();
              notify({ message: t('catalog.offerings.notify.retired', { code: o.code }) });
            }}>
            <p>{t('catalog.offerings.retireText1', { code: o.code })}</p>
            <p>{t('catalog.offerings.retireText2')}</p>
          </ConfirmButton>
        )}
      </>}>
      <dl className="facts">
        <dt>{t('catalog.columns.kind')}</dt><dd>{tr(t, offeringKindLabels[o.kind])}</dd>
        <dt>{t('catalog.columns.price')}</dt><dd className="money">{format.money(o.price)} {tr(t, billingLabels[o.billingPeriod])} <span className="muted">{t('catalog.exclVat')}</span></dd>
        <dt>{t('catalog.columns.needsOneOf')}</dt><dd>{o.associatedCodes.length > 0 ? o.associatedCodes.map((c) => <Link key={c} to={`/offerings/${c}`} className="mono">{c}</Link>) : <span className="muted">{t('catalog.offerings.nothing')}</span>}</dd>
        <dt>{t('catalog.fields.projectForm')}</dt><dd>{o.projectForm ? t('catalog.offerings.formSent') : t('common.no')}</dd>
        {o.includedQuantity > 0 && <><dt>{t('catalog.fields.includedQuantity')}</dt><dd>{format.number(o.includedQuantity)}</dd></>}
        <dt>{t('catalog.offerings.published')}</dt><dd>{format.time(o.createTime)}</dd>
        <dt>{t('clients.fields.lastChanged')}</dt><dd>{format.time(o.updateTime)}</dd>
        {o.retired && <><dt>{t('catalog.retired')}</dt><dd>{format.time(o.retireTime)}</dd></>}
      </dl>
      <Details ids={[{ label: t('catalog.columns.code'), value: o.code }, { label: t('clients.fields.version'), value: o.etag }]} />
      <p>{o.shortDescription}</p>
      <Tabs label={t('catalog.offerings.tabs')} tabs={[
        {
          id: 'description', label: t('catalog.fields.longDescription'),
          // Sanitised by the server (allow-listed tags, no scripts or handlers).
          render: () => <div className="rich-text" data-testid="long-description" dangerouslySetInnerHTML={{ __html: o.longDescription }} />,
        },
        { id: 'history', label: t('history.tab'), render: () => <HistoryTab objectType="Offering" objectId={o.code} name={o.code} /> },
      ]} />
      {editing && <OfferingDialog key={o.etag} offering={o} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} onReload={reload} />}
    </Page>
  );
}
