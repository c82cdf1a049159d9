// References shown by name and linked to their page, in the way of
// react-admin's <ReferenceField>. The name comes with the API's message where
// it has one (a charge's `client_name`, an equipment's `smartphone`), passed
// here as `name`; otherwise from what the console has already read in this
// session (one list of resellers, the clients of lists and pages seen):
// never one request per table row. A client the console has not seen shows
// a short id.
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { createConnectQueryKey } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { ClientService, type GetClientResponse, type ListClientsResponse } from '@gen/reseller/v1/clients_pb.js';
import type { SmartphoneSummary } from '@gen/reseller/v1/catalog_pb.js';
import { shortId } from '../api/format.ts';
import { useFormat } from '../i18n/format.ts';
import { useResellerName } from '../screens/resellers/resellers.ts';

/** A client's name from the reads this session already has (lists and pages), or undefined. */
export function useKnownClientName(): (clientId: string) => string | undefined {
  const queryClient = useQueryClient();
  return (clientId) => {
    for (const [, data] of queryClient.getQueriesData<GetClientResponse>({ queryKey: createConnectQueryKey({ schema: ClientService.method.getClient, cardinality: undefined }) })) {
      if (data?.client?.clientId === clientId) return data.client.name;
    }
    for (const [, data] of queryClient.getQueriesData<ListClientsResponse>({ queryKey: createConnectQueryKey({ schema: ClientService.method.listClients, cardinality: undefined }) })) {
      const found = data?.clients.find((c) => c.clientId === clientId);
      if (found) return found.name;
    }
    return undefined;
  };
}

/** A client by name, linked to its page. */
export function ClientLink({ id, name }: { id: string; name?: string }) {
  const { t } = useTranslation();
  const known = useKnownClientName();
  if (!id) return null;
  const shown = name || known(id);
  return <Link to={`/clients/${id}`} className={shown ? undefined : 'mono'} title={shown ? undefined : t('references.nameNotInApi')}>{shown ?? t('references.client', { id: shortId(id) })}</Link>;
}

/** A reseller by name, linked to its page. */
export function ResellerLink({ id }: { id: string }) {
  const resellerName = useResellerName();
  if (!id) return null;
  return <Link to={`/resellers/${id}`}>{resellerName(id)}</Link>;
}

/** A smartphone as staff name it: "Samsung Galaxy A55 · 128 GB · Black" (from the API's summary on the equipment, or the catalog's entry). */
export function useSmartphoneName(): (s: Pick<SmartphoneSummary, 'brand' | 'model' | 'storageGb' | 'colour'>) => string {
  const { t } = useTranslation();
  const format = useFormat();
  return (s) => [`${s.brand} ${s.model}`, s.storageGb ? t('catalog.phones.gb', { size: format.number(s.storageGb) }) : '', s.colour].filter(Boolean).join(' · ');
}
