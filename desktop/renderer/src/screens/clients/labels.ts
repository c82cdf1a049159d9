// Client statuses, equipment kinds and list orders, as message keys.
import { ClientStatus, EquipmentKind } from '@gen/reseller/v1/clients_pb.js';
import type { TFunction } from 'i18next';
import { tr, type MessageKey } from '../../i18n/keys.ts';
import type { Option } from '../../ui/form.tsx';

export const statusLabels: Record<ClientStatus, MessageKey> = {
  [ClientStatus.UNSPECIFIED]: 'clients.status.unknown',
  [ClientStatus.ACTIVE]: 'clients.status.active',
  [ClientStatus.INACTIVE]: 'clients.status.inactive',
};

export function statusFilterOptions(t: TFunction): Option[] {
  return [
    { value: '', label: t('clients.status.any') },
    { value: String(ClientStatus.ACTIVE), label: tr(t, statusLabels[ClientStatus.ACTIVE]) },
    { value: String(ClientStatus.INACTIVE), label: tr(t, statusLabels[ClientStatus.INACTIVE]) },
  ];
}

export const kindLabels: Record<EquipmentKind, MessageKey> = {
  [EquipmentKind.UNSPECIFIED]: 'equipment.kinds.unknown',
  [EquipmentKind.DESK_PHONE]: 'equipment.kinds.deskPhone',
  [EquipmentKind.SMARTPHONE]: 'equipment.kinds.smartphone',
  [EquipmentKind.SOFTPHONE]: 'equipment.kinds.softphone',
  [EquipmentKind.DECT_BASE]: 'equipment.kinds.dectBase',
  [EquipmentKind.GATEWAY]: 'equipment.kinds.gateway',
};

export function kindOptions(t: TFunction): Option[] {
  return [
    { value: '', label: t('equipment.kinds.choose') },
    ...[EquipmentKind.DESK_PHONE, EquipmentKind.SMARTPHONE, EquipmentKind.SOFTPHONE, EquipmentKind.DECT_BASE, EquipmentKind.GATEWAY]
      .map((k) => ({ value: String(k), label: tr(t, kindLabels[k]) })),
  ];
}

/** ListClientsRequest.order_by, as the API spells them. */
export function orderOptions(t: TFunction): Option[] {
  return [
    { value: 'create_time desc', label: t('clients.order.newest') },
    { value: 'create_time', label: t('clients.order.oldest') },
    { value: 'name', label: t('clients.order.nameAsc') },
    { value: 'name desc', label: t('clients.order.nameDesc') },
    { value: 'code', label: t('clients.order.codeAsc') },
    { value: 'code desc', label: t('clients.order.codeDesc') },
  ];
}
