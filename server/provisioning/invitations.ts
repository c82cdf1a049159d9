// Invitations: creating an account (CreateAccount, FoundFamily) records one in
// the outbox table, in the transaction that creates the account, so there is
// an invitation exactly when there is an account. The worker below delivers
// them: emails over SMTP when SMTP_URL is set; otherwise, and SMS always (this
// platform has no SMS gateway), as one file each in the outbox folder
// (OUTBOX_DIR), for development. The log says that it delivered, to whom
// masked (+336••••5678), and never the invitation code (the row's id) or the
// message, which holds it.
//
// Each row is claimed by one conditional UPDATE before it is sent, so two
// instances (or two runs of one) never send the same invitation twice; a
// failed delivery is retried later with exponential backoff.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../platform/core/clock.ts';
import type { Logger } from '../platform/observability/logger.ts';
import { maskRecipient } from '../platform/observability/redact.ts';
import { neutraliseForMessage } from '../platform/core/text.ts';
import { systemEm, type Em, type Orm } from '../platform/data/database.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import type { Job } from '../platform/data/jobs.ts';
import { Invitation, type Account, type InvitationStatus } from './provisioning.entity.ts';

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

export interface DeliveryReport {
  /** Delivered by SMTP or written to the outbox folder. */
  sent: number;
  /** Failed this time; retried later, or given up after MAX_ATTEMPTS. */
  failed: number;
}

export interface WorkerDeps {
  orm: Orm;
  clock: Clock;
  logger: Logger;
  smtpUrl?: string;
  smtpFrom: string;
  invitationUrl?: string;
  /** Where invitations no gateway takes are written, one file each. */
  outboxDir: string;
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
      await em.nativeUpdate(Invitation, { id: invitation.id, claimToken: token },
        { status: 'sent', sentAt: clock.now(), deliveredVia: via, claimToken: null, claimedUntil: null, lastError: null });
      return true;
    } catch (error) {
      // A server's refusal may quote the address: the log and the row keep it masked.
      const message = (error instanceof Error ? error.message : String(error)).replaceAll(invitation.recipient, maskRecipient(invitation.recipient)).slice(0, 500);
      const giveUp = attempts >= MAX_ATTEMPTS;
      const retryAt = new Date(clock.now().getTime() + retryDelayMs(attempts));
      await em.nativeUpdate(Invitation, { id: invitation.id, claimToken: token }, {
        status: giveUp ? 'failed' : 'pending', nextAttemptAt: retryAt, claimToken: null, claimedUntil: null, lastError: message,
      });
      logger.warn({ accountId: invitation.accountId, channel: invitation.channel, to: maskRecipient(invitation.recipient), attempts, retryAt: giveUp ? undefined : retryAt.toISOString(), error: message },
        giveUp ? 'invitation: delivery failed, giving up' : 'invitation: delivery failed, will retry');
      return false;
    }
  }

  async #send(invitation: Invitation): Promise<'smtp' | 'outbox'> {
    const message = invitationMessage(invitation, this.#deps.invitationUrl);
    if (invitation.channel === 'email' && this.#mailer) {
      await this.#mailer.sendMail({ from: this.#deps.smtpFrom, to: invitation.recipient, subject: message.subject, text: message.text });
      return 'smtp';
    }
    const file = await this.#writeToOutbox(invitation, message);
    const why = invitation.channel === 'sms' ? 'no SMS gateway on this platform' : 'SMTP_URL is not set';
    this.#deps.logger.info({ accountId: invitation.accountId, channel: invitation.channel, to: maskRecipient(invitation.recipient), file },
      `invitation (${why}): written to the outbox folder, not sent`);
    return 'outbox';
  }

  /** One file per invitation, readable by this user only (it holds a usable code). Returns its path. */
  async #writeToOutbox(invitation: Invitation, message: InvitationMessage): Promise<string> {
    await mkdir(this.#deps.outboxDir, { recursive: true, mode: 0o700 });
    const stamp = this.#deps.clock.now().toISOString().replace(/[:.]/g, '-');
    const file = join(this.#deps.outboxDir, `${stamp}-${invitation.channel}-${invitation.accountId}.txt`);
    const headers = [`To: ${invitation.recipient}`, `Channel: ${invitation.channel}`];
    if (invitation.channel === 'email') headers.push(`From: ${this.#deps.smtpFrom}`, `Subject: ${message.subject}`);
    await writeFile(file, `${headers.join('\n')}\n\n${message.text}\n`, { mode: 0o600 });
    return file;
  }
}
