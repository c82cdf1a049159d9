// Messages to people (e-mails, SMS) written as outbox rows in the transaction
// of the change they announce, and delivered afterwards by one worker: over
// SMTP when SMTP_URL is set; otherwise, and SMS always (this platform has no
// SMS gateway), as one file each in the outbox folder (OUTBOX_DIR), for
// development. The log says that a message went out, to whom masked
// (+336••••5678), and never the message, a code it carries or the row's id
// (an account invitation's id is its code). Features own their outbox tables
// (provisioning's account invitations, the staff feature's invitations) and
// describe each with an OutboxKind; the delivery is this one.
//
// Each row is claimed by one conditional UPDATE before it is sent, so two
// instances (or two runs of one) never send the same message twice; a failed
// delivery is retried later with exponential backoff.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { EntityName } from '@mikro-orm/core';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../observability/logger.ts';
import { maskRecipient } from '../observability/redact.ts';
import { systemEm, type Em, type Orm } from './database.ts';
import { uuidv7 } from '../core/ids.ts';
import { OneAtATime, type Job } from './jobs.ts';

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

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

/** The columns every outbox table has (see the provisioning Invitation entity for their meaning). */
export interface OutboxRow {
  id: string;
  channel: string;
  recipient: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  claimToken?: string | null;
  claimedUntil?: Date | null;
  lastError?: string | null;
  sentAt?: Date | null;
  deliveredVia?: string | null;
}

export interface OutboxMessage {
  subject: string;
  text: string;
}

/** One feature's outbox table and how its rows read as messages. */
export interface OutboxKind<T extends OutboxRow = OutboxRow> {
  /** For the logs: `invitation`, `staff-invitation`. */
  name: string;
  entity: EntityName<T>;
  compose(row: T): OutboxMessage;
  /**
   * What names the message in logs and outbox file names, instead of the
   * row's id (which may be the code the message carries): `{ accountId }`.
   */
  reference?(row: T): Record<string, string>;
  /** Columns to set once the message is out (for example to erase a secret it carried). */
  afterSent?: Partial<T>;
  /**
   * Runs in the transaction that records a delivery's outcome (sent, or given
   * up after MAX_ATTEMPTS), for example to record an event about it.
   */
  onOutcome?(tx: Em, row: T, outcome: DeliveryOutcome): Promise<void>;
}

export interface DeliveryOutcome {
  status: 'sent' | 'failed';
  attempts: number;
  /** Empty when sent. */
  lastError: string;
}

export interface DeliveryReport {
  /** Delivered by SMTP or written to the outbox folder. */
  sent: number;
  /** Failed this time; retried later, or given up after MAX_ATTEMPTS. */
  failed: number;
}

export interface OutboxDeps {
  orm: Orm;
  clock: Clock;
  logger: Logger;
  smtpUrl?: string;
  smtpFrom: string;
  /** Where messages no gateway takes are written, one file each. */
  outboxDir: string;
  kinds: OutboxKind<any>[];
}

export class OutboxWorker {
  readonly #deps: OutboxDeps;
  readonly #mailer: Transporter | undefined;
  readonly #runs = new OneAtATime<DeliveryReport>();

  constructor(deps: OutboxDeps) {
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
      due: async ({ em, now }) => {
        let due = 0;
        for (const kind of this.#deps.kinds) due += await em.count(kind.entity, { status: 'pending', nextAttemptAt: { $lte: now } } as never);
        return due;
      },
    };
  }

  /** Waits for a run in progress, so the database can close after it. */
  async stop(): Promise<void> {
    await this.#runs.idle();
    this.#mailer?.close();
  }

  /**
   * Delivers every message due now. A run already in progress in this
   * instance is waited for first, so when this resolves, everything that was
   * due has been attempted. Tests call it to deliver at once.
   */
  async deliverDue(): Promise<DeliveryReport> {
    return this.#runs.run(() => this.#run());
  }

