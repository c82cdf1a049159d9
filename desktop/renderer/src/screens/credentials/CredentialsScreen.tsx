// API credentials: list (by reseller, revoked ones on request), issue one (its
// secret is shown once), revoke one (after confirmation).
import { useState } from 'react';
import { createClient } from '@connectrpc/connect';
import { useMutation, useQuery, useTransport } from '@connectrpc/connect-query';
import { AccessService, type Credential } from '@gen/reseller/v1/access_pb.js';
import { formatTime, isoTime } from '../../api/format.ts';
import { useInvalidate, useListParams, usePages } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { CheckboxFilter, SelectFilter } from '../../ui/filters.tsx';
import { Page } from '../../ui/Page.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { QueryView } from '../../ui/States.tsx';
import { resellerOptions, useResellerChoices, useResellerName } from '../resellers/resellers.ts';
import { roleLabels } from './roles.ts';
import { NewCredentialDialog } from './NewCredentialDialog.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';

export function CredentialsScreen() {
  const params = useListParams();
  const resellerId = params.get('reseller');
  const includeRevoked = params.get('revoked') === '1';
  const { pageSize } = params;
  const [creating, setCreating] = useState(false);
  const pages = usePages(`${resellerId}|${includeRevoked}|${pageSize}`);
  const filter = { resellerId, includeRevoked };
  const list = useQuery(AccessService.method.listCredentials, { ...filter, pageSize: Number(pageSize), pageToken: pages.pageToken }, { placeholderData: (p) => p });
  const resellers = useResellerChoices();
  const resellerName = useResellerName();
  const transport = useTransport();
  const invalidate = useInvalidate(AccessService);
  const revoke = useMutation(AccessService.method.revokeCredential);

  const columns: Column<Credential>[] = [
    { header: 'Name', cell: (c) => <strong>{c.displayName}</strong>, csv: (c) => c.displayName },
    { header: 'Client id', cell: (c) => <code>{c.clientId}</code>, csv: (c) => c.clientId },
    { header: 'Role', cell: (c) => roleLabels[c.role], csv: (c) => roleLabels[c.role] },
    { header: 'Reseller', cell: (c) => resellerName(c.resellerId) || <span className="muted">staff</span>, csv: (c) => resellerName(c.resellerId) },
    { header: 'Issued', cell: (c) => formatTime(c.createTime), csv: (c) => isoTime(c.createTime), className: 'nowrap' },
    {
      header: 'Status',
      cell: (c) => (c.revokeTime ? <Badge tone="off">{`Revoked ${formatTime(c.revokeTime)}`}</Badge> : <Badge tone="ok">Active</Badge>),
      csv: (c) => (c.revokeTime ? `revoked ${isoTime(c.revokeTime)}` : 'active'),
    },
    {
      header: 'Actions', changes: true,
      cell: (c) => (c.revokeTime ? null : (
        <ConfirmButton small label="Revoke" accessibleLabel={`Revoke ${c.displayName}`} title={`Revoke “${c.displayName}”?`} confirmLabel="Revoke credential"
          onConfirm={async () => { await revoke.mutateAsync({ credentialId: c.credentialId }); await invalidate(); }}>
          <p>Client id <code>{c.clientId}</code> stops working at once: every token issued for it is refused on its next call, on every server.</p>
          <p>This cannot be undone; issue a new credential if it is still needed.</p>
        </ConfirmButton>
      )),
    },
  ];

  return (
    <Page title="Credentials" subtitle="API credentials: a client id and a secret that buy bearer tokens."
      actions={<IfMayChange><button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>New credential</button></IfMayChange>}>
      <div className="toolbar">
        <SelectFilter label="Reseller" value={resellerId} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], 'Every reseller and staff')} />
        <CheckboxFilter label="Show revoked" checked={includeRevoked} onChange={(v) => params.set('revoked', v ? '1' : '')} />
        <ExportButton what="credentials" columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(AccessService, transport).listCredentials({ ...filter, pageSize: 200, pageToken });
          return { items: page.credentials, nextPageToken: page.nextPageToken };
        }} />
      </div>
      <QueryView query={list} what="credentials" isEmpty={(d) => d.credentials.length === 0}
        empty={<p>No {includeRevoked ? '' : 'active '}credentials{resellerId ? ` for ${resellerName(resellerId)}` : ''}.</p>}>
        {(data) => (
          <>
            <DataTable caption="Credentials" columns={columns} rows={data.credentials} rowKey={(c) => c.credentialId} />
            <Pager pages={pages} nextPageToken={data.nextPageToken} shown={data.credentials.length} fetching={list.isFetching} pageSize={pageSize} onPageSize={params.setPageSize} />
          </>
        )}
      </QueryView>
      {creating && <NewCredentialDialog resellerId={resellerId} onClose={() => setCreating(false)} />}
    </Page>
  );
}
