// One interface: its status, URLs and lifecycle dates, its offering lines
// (cancelled ones too), and the changes staff make: add offerings, cancel a
// line or every line of a code, delete (access cut on the 1st of next month,
// final deletion 90 days later) and reactivate until then.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import {
  InterfaceService, InterfaceStatus, type DeleteInterfaceResponse, type Interface, type InterfaceOfferingLine,
} from '@gen/reseller/v1/interfaces_pb.js';
import { formatTime } from '../../api/format.ts';
import { useInvalidate } from '../../api/lists.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Page, Section } from '../../ui/Page.tsx';
import { QueryView } from '../../ui/States.tsx';
import { useResellerName } from '../resellers/resellers.ts';
import { AddOfferingsDialog } from './InterfaceForms.tsx';
import { interfaceStatusLabels, statusTone } from './labels.ts';
import { IfMayChange } from '../../ui/IfMayChange.tsx';

export function InterfaceDetailScreen() {
  const { interfaceKey = '' } = useParams();
  const query = useQuery(InterfaceService.method.getInterface, { key: interfaceKey });
  return (
    <QueryView query={query} what="the interface">
      {(data) => <InterfaceDetail iface={data.interface!} />}
    </QueryView>
  );
}

function Url({ href }: { href: string }) {
  if (!href) return <span className="muted">—</span>;
  return <><a href={href} target="_blank" rel="noreferrer noopener">{href}</a> <CopyButton text={href} what="URL" /></>;
}

/** The 1st of next month and 90 days from now: what the server will answer, to say it before asking. */
function expectedDates(now = new Date()) {
  const accessEnd = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  const deletion = new Date(now.getTime() + 90 * 86_400_000);
  const fmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
  return { accessEnd: fmt.format(accessEnd), deletion: fmt.format(deletion) };
}

function InterfaceDetail({ iface }: { iface: Interface }) {
  const invalidate = useInvalidate(InterfaceService);
  const remove = useMutation(InterfaceService.method.deleteInterface);
  const reactivate = useMutation(InterfaceService.method.reactivateInterface);
  const [deleted, setDeleted] = useState<DeleteInterfaceResponse>();
  const resellerName = useResellerName();
  const name = iface.contact?.company || iface.contact?.lastName || iface.guid;
  const live = iface.status === InterfaceStatus.ACTIVE || iface.status === InterfaceStatus.PENDING;
  const expected = expectedDates();
  return (
    <Page
      title={name}
      subtitle={<><Link to="/interfaces">Interfaces</Link> › <code>{iface.guid}</code> · <Badge tone={statusTone(iface.status)}>{interfaceStatusLabels[iface.status]}</Badge></>}
      actions={<>
        {live && (
          <ConfirmButton label="Delete" title={`Delete interface ${iface.guid}?`} confirmLabel="Delete interface"
            onConfirm={async () => { setDeleted(await remove.mutateAsync({ key: iface.key })); await invalidate(); }}>
            <p>The interface is deactivated at once: the customer is no longer billed.</p>
            <p>Access is cut on the 1st of next month (<strong>{expected.accessEnd}</strong>) and the interface is deleted for good 90 days from now (<strong>{expected.deletion}</strong>). Until then it can be reactivated.</p>
          </ConfirmButton>
        )}
        {iface.status === InterfaceStatus.DEACTIVATED && (
          <ConfirmButton label="Reactivate" danger={false} title={`Reactivate interface ${iface.guid}?`} confirmLabel="Reactivate interface"
            onConfirm={async () => { await reactivate.mutateAsync({ key: iface.key }); setDeleted(undefined); await invalidate(); }}>
            <p>The deletion request is cancelled: the interface is back, and billed again.</p>
          </ConfirmButton>
        )}
      </>}
    >
      {deleted && (
        <p className="notice notice-warn" role="status" data-testid="deletion-dates">
          Deletion requested. Access ends on <strong>{formatTime(deleted.accessEndTime)}</strong>; the interface is deleted for good on <strong>{formatTime(deleted.deletionTime)}</strong>.
        </p>
      )}
      <dl className="facts">
        <dt>Status</dt><dd>{interfaceStatusLabels[iface.status]}</dd>
        <dt>Reseller</dt><dd><Link to={`/interfaces?reseller=${iface.resellerId}`}>{resellerName(iface.resellerId)}</Link></dd>
        <dt>Key</dt><dd><code>{iface.key}</code> <CopyButton text={iface.key} what="interface key" /></dd>
        <dt>Subdomain</dt><dd><code>{iface.subdomain}</code></dd>
        <dt>URL</dt><dd><Url href={iface.url} /></dd>
        <dt>Admin URL</dt><dd><Url href={iface.adminUrl} /></dd>
        <dt>Form URL</dt><dd><Url href={iface.formUrl} /></dd>
        <dt>Ordered</dt><dd>{formatTime(iface.createTime)}</dd>
        <dt>Installed</dt><dd>{formatTime(iface.installTime) || <span className="muted">not yet</span>}</dd>
        {iface.deletionRequestTime && <><dt>Deletion requested</dt><dd>{formatTime(iface.deletionRequestTime)}</dd></>}
        <dt>Access ends</dt><dd>{formatTime(iface.accessEndTime) || <span className="muted">—</span>}</dd>
        <dt>Deletion</dt><dd>{formatTime(iface.deletionTime) || <span className="muted">—</span>}</dd>
        {iface.reactivationTime && <><dt>Reactivated</dt><dd>{formatTime(iface.reactivationTime)}</dd></>}
        <dt>Customer</dt>
        <dd className="facts-block">
          {[iface.contact?.firstName, iface.contact?.lastName].filter(Boolean).join(' ')}{iface.contact?.company ? `, ${iface.contact.company}` : ''}<br />
          {iface.contact?.address}, {iface.contact?.postalCode} {iface.contact?.city}, {iface.contact?.country}<br />
          {iface.contact?.phone} · {iface.contact?.email}
        </dd>
      </dl>
      <OfferingsSection iface={iface} live={live} />
    </Page>
  );
}

