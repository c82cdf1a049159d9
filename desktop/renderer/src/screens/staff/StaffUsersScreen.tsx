// Staff users: the people who sign in to the console. An admin invites one
// by e-mail (they set their password and second factor themselves), sees
// their sessions and ends one, or disables the person (every session ends).
import { useContext, useState } from 'react';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { Role } from '@gen/reseller/v1/access_pb.js';
import { StaffService, StaffUserStatus, type Session, type StaffUser } from '@gen/reseller/v1/staff_pb.js';
import { newRequestId, useInvalidate, useListParams } from '../../api/lists.ts';
import { SessionContext } from '../../api/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { tr, type MessageKey } from '../../i18n/keys.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import { Form, SelectField, TextField, useForm } from '../../ui/form.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { Page } from '../../ui/Page.tsx';
import { roleLabels } from '../credentials/roles.ts';

const statusLabels: Record<StaffUserStatus, MessageKey> = {
  [StaffUserStatus.UNSPECIFIED]: 'staff.status.unknown',
  [StaffUserStatus.INVITED]: 'staff.status.invited',
  [StaffUserStatus.ENROLLING]: 'staff.status.enrolling',
  [StaffUserStatus.ACTIVE]: 'staff.status.active',
  [StaffUserStatus.DISABLED]: 'staff.status.disabled',
};

export function StaffUsersScreen() {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const params = useListParams();
  // Outside a session (a component tested alone): nobody is "me".
  const session = useContext(SessionContext)?.session;
  const [inviting, setInviting] = useState(false);
  const [sessionsOf, setSessionsOf] = useState<StaffUser>();
  const list = useQuery(StaffService.method.listStaffUsers, { pageSize: Number(params.pageSize), pageToken: params.pages.pageToken }, { placeholderData: (p) => p });
  const invalidate = useInvalidate(StaffService);
  const disable = useMutation(StaffService.method.disableStaffUser);

  const columns: Column<StaffUser>[] = [
    { header: t('staff.columns.name'), cell: (u) => <strong>{u.displayName}</strong>, csv: (u) => u.displayName },
    { header: t('staff.columns.email'), cell: (u) => u.email, csv: (u) => u.email },
    { header: t('staff.columns.role'), cell: (u) => tr(t, roleLabels[u.role]), csv: (u) => tr(t, roleLabels[u.role]) },
    {
      header: t('staff.columns.status'),
      cell: (u) => <Badge tone={u.status === StaffUserStatus.ACTIVE ? 'ok' : 'off'}>{tr(t, statusLabels[u.status])}</Badge>,
      csv: (u) => tr(t, statusLabels[u.status]),
    },
    { header: t('staff.columns.invited'), cell: (u) => format.time(u.createTime), csv: (u) => format.time(u.createTime), className: 'nowrap' },
    {
      header: t('common.actions'),
      cell: (u) => (
        <span className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => setSessionsOf(u)} aria-label={t('staff.sessionsOf', { name: u.displayName })}>{t('staff.sessions')}</button>
          {u.status !== StaffUserStatus.DISABLED && u.email !== session?.clientId && (
            <IfMayChange>
              <ConfirmButton small label={t('staff.disable')} accessibleLabel={t('staff.disableNamed', { name: u.displayName })} title={t('staff.disableTitle', { name: u.displayName })}
                confirmLabel={t('staff.disableConfirm')}
                onConfirm={async () => {
                  await disable.mutateAsync({ staffUserId: u.staffUserId });
                  await invalidate();
                  notify({ message: t('staff.notify.disabled', { name: u.displayName }) });
                }}>
                <p>{t('staff.disableText', { email: u.email })}</p>
              </ConfirmButton>
            </IfMayChange>
          )}
        </span>
      ),
    },
  ];
  return (
    <Page title={t('staff.title')} subtitle={t('staff.subtitle')}>
      <div className="toolbar">
        <IfMayChange><button type="button" className="btn btn-primary" onClick={() => setInviting(true)}>{t('staff.invite')}</button></IfMayChange>
      </div>
      <ListView query={list} rows={(d) => d.staffUsers} nextPageToken={(d) => d.nextPageToken} caption={t('staff.caption')}
        columns={columns} rowKey={(u) => u.staffUserId} list={params} what={t('staff.what')} empty={<p>{t('staff.empty')}</p>} />
      {inviting && <InviteDialog onClose={() => setInviting(false)} />}
      {sessionsOf && (
        <Dialog title={t('staff.sessionsOf', { name: sessionsOf.displayName })} onClose={() => setSessionsOf(undefined)} wide>
          <SessionsList user={sessionsOf} />
        </Dialog>
      )}
    </Page>
  );
}

function InviteDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [requestId] = useState(newRequestId);
  const invalidate = useInvalidate(StaffService);
  const invite = useMutation(StaffService.method.inviteStaffUser);
  const form = useForm({
    initial: { email: '', displayName: '', role: String(Role.SUPPORT) },
    labels: { email: t('staff.fields.email'), displayName: t('staff.fields.name'), role: t('staff.fields.role') },
    required: ['email', 'displayName'],
    submit: async (v) => {
      await invite.mutateAsync({ email: v.email.trim(), displayName: v.displayName, role: Number(v.role) as Role, requestId });
      await invalidate();
      notify({ message: t('staff.notify.invited', { email: v.email.trim() }) });
      onClose();
    },
  });
  return (
    <Dialog title={t('staff.invite')} onClose={onClose}>
      <Form form={form} submitLabel={t('staff.sendInvitation')} onCancel={onClose}>
        <TextField name="email" autoFocus hint={t('staff.fields.emailHint')} />
        <TextField name="displayName" />
        <SelectField name="role" options={[
          { value: String(Role.SUPPORT), label: t('credentials.roles.supportOption') },
          { value: String(Role.ADMIN), label: t('credentials.roles.adminOption') },
        ]} />
      </Form>
    </Dialog>
  );
}

function SessionsList({ user }: { user: StaffUser }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const sessions = useQuery(StaffService.method.listSessions, { staffUserId: user.staffUserId, includeEnded: true, pageSize: 50 });
  const invalidate = useInvalidate(StaffService);
  const revoke = useMutation(StaffService.method.revokeSession);
  if (sessions.isError) return <ErrorNotice error={sessions.error} title={t('staff.sessionsNotLoaded')} />;
  const rows = sessions.data?.sessions ?? [];
  if (sessions.isSuccess && rows.length === 0) return <p>{t('staff.noSessions')}</p>;
  return (
    <table className="table">
      <caption className="sr-only">{t('staff.sessionsOf', { name: user.displayName })}</caption>
      <thead>
        <tr>
          <th>{t('staff.sessionColumns.device')}</th><th>{t('staff.sessionColumns.address')}</th><th>{t('staff.sessionColumns.started')}</th>
          <th>{t('staff.sessionColumns.lastRefresh')}</th><th>{t('staff.sessionColumns.state')}</th><th>{t('common.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((s: Session) => (
          <tr key={s.sessionId}>
            <td>{s.deviceName}</td><td><code>{s.address}</code></td><td className="nowrap">{format.time(s.createTime)}</td>
            <td className="nowrap">{s.lastRefreshTime ? format.time(s.lastRefreshTime) : ''}</td>
            <td>{s.revokeTime ? <Badge tone="off">{t('staff.ended', { time: format.time(s.revokeTime) })}</Badge> : <Badge tone="ok">{t('staff.live')}</Badge>}</td>
            <td>
              {!s.revokeTime && (
                <IfMayChange>
                  <ConfirmButton small label={t('staff.endSession')} title={t('staff.endSessionTitle', { device: s.deviceName })} confirmLabel={t('staff.endSession')}
                    onConfirm={async () => {
                      await revoke.mutateAsync({ sessionId: s.sessionId });
                      await invalidate();
                      notify({ message: t('staff.notify.sessionEnded') });
                    }}>
                    <p>{t('staff.endSessionText')}</p>
                  </ConfirmButton>
                </IfMayChange>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
