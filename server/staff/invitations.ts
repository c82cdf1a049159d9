// Staff invitations: InviteStaffUser records the e-mail in the staff
// invitation outbox, in its own transaction; the platform's outbox worker
// (platform/data/outbox.ts, the one that delivers account invitations too)
// sends it and then erases the token from the row (the user row keeps only
// its hash).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/core/clock.ts';
import type { Em } from '../platform/data/database.ts';
import type { OutboxKind } from '../platform/data/outbox.ts';
import { StaffInvitation, type StaffUser } from './staff.entity.ts';
import { sha256 } from './totp.ts';

export function newInvitationToken(): string {
  return `si_${randomBytes(32).toString('base64url')}`;
}

/** Gives the person a new invitation token (its hash on the user) and queues the e-mail. */
export function recordStaffInvitation(em: Em, user: StaffUser, clock: Clock, hours: number): void {
  const token = newInvitationToken();
  const now = clock.now();
  user.invitationTokenHash = sha256(token);
  user.invitationExpiresAt = new Date(now.getTime() + hours * 3_600_000);
  em.create(StaffInvitation, {
    staffUser: user, channel: 'email', recipient: user.email, displayName: user.displayName, token,
    status: 'pending', attempts: 0, nextAttemptAt: now,
    claimToken: null, claimedUntil: null, lastError: null, sentAt: null, deliveredVia: null,
  });
}

export function staffInvitationMessage(row: Pick<StaffInvitation, 'displayName' | 'token'>, url?: string) {
  const token = row.token ?? '';
  const link = url ? `${url}${url.includes('?') ? '&' : '?'}staff_invitation=${encodeURIComponent(token)}` : '';
  return {
    subject: 'Your back-office account on the reseller platform',
    text: [
      `Hello ${row.displayName},`,
      '',
      'An account was made for you in the reseller platform\'s back office. Set your password and your',
      'authenticator app (a second factor) to start:',
      link ? `  ${link}` : '  in the console, choose "I have an invitation" and enter this code:',
      '',
      `Invitation code: ${token}`,
    ].join('\n'),
  };
}

/** How staff invitations go out, through the platform's outbox delivery. */
export function staffInvitationOutbox(url?: string): OutboxKind<StaffInvitation> {
  return { name: 'staff-invitation', entity: StaffInvitation, compose: (row) => staffInvitationMessage(row, url), afterSent: { token: null } };
}
