// API credentials: list (by reseller, revoked ones on request), issue one (its
// secret is shown once), revoke one (after confirmation), see one's history.
// The list is also a tab of a reseller's page.
import { useState } from 'react';
import { createClient } from '@connectrpc/connect';
import { useMutation, useQuery, useTransport } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { AccessService, type Credential } from '@gen/reseller/v1/access_pb.js';
import { csvTime } from '../../api/csv.ts';
import { useInvalidate, useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { CheckboxFilter, SelectFilter } from '../../ui/filters.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { Page } from '../../ui/Page.tsx';
import { ResellerLink } from '../../ui/references.tsx';
import { SavedFilters } from '../../ui/SavedFilters.tsx';
import { HistoryTab } from '../audit/HistoryTab.tsx';
import { resellerOptions, useResellerChoices, useResellerName } from '../resellers/resellers.ts';
import { NewCredentialDialog } from './NewCredentialDialog.tsx';
import { roleLabels } from './roles.ts';
import { tr } from '../../i18n/keys.ts';

export function CredentialsScreen() {
  const { t } = useTranslation();
  const params = useListParams();
  const resellerId = params.get('reseller');
  const resellers = useResellerChoices();
  return (
    <Page title={t('credentials.title')} subtitle={t('credentials.subtitle')}>
      <CredentialsList resellerId={resellerId} filters={
        <SelectFilter label={t('credentials.columns.reseller')} value={resellerId} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], t('credentials.everyResellerAndStaff'))} />
      } />
    </Page>
  );
}

/** The credentials of one reseller (or of every one, and staff's, with no reseller). */
export function CredentialsList({ resellerId, filters }: { resellerId: string; filters?: React.ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const params = useListParams();
  const includeRevoked = params.get('revoked') === '1';
  const [creating, setCreating] = useState(false);
  const [historyOf, setHistoryOf] = useState<Credential>();
  const filter = { resellerId, includeRevoked };
  const list = useQuery(AccessService.method.listCredentials, { ...filter, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const resellerName = useResellerName();
  const transport = useTransport();
  const invalidate = useInvalidate(AccessService);
  const revoke = useMutation(AccessService.method.revokeCredential);

  const columns: Column<Credential>[] = [
    { header: t('credentials.columns.name'), cell: (c) => <strong>{c.displayName}</strong>, csv: (c) => c.displayName },
    { header: t('credentials.columns.clientId'), cell: (c) => <code>{c.clientId}</code>, csv: (c) => c.clientId },
    { header: t('credentials.columns.role'), cell: (c) => tr(t, roleLabels[c.role]), csv: (c) => tr(t, roleLabels[c.role]) },
    { header: t('credentials.columns.reseller'), cell: (c) => (c.resellerId ? <ResellerLink id={c.resellerId} /> : <span className="muted">{t('credentials.staff')}</span>), csv: (c) => resellerName(c.resellerId) },
    { header: t('credentials.columns.issued'), cell: (c) => format.time(c.createTime), csv: (c) => csvTime(c.createTime), className: 'nowrap' },
    {
      header: t('credentials.columns.status'),
      cell: (c) => (c.revokeTime ? <Badge tone="off">{t('credentials.revokedOn', { time: format.time(c.revokeTime) })}</Badge> : <Badge tone="ok">{t('credentials.active')}</Badge>),
      csv: (c) => (c.revokeTime ? t('credentials.csvStatus.revoked') : t('credentials.csvStatus.active')),
    },
    { header: t('credentials.columns.credentialId'), cell: (c) => c.credentialId, csv: (c) => c.credentialId, exportOnly: true },
    {
      header: t('common.actions'),
      cell: (c) => (
        <span className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => setHistoryOf(c)} aria-label={t('credentials.historyNamed', { name: c.displayName })}>{t('credentials.history')}</button>
          {!c.revokeTime && (
            <ConfirmButton small label={t('credentials.revoke')} accessibleLabel={t('credentials.revokeNamed', { name: c.displayName })} title={t('credentials.revokeTitle', { name: c.displayName })}
              confirmLabel={t('credentials.revokeConfirm')}
              onConfirm={async () => {
                await revoke.mutateAsync({ credentialId: c.credentialId });
                await invalidate();
                notify({ message: t('credentials.notify.revoked', { name: c.displayName }) });
              }}>
              <p>{t('credentials.revokeText1', { clientId: c.clientId })}</p>
              <p>{t('credentials.revokeText2')}</p>
            </ConfirmButton>
          )}
        </span>
      ),
    },
  ];
  const name = resellerId ? resellerName(resellerId) : '';
  const empty = includeRevoked
    ? (name ? t('credentials.emptyAnyFor', { name }) : t('credentials.emptyAny'))
    : (name ? t('credentials.emptyActiveFor', { name }) : t('credentials.emptyActive'));
  return (
    <>
      <div className="toolbar">
        {filters}
        <CheckboxFilter label={t('credentials.showRevoked')} checked={includeRevoked} onChange={(v) => params.set('revoked', v ? '1' : '')} />
        {filters && <SavedFilters list="credentials" params={params} />}
        <IfMayChange><button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>{t('credentials.new')}</button></IfMayChange>
        <ExportButton file={t('export.files.credentials')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(AccessService, transport).listCredentials({ ...filter, pageSize: 200, pageToken });
          return { items: page.credentials, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <ListView query={list} rows={(d) => d.credentials} nextPageToken={(d) => d.nextPageToken} caption={t('credentials.caption')}
        columns={columns} rowKey={(c) => c.credentialId} list={params} what={t('credentials.what')} empty={<p>{empty}</p>} />
      {creating && <NewCredentialDialog resellerId={resellerId} onClose={() => setCreating(false)} />}
      {historyOf && (
        <Dialog title={t('credentials.historyNamed', { name: historyOf.displayName })} onClose={() => setHistoryOf(undefined)} wide>
          <HistoryTab objectType="Credential" objectId={historyOf.credentialId} name={historyOf.displayName} inDialog />
        </Dialog>
      )}
    </>
  );
}
