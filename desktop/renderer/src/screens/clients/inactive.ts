// Why a change is not offered on an inactive client's objects: shared by the
// client's page and the pages and sections under it (accounts, families,
// devices), which the client's page imports.
import { useTranslation } from 'react-i18next';
import { ClientStatus, type Client } from '@gen/reseller/v1/clients_pb.js';

export function useInactiveReason(client: Client): string | undefined {
  const { t } = useTranslation();
  return client.status === ClientStatus.ACTIVE ? undefined : t('clients.inactiveReason');
}
