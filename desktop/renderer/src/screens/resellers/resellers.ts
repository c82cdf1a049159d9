// Resellers as other screens need them: names for ids, and choices for selects.
import { useQuery } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import type { Option } from '../../ui/form.tsx';
import { shortId } from '../../api/format.ts';

/**
 * The first 200 resellers by name (the API's largest page), optionally
 * narrowed by a search: enough to pick from and to name the ones in a list.
 * Read again whenever a screen opens, so a reseller created meanwhile shows.
 */
export function useResellerChoices(query = '') {
  return useQuery(AccessService.method.listResellers, { pageSize: 200, query }, { staleTime: 0 });
}

/** Shows a reseller's name where a list only carries its id. */
export function useResellerName(): (resellerId: string) => string {
  const { t } = useTranslation();
  const { data } = useResellerChoices();
  const names = new Map(data?.resellers.map((r) => [r.resellerId, r.name]));
  return (id) => (id ? names.get(id) ?? t('references.reseller', { id: shortId(id) }) : '');
}

export function resellerOptions(resellers: readonly { resellerId: string; name: string }[], empty: string): Option[] {
  return [{ value: '', label: empty }, ...resellers.map((r) => ({ value: r.resellerId, label: r.name }))];
}
