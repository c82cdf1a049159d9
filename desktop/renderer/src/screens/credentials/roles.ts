// Credential roles, as message keys.
import { Role } from '@gen/reseller/v1/access_pb.js';
import type { TFunction } from 'i18next';
import type { MessageKey } from '../../i18n/keys.ts';
import type { Option } from '../../ui/form.tsx';

export const roleLabels: Record<Role, MessageKey> = {
  [Role.UNSPECIFIED]: 'credentials.roles.unknown',
  [Role.ADMIN]: 'credentials.roles.admin',
  [Role.SUPPORT]: 'credentials.roles.support',
  [Role.RESELLER]: 'credentials.roles.reseller',
};

export function roleOptions(t: TFunction): Option[] {
  return [
    { value: String(Role.RESELLER), label: t('credentials.roles.resellerOption') },
    { value: String(Role.SUPPORT), label: t('credentials.roles.supportOption') },
    { value: String(Role.ADMIN), label: t('credentials.roles.adminOption') },
  ];
}
