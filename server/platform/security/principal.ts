// Who is calling: the roles the platform knows and the principal a verified
// token stands for. Platform defines them; the access feature stores the
// credentials that carry them (server/access/).
import { Code } from '@connectrpc/connect';
import { apiError } from '../rpc/errors.ts';

/** admin and support are staff (every reseller's data; support only reads); reseller sees its own data. */
export type RoleName = 'admin' | 'support' | 'reseller';

/** A staff person signed in with their own account (AuthService.SignIn), as opposed to an API credential. */
export interface Person {
  staffUserId: string;
  email: string;
  sessionId: string;
}

export interface Principal {
  /** The API credential's id, or the staff user's id for a person (what the rate limit counts by). */
  credentialId: string;
  /** The credential's public client id, or the person's e-mail. */
  clientId: string;
  role: RoleName;
  /** Set for reseller credentials only. */
  resellerId: string | null;
  /** Set when a staff person signed in as themselves. */
  person?: Person;
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
