// Invitations: creating an account (CreateAccount, FoundFamily) records one in
// the outbox table, in the transaction that creates the account, so there is
// an invitation exactly when there is an account. The platform's outbox worker
// (platform/data/outbox.ts) delivers them: emails over SMTP when SMTP_URL is
// set, otherwise, and SMS always, as files in the outbox folder (OUTBOX_DIR).
// Each row is claimed before it is sent, never sent twice, and retried with
// backoff. The row's id is the invitation code: the log never shows it.
import type { Clock } from '../platform/core/clock.ts';
import { neutraliseForMessage } from '../platform/core/text.ts';
import type { Em } from '../platform/data/database.ts';
import type { OutboxKind } from '../platform/data/outbox.ts';
import type { DataSource } from '../platform/data/query.ts';
import { Invitation, type Account } from './provisioning.entity.ts';
import { recordEvent } from '../events/events.queries.ts';

export { CLAIM_LEASE_MS, MAX_ATTEMPTS, retryDelayMs, type DeliveryReport } from '../platform/data/outbox.ts';

/** Records the invitation of a new account, in the caller's transaction. Logins get none. */
export function recordInvitation(em: Em, account: Account, familyName: string, clock: Clock): void {
  if (account.identifierType === 'login') return;
  em.create(Invitation, {
    reseller: account.reseller.id, client: account.client.id, accountId: account.id,
    channel: account.identifierType === 'email' ? 'email' : 'sms', recipient: account.identifier,
    firstName: account.firstName, familyName, locale: account.locale,
    status: 'pending', attempts: 0, nextAttemptAt: clock.now(),
    claimToken: null, claimedUntil: null, lastError: null, sentAt: null, deliveredVia: null,
  });
}

/** Cancels the invitations not yet sent to accounts that are being deleted. */
export async function cancelInvitations(em: Em, accountIds: string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await em.nativeUpdate(Invitation, { accountId: { $in: accountIds }, status: 'pending' }, { status: 'cancelled' });
}

export interface InvitationMessage {
  subject: string;
  text: string;
}

/**
 * The invitation's text. The names are the reseller's (checked when stored,
 * provisioning.service.ts); rows stored before that check are neutralised here
 * too, so the only link in a message is the platform's own.
 */
export function invitationMessage(invitation: Pick<Invitation, 'id' | 'firstName' | 'familyName'>, invitationUrl?: string): InvitationMessage {
  const link = invitationUrl ? `${invitationUrl}${invitationUrl.includes('?') ? '&' : '?'}invitation=${invitation.id}` : '';
  const firstName = neutraliseForMessage(invitation.firstName);
  const familyName = neutraliseForMessage(invitation.familyName);
  return {
    subject: `${firstName}, you are invited to join ${familyName}`,
    text: [
      `Hello ${firstName},`,
      '',
      `An account was created for you in the family "${familyName}".`,
      link ? `Complete your account here: ${link}` : `Your invitation code is ${invitation.id}.`,
    ].join('\n'),
  };
}

/**
 * How provisioning's invitations go out, through the platform's outbox
 * delivery; each outcome is told as invitation.delivered or invitation.failed,
 * in the transaction that records it.
 */
export function invitationOutbox(source: DataSource, clock: Clock, invitationUrl?: string): OutboxKind<Invitation> {
  return {
    name: 'invitation', entity: Invitation, compose: (row) => invitationMessage(row, invitationUrl),
    // The row's id is the code the message carries: logs and file names name the account instead.
    reference: (row) => ({ accountId: row.accountId }),
    onOutcome: async (tx, invitation, { status, attempts, lastError }) => {
      await recordEvent({ source, kysely: tx.getKysely() }, {
        type: status === 'sent' ? 'invitation.delivered' : 'invitation.failed', resellerId: invitation.reseller.id, objectId: invitation.accountId,
        state: {
          case: 'invitation',
          value: {
            $typeName: 'reseller.v1.InvitationState', accountId: invitation.accountId, clientId: invitation.client.id,
            channel: invitation.channel, status, attempts, lastError,
          },
        },
        time: clock.now(),
      });
    },
  };
}
