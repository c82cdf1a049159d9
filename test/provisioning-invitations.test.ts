// Invitations (seed 004: "the user receives an invitation email or an SMS"):
// recorded with the account, delivered by the worker to a real SMTP server
// (smtp-server, started here), retried after a failure, never sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../server/platform/observability/logger.ts';
import { invitationMessage, retryDelayMs } from '../server/provisioning/invitations.ts';
import { createReseller, describeEachDatabase, startServer, type TestReseller, type TestServer } from './support/server.ts';
import { invitationsOf, provisioning, storedState, unique, uniqueEmail, uniqueMsisdn, type Provisioning } from './support/provisioning.ts';

interface Received {
  to: string[];
  /** The message as received, its quoted-printable body decoded. */
  raw: string;
}

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A real SMTP server on a free local port that keeps what it receives. */
async function startSmtp() {
  const received: Received[] = [];
  const refuseOnce = new Set<string>();
  const refuseAlways = new Set<string>();
  const refusals = new Map<string, number>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuseOnce.delete(address.address) || refuseAlways.has(address.address)) {
        refusals.set(address.address, (refusals.get(address.address) ?? 0) + 1);
        return callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((a) => a.address), raw: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The next delivery to this address is refused with a temporary error. */
    refuseOnce: (address: string) => refuseOnce.add(address),
    /** Every delivery to this address is refused with a temporary error. */
    refuseAlways: (address: string) => refuseAlways.add(address),
    /** How many deliveries to this address were refused. */
    refusals: (address: string) => refusals.get(address) ?? 0,
    to: (address: string) => received.filter((m) => m.to.includes(address)),
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** The one outbox file of an account's invitation, its text and the invitation code it carries. */
function outboxFileOf(server: TestServer, accountId: string) {
  const dir = server.app.config.outboxDir;
  const names = readdirSync(dir).filter((name) => name.includes(accountId));
  expect(names).toHaveLength(1);
  const file = join(dir, names[0]!);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const text = readFileSync(file, 'utf8');
  const code = /invitation(?: code is |=)([0-9a-f-]{36})/.exec(text)?.[1];
  expect(code).toBeTruthy();
  return { file, text, code: code! };
}

/** +33612345678 as the log shows it. */
function maskedPhone(msisdn: string): string {
  return `${msisdn.slice(0, 4)}••••${msisdn.slice(-4)}`;
}

function captureLogs() {
  const lines: string[] = [];
  return { lines, logger: createLogger('info', { write: (line: string) => { lines.push(line); } }) };
}

describeEachDatabase('Invitations', (kind) => {
  describe('with an SMTP server that keeps refusing (its own server: the clock moves a day and a half)', () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let server: TestServer;
    let p: Provisioning;
    let clientId: string;
    const logs = captureLogs();

    beforeAll(async () => {
      smtp = await startSmtp();
      server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000', SMTP_URL: smtp.url }, logger: logs.logger });
      p = provisioning(server, await createReseller(server, 'Acme Refused'));
      clientId = await p.registerClient('REFUSED');
    });
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
    });

    it('a delivery that keeps failing is tried 10 times, 30 s, 1, 2, 4, 8, 16 and 32 min, then 1 h apart, and then given up', async () => {
      const email = uniqueEmail();
      smtp.refuseAlways(email);
      const { account } = await p.found(clientId, { identifier: email });
      expect(await server.app.deliverInvitations()).toEqual({ sent: 0, failed: 1 });
      // The wait after each of the first nine failures.
      for (const wait of [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]) {
        server.clock.advance(wait - 1000);
        expect(await server.app.deliverInvitations(), `${wait - 1000} ms after a failure`).toEqual({ sent: 0, failed: 0 });
        server.clock.advance(1000);
        expect(await server.app.deliverInvitations(), `${wait} ms after a failure`).toEqual({ sent: 0, failed: 1 });
      }
      expect(smtp.refusals(email)).toBe(10);
      expect(await invitationsOf(server, account.accountId)).toEqual([expect.objectContaining({ status: 'failed', attempts: 10 })]);
      expect(logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'invitation: delivery failed, giving up').map((l) => l.attempts)).toEqual([10]);
      // Given up: a day later it is not tried again.
      server.clock.advance(24 * 3_600_000);
      expect(await server.app.deliverInvitations()).toEqual({ sent: 0, failed: 0 });
      expect(smtp.refusals(email)).toBe(10);
    });

  });

  describe('with SMTP_URL: emails over SMTP', () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let server: TestServer;
    let acme: TestReseller;
    let p: Provisioning;
    let clientId: string;
    const logs = captureLogs();

    beforeAll(async () => {
      smtp = await startSmtp();
      // A long interval: these tests deliver by hand, at moments they choose.
      server = await startServer(kind, {
        env: { JOB_INTERVAL_MS: '3600000', SMTP_URL: smtp.url, SMTP_FROM: 'Acme <invite@acme.test>', INVITATION_URL: 'https://app.acme.test/join' },
        logger: logs.logger,
      });
      acme = await createReseller(server, 'Acme Telecom');
      p = provisioning(server, acme);
      clientId = await p.registerClient('INVITE');
    });
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
    });

    it('FoundFamily: the new founder gets an email invitation over SMTP, once, and it is marked sent', async () => {
      const email = uniqueEmail();
      const { account } = await p.found(clientId, { identifier: email, firstName: 'Homer', familyName: 'Simpson' });
      const report = await server.app.deliverInvitations();
      expect(report).toEqual({ sent: 1, failed: 0 });
      const [message] = smtp.to(email);
      expect(smtp.to(email)).toHaveLength(1);
      expect(message!.raw).toContain('From: Acme <invite@acme.test>');
      expect(message!.raw).toMatch(/Subject: Homer, you are invited to join Simpson/);
      expect(message!.raw).toContain('https://app.acme.test/join?invitation=');
      expect(await invitationsOf(server, account.accountId)).toEqual([
        expect.objectContaining({ channel: 'email', status: 'sent', attempts: 1, delivered_via: 'smtp' }),
      ]);
      // Nothing left to send.
      expect(await server.app.deliverInvitations()).toEqual({ sent: 0, failed: 0 });
      expect(smtp.to(email)).toHaveLength(1);
    });

    it('CreateAccount: the new member gets an email invitation', async () => {
      const { family } = await p.found(clientId);
      const email = uniqueEmail();
      await p.createAccount(family.familyId, { identifier: email, firstName: 'Marge' });
      await server.app.deliverInvitations();
      expect(smtp.to(email)).toHaveLength(1);
      expect(smtp.to(email)[0]!.raw).toContain('Marge');
    });

    it('an SMS invitation goes to the outbox folder (no SMS gateway here), never by email; the log shows the number masked and never the code', async () => {
      const msisdn = uniqueMsisdn();
      const before = smtp.received.length;
      const { account } = await p.found(clientId, { identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: msisdn });
      await server.app.deliverInvitations();
      expect(smtp.received.length).toBe(before);
      const { file, text, code } = outboxFileOf(server, account.accountId);
      expect(text).toContain(`To: ${msisdn}`);
      expect(text).toContain('https://app.acme.test/join?invitation=');
      const logged = logs.lines.map((l) => JSON.parse(l)).find((l) => l.accountId === account.accountId && l.channel === 'sms');
      expect(logged).toMatchObject({ to: maskedPhone(msisdn), file, msg: expect.stringContaining('no SMS gateway') });
      const all = logs.lines.join('\n');
      expect(all).not.toContain(code);
      expect(all).not.toContain(msisdn);
      expect(all).not.toContain(msisdn.slice(1)); // nor without its +
      expect(await invitationsOf(server, account.accountId)).toEqual([expect.objectContaining({ status: 'sent', delivered_via: 'outbox' })]);
    });

    it('a login gets no invitation', async () => {
      const { account } = await p.found(clientId, { identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: unique('nelson') });
      expect(await invitationsOf(server, account.accountId)).toEqual([]);
    });

    it('a failed delivery is retried after its backoff, then delivered exactly once', async () => {
      const email = uniqueEmail();
      smtp.refuseOnce(email);
      const { account } = await p.found(clientId, { identifier: email });
      expect(await server.app.deliverInvitations()).toEqual({ sent: 0, failed: 1 });
      expect(smtp.to(email)).toHaveLength(0);
      expect(await invitationsOf(server, account.accountId)).toEqual([expect.objectContaining({ status: 'pending', attempts: 1 })]);

      // Not due again before the first backoff, 30 s, has passed.
      server.clock.advance(29_000);
      expect(await server.app.deliverInvitations()).toEqual({ sent: 0, failed: 0 });
      server.clock.advance(1000);
      expect(await server.app.deliverInvitations()).toEqual({ sent: 1, failed: 0 });
      expect(smtp.to(email)).toHaveLength(1);
      expect(await invitationsOf(server, account.accountId)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
    });

    it('the backoff doubles from 30 s up to an hour', () => {
      expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
      expect(retryDelayMs(20)).toBe(60 * 60_000);
    });

    it('an invitation to an account deleted before delivery is cancelled, not sent', async () => {
      const email = uniqueEmail();
      const { account } = await p.found(clientId, { identifier: email });
      await p.call('DeleteAccount', { accountId: account.accountId });
      await server.app.deliverInvitations();
      expect(smtp.to(email)).toHaveLength(0);
      expect((await invitationsOf(server, account.accountId)).map((i) => i.status)).toEqual(['cancelled']);
    });

    it('never sends twice: concurrent runs on two instances sharing the database', async () => {
      const second = await startServer(kind, {
        database: server.database, clock: server.clock, env: { JOB_INTERVAL_MS: '3600000', SMTP_URL: smtp.url },
      });
      try {
        const emails = [1, 2, 3, 4, 5, 6].map(() => uniqueEmail());
        const { family } = await p.found(clientId, { identifier: emails[0] });
        for (const email of emails.slice(1)) await p.createAccount(family.familyId, { identifier: email });
        const reports = await Promise.all([
          server.app.deliverInvitations(), second.app.deliverInvitations(), second.app.deliverInvitations(), server.app.deliverInvitations(),
        ]);
        expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(6);
        for (const email of emails) expect(smtp.to(email)).toHaveLength(1);
      } finally {
        await second.close();
      }
    });
  });

  describe('without SMTP_URL: emails go to the outbox folder', () => {
    let server: TestServer;
    let p: Provisioning;
    let clientId: string;
    const logs = captureLogs();

    beforeAll(async () => {
      server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000' }, logger: logs.logger });
      p = provisioning(server, await createReseller(server, 'No mail'));
      clientId = await p.registerClient('NO-SMTP');
    });
    afterAll(() => server?.close());

    it('an email invitation is written to the outbox folder and marked sent; the log holds neither the address nor the code', async () => {
      const email = uniqueEmail();
      const { account } = await p.found(clientId, { identifier: email, firstName: 'Apu' });
      expect(await server.app.deliverInvitations()).toEqual({ sent: 1, failed: 0 });
      const { file, text, code } = outboxFileOf(server, account.accountId);
      expect(text).toContain(`To: ${email}`);
      expect(text).toMatch(/Subject: Apu, you are invited to join/);
      expect(text).toContain(`Your invitation code is ${code}.`);
      const logged = logs.lines.map((l) => JSON.parse(l)).find((l) => l.accountId === account.accountId && l.channel === 'email');
      expect(logged).toMatchObject({ to: `${email[0]}••••@${email.split('@')[1]![0]}••••.${email.split('.').pop()}`, file, msg: expect.stringContaining('SMTP_URL is not set') });
      const all = logs.lines.join('\n');
      expect(all).not.toContain(code);
      expect(all).not.toContain(email);
      expect(all).not.toContain(email.split('@')[0]);
      expect(await invitationsOf(server, account.accountId)).toEqual([expect.objectContaining({ status: 'sent', delivered_via: 'outbox' })]);
    });
  });

  describe('names that go into invitations (reseller-chosen text in the platform\'s messages)', () => {
    let server: TestServer;
    let p: Provisioning;
    let clientId: string;

    beforeAll(async () => {
      server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000' } });
      p = provisioning(server, await createReseller(server, 'Phishing Check'));
      clientId = await p.registerClient('NAMES');
    });
    afterAll(() => server?.close());

    const violationsOf = (answer: { body: any }) => answer.body?.details?.[0]?.debug?.fieldViolations?.map((v: any) => [v.field, v.reason]);

    it('links and hidden characters in a family or first name are refused with a field violation, and nothing is stored', async () => {
      const before = await storedState(server, clientId);
      const founding = { clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), locale: 'en_US' };
      const refused: [Record<string, unknown>, [string, string][]][] = [
        [{ familyName: 'Claim your prize at evil.example', firstName: 'Homer' }, [['familyName', 'LINK_NOT_ALLOWED']]],
        [{ familyName: 'Simpson', firstName: 'https://evil.example/login' }, [['firstName', 'LINK_NOT_ALLOWED']]],
        [{ familyName: 'www.evil', firstName: 'Homer' }, [['familyName', 'LINK_NOT_ALLOWED']]],
        [{ familyName: 'ｅｖｉｌ．ｅｘａｍｐｌｅ', firstName: 'Homer' }, [['familyName', 'LINK_NOT_ALLOWED']]],
        [{ familyName: 'Simpson', firstName: 'Homer\nCall +33 6 00 00 00 00' }, [['firstName', 'INVALID_CHARACTER']]],
        [{ familyName: 'Simpson\u202elpmaxe.live', firstName: 'Homer' }, [['familyName', 'INVALID_CHARACTER'], ['familyName', 'LINK_NOT_ALLOWED']]],
      ];
      for (const [names, violations] of refused) {
        const answer = await p.call('FoundFamily', { ...founding, ...names });
        expect(answer.status, JSON.stringify(names)).toBe(400);
        expect(answer.body.code).toBe('invalid_argument');
        expect(violationsOf(answer)).toEqual(violations);
      }
      expect(await storedState(server, clientId)).toEqual(before);

      const { family, account } = await p.found(clientId, { familyName: 'Dr. Simpson-Bouvier', firstName: 'J.R. Homer' });
      const member = await p.call('CreateAccount', { familyId: family.familyId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), firstName: 'bit.ly', locale: 'fr_FR' });
      expect(violationsOf(member)).toEqual([['firstName', 'LINK_NOT_ALLOWED']]);
      const renamed = await p.call('UpdateFamily', { familyId: family.familyId, name: 'Visit evil.example' });
      expect(violationsOf(renamed)).toEqual([['name', 'LINK_NOT_ALLOWED']]);
      const created = await p.call('CreateFamily', { clientId, name: 'http://evil', founderAccountId: account.accountId });
      expect(violationsOf(created)).toEqual([['name', 'LINK_NOT_ALLOWED']]);
      const updated = await p.call('UpdateAccount', { accountId: account.accountId, firstName: 'Tab\there' });
      expect(violationsOf(updated)).toEqual([['firstName', 'INVALID_CHARACTER']]);
    });

    it('a name stored before the check reaches the message neutralised: no link, no hidden characters', async () => {
      const { family } = await p.found(clientId, { familyName: 'Legacy' });
      await server.app.deliverInvitations();
      const em = server.app.orm.em.fork();
      await em.getConnection().execute('update family set name = ? where id = ?', ['Pay at https://evil.example\u202e now', family.familyId]);
      const member = await p.createAccount(family.familyId, { firstName: 'Lisa' });
      await server.app.deliverInvitations();
      const dir = server.app.config.outboxDir;
      const name = readdirSync(dir).find((n) => n.includes(member.accountId))!;
      const text = readFileSync(join(dir, name), 'utf8');
      expect(text).toContain('Pay at https[:]//evil[.]example now');
      expect(text).not.toContain('evil.example');
      expect(text).not.toContain('\u202e');
      const message = invitationMessage({ id: 'code', firstName: 'www.evil.example\u0007', familyName: 'Fine' });
      expect(message.subject).toBe('www[.]evil[.]example, you are invited to join Fine');
    });
  });

  describe('the worker build() starts', () => {
    it('delivers on its own interval, and close() stops it cleanly', async () => {
      const smtp = await startSmtp();
      const logs = captureLogs();
      const server = await startServer(kind, { env: { JOB_INTERVAL_MS: '50', SMTP_URL: smtp.url }, logger: logs.logger });
      try {
        const p = provisioning(server, await createReseller(server, 'Interval'));
        const email = uniqueEmail();
        await p.found(await p.registerClient('INTERVAL'), { identifier: email });
        // Nobody calls deliverInvitations: the interval does.
        for (let waited = 0; smtp.to(email).length === 0 && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
        expect(smtp.to(email)).toHaveLength(1);
      } finally {
        await server.close();
        await smtp.close();
      }
      expect(logs.lines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
    });
  });
});
