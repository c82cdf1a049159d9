// The audit trail: every change made through the API, newest first, filtered
// by reseller, object (type and id), the credential that made it and a time
// range. The filters live in the URL, so a link to "the history of this
// client" is a plain link.
import { useId, useState } from 'react';
import { createClient } from '@connectrpc/connect';
import { useQuery, useTransport } from '@connectrpc/connect-query';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AuditAction, AuditService, type AuditEvent, type ListAuditEventsRequestSchema } from '@gen/reseller/v1/audit_pb.js';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { formatTime, isoTime } from '../../api/format.ts';
import { useListParams, usePages } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { ExportButton } from '../../ui/ExportButton.tsx';
import { SearchFilter, SelectFilter, useDebounced } from '../../ui/filters.tsx';
import { Page } from '../../ui/Page.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { QueryView } from '../../ui/States.tsx';
import { resellerOptions, useResellerChoices, useResellerName } from '../resellers/resellers.ts';

export const actionLabels: Record<AuditAction, string> = {
  [AuditAction.UNSPECIFIED]: '',
  [AuditAction.CREATE]: 'Create',
  [AuditAction.UPDATE]: 'Update',
  [AuditAction.DELETE]: 'Delete',
};

/** The object types the server records (its entity names). */
export const objectTypes = ['Reseller', 'Credential', 'Client', 'Site', 'Equipment', 'Account', 'Family', 'FamilyMember', 'DeviceLink', 'Charge', 'Offering', 'Smartphone', 'ShopInterface', 'InterfaceOfferingLine', 'CustomerContact'];

/** A `datetime-local` value (local time) as a Timestamp; undefined when empty or invalid. */
export function localTimestamp(value: string) {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : timestampFromDate(date);
}

/** The method's short name: `reseller.v1.ClientService/RegisterClient` → `ClientService/RegisterClient`. */
function shortMethod(method: string): string {
  return method.replace(/^reseller\.v1\./, '');
}

export function AuditScreen() {
  const params = useListParams();
  const [objectId, setObjectId] = useState(params.get('object'));
  const [actor, setActor] = useState(params.get('actor'));
  const resellerId = params.get('reseller');
  const objectType = params.get('type');
  const from = params.get('from');
  const to = params.get('to');
  const { pageSize } = params;
  const settledObject = useDebounced(objectId.trim());
  const settledActor = useDebounced(actor.trim());
  const invalidRange = from !== '' && to !== '' && new Date(from) >= new Date(to);
  const filter: MessageInitShape<typeof ListAuditEventsRequestSchema> = {
    resellerId, objectType, objectId: settledObject, actorCredentialId: settledActor,
    startTime: localTimestamp(from), endTime: localTimestamp(to),
  };
  const pages = usePages(JSON.stringify({ resellerId, objectType, settledObject, settledActor, from, to, pageSize }));
  const list = useQuery(AuditService.method.listAuditEvents, { ...filter, pageSize: Number(pageSize), pageToken: pages.pageToken },
    { placeholderData: (p) => p, enabled: !invalidRange });
  const resellers = useResellerChoices();
  const resellerName = useResellerName();
  const transport = useTransport();

  const columns: Column<AuditEvent>[] = [
    { header: 'Time', cell: (e) => formatTime(e.time), csv: (e) => isoTime(e.time), className: 'nowrap' },
    { header: 'Action', cell: (e) => <Badge tone={e.action === AuditAction.DELETE ? 'off' : 'ok'}>{actionLabels[e.action]}</Badge>, csv: (e) => actionLabels[e.action] },
    { header: 'Object', cell: (e) => <>{e.objectType} <button type="button" className="link-button mono" title="Show this object's history"
      onClick={() => { setObjectId(e.objectId); params.set('object', e.objectId); }}>{e.objectId}</button></>, csv: (e) => e.objectType },
    { header: 'Object id', cell: (e) => e.objectId, csv: (e) => e.objectId, exportOnly: true },
    { header: 'Method', cell: (e) => <code>{shortMethod(e.method)}</code>, csv: (e) => e.method },
    { header: 'Changed fields', cell: (e) => e.changedFields.join(', '), csv: (e) => e.changedFields.join(' ') },
    { header: 'Reseller', cell: (e) => resellerName(e.resellerId), csv: (e) => resellerName(e.resellerId) },
    { header: 'Actor', cell: (e) => <code title={`credential ${e.actorCredentialId}`}>{e.actorClientId}</code>, csv: (e) => e.actorClientId },
    { header: 'Actor credential id', cell: (e) => e.actorCredentialId, csv: (e) => e.actorCredentialId, exportOnly: true },
    { header: 'Request id', cell: (e) => e.requestId, csv: (e) => e.requestId, exportOnly: true },
    { header: 'Event id', cell: (e) => e.eventId, csv: (e) => e.eventId, exportOnly: true },
  ];

  const filtered = Boolean(resellerId || objectType || settledObject || settledActor || from || to);
  return (
    <Page title="Audit trail" subtitle="Every change made through the API: who, what, when. Newest first.">
      <div className="toolbar">
        <SelectFilter label="Reseller" value={resellerId} onChange={(v) => params.set('reseller', v)}
          options={resellerOptions(resellers.data?.resellers ?? [], 'Every reseller')} />
        <SelectFilter label="Object type" value={objectType} onChange={(v) => params.set('type', v)}
          options={[{ value: '', label: 'Every type' }, ...objectTypes.map((t) => ({ value: t, label: t }))]} />
        <SearchFilter label="Object id" value={objectId} onChange={(v) => { setObjectId(v); params.set('object', v.trim()); }} />
        <SearchFilter label="Actor credential id" value={actor} onChange={(v) => { setActor(v); params.set('actor', v.trim()); }} />
        <DateTimeFilter label="From" value={from} onChange={(v) => params.set('from', v)} />
        <DateTimeFilter label="Until" value={to} onChange={(v) => params.set('to', v)} />
        <ExportButton what="audit" columns={columns} fetchPage={async (pageToken) => {
          const page = await createClient(AuditService, transport).listAuditEvents({ ...filter, pageSize: 200, pageToken });
          return { items: page.events, nextPageToken: page.nextPageToken };
        }} />
      </div>
      {invalidRange ? <p className="notice notice-warn" role="alert">“From” must be before “Until”.</p> : (
        <QueryView query={list} what="the audit trail" isEmpty={(d) => d.events.length === 0}
          empty={filtered ? <p>No event matches these filters.</p> : <p>No changes recorded yet.</p>}>
          {(data) => (
            <>
              <DataTable caption="Audit events" columns={columns} rows={data.events} rowKey={(e) => e.eventId} />
              <Pager pages={pages} nextPageToken={data.nextPageToken} shown={data.events.length} fetching={list.isFetching}
                pageSize={pageSize} onPageSize={params.setPageSize} />
            </>
          )}
        </QueryView>
      )}
    </Page>
  );
}

export function DateTimeFilter({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="datetime-local" className="input" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

