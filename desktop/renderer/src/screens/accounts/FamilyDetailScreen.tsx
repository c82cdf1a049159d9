// One family: its members (each linked to its account's page, with their
// right and role), what staff change (name and image, a member's right and
// role, create an account in it, add an existing one, remove a member, delete
// the family) and its history. Its client gives the way back.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { ClientService, type Client } from '@gen/reseller/v1/clients_pb.js';
import { ProvisioningService, type Family, type FamilyMember } from '@gen/reseller/v1/provisioning_pb.js';
import { useInvalidate } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { AuthorizedImage } from '../../ui/AuthorizedImage.tsx';
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
import { AddMemberDialog, CreateAccountDialog, EditFamilyDialog, EditMembershipDialog } from './AccountForms.tsx';
import { accountName, rightLabels } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

export function FamilyDetailScreen() {
  const { t } = useTranslation();
  const { familyId = '' } = useParams();
  const family = useQuery(ProvisioningService.method.getFamily, { familyId });
  const clientId = family.data?.family?.clientId ?? '';
  const client = useQuery(ClientService.method.getClient, { clientId }, { enabled: clientId !== '' });
  return (
    <QueryView query={family} what={t('accounts.familyWhat')}>
      {(data) => (
        <QueryView query={client} what={t('clients.whatOne')}>
          {(c) => <FamilyDetail family={data.family!} client={c.client!} reload={() => void family.refetch()} />}
        </QueryView>
      )}
    </QueryView>
  );
}

function FamilyDetail({ family: f, client, reload }: { family: Family; client: Client; reload: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'edit' | 'create' | 'add'>();
  const [editingMember, setEditingMember] = useState<FamilyMember>();
  const invalidate = useInvalidate(ProvisioningService);
  const remove = useMutation(ProvisioningService.method.removeAccountFromFamily);
  const add = useMutation(ProvisioningService.method.addAccountToFamily);
  const del = useMutation(ProvisioningService.method.deleteFamily);
  const inactive = useInactiveReason(client);
  const lastMember = f.members.length === 1 ? t('accounts.lastMemberReason') : undefined;

  const columns: Column<FamilyMember>[] = [
    { header: t('accounts.columns.account'), cell: (m) => <Link to={`/accounts/${m.account!.accountId}`}>{accountName(m.account!)}</Link> },
    { header: t('accounts.fields.right'), cell: (m) => tr(t, rightLabels[m.right]) },
    { header: t('accounts.fields.role'), cell: (m) => m.role },
    { header: t('accounts.columns.joined'), cell: (m) => format.time(m.joinTime), className: 'nowrap' },
    {
      header: t('common.actions'), changes: true,
      cell: (m) => (
        <span className="row-actions">
          <Button className="btn btn-small" onClick={() => setEditingMember(m)} disabledReason={inactive}
            aria-label={t('accounts.membershipNamed', { name: accountName(m.account!) })}>{t('accounts.membership')}</Button>
          <ConfirmButton small label={t('accounts.removeMember')} accessibleLabel={t('accounts.removeMemberNamed', { name: accountName(m.account!), family: f.name })}
            title={t('accounts.removeMemberTitle', { name: accountName(m.account!), family: f.name })} confirmLabel={t('accounts.removeMemberConfirm')}
            disabledReason={inactive ?? lastMember}
            onConfirm={async () => {
              const ids = { accountId: m.account!.accountId, familyId: f.familyId };
              await remove.mutateAsync(ids);
              await invalidate();
              notify({
                message: t('accounts.notify.removed', { name: accountName(m.account!), family: f.name }),
                undo: async () => { await add.mutateAsync({ ...ids, right: m.right, role: m.role }); await invalidate(); },
                undone: t('accounts.notify.added', { name: accountName(m.account!), family: f.name }),
              });
            }}>
            <p>{t('accounts.removeMemberText')}</p>
          </ConfirmButton>
        </span>
      ),
    },
  ];
  return (
    <Page title={t('accounts.familyTitle', { name: f.name })}
      subtitle={<><ClientLink id={client.clientId} name={client.name} /> › {t('clients.tabs.accounts')}</>}
      actions={<>
        <IfMayChange><Button onClick={() => setDialog('edit')} disabledReason={inactive}>{t('common.edit')}</Button></IfMayChange>
        <ConfirmButton label={t('accounts.deleteFamily')} title={t('accounts.deleteFamilyTitle', { name: f.name })} confirmLabel={t('accounts.deleteFamily')} disabledReason={inactive}
          onConfirm={async () => {
            const answer = await del.mutateAsync({ familyId: f.familyId });
            await invalidate();
            notify({ message: answer.deletedAccountIds.length
              ? t('accounts.notify.familyDeletedWithAccounts', { name: f.name, count: answer.deletedAccountIds.length })
              : t('accounts.notify.familyDeleted', { name: f.name }) });
            navigate(`/clients/${client.clientId}?tab=accounts`);
          }}>
          <p>{t('accounts.deleteFamilyText')}</p>
        </ConfirmButton>
      </>}>
      <dl className="facts">
        <dt>{t('accounts.fields.client')}</dt><dd><ClientLink id={client.clientId} name={client.name} /></dd>
        <dt>{t('accounts.fields.image')}</dt><dd><AuthorizedImage url={f.imageUrl} alt={t('accounts.imageOf', { name: f.name })} /></dd>
        <dt>{t('accounts.columns.created')}</dt><dd>{format.time(f.createTime)}</dd>
        <dt>{t('clients.fields.lastChanged')}</dt><dd>{format.time(f.updateTime)}</dd>
      </dl>
      <Details ids={[{ label: t('accounts.fields.familyId'), value: f.familyId }, { label: t('clients.fields.clientId'), value: client.clientId }]} />
      <Tabs label={t('accounts.familyTabs')} tabs={[
        {
          id: 'members', label: t('accounts.members'), render: () => (
            <Section title={t('accounts.members')} actions={<IfMayChange>
              <Button className="btn" onClick={() => setDialog('create')} disabledReason={inactive}>{t('accounts.create')}</Button>
              <Button className="btn" onClick={() => setDialog('add')} disabledReason={inactive}>{t('accounts.addMember')}</Button>
            </IfMayChange>}>
              <DataTable caption={t('accounts.membersOf', { name: f.name })} columns={columns} rows={f.members} rowKey={(m) => m.account!.accountId} />
            </Section>
          ),
        },
        { id: 'history', label: t('history.tab'), render: () => <HistoryTab objectType="Family" objectId={f.familyId} name={f.name} /> },
      ]} />
      {dialog === 'edit' && <EditFamilyDialog key={f.etag} family={f} onClose={() => setDialog(undefined)} onReload={reload} />}
      {dialog === 'create' && <CreateAccountDialog family={f} onClose={() => setDialog(undefined)}
        onCreated={() => setDialog(undefined)} />}
      {dialog === 'add' && <AddMemberDialog family={f} onClose={() => setDialog(undefined)} />}
      {editingMember && <EditMembershipDialog family={f} member={editingMember} onClose={() => setEditingMember(undefined)} />}
    </Page>
  );
}
