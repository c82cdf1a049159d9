// Interface statuses in words.
import { InterfaceStatus } from '@gen/reseller/v1/interfaces_pb.js';
import type { Option } from '../../ui/form.tsx';

export const interfaceStatusLabels: Record<InterfaceStatus, string> = {
  [InterfaceStatus.UNSPECIFIED]: 'Unknown',
  [InterfaceStatus.ACTIVE]: 'Active',
  [InterfaceStatus.DELETED]: 'Deleted',
  [InterfaceStatus.DEACTIVATED]: 'Deactivated',
  [InterfaceStatus.PENDING]: 'Installing',
};

export function statusTone(status: InterfaceStatus): 'ok' | 'off' | 'warn' | 'info' {
  if (status === InterfaceStatus.ACTIVE) return 'ok';
  if (status === InterfaceStatus.PENDING) return 'info';
  if (status === InterfaceStatus.DEACTIVATED) return 'warn';
  return 'off';
}

export const interfaceStatusOptions: Option[] = [
  { value: '', label: 'Any status' },
  ...[InterfaceStatus.PENDING, InterfaceStatus.ACTIVE, InterfaceStatus.DEACTIVATED, InterfaceStatus.DELETED]
    .map((s) => ({ value: String(s), label: interfaceStatusLabels[s] })),
];
