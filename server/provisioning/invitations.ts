// Invitations: creating an account (CreateAccount, FoundFamily) records one in
// the outbox table, in the transaction that creates the account, so there is
// an invitation exactly when there is an account. The worker below delivers
// them: emails over SMTP when SMTP_URL is set, otherwise written to the log;
// SMS always to the log (this platform has no SMS gateway).
//
// Each row is claimed by one conditional UPDATE before it is sent, so two
// instances (or two runs of one) never send the same invitation twice; a
// failed delivery is retried later with exponential backoff.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../platform/core/clock.ts';
import type { Logger } from '../platform/observability/logger.ts';
import { systemEm, type Em, type Orm } from '../platform/data/database.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import type { Job } from '../platform/data/jobs.ts';
import { Invitation, type Account, type InvitationStatus } from './provisioning.entity.ts';
import type { DataSource } from '../platform/data/query.ts';
import { recordEvent } from '../events/events.queries.ts';

/** How long a claim holds: longer than the SMTP timeouts below, so a live sender is never overtaken. */
export const CLAIM_LEASE_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 60 * 60_000;
const BATCH = 50;

/** The wait before attempt n+1 after n failed attempts: 30 s, 1 min, 2 min, ... at most 1 h. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failedAttempts - 1), LONGEST_RETRY_MS);
}

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

export function invitationMessage(invitation: Pick<Invitation, 'id' | 'firstName' | 'familyName'>, invitationUrl?: string): InvitationMessage {
  const link = invitationUrl ? `${invitationUrl}${invitationUrl.includes('?') ? '&' : '?'}invitation=${invitation.id}` : '';
  return {
    subject: `${invitation.firstName}, you are invited to join ${invitation.familyName}`,
    text: [
      `Hello ${invitation.firstName},`,
      '',
      `An account was created for you in the family "${invitation.familyName}".`,
      link ? `Complete your account here: ${link}` : `Your invitation code is ${invitation.id}.`,
    ].join('\n'),
  };
}

export interface DeliveryReport {
  /** Delivered by SMTP or written to the log. */
  sent: number;
  /** Failed this time; retried later, or given up after MAX_ATTEMPTS. */
  failed: number;
}

export interface WorkerDeps {
  orm: Orm;
  /** Where the events feature's statements run (invitation.delivered, invitation.failed). */
  source: DataSource;
  clock: Clock;
  logger: Logger;
  smtpUrl?: string;
  smtpFrom: string;
  invitationUrl?: string;
}

export class InvitationWorker {
  readonly #deps: WorkerDeps;
  readonly #mailer: Transporter | undefined;
  #running: Promise<DeliveryReport> | undefined;

  constructor(deps: WorkerDeps) {
    this.#deps = deps;
    this.#mailer = deps.smtpUrl
      ? nodemailer.createTransport({ url: deps.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 })
      : undefined;
  }


  /** The background job that delivers what is due (the JobRunner calls it every JOB_INTERVAL_MS). */
  job(): Job {
    return {
      name: 'deliver-invitations',
      run: async () => (await this.deliverDue()).sent,
      due: ({ em, now }) => em.count(Invitation, { status: 'pending', nextAttemptAt: { $lte: now } }),
    };
  }

  /** Waits for a run in progress, so the database can close after it. */
  async stop(): Promise<void> {
    await this.#running?.catch(() => undefined);
    this.#mailer?.close();
  }

