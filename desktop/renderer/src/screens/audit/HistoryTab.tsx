// An object's history, for the History tab of its page: every change the
// audit trail recorded for it, newest first, with who made it (by name),
// when, what the call or background job did and which fields changed. It reads ListAuditEvents with the
// object's type and id (the same trail as the Audit screen, narrowed).
import { Link } from 'react-router';
import { useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { AuditAction, AuditService, type AuditEvent } from '@gen/reseller/v1/audit_pb.js';
import { useListParams, useMemoryListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { actionLabels, fieldLabelsOf, methodLabel, type ObjectType } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

export function actionTone(action: AuditAction): 'ok' | 'off' | 'info' {
  return action === AuditAction.DELETE ? 'off' : action === AuditAction.CREATE ? 'ok' : 'info';
}

/** Who made a change: the credential's display name (its client id beside it), or the system for a background job. */
export function Actor({ event: e }: { event: AuditEvent }) {
  const { t } = useTranslation();
  if (e.actorClientId === 'system') return <span className="muted">{t('audit.system')}</span>;
  if (!e.actorDisplayName) return <code>{e.actorClientId}</code>;
  return <span title={e.actorClientId}>{e.actorDisplayName}</span>;
}

export function HistoryTab({ objectType, objectId, name, inDialog = false }: {
  objectType: ObjectType;
  objectId: string;
  name: string;
  /** Shown in a dialog: its pages are kept in memory, not in the screen's address. */
  inDialog?: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const inAddress = useListParams();
  const inMemory = useMemoryListParams();
  const list = inDialog ? inMemory : inAddress;
  const query = useQuery(AuditService.method.listAuditEvents,
    { objectType, objectId, pageSize: Number(list.pageSize), pageToken: list.pages.pageToken }, { placeholderData: (p) => p });
  const columns: Column<AuditEvent>[] = [
    { header: t('history.when'), cell: (e) => format.time(e.time), className: 'nowrap' },
    { header: t('history.who'), cell: (e) => <Actor event={e} /> },
    { header: t('history.what'), cell: (e) => <><Badge tone={actionTone(e.action)}>{tr(t, actionLabels[e.action])}</Badge> {methodLabel(t, e.method)}</> },
    { header: t('history.changed'), cell: (e) => fieldLabelsOf(t, e.changedFieldKeys).join(', ') },
  ];
  return (
    <div className="history">
      <p className="muted">
        {t('history.intro')}{' '}
        <Link to={`/audit?type=${objectType}&object=${encodeURIComponent(objectId)}`}>{t('history.inAuditTrail')}</Link>
      </p>
      <ListView query={query} rows={(d) => d.events} nextPageToken={(d) => d.nextPageToken} caption={t('history.caption', { name })}
        columns={columns} rowKey={(e) => e.eventId} list={list} what={t('history.whatData')} empty={<p>{t('history.empty')}</p>} />
    </div>
  );
}
