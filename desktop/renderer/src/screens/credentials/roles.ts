// Credential roles in words.
import { Role } from '@gen/reseller/v1/access_pb.js';
import type { Option } from '../../ui/form.tsx';

export const roleLabels: Record<Role, string> = {
  [Role.UNSPECIFIED]: 'Unknown',
  [Role.ADMIN]: 'Staff: admin',
  [Role.SUPPORT]: 'Staff: support (read only)',
  [Role.RESELLER]: 'Reseller',
};

export const roleOptions: Option[] = [
  { value: String(Role.RESELLER), label: 'Reseller: sees and changes its own data only' },
  { value: String(Role.SUPPORT), label: 'Staff, support: reads everything, changes nothing' },
  { value: String(Role.ADMIN), label: 'Staff, admin: reads and changes everything' },
];
