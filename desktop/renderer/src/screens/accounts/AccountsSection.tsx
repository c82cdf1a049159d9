// A client's accounts and its families, each a tab of its page: the API's
// ListAccounts and ListFamilies by client, paginated, searched ignoring case
// and accents, with their totals; each row links to its own page. Founding a
// family and finding an account by its exact identifier start here too, and
// each list exports as CSV.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import type { Client } from '@gen/reseller/v1/clients_pb.js';
import { ProvisioningService, type Account, type Family } from '@gen/reseller/v1/provisioning_pb.js';
import { csvTime } from '../../api/csv.ts';
import { useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { tr } from '../../i18n/keys.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { SearchFilter, useDebounced } from '../../ui/filters.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { Section } from '../../ui/Page.tsx';
import { useInactiveReason } from '../clients/inactive.ts';
import { FindAccountDialog, FoundFamilyDialog } from './AccountForms.tsx';
import { accountName, identifierTypeLabels, rightLabels, roleLabels } from './labels.ts';

/** Found a family / find an account: offered on both tabs. */
function AccountActions({ client }: { client: Client }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'found' | 'find'>();
  const inactive = useInactiveReason(client);
  return (
    <>
      <IfMayChange><Button onClick={() => setDialog('found')} disabledReason={inactive}>{t('accounts.found')}</Button></IfMayChange>
      <button type="button" className="btn" onClick={() => setDialog('find')}>{t('accounts.find')}</button>
      {dialog === 'found' && <FoundFamilyDialog clientId={client.clientId} onClose={() => setDialog(undefined)}
        onFounded={(family) => { setDialog(undefined); navigate(`/families/${family.familyId}`); }} />}
      {dialog === 'find' && <FindAccountDialog clientId={client.clientId} onClose={() => setDialog(undefined)}
        onFound={(account) => { setDialog(undefined); navigate(`/accounts/${account.accountId}`); }} />}
    </>
  );
}

export function AccountsSection({ client }: { client: Client }) {
  const { t } = useTranslation();
  const format = useFormat();
  const params = useListParams();
  const search = params.get('q');
  const query = useDebounced(search.trim());
  const transport = useTransport();
  const filter = { clientId: client.clientId, query };
  const list = useQuery(ProvisioningService.method.listAccounts,
    { ...filter, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const columns: Column<Account>[] = [
    { header: t('accounts.columns.account'), cell: (a) => <Link to={`/accounts/${a.accountId}`}>{a.firstName || a.identifier}</Link>, csv: (a) => a.firstName },
    {
      header: t('accounts.fields.identifier'), cell: (a) => <><code>{a.identifier}</code> <span className="muted">({tr(t, identifierTypeLabels[a.identifierType])})</span></>,
      csv: (a) => a.identifier,
    },
    { header: t('accounts.fields.identifierType'), cell: (a) => tr(t, identifierTypeLabels[a.identifierType]), csv: (a) => tr(t, identifierTypeLabels[a.identifierType]), exportOnly: true },
    {
      header: t('accounts.families'),
      cell: (a) => a.families.length === 0 ? <span className="muted">{t('common.none')}</span> : (
        <span className="ref-list">{a.families.map((f) => (
          <span key={f.familyId}><Link to={`/families/${f.familyId}`}>{f.familyName}</Link> <span className="muted">({tr(t, rightLabels[f.right])})</span></span>
        ))}</span>
      ),
      csv: (a) => a.families.map((f) => `${f.familyName} (${tr(t, rightLabels[f.right])})`).join(', '),
    },
    {
      header: t('accounts.fields.roles'), cell: (a) => <span className="row-actions">{a.roles.map((r) => <Badge key={r} tone="info">{tr(t, roleLabels[r])}</Badge>)}</span>,
      csv: (a) => a.roles.map((r) => tr(t, roleLabels[r])).join(', '),
    },
    { header: t('accounts.fields.locale'), cell: (a) => a.locale, csv: (a) => a.locale, exportOnly: true },
    { header: t('accounts.columns.created'), cell: (a) => format.time(a.createTime), csv: (a) => csvTime(a.createTime), className: 'nowrap' },
    { header: t('accounts.fields.accountId'), cell: (a) => a.accountId, csv: (a) => a.accountId, exportOnly: true },
  ];
  return (
    <Section title={t('clients.tabs.accounts')} actions={<AccountActions client={client} />}>
      <div className="toolbar">
        <SearchFilter label={t('accounts.searchAccounts')} value={search} onChange={(v) => params.set('q', v)} />
        <ExportButton file={t('export.files.accounts')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(ProvisioningService, transport).listAccounts({ ...filter, pageSize: 200, pageToken });
          return { items: page.accounts, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <ListView query={list} rows={(d) => d.accounts} nextPageToken={(d) => d.nextPageToken} total={(d) => d.totalSize}
        caption={t('accounts.accountsOf', { name: client.name })} columns={columns} rowKey={(a) => a.accountId} list={params}
        what={t('accounts.accountsWhat')} empty={<p>{query ? t('accounts.emptyAccountsFiltered') : t('accounts.emptyAccounts')}</p>} />
    </Section>
  );
}

export function FamiliesSection({ client }: { client: Client }) {
  const { t } = useTranslation();
  const format = useFormat();
  const params = useListParams();
  const search = params.get('q');
  const query = useDebounced(search.trim());
  const transport = useTransport();
  const filter = { clientId: client.clientId, query };
  const list = useQuery(ProvisioningService.method.listFamilies,
    { ...filter, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const columns: Column<Family>[] = [
    { header: t('accounts.columns.family'), cell: (f) => <Link to={`/families/${f.familyId}`}>{f.name}</Link>, csv: (f) => f.name },
    {
      header: t('accounts.members'),
      cell: (f) => (
        <span className="ref-list">{f.members.map((m) => m.account && (
          <span key={m.account.accountId}><Link to={`/accounts/${m.account.accountId}`}>{accountName(m.account)}</Link> <span className="muted">({tr(t, rightLabels[m.right])})</span></span>
        ))}</span>
      ),
      csv: (f) => f.members.flatMap((m) => (m.account ? [`${accountName(m.account)} (${tr(t, rightLabels[m.right])})`] : [])).join(', '),
    },
    { header: t('accounts.columns.created'), cell: (f) => format.time(f.createTime), csv: (f) => csvTime(f.createTime), className: 'nowrap' },
    { header: t('clients.fields.lastChanged'), cell: (f) => format.time(f.updateTime), csv: (f) => csvTime(f.updateTime), className: 'nowrap' },
    { header: t('accounts.fields.familyId'), cell: (f) => f.familyId, csv: (f) => f.familyId, exportOnly: true },
  ];
  return (
    <Section title={t('clients.tabs.families')} actions={<AccountActions client={client} />}>
      <div className="toolbar">
        <SearchFilter label={t('accounts.searchFamilies')} value={search} onChange={(v) => params.set('q', v)} />
        <ExportButton file={t('export.files.families')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(ProvisioningService, transport).listFamilies({ ...filter, pageSize: 200, pageToken });
          return { items: page.families, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <ListView query={list} rows={(d) => d.families} nextPageToken={(d) => d.nextPageToken} total={(d) => d.totalSize}
        caption={t('accounts.familiesOf', { name: client.name })} columns={columns} rowKey={(f) => f.familyId} list={params}
        what={t('accounts.familiesWhat')} empty={<p>{query ? t('accounts.emptyFamiliesFiltered') : t('accounts.emptyFamilies')}</p>} />
    </Section>
  );
}