  /**
   * Delivers every invitation due now. A run already in progress in this
   * instance is waited for first, so when this resolves, everything that was
   * due has been attempted. Tests call it to deliver at once.
   */
  async deliverDue(): Promise<DeliveryReport> {
    while (this.#running) await this.#running.catch(() => undefined);
    const run = this.#run();
    this.#running = run;
    try {
      return await run;
    } finally {
      if (this.#running === run) this.#running = undefined;
    }
  }

  async #run(): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, failed: 0 };
    for (;;) {
      const now = this.#deps.clock.now();
      const due = await systemEm(this.#deps.orm).find(Invitation, {
        $or: [
          { status: 'pending', nextAttemptAt: { $lte: now } },
          // A claim whose lease ran out: its worker died before finishing.
          { status: 'sending', claimedUntil: { $lt: now } },
        ],
      }, { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: BATCH });
      for (const invitation of due) {
        const token = await this.#claim(invitation, now);
        if (!token) continue; // another instance took it
        if (await this.#deliver(invitation, token)) report.sent++;
        else report.failed++;
      }
      if (due.length < BATCH) return report;
    }
  }

  /** Takes the row for this run only if nobody changed it since it was read. */
  async #claim(invitation: Invitation, now: Date): Promise<string | undefined> {
    const token = uuidv7();
    const claimed = await systemEm(this.#deps.orm).nativeUpdate(Invitation,
      { id: invitation.id, status: invitation.status as InvitationStatus, attempts: invitation.attempts },
      { status: 'sending', claimToken: token, claimedUntil: new Date(now.getTime() + CLAIM_LEASE_MS), attempts: invitation.attempts + 1 });
    return claimed === 1 ? token : undefined;
  }

  async #deliver(invitation: Invitation, token: string): Promise<boolean> {
    const { logger, clock } = this.#deps;
    const attempts = invitation.attempts + 1;
    const em = systemEm(this.#deps.orm);
    try {
      const via = await this.#send(invitation);
      await em.transactional(async (tx) => {
        const done = await tx.nativeUpdate(Invitation, { id: invitation.id, claimToken: token },
          { status: 'sent', sentAt: clock.now(), deliveredVia: via, claimToken: null, claimedUntil: null, lastError: null });
        if (done === 1) await this.#tell(tx as Em, invitation, 'sent', attempts, '');
      });
      return true;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const giveUp = attempts >= MAX_ATTEMPTS;
      const retryAt = new Date(clock.now().getTime() + retryDelayMs(attempts));
      await em.transactional(async (tx) => {
        const done = await tx.nativeUpdate(Invitation, { id: invitation.id, claimToken: token }, {
          status: giveUp ? 'failed' : 'pending', nextAttemptAt: retryAt, claimToken: null, claimedUntil: null, lastError: message,
        });
        if (done === 1 && giveUp) await this.#tell(tx as Em, invitation, 'failed', attempts, message);
      });
      logger.warn({ invitationId: invitation.id, attempts, retryAt: giveUp ? undefined : retryAt.toISOString(), error: message },
        giveUp ? 'invitation: delivery failed, giving up' : 'invitation: delivery failed, will retry');
      return false;
    }
  }

  /** invitation.delivered or invitation.failed, in the transaction that records the outcome. */
  async #tell(tx: Em, invitation: Invitation, status: 'sent' | 'failed', attempts: number, lastError: string): Promise<void> {
    await recordEvent({ source: this.#deps.source, kysely: tx.getKysely() }, {
      type: status === 'sent' ? 'invitation.delivered' : 'invitation.failed', resellerId: invitation.reseller.id, objectId: invitation.id,
      state: {
        case: 'invitation',
        value: {
          $typeName: 'reseller.v1.InvitationState', invitationId: invitation.id, accountId: invitation.accountId, clientId: invitation.client.id,
          channel: invitation.channel, status, attempts, lastError,
        },
      },
      time: this.#deps.clock.now(),
    });
  }

  async #send(invitation: Invitation): Promise<'smtp' | 'log'> {
    const message = invitationMessage(invitation, this.#deps.invitationUrl);
    if (invitation.channel === 'email' && this.#mailer) {
      await this.#mailer.sendMail({ from: this.#deps.smtpFrom, to: invitation.recipient, subject: message.subject, text: message.text });
      return 'smtp';
    }
    const why = invitation.channel === 'sms' ? 'no SMS gateway on this platform' : 'SMTP_URL is not set';
    this.#deps.logger.info({ invitationId: invitation.id, channel: invitation.channel, to: invitation.recipient, ...message },
      `invitation (${why}: logged, not sent)`);
    return 'log';
  }
}
