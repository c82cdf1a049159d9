// One interface: its status, URLs, lifecycle dates and customer; its offering
// lines (cancelled ones too); its history; and the changes staff make: add
// offerings, cancel a line or every line of a code, delete (access cut on the
// 1st of next month, final deletion 90 days later; the notification offers
// to undo it, which reactivates) and reactivate until then.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import {
  InterfaceService, InterfaceStatus, type DeleteInterfaceResponse, type Interface, type InterfaceOfferingLine,
} from '@gen/reseller/v1/interfaces_pb.js';
import { useInvalidate } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Details } from '../../ui/Details.tsx';
import { IfMayChange } from '../../ui/IfMayChange.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { Page, Section } from '../../ui/Page.tsx';
import { ResellerLink } from '../../ui/references.tsx';
import { QueryView } from '../../ui/States.tsx';
import { Tabs } from '../../ui/Tabs.tsx';
import { HistoryTab } from '../audit/HistoryTab.tsx';
import { AddOfferingsDialog } from './InterfaceForms.tsx';
import { interfaceName } from './InterfacesScreen.tsx';
import { interfaceStatusLabels, statusTone } from './labels.ts';
import { tr } from '../../i18n/keys.ts';

export function InterfaceDetailScreen() {
  const { t } = useTranslation();
  const { interfaceKey = '' } = useParams();
  const query = useQuery(InterfaceService.method.getInterface, { key: interfaceKey });
  return (
    <QueryView query={query} what={t('interfaces.whatOne')}>
      {(data) => <InterfaceDetail iface={data.interface!} />}
    </QueryView>
  );
}

function Url({ href, label }: { href: string; label: string }) {
  const { t } = useTranslation();
  if (!href) return <span className="muted">{t('common.dash')}</span>;
  return <><a href={href} target="_blank" rel="noreferrer noopener">{href}</a> <CopyButton text={href} label={t('copy.label', { what: label })} /></>;
}

/** The 1st of next month and 90 days from now: what the server will answer, to say it before asking. */
function expectedDates(now = new Date()) {
  return { accessEnd: new Date(now.getFullYear(), now.getMonth() + 1, 1), deletion: new Date(now.getTime() + 90 * 86_400_000) };
}

