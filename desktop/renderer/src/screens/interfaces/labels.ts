// Interface statuses, as message keys.
import { InterfaceStatus } from '@gen/reseller/v1/interfaces_pb.js';
import type { TFunction } from 'i18next';
import { tr, type MessageKey } from '../../i18n/keys.ts';
import type { Option } from '../../ui/form.tsx';

export const interfaceStatusLabels: Record<InterfaceStatus, MessageKey> = {
  [InterfaceStatus.UNSPECIFIED]: 'interfaces.status.unknown',
  [InterfaceStatus.ACTIVE]: 'interfaces.status.active',
  [InterfaceStatus.DELETED]: 'interfaces.status.deleted',
  [InterfaceStatus.DEACTIVATED]: 'interfaces.status.deactivated',
  [InterfaceStatus.PENDING]: 'interfaces.status.pending',
};

export function statusTone(status: InterfaceStatus): 'ok' | 'off' | 'warn' | 'info' {
  if (status === InterfaceStatus.ACTIVE) return 'ok';
  if (status === InterfaceStatus.PENDING) return 'info';
  if (status === InterfaceStatus.DEACTIVATED) return 'warn';
  return 'off';
}

export function interfaceStatusOptions(t: TFunction): Option[] {
  return [
    { value: '', label: t('interfaces.status.any') },
    ...[InterfaceStatus.PENDING, InterfaceStatus.ACTIVE, InterfaceStatus.DEACTIVATED, InterfaceStatus.DELETED]
      .map((s) => ({ value: String(s), label: tr(t, interfaceStatusLabels[s]) })),
  ];
}
