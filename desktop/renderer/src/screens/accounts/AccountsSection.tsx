// The accounts and families of a client, on its page. The API lists none
// yet (phase 2 of issue 19 adds ListAccounts and ListFamilies by client): the
// tab lists the ones founded, created or found here (SearchAccount by email,
// MSISDN or login), by name, each linked to its own page.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Client } from '@gen/reseller/v1/clients_pb.js';
import { Button } from '../../ui/Button.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { Section } from '../../ui/Page.tsx';
import { Empty } from '../../ui/States.tsx';
import { useInactiveReason } from '../clients/ClientDetailScreen.tsx';
import { FindAccountDialog, FoundFamilyDialog } from './AccountForms.tsx';
import { useKnownAccounts, type KnownAccount, type KnownFamily } from './known.ts';

export function AccountsSection({ client }: { client: Client }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'found' | 'find'>();
  const known = useKnownAccounts(client.clientId);
  const inactive = useInactiveReason(client);
  const familyColumns: Column<KnownFamily>[] = [
    { header: t('accounts.columns.family'), cell: (f) => <Link to={`/families/${f.familyId}`}>{f.name}</Link> },
  ];
  const accountColumns: Column<KnownAccount>[] = [
    { header: t('accounts.columns.account'), cell: (a) => <Link to={`/accounts/${a.accountId}`}>{a.firstName || a.identifier}</Link> },
    { header: t('accounts.fields.identifier'), cell: (a) => <code>{a.identifier}</code> },
  ];
  return (
    <Section title={t('clients.tabs.accounts')} actions={<>
      <IfMayChange><Button onClick={() => setDialog('found')} disabledReason={inactive}>{t('accounts.found')}</Button></IfMayChange>
      <button type="button" className="btn" onClick={() => setDialog('find')}>{t('accounts.find')}</button>
    </>}>
      <p className="muted">{t('accounts.notListedYet')}</p>
      {known.families.length === 0 && known.accounts.length === 0 ? (
        <Empty><p>{t('accounts.emptyKnown')}</p></Empty>
      ) : (
        <div className="two-columns">
          <DataTable caption={t('accounts.familiesOf', { name: client.name })} columns={familyColumns} rows={known.families} rowKey={(f) => f.familyId} />
          <DataTable caption={t('accounts.accountsOf', { name: client.name })} columns={accountColumns} rows={known.accounts} rowKey={(a) => a.accountId} />
        </div>
      )}
      {dialog === 'found' && <FoundFamilyDialog clientId={client.clientId} onClose={() => setDialog(undefined)}
        onFounded={(family, account) => { known.rememberFamily(family); known.rememberAccount(account); setDialog(undefined); navigate(`/families/${family.familyId}`); }} />}
      {dialog === 'find' && <FindAccountDialog clientId={client.clientId} onClose={() => setDialog(undefined)}
        onFound={(account) => { known.rememberAccount(account); setDialog(undefined); navigate(`/accounts/${account.accountId}`); }} />}
    </Section>
  );
}

