// One reseller: what staff open from it (its clients, interfaces, credentials
// and charges) and its history. The API has no GetReseller: the name comes from
// the list of resellers the console reads anyway (the first 200 by name).
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { shortId } from '../../api/format.ts';
import { useFormat } from '../../i18n/format.ts';
import { Details } from '../../ui/Details.tsx';
import { Page } from '../../ui/Page.tsx';
import { Loading } from '../../ui/States.tsx';
import { Tabs } from '../../ui/Tabs.tsx';
import { HistoryTab } from '../audit/HistoryTab.tsx';
import { CredentialsList } from '../credentials/CredentialsScreen.tsx';
import { WebhooksTab } from '../events/WebhooksTab.tsx';
import { useResellerChoices } from './resellers.ts';

export function ResellerDetailScreen() {
  const { t } = useTranslation();
  const format = useFormat();
  const { resellerId = '' } = useParams();
  const resellers = useResellerChoices();
  if (resellers.isPending) return <Loading />;
  const reseller = resellers.data?.resellers.find((r) => r.resellerId === resellerId);
  const name = reseller?.name ?? t('references.reseller', { id: shortId(resellerId) });
  return (
    <Page title={name} subtitle={<Link to="/resellers">{t('resellers.title')}</Link>}>
      <dl className="facts">
        <dt>{t('resellers.columns.registered')}</dt><dd>{reseller ? format.time(reseller.createTime) : t('common.dash')}</dd>
        <dt>{t('resellers.open')}</dt>
        <dd className="row-actions">
          <Link to={`/clients?reseller=${resellerId}`}>{t('nav.clients')}</Link>
          <Link to={`/interfaces?reseller=${resellerId}`}>{t('nav.interfaces')}</Link>
          <Link to={`/charges?reseller=${resellerId}`}>{t('nav.charges')}</Link>
          <Link to={`/audit?reseller=${resellerId}`}>{t('nav.audit')}</Link>
        </dd>
      </dl>
      <Details ids={[{ label: t('resellers.columns.resellerId'), value: resellerId }]} />
      <Tabs label={t('resellers.tabs.label')} tabs={[
        { id: 'credentials', label: t('nav.credentials'), render: () => <CredentialsList resellerId={resellerId} /> },
        { id: 'webhooks', label: t('webhooks.tab'), render: () => <WebhooksTab resellerId={resellerId} resellerName={name} /> },
        { id: 'history', label: t('history.tab'), render: () => <HistoryTab objectType="Reseller" objectId={resellerId} name={name} /> },
      ]} />
    </Page>
  );
}