function InterfaceDetail({ iface }: { iface: Interface }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const invalidate = useInvalidate(InterfaceService);
  const remove = useMutation(InterfaceService.method.deleteInterface);
  const reactivate = useMutation(InterfaceService.method.reactivateInterface);
  const [deleted, setDeleted] = useState<DeleteInterfaceResponse>();
  const name = interfaceName(iface);
  const live = iface.status === InterfaceStatus.ACTIVE || iface.status === InterfaceStatus.PENDING;
  const expected = expectedDates();
  const contact = iface.contact;
  return (
    <Page
      title={name}
      subtitle={<><Link to="/interfaces">{t('interfaces.title')}</Link> › <code>{iface.guid}</code> <Badge tone={statusTone(iface.status)}>{tr(t, interfaceStatusLabels[iface.status])}</Badge></>}
      actions={<>
        {live && (
          <ConfirmButton label={t('common.delete')} title={t('interfaces.deleteTitle', { guid: iface.guid })} confirmLabel={t('interfaces.deleteConfirm')}
            onConfirm={async () => {
              setDeleted(await remove.mutateAsync({ key: iface.key }));
              await invalidate();
              notify({
                message: t('interfaces.notify.deleted', { name }),
                undo: async () => { await reactivate.mutateAsync({ key: iface.key }); setDeleted(undefined); await invalidate(); },
                undone: t('interfaces.notify.reactivated', { name }),
              });
            }}>
            <p>{t('interfaces.deleteText1')}</p>
            <p>{t('interfaces.deleteText2', { accessEnd: format.date(expected.accessEnd), deletion: format.date(expected.deletion) })}</p>
          </ConfirmButton>
        )}
        {iface.status === InterfaceStatus.DEACTIVATED && (
          <ConfirmButton label={t('interfaces.reactivate')} danger={false} title={t('interfaces.reactivateTitle', { guid: iface.guid })} confirmLabel={t('interfaces.reactivateConfirm')}
            onConfirm={async () => {
              await reactivate.mutateAsync({ key: iface.key });
              setDeleted(undefined);
              await invalidate();
              notify({ message: t('interfaces.notify.reactivated', { name }) });
            }}>
            <p>{t('interfaces.reactivateText')}</p>
          </ConfirmButton>
        )}
      </>}
    >
      {deleted && (
        <p className="notice notice-warn" role="status" data-testid="deletion-dates">
          {t('interfaces.deletionRequested', { accessEnd: format.time(deleted.accessEndTime), deletion: format.time(deleted.deletionTime) })}
        </p>
      )}
      <dl className="facts">
        <dt>{t('interfaces.columns.status')}</dt><dd>{tr(t, interfaceStatusLabels[iface.status])}</dd>
        <dt>{t('interfaces.columns.reseller')}</dt><dd><ResellerLink id={iface.resellerId} /></dd>
        <dt>{t('interfaces.columns.subdomain')}</dt><dd><code>{iface.subdomain}</code></dd>
        <dt>{t('interfaces.fields.url')}</dt><dd><Url href={iface.url} label={t('interfaces.fields.url')} /></dd>
        <dt>{t('interfaces.fields.adminUrl')}</dt><dd><Url href={iface.adminUrl} label={t('interfaces.fields.adminUrl')} /></dd>
        <dt>{t('interfaces.fields.formUrl')}</dt><dd><Url href={iface.formUrl} label={t('interfaces.fields.formUrl')} /></dd>
        <dt>{t('interfaces.columns.ordered')}</dt><dd>{format.time(iface.createTime)}</dd>
        <dt>{t('interfaces.fields.installed')}</dt><dd>{format.time(iface.installTime) || <span className="muted">{t('common.notYet')}</span>}</dd>
        {iface.deletionRequestTime && <><dt>{t('interfaces.fields.deletionRequested')}</dt><dd>{format.time(iface.deletionRequestTime)}</dd></>}
        <dt>{t('interfaces.columns.accessEnds')}</dt><dd>{format.time(iface.accessEndTime) || <span className="muted">{t('common.dash')}</span>}</dd>
        <dt>{t('interfaces.columns.deletion')}</dt><dd>{format.time(iface.deletionTime) || <span className="muted">{t('common.dash')}</span>}</dd>
        {iface.reactivationTime && <><dt>{t('interfaces.fields.reactivated')}</dt><dd>{format.time(iface.reactivationTime)}</dd></>}
        <dt>{t('interfaces.contact.legend')}</dt>
        <dd className="facts-block">
          {[contact?.firstName, contact?.lastName].filter(Boolean).join(' ')}{contact?.company ? `, ${contact.company}` : ''}<br />
          {contact?.address}, {contact?.postalCode} {contact?.city}, {contact?.country}<br />
          {contact?.phone} · {contact?.email}
        </dd>
      </dl>
      <Details ids={[{ label: t('interfaces.columns.key'), value: iface.key }, { label: t('interfaces.columns.reference'), value: iface.guid }, { label: t('clients.fields.version'), value: iface.etag }]} />
      <Tabs label={t('interfaces.tabs.label')} tabs={[
        { id: 'offerings', label: t('interfaces.tabs.offerings'), render: () => <OfferingsSection iface={iface} live={live} /> },
        { id: 'history', label: t('history.tab'), render: () => <HistoryTab objectType="ShopInterface" objectId={iface.key} name={name} /> },
      ]} />
    </Page>
  );
}

