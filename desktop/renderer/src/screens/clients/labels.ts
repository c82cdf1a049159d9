// Client statuses, equipment kinds and list orders in words.
import { ClientStatus, EquipmentKind } from '@gen/reseller/v1/clients_pb.js';
import type { Option } from '../../ui/form.tsx';

export const statusLabels: Record<ClientStatus, string> = {
  [ClientStatus.UNSPECIFIED]: 'Unknown',
  [ClientStatus.ACTIVE]: 'Active',
  [ClientStatus.INACTIVE]: 'Inactive',
};

export const statusFilterOptions: Option[] = [
  { value: '', label: 'Any status' },
  { value: String(ClientStatus.ACTIVE), label: 'Active' },
  { value: String(ClientStatus.INACTIVE), label: 'Inactive' },
];

export const kindLabels: Record<EquipmentKind, string> = {
  [EquipmentKind.UNSPECIFIED]: 'Unknown',
  [EquipmentKind.DESK_PHONE]: 'Desk phone',
  [EquipmentKind.SMARTPHONE]: 'Smartphone',
  [EquipmentKind.SOFTPHONE]: 'Softphone',
  [EquipmentKind.DECT_BASE]: 'DECT base station',
  [EquipmentKind.GATEWAY]: 'Gateway',
};

export const kindOptions: Option[] = [
  { value: '', label: 'Choose a kind…' },
  ...[EquipmentKind.DESK_PHONE, EquipmentKind.SMARTPHONE, EquipmentKind.SOFTPHONE, EquipmentKind.DECT_BASE, EquipmentKind.GATEWAY]
    .map((k) => ({ value: String(k), label: kindLabels[k] })),
];

/** ListClientsRequest.order_by, as the API spells them. */
export const orderOptions: Option[] = [
  { value: 'create_time desc', label: 'Newest first' },
  { value: 'create_time', label: 'Oldest first' },
  { value: 'name', label: 'Name A→Z' },
  { value: 'name desc', label: 'Name Z→A' },
  { value: 'code', label: 'Code A→Z' },
  { value: 'code desc', label: 'Code Z→A' },
];
