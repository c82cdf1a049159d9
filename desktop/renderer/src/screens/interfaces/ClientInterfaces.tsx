// A client's interfaces, for its page. An interface belongs to a reseller,
// not to a client (its customer is its contact, ordered by the reseller), so
// the API has no client filter: the tab lists the reseller's interfaces whose
// customer company contains the client's name (ListInterfaces' query, which
// ignores case and accents), says so, and links to the Interfaces screen with
// that search to widen it.
import { Link } from 'react-router';
import { useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import type { Client } from '@gen/reseller/v1/clients_pb.js';
import { InterfaceService, type Interface } from '@gen/reseller/v1/interfaces_pb.js';
import { useListParams } from '../../api/lists.ts';
import { useFormat } from '../../i18n/format.ts';
import { tr } from '../../i18n/keys.ts';
import { Badge } from '../../ui/Badge.tsx';
import type { Column } from '../../ui/DataTable.tsx';
import { ListView } from '../../ui/ListView.tsx';
import { Section } from '../../ui/Page.tsx';
import { interfaceName } from './InterfacesScreen.tsx';
import { interfaceStatusLabels, statusTone } from './labels.ts';

export function ClientInterfaces({ client }: { client: Client }) {
  const { t } = useTranslation();
  const format = useFormat();
  const params = useListParams();
  const filter = { resellerId: client.resellerId, query: client.name };
  const list = useQuery(InterfaceService.method.listInterfaces, { ...filter, pageSize: Number(params.pageSize), pageToken: params.pages.pageToken },
    { placeholderData: (p) => p });
  const columns: Column<Interface>[] = [
    { header: t('interfaces.columns.customer'), cell: (i) => <Link to={`/interfaces/${i.key}`}>{interfaceName(i)}</Link> },
    { header: t('interfaces.columns.reference'), cell: (i) => <code>{i.guid}</code> },
    { header: t('interfaces.columns.subdomain'), cell: (i) => <code>{i.subdomain}</code> },
    { header: t('interfaces.columns.status'), cell: (i) => <Badge tone={statusTone(i.status)}>{tr(t, interfaceStatusLabels[i.status])}</Badge> },
    { header: t('interfaces.columns.ordered'), cell: (i) => format.time(i.createTime), className: 'nowrap' },
    { header: t('interfaces.columns.accessEnds'), cell: (i) => format.date(i.accessEndTime), className: 'nowrap' },
  ];
  const search = new URLSearchParams({ q: client.name, reseller: client.resellerId });
  return (
    <Section title={t('clients.tabs.interfaces')} actions={<Link to={`/interfaces?${search}`}>{t('interfaces.ofClient.searchAll')}</Link>}>
      <p className="muted">{t('interfaces.ofClient.intro', { name: client.name })}</p>
      <ListView query={list} rows={(d) => d.interfaces} nextPageToken={(d) => d.nextPageToken} caption={t('interfaces.ofClient.caption', { name: client.name })}
        columns={columns} rowKey={(i) => i.key} list={params} what={t('interfaces.what')}
        empty={<p>{t('interfaces.ofClient.empty', { name: client.name })}</p>} />
    </Section>
  );
}