  async #run(): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, failed: 0 };
    for (const kind of this.#deps.kinds) {
      for (;;) {
        const now = this.#deps.clock.now();
        const due = await systemEm(this.#deps.orm).find(kind.entity, {
          $or: [
            { status: 'pending', nextAttemptAt: { $lte: now } },
            // A claim whose lease ran out: its worker died before finishing.
            { status: 'sending', claimedUntil: { $lt: now } },
          ],
        } as never, { orderBy: { nextAttemptAt: 'asc', id: 'asc' } as never, limit: BATCH }) as OutboxRow[];
        for (const row of due) {
          const token = await this.#claim(kind, row, now);
          if (!token) continue; // another instance took it
          if (await this.#deliver(kind, row, token)) report.sent++;
          else report.failed++;
        }
        if (due.length < BATCH) break;
      }
    }
    return report;
  }

  /** Takes the row for this run only if nobody changed it since it was read. */
  async #claim(kind: OutboxKind, row: OutboxRow, now: Date): Promise<string | undefined> {
    const token = uuidv7();
    const claimed = await systemEm(this.#deps.orm).nativeUpdate(kind.entity,
      { id: row.id, status: row.status, attempts: row.attempts } as never,
      { status: 'sending', claimToken: token, claimedUntil: new Date(now.getTime() + CLAIM_LEASE_MS), attempts: row.attempts + 1 } as never);
    return claimed === 1 ? token : undefined;
  }

  async #deliver(kind: OutboxKind, row: OutboxRow, token: string): Promise<boolean> {
    const { logger, clock } = this.#deps;
    const attempts = row.attempts + 1;
    const em = systemEm(this.#deps.orm);
    try {
      const via = await this.#send(kind, row);
      await em.transactional(async (tx) => {
        const done = await tx.nativeUpdate(kind.entity, { id: row.id, claimToken: token } as never,
          { ...kind.afterSent, status: 'sent', sentAt: clock.now(), deliveredVia: via, claimToken: null, claimedUntil: null, lastError: null } as never);
        if (done === 1) await kind.onOutcome?.(tx as Em, row, { status: 'sent', attempts, lastError: '' });
      });
      return true;
    } catch (error) {
      // A server's refusal may quote the address: the log and the row keep it masked.
      const message = (error instanceof Error ? error.message : String(error)).replaceAll(row.recipient, maskRecipient(row.recipient)).slice(0, 500);
      const giveUp = attempts >= MAX_ATTEMPTS;
      const retryAt = new Date(clock.now().getTime() + retryDelayMs(attempts));
      await em.transactional(async (tx) => {
        const done = await tx.nativeUpdate(kind.entity, { id: row.id, claimToken: token } as never, {
          status: giveUp ? 'failed' : 'pending', nextAttemptAt: retryAt, claimToken: null, claimedUntil: null, lastError: message,
        } as never);
        if (done === 1 && giveUp) await kind.onOutcome?.(tx as Em, row, { status: 'failed', attempts, lastError: message });
      });
      logger.warn({ ...kind.reference?.(row), channel: row.channel, to: maskRecipient(row.recipient), attempts, retryAt: giveUp ? undefined : retryAt.toISOString(), error: message },
        giveUp ? `${kind.name}: delivery failed, giving up` : `${kind.name}: delivery failed, will retry`);
      return false;
    }
  }

  async #send(kind: OutboxKind, row: OutboxRow): Promise<'smtp' | 'outbox'> {
    const message = kind.compose(row);
    if (row.channel === 'email' && this.#mailer) {
      await this.#mailer.sendMail({ from: this.#deps.smtpFrom, to: row.recipient, subject: message.subject, text: message.text });
      return 'smtp';
    }
    const reference = kind.reference?.(row) ?? {};
    const file = await this.#writeToOutbox(kind, row, message, Object.values(reference)[0] ?? uuidv7());
    const why = row.channel === 'sms' ? 'no SMS gateway on this platform' : 'SMTP_URL is not set';
    this.#deps.logger.info({ ...reference, channel: row.channel, to: maskRecipient(row.recipient), file },
      `${kind.name} (${why}): written to the outbox folder, not sent`);
    return 'outbox';
  }

  /** One file per message, readable by this user only (it may hold a usable code). Returns its path. */
  async #writeToOutbox(kind: OutboxKind, row: OutboxRow, message: OutboxMessage, reference: string): Promise<string> {
    await mkdir(this.#deps.outboxDir, { recursive: true, mode: 0o700 });
    const stamp = this.#deps.clock.now().toISOString().replace(/[:.]/g, '-');
    const file = join(this.#deps.outboxDir, `${stamp}-${kind.name}-${row.channel}-${reference}.txt`);
    const headers = [`To: ${row.recipient}`, `Channel: ${row.channel}`];
    if (row.channel === 'email') headers.push(`From: ${this.#deps.smtpFrom}`);
    headers.push(`Subject: ${message.subject}`);
    await writeFile(file, `${headers.join('\n')}\n\n${message.text}\n`, { mode: 0o600 });
    return file;
  }
}
