// Who is calling: the roles the platform knows and the principal a verified
// token stands for. Platform defines them; the access feature stores the
// credentials that carry them (server/access/).
import { Code } from '@connectrpc/connect';
import { apiError } from '../rpc/errors.ts';

/** admin and support are staff (every reseller's data; support only reads); reseller sees its own data. */
export type RoleName = 'admin' | 'support' | 'reseller';

export interface Principal {
  credentialId: string;
  clientId: string;
  role: RoleName;
  /** Set for reseller credentials only. */
  resellerId: string | null;
}

export function isStaff(principal: Principal): boolean {
  return principal.role === 'admin' || principal.role === 'support';
}

/**
 * The reseller a request acts for. A reseller's credential always acts for its
 * own reseller; staff must name one (`field` says where).
 */
export function actingReseller(principal: Principal, requested: string | undefined, field: string): string {
  if (principal.resellerId) return principal.resellerId;
  if (!requested) {
    throw apiError(Code.InvalidArgument, 'RESELLER_REQUIRED', `invalid request: ${field} is required for staff credentials`, {
      violations: [{ field, description: 'is required for staff credentials', reason: 'REQUIRED' }],
    });
  }
  return requested;
}
