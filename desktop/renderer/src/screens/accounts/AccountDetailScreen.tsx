// One account: who it is (first name, identifier, locale, picture), its
// families (each linked, with its right), its roles (granted and revoked
// here, with undo), its devices and seats, and its history. Its client gives
// the way back.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { ClientService, type Client } from '@gen/reseller/v1/clients_pb.js';
import { ProvisioningService, type Account, type AccountFamily, type AccountRole } from '@gen/reseller/v1/provisioning_pb.js';
import { useInvalidate } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { AuthorizedImage } from '../../ui/AuthorizedImage.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Details } from '../../ui/Details.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { Page, Section } from '../../ui/Page.tsx';
import { ClientLink } from '../../ui/references.tsx';
import { QueryView } from '../../ui/States.tsx';
import { Tabs } from '../../ui/Tabs.tsx';
import { HistoryTab } from '../audit/HistoryTab.tsx';
import { useInactiveReason } from '../clients/inactive.ts';
import { DevicesPanel } from '../devices/DevicesPanel.tsx';
import { EditAccountDialog } from './AccountForms.tsx';
import { accountName, identifierTypeLabels, rightLabels, ROLES, roleLabels } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

export function AccountDetailScreen() {
  const { t } = useTranslation();
  const { accountId = '' } = useParams();
  const account = useQuery(ProvisioningService.method.getAccount, { accountId });
  const clientId = account.data?.account?.clientId ?? '';
  const client = useQuery(ClientService.method.getClient, { clientId }, { enabled: clientId !== '' });
  return (
    <QueryView query={account} what={t('accounts.accountWhat')}>
      {(data) => (
        <QueryView query={client} what={t('clients.whatOne')}>
          {(c) => <AccountDetail account={data.account!} client={c.client!} reload={() => void account.refetch()} />}
        </QueryView>
      )}
    </QueryView>
  );
}

function AccountDetail({ account: a, client, reload }: { account: Account; client: Client; reload: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const invalidate = useInvalidate(ProvisioningService);
  const grant = useMutation(ProvisioningService.method.grantRole);
  const revoke = useMutation(ProvisioningService.method.revokeRole);
  const del = useMutation(ProvisioningService.method.deleteAccount);
  const inactive = useInactiveReason(client);
  const name = accountName(a);

  const changeRole = async (role: AccountRole, give: boolean) => {
    const ids = { accountId: a.accountId, role };
    await (give ? grant : revoke).mutateAsync(ids);
    await invalidate();
    const roleName = tr(t, roleLabels[role]);
    notify({
      message: give ? t('accounts.notify.granted', { role: roleName, name }) : t('accounts.notify.revoked', { role: roleName, name }),
      undo: async () => { await (give ? revoke : grant).mutateAsync(ids); await invalidate(); },
      undone: give ? t('accounts.notify.revoked', { role: roleName, name }) : t('accounts.notify.granted', { role: roleName, name }),
    });
  };
  const familyColumns: Column<AccountFamily>[] = [
    { header: t('accounts.columns.family'), cell: (f) => <Link to={`/families/${f.familyId}`}>{f.familyName}</Link> },
    { header: t('accounts.fields.right'), cell: (f) => tr(t, rightLabels[f.right]) },
    { header: t('accounts.fields.role'), cell: (f) => f.role },
    { header: t('accounts.columns.joined'), cell: (f) => format.time(f.joinTime), className: 'nowrap' },
  ];
  return (
    <Page title={t('accounts.accountTitle', { name })}
      subtitle={<><ClientLink id={client.clientId} name={client.name} /> › {t('clients.tabs.accounts')}</>}
      actions={<>
        <IfMayChange><Button onClick={() => setEditing(true)} disabledReason={inactive}>{t('common.edit')}</Button></IfMayChange>
        <ConfirmButton label={t('accounts.deleteAccount')} title={t('accounts.deleteAccountTitle', { name })} confirmLabel={t('accounts.deleteAccount')} disabledReason={inactive}
          onConfirm={async () => {
            const answer = await del.mutateAsync({ accountId: a.accountId });
            await invalidate();
            notify({ message: answer.deletedFamilyIds.length
              ? t('accounts.notify.accountDeletedWithFamilies', { name, count: answer.deletedFamilyIds.length })
              : t('accounts.notify.accountDeleted', { name }) });
            navigate(`/clients/${client.clientId}?tab=accounts`);
          }}>
          <p>{t('accounts.deleteAccountText')}</p>
        </ConfirmButton>
      </>}>
      <dl className="facts">
        <dt>{t('accounts.fields.client')}</dt><dd><ClientLink id={client.clientId} name={client.name} /></dd>
        <dt>{t('accounts.fields.identifier')}</dt><dd><code>{a.identifier}</code> <span className="muted">({tr(t, identifierTypeLabels[a.identifierType])})</span></dd>
        <dt>{t('accounts.fields.firstName')}</dt><dd>{a.firstName}</dd>
        <dt>{t('accounts.fields.locale')}</dt><dd><code>{a.locale}</code></dd>
        <dt>{t('accounts.fields.picture')}</dt><dd><AuthorizedImage url={a.pictureUrl} alt={t('accounts.pictureOf', { name })} /></dd>
        <dt>{t('accounts.columns.created')}</dt><dd>{format.time(a.createTime)}</dd>
        <dt>{t('accounts.fields.roles')}</dt>
        <dd className="row-actions">
          {a.roles.length === 0 && <span className="muted">{t('common.none')}</span>}
          {a.roles.map((r) => <Badge key={r} tone="info">{tr(t, roleLabels[r])}</Badge>)}
          {ROLES.map((role) => a.roles.includes(role) ? (
            <ConfirmButton key={role} small label={t('accounts.revokeRole', { role: tr(t, roleLabels[role]) })} title={t('accounts.revokeRoleTitle', { role: tr(t, roleLabels[role]), name })}
              confirmLabel={t('accounts.revokeRoleConfirm')} disabledReason={inactive} onConfirm={() => changeRole(role, false)}>
              <p>{t('accounts.revokeRoleText', { role: tr(t, roleLabels[role]) })}</p>
            </ConfirmButton>
          ) : (
            <IfMayChange key={role}>
              <Button className="btn btn-small" disabledReason={inactive}
                onClick={() => void changeRole(role, true).catch((error: unknown) => notify({ message: String((error as Error).message), tone: 'error' }))}>
                {t('accounts.grantRole', { role: tr(t, roleLabels[role]) })}
              </Button>
            </IfMayChange>
          ))}
        </dd>
      </dl>
      <Details ids={[{ label: t('accounts.fields.accountId'), value: a.accountId }, { label: t('clients.fields.clientId'), value: client.clientId }, { label: t('clients.fields.version'), value: a.etag }]} />
      <Tabs label={t('accounts.accountTabs')} tabs={[
        {
          id: 'families', label: t('accounts.families'), render: () => (
            <Section title={t('accounts.families')}>
              <DataTable caption={t('accounts.familiesOfAccount', { name })} columns={familyColumns} rows={a.families} rowKey={(f) => f.familyId} />
            </Section>
          ),
        },
        { id: 'devices', label: t('devices.title'), render: () => <DevicesPanel client={client} accountId={a.accountId} accountName={name} /> },
        { id: 'history', label: t('history.tab'), render: () => <HistoryTab objectType="Account" objectId={a.accountId} name={name} /> },
      ]} />
      {editing && <EditAccountDialog key={a.etag} account={a} onClose={() => setEditing(false)} onReload={reload} />}
    </Page>
  );
}
