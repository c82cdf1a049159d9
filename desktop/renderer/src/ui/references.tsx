// References shown by name and linked to their page, in the way of
// react-admin's <ReferenceField>. The names come from what the console has
// already read in this session (one list of resellers, the catalog's
// smartphones, the clients of lists and pages seen): never one request per
// table row. Where today's API gives only an id and the console has not seen
// the object, the reference shows a short id; phase 2 of issue 19 puts the
// name in the API's messages (for example `client_name` on a Charge), passed
// here as `name`.
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useQuery } from '@connectrpc/connect-query';
import { createConnectQueryKey } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { ClientService, type GetClientResponse, type ListClientsResponse } from '@gen/reseller/v1/clients_pb.js';
import { CatalogService } from '@gen/reseller/v1/catalog_pb.js';
import { shortId } from '../api/format.ts';
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

/** The catalog's smartphones by id: "Samsung Galaxy A55 128 GB" (one read of the catalog, cached). */
export function useSmartphoneName(): (smartphoneId: string) => string | undefined {
  const { data } = useQuery(CatalogService.method.listSmartphones, { pageSize: 200 }, { staleTime: 60_000 });
  const names = new Map(data?.smartphones.map((s) => [s.smartphoneId, `${s.brand} ${s.model} · ${s.storageGb} GB · ${s.colour}`]));
  return (id) => (id ? names.get(id) : undefined);
}
