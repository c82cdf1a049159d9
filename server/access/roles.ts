// The contract's Role enum and the role names the platform stores, both ways.
import { Role } from '../../gen/reseller/v1/access_pb.js';
import type { RoleName } from '../platform/security/principal.ts';

export const roleNames: Record<number, RoleName> = { [Role.ADMIN]: 'admin', [Role.SUPPORT]: 'support', [Role.RESELLER]: 'reseller' };
export const roleValues: Record<RoleName, Role> = { admin: Role.ADMIN, support: Role.SUPPORT, reseller: Role.RESELLER };