function OfferingsSection({ iface, live }: { iface: Interface; live: boolean }) {
  const [adding, setAdding] = useState(false);
  const codes = useQuery(InterfaceService.method.listInterfaceOfferings, { key: iface.key, includeCancelled: true });
  const liveCodes = useQuery(InterfaceService.method.listInterfaceOfferings, { key: iface.key });
  return (
    <Section title="Offerings" actions={<IfMayChange><button type="button" className="btn" onClick={() => setAdding(true)} disabled={!live}>Add offerings</button></IfMayChange>}>
      <QueryView query={codes} what="the offerings" isEmpty={(d) => d.codes.length === 0} empty={<p>No offerings on this interface.</p>}>
        {(data) => <>{data.codes.map((code) => <CodeLines key={code} iface={iface} code={code} live={live} />)}</>}
      </QueryView>
      {adding && <AddOfferingsDialog interfaceKey={iface.key} live={liveCodes.data?.codes ?? []} onClose={() => setAdding(false)} />}
    </Section>
  );
}

function CodeLines({ iface, code, live }: { iface: Interface; code: string; live: boolean }) {
  const lines = useQuery(InterfaceService.method.getInterfaceOffering, { key: iface.key, code });
  const invalidate = useInvalidate(InterfaceService);
  const cancel = useMutation(InterfaceService.method.cancelInterfaceOffering);
  const liveLines = lines.data?.lines.filter((l) => !l.cancelled) ?? [];
  const columns: Column<InterfaceOfferingLine>[] = [
    { header: 'Code', cell: (l) => <code>{l.code}</code> },
    { header: 'Reference', cell: (l) => <code>{l.reference}</code> },
    { header: 'Ordered', cell: (l) => formatTime(l.createTime), className: 'nowrap' },
    { header: 'Cancelled', cell: (l) => (l.cancelled ? <Badge tone="off">Cancelled</Badge> : <Badge tone="ok">Live</Badge>) },
    { header: 'Cancelled on', cell: (l) => formatTime(l.cancelTime), className: 'nowrap' },
    {
      header: 'Actions', changes: true,
      cell: (l) => (
        <ConfirmButton small label="Cancel line" accessibleLabel={`Cancel line ${l.reference}`} title={`Cancel this ${l.code} line?`} confirmLabel="Cancel line"
          disabled={l.cancelled || !live}
          onConfirm={async () => { await cancel.mutateAsync({ key: iface.key, codeOrReference: l.reference }); await invalidate(); }}>
          <p>Only the line <code>{l.reference}</code> is cancelled; other {l.code} lines stay. A cancellation cannot be undone.</p>
        </ConfirmButton>
      ),
    },
  ];
  return (
    <div className="code-lines">
      <header className="section-header">
        <h3><code>{code}</code></h3>
        <ConfirmButton small label={`Cancel all ${code}`} title={`Cancel every ${code} line?`} confirmLabel={`Cancel all ${code}`}
          disabled={liveLines.length === 0 || !live}
          onConfirm={async () => { await cancel.mutateAsync({ key: iface.key, codeOrReference: code }); await invalidate(); }}>
          <p>Every live {code} line ({liveLines.length}) is cancelled. A cancellation cannot be undone.</p>
        </ConfirmButton>
      </header>
      <QueryView query={lines} what={`the ${code} lines`} isEmpty={(d) => d.lines.length === 0} empty={<p>No lines.</p>}>
        {(data) => <DataTable caption={`${code} lines`} columns={columns} rows={data.lines} rowKey={(l) => l.reference} />}
      </QueryView>
    </div>
  );
}
