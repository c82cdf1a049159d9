// The audit trail: every change made through the API, newest first, filtered
// by reseller, object (type and id), who made it (as the table shows them: a
// display name, a client id, `system`) and a time range. The filters live in
// the address, so a link to "the history of this client" is a plain link.
// Each object reads by its label (its name or code when the event was
// recorded) and links to its page where the console has one; what changed
// reads in words (labels.ts).
import { Link } from 'react-router';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { AuditService, type AuditEvent, type ListAuditEventsRequestSchema } from '@gen/reseller/v1/audit_pb.js';
import { csvTime } from '../../api/csv.ts';
import { shortId } from '../../api/format.ts';
import { useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { DateTimeFilter, localTimestamp, SearchFilter, SelectFilter, useDebounced } from '../../ui/filters.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { Page } from '../../ui/Page.tsx';
import { ResellerLink } from '../../ui/references.tsx';
import { SavedFilters } from '../../ui/SavedFilters.tsx';
import { resellerOptions, useResellerChoices, useResellerName } from '../resellers/resellers.ts';
import { actionTone } from './HistoryTab.tsx';
import { actionLabels, fieldLabelsOf, methodLabel, objectTypeLabel, objectTypes, shortMethod } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

/** Where an object of each type has its page in the console (an offering's is by code, its label). */
const pages: Record<string, (e: AuditEvent) => string | undefined> = {
  Client: (e) => `/clients/${e.objectId}`,
  ShopInterface: (e) => `/interfaces/${e.objectId}`,
  Reseller: (e) => `/resellers/${e.objectId}`,
  Account: (e) => `/accounts/${e.objectId}`,
  Family: (e) => `/families/${e.objectId}`,
  Offering: (e) => (e.label ? `/offerings/${encodeURIComponent(e.label)}` : undefined),
};

export function AuditScreen() {
  const { t } = useTranslation();
  const format = useFormat();
  const params = useListParams();
  const objectId = params.get('object');
  const actor = params.get('actor');
  const resellerId = params.get('reseller');
  const objectType = params.get('type');
  const from = params.get('from');
  const to = params.get('to');
  const settledObject = useDebounced(objectId.trim());
  const settledActor = useDebounced(actor.trim());
  const invalidRange = from !== '' && to !== '' && new Date(from) >= new Date(to);
  const filter: MessageInitShape<typeof ListAuditEventsRequestSchema> = {
    resellerId, objectType, objectId: settledObject, actor: settledActor,
    startTime: localTimestamp(from), endTime: localTimestamp(to),
  };
  const list = useQuery(AuditService.method.listAuditEvents, { ...filter, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken },
    { placeholderData: (p) => p, enabled: !invalidRange });
  const resellers = useResellerChoices();
  const resellerName = useResellerName();
  const transport = useTransport();

  const columns: Column<AuditEvent>[] = [
    { header: t('audit.columns.time'), cell: (e) => format.time(e.time), csv: (e) => csvTime(e.time), className: 'nowrap' },
    { header: t('audit.columns.action'), cell: (e) => <Badge tone={actionTone(e.action)}>{tr(t, actionLabels[e.action])}</Badge>, csv: (e) => tr(t, actionLabels[e.action]) },
    {
      header: t('audit.columns.object'),
      cell: (e) => {
        const page = pages[e.objectType]?.(e);
        const name = e.label || shortId(e.objectId);
        return (
          <span className="object-cell">
            <span className="muted">{objectTypeLabel(t, e.objectType)}</span>{' '}
            {page ? <Link to={page} className={e.label ? undefined : 'mono'}>{name}</Link> : <span className={e.label ? undefined : 'mono'}>{name}</span>}{' '}
            <button type="button" className="btn btn-small" title={t('audit.showHistory')} aria-label={t('audit.historyOf', { name })}
              onClick={() => params.setMany({ type: e.objectType, object: e.objectId })}>{t('history.tab')}</button>
          </span>
        );
      },
      csv: (e) => objectTypeLabel(t, e.objectType),
    },
    { header: t('audit.columns.label'), cell: (e) => e.label, csv: (e) => e.label, exportOnly: true },
    { header: t('audit.columns.objectId'), cell: (e) => e.objectId, csv: (e) => e.objectId, exportOnly: true },
    { header: t('audit.columns.what'), cell: (e) => <span title={shortMethod(e.method)}>{methodLabel(t, e.method)}</span>, csv: (e) => methodLabel(t, e.method) },
    { header: t('audit.columns.method'), cell: (e) => e.method, csv: (e) => e.method, exportOnly: true },
    { header: t('audit.columns.changedFields'), cell: (e) => fieldLabelsOf(t, e.changedFieldKeys).join(', '), csv: (e) => fieldLabelsOf(t, e.changedFieldKeys).join(', ') },
    { header: t('audit.columns.reseller'), cell: (e) => <ResellerLink id={e.resellerId} />, csv: (e) => resellerName(e.resellerId) },
    {
      header: t('audit.columns.actor'),
      cell: (e) => (e.actorClientId === 'system' ? <span className="muted">{t('audit.system')}</span> : (
        <button type="button" className="link-button" title={t('audit.filterActor')} onClick={() => params.set('actor', e.actorDisplayName || e.actorClientId)}>
          {e.actorDisplayName || <span className="mono">{e.actorClientId}</span>}
        </button>
      )),
      csv: (e) => (e.actorClientId === 'system' ? t('audit.system') : e.actorDisplayName || e.actorClientId),
    },
    { header: t('audit.columns.actorClientId'), cell: (e) => e.actorClientId, csv: (e) => e.actorClientId, exportOnly: true },
    { header: t('audit.columns.actorCredentialId'), cell: (e) => e.actorCredentialId, csv: (e) => e.actorCredentialId, exportOnly: true },
    { header: t('audit.columns.requestId'), cell: (e) => e.requestId, csv: (e) => e.requestId, exportOnly: true },
    { header: t('audit.columns.eventId'), cell: (e) => e.eventId, csv: (e) => e.eventId, exportOnly: true },
  ];

  const filtered = Boolean(resellerId || objectType || settledObject || settledActor || from || to);
  return (
    <Page title={t('audit.title')} subtitle={t('audit.subtitle')}>
      <div className="toolbar">
        <SelectFilter label={t('audit.columns.reseller')} value={resellerId} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], t('common.everyReseller'))} />
        <SelectFilter label={t('audit.objectType')} value={objectType} onChange={(v) => params.set('type', v)}
          options={[{ value: '', label: t('audit.everyType') }, ...objectTypes.map((type) => ({ value: type, label: objectTypeLabel(t, type) }))]} />
        <SearchFilter label={t('audit.columns.objectId')} value={objectId} onChange={(v) => params.set('object', v)} />
        <SearchFilter label={t('audit.actorFilter')} value={actor} onChange={(v) => params.set('actor', v)} placeholder={t('audit.actorPlaceholder')} />
        <DateTimeFilter label={t('common.from')} value={from} onChange={(v) => params.set('from', v)} />
        <DateTimeFilter label={t('common.until')} value={to} onChange={(v) => params.set('to', v)} />
        <SavedFilters list="audit" params={params} />
        <ExportButton file={t('export.files.audit')} columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(AuditService, transport).listAuditEvents({ ...filter, pageSize: 200, pageToken });
          return { items: page.events, nextPageToken: page.nextPageToken };
        }} />
      </div>
      {invalidRange ? <p className="notice notice-warn" role="alert">{t('common.badRange')}</p> : (
        <ListView query={list} rows={(d) => d.events} nextPageToken={(d) => d.nextPageToken} caption={t('audit.caption')}
          columns={columns} rowKey={(e) => e.eventId} list={params} what={t('audit.what')}
          above={(d) => {
            // The object filtered on, by the name its latest event recorded (the filter itself holds its id).
            const shown = settledObject ? d.events.find((e) => e.objectId === settledObject || e.label === settledObject) : undefined;
            return shown && (
              <p className="muted" role="status">
                {t('audit.objectShown', { type: objectTypeLabel(t, shown.objectType), name: shown.label || settledObject })}{' '}
                <button type="button" className="btn btn-small" onClick={() => params.setMany({ type: '', object: '' })}>{t('audit.everyObject')}</button>
              </p>
            );
          }}
          empty={filtered ? <p>{t('audit.emptyFiltered')}</p> : <p>{t('audit.empty')}</p>} />
      )}
    </Page>
  );
}
