// The home screen: what staff check first, each with a link to the full list.
// Interfaces waiting for installation; interfaces whose access ends this
// month (deleted last month or this one: access is cut on the 1st of the
// month after the request); the charges recorded this month with their
// totals; the latest changes. All from the existing lists, one read each.
import { Link } from 'react-router';
import { useQuery } from '@connectrpc/connect-query';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { useTranslation } from 'react-i18next';
import { AuditService, type AuditEvent } from '@gen/reseller/v1/audit_pb.js';
import { DeviceService } from '@gen/reseller/v1/devices_pb.js';
import { InterfaceService, InterfaceStatus, type Interface } from '@gen/reseller/v1/interfaces_pb.js';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { Page, Section } from '../../ui/Page.tsx';
import { ResellerLink } from '../../ui/references.tsx';
import { Empty, QueryView } from '../../ui/States.tsx';
import { Actor, actionTone } from '../audit/HistoryTab.tsx';
import { actionLabels, methodLabel, objectTypeLabel } from '../audit/labels.ts';
import { interfaceName } from '../interfaces/InterfacesScreen.tsx';
import { tr } from '../../i18n/keys.ts';

const SHOWN = 8;

/** The first moment of this month and of the next, in local time. */
export function monthBounds(now = new Date()) {
  return { start: new Date(now.getFullYear(), now.getMonth(), 1), next: new Date(now.getFullYear(), now.getMonth() + 1, 1) };
}

/** "2026-11-01T00:00", the value the charges screen's "From" filter takes. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T00:00`;
}

/**
 * Access ends "this month" when its end is after now and no later than the
 * start of next month (give or take a day: the server computes the 1st of the
 * month in UTC, the console's month is local).
 */
export function endsThisMonth(iface: Interface, now = new Date()): boolean {
  if (!iface.accessEndTime) return false;
  const end = timestampDate(iface.accessEndTime).getTime();
  return end > now.getTime() && end <= monthBounds(now).next.getTime() + 86_400_000;
}

export function HomeScreen() {
  const { t } = useTranslation();
  return (
    <Page title={t('home.title')} subtitle={t('home.subtitle')}>
      <div className="home-grid">
        <PendingInterfaces />
        <AccessEnding />
        <ChargesThisMonth />
        <div className="home-wide"><RecentChanges /></div>
      </div>
    </Page>
  );
}

function useInterfaceColumns(date: 'createTime' | 'accessEndTime'): Column<Interface>[] {
  const { t } = useTranslation();
  const format = useFormat();
  return [
    { header: t('interfaces.columns.customer'), cell: (i) => <Link to={`/interfaces/${i.key}`}>{interfaceName(i)}</Link> },
    { header: t('interfaces.columns.reseller'), cell: (i) => <ResellerLink id={i.resellerId} /> },
    date === 'createTime'
      ? { header: t('interfaces.columns.ordered'), cell: (i) => format.time(i.createTime), className: 'nowrap' }
      : { header: t('interfaces.columns.accessEnds'), cell: (i) => format.date(i.accessEndTime), className: 'nowrap' },
  ];
}

function PendingInterfaces() {
  const { t } = useTranslation();
  const list = useQuery(InterfaceService.method.listInterfaces, { status: InterfaceStatus.PENDING, pageSize: SHOWN });
  const columns = useInterfaceColumns('createTime');
  return (
    <Section id="pending" title={t('home.pending.title')} actions={<Link to={`/interfaces?status=${InterfaceStatus.PENDING}`}>{t('home.seeAll')}</Link>}>
      <QueryView query={list} what={t('interfaces.what')} isEmpty={(d) => d.interfaces.length === 0} empty={<p>{t('home.pending.empty')}</p>}>
        {(d) => <>
          <DataTable caption={t('home.pending.title')} columns={columns} rows={d.interfaces} rowKey={(i) => i.key} />
          {d.nextPageToken && <p className="muted small">{t('home.more')}</p>}
        </>}
      </QueryView>
    </Section>
  );
}

function AccessEnding() {
  const { t } = useTranslation();
  // Every deactivated interface the API's largest page holds, narrowed here:
  // ListInterfaces has no date filter (the server side of issue 19 did not add one).
  const list = useQuery(InterfaceService.method.listInterfaces, { status: InterfaceStatus.DEACTIVATED, pageSize: 200 });
  const columns = useInterfaceColumns('accessEndTime');
  return (
    <Section id="ending" title={t('home.ending.title')} actions={<Link to={`/interfaces?status=${InterfaceStatus.DEACTIVATED}`}>{t('home.seeAll')}</Link>}>
      <QueryView query={list} what={t('interfaces.what')}>
        {(d) => {
          const ending = d.interfaces.filter((i) => endsThisMonth(i));
          return ending.length === 0 ? <Empty><p>{t('home.ending.empty')}</p></Empty> : <>
            <DataTable caption={t('home.ending.title')} columns={columns} rows={ending.slice(0, SHOWN)} rowKey={(i) => i.key} />
            {(ending.length > SHOWN || d.nextPageToken) && <p className="muted small">{t('home.more')}</p>}
          </>;
        }}
      </QueryView>
    </Section>
  );
}

function ChargesThisMonth() {
  const { t } = useTranslation();
  const format = useFormat();
  const { start } = monthBounds();
  const list = useQuery(DeviceService.method.listCharges, { startTime: timestampFromDate(start), pageSize: 200 });
  return (
    <Section id="charges" title={t('home.charges.title')} actions={<Link to={`/charges?from=${encodeURIComponent(localInput(start))}`}>{t('home.seeAll')}</Link>}>
      <QueryView query={list} what={t('charges.what')} isEmpty={(d) => d.charges.length === 0} empty={<p>{t('home.charges.empty')}</p>}>
        {(d) => (
          <div className="home-figures">
            <p><strong className="figure">{d.nextPageToken ? `${format.number(d.charges.length)}+` : format.number(d.charges.length)}</strong> {t('home.charges.count', { count: d.charges.length })}</p>
            {d.totals.map((m) => <p key={m.currency}><strong className="figure money" data-testid={`home-total-${m.currency}`}>{format.money(m)}</strong> {t('home.charges.total', { currency: m.currency })}</p>)}
          </div>
        )}
      </QueryView>
    </Section>
  );
}

function RecentChanges() {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useQuery(AuditService.method.listAuditEvents, { pageSize: SHOWN });
  const columns: Column<AuditEvent>[] = [
    { header: t('history.when'), cell: (e) => format.time(e.time), className: 'nowrap' },
    { header: t('history.what'), cell: (e) => <><Badge tone={actionTone(e.action)}>{tr(t, actionLabels[e.action])}</Badge> {methodLabel(t, e.method)}</> },
    { header: t('audit.columns.object'), cell: (e) => <>{objectTypeLabel(t, e.objectType)} {e.label && <strong>{e.label}</strong>}</> },
    { header: t('history.who'), cell: (e) => <Actor event={e} /> },
  ];
  return (
    <Section id="recent" title={t('home.recent.title')} actions={<Link to="/audit">{t('home.seeAll')}</Link>}>
      <QueryView query={list} what={t('audit.what')} isEmpty={(d) => d.events.length === 0} empty={<p>{t('audit.empty')}</p>}>
        {(d) => <DataTable caption={t('home.recent.title')} columns={columns} rows={d.events} rowKey={(e) => e.eventId} />}
      </QueryView>
    </Section>
  );
}