function OfferingsSection({ iface, live }: { iface: Interface; live: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const codes = useQuery(InterfaceService.method.listInterfaceOfferings, { key: iface.key, includeCancelled: true });
  const liveCodes = useQuery(InterfaceService.method.listInterfaceOfferings, { key: iface.key });
  const notLive = live ? undefined : t('interfaces.notLiveReason');
  return (
    <Section title={t('interfaces.tabs.offerings')} actions={<IfMayChange><Button onClick={() => setAdding(true)} disabledReason={notLive}>{t('interfaces.addOfferings')}</Button></IfMayChange>}>
      <QueryView query={codes} what={t('interfaces.offeringsWhat')} isEmpty={(d) => d.codes.length === 0} empty={<p>{t('interfaces.noOfferings')}</p>}>
        {(data) => <>{data.codes.map((code) => <CodeLines key={code} iface={iface} code={code} notLive={notLive} />)}</>}
      </QueryView>
      {adding && <AddOfferingsDialog interfaceKey={iface.key} live={liveCodes.data?.codes ?? []} onClose={() => setAdding(false)} />}
    </Section>
  );
}

function CodeLines({ iface, code, notLive }: { iface: Interface; code: string; notLive: string | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const lines = useQuery(InterfaceService.method.getInterfaceOffering, { key: iface.key, code });
  const invalidate = useInvalidate(InterfaceService);
  const cancel = useMutation(InterfaceService.method.cancelInterfaceOffering);
  const liveLines = lines.data?.lines.filter((l) => !l.cancelled) ?? [];
  const columns: Column<InterfaceOfferingLine>[] = [
    { header: t('interfaces.lines.code'), cell: (l) => <Link to={`/offerings/${l.code}`} className="mono">{l.code}</Link> },
    { header: t('interfaces.lines.reference'), cell: (l) => <code>{l.reference}</code> },
    { header: t('interfaces.lines.ordered'), cell: (l) => format.time(l.createTime), className: 'nowrap' },
    { header: t('interfaces.lines.state'), cell: (l) => (l.cancelled ? <Badge tone="off">{t('interfaces.lines.cancelled')}</Badge> : <Badge tone="ok">{t('interfaces.lines.live')}</Badge>) },
    { header: t('interfaces.lines.cancelledOn'), cell: (l) => format.time(l.cancelTime), className: 'nowrap' },
    {
      header: t('common.actions'), changes: true,
      cell: (l) => (
        <ConfirmButton small label={t('interfaces.lines.cancel')} accessibleLabel={t('interfaces.lines.cancelNamed', { reference: l.reference })}
          title={t('interfaces.lines.cancelTitle', { code: l.code })} confirmLabel={t('interfaces.lines.cancel')}
          disabledReason={l.cancelled ? t('interfaces.lines.alreadyCancelled') : notLive}
          onConfirm={async () => {
            await cancel.mutateAsync({ key: iface.key, codeOrReference: l.reference });
            await invalidate();
            notify({ message: t('interfaces.notify.lineCancelled', { reference: l.reference }) });
          }}>
          <p>{t('interfaces.lines.cancelText', { reference: l.reference, code: l.code })}</p>
        </ConfirmButton>
      ),
    },
  ];
  return (
    <div className="code-lines">
      <header className="section-header">
        <h3><code>{code}</code></h3>
        <ConfirmButton small label={t('interfaces.lines.cancelAll', { code })} title={t('interfaces.lines.cancelAllTitle', { code })} confirmLabel={t('interfaces.lines.cancelAll', { code })}
          disabledReason={liveLines.length === 0 ? t('interfaces.lines.noneLive') : notLive}
          onConfirm={async () => {
            await cancel.mutateAsync({ key: iface.key, codeOrReference: code });
            await invalidate();
            notify({ message: t('interfaces.notify.codeCancelled', { code, count: liveLines.length }) });
          }}>
          <p>{t('interfaces.lines.cancelAllText', { code, count: liveLines.length })}</p>
        </ConfirmButton>
      </header>
      <QueryView query={lines} what={t('interfaces.lines.what', { code })} isEmpty={(d) => d.lines.length === 0} empty={<p>{t('interfaces.lines.empty')}</p>}>
        {(data) => <DataTable caption={t('interfaces.lines.caption', { code })} columns={columns} rows={data.lines} rowKey={(l) => l.reference} />}
      </QueryView>
    </div>
  );
}
