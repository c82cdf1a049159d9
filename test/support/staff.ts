// Staff people for tests: a real SMTP server that keeps what it receives, and
// the whole way in of a person (invited by e-mail, password, TOTP enrolment
// with a code computed from the secret, sign-in), through the wire.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { totpCode } from '../../server/staff/totp.ts';
import type { TestServer } from './server.ts';

export interface Mail {
  to: string[];
  text: string;
}

/** A real SMTP server on a free local port that keeps what it receives. */
export async function startMailbox() {
  const received: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        received.push({ to: session.envelope.rcptTo.map((a) => a.address), text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address: string) => received.filter((m) => m.to.includes(address)),
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
export type Mailbox = Awaited<ReturnType<typeof startMailbox>>;

/** The invitation token in an invitation e-mail. */
export function invitationTokenIn(mail: Mail): string {
  const match = /Invitation code: (si_[A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no invitation code in: ${mail.text}`);
  return match[1]!;
}

let people = 0;
export function uniqueStaffEmail(name = 'person'): string {
  return `${name}.${Date.now().toString(36)}${(people++).toString(36)}@staff.test`;
}

export const GOOD_PASSWORD = 'correct horse battery staple 7';

export interface Person {
  staffUserId: string;
  email: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
}

/** Moves the server's clock to the next TOTP step, so the next computed code is one not used yet. */
export function nextStep(server: TestServer): void {
  server.clock.advance(30_000);
}

export async function currentCode(server: TestServer, secret: string): Promise<string> {
  return totpCode(secret, server.clock.now());
}

async function ok(server: TestServer, service: string, method: string, body: unknown, token?: string) {
  const answer = await server.call(service, method, body, token);
  if (answer.status !== 200) throw new Error(`${method}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Invites, accepts, enrols: a person who may sign in. */
export async function enrolPerson(server: TestServer, mailbox: Mailbox, role: 'ROLE_ADMIN' | 'ROLE_SUPPORT', displayName: string, adminToken = server.adminToken): Promise<Person> {
  const email = uniqueStaffEmail(displayName.split(' ')[0]!.toLowerCase());
  const invited = await ok(server, 'StaffService', 'InviteStaffUser', { email, displayName, role }, adminToken);
  await server.app.deliverInvitations();
  const token = invitationTokenIn(mailbox.to(email).at(-1)!);
  const accepted = await ok(server, 'AuthService', 'AcceptStaffInvitation', { invitationToken: token, password: GOOD_PASSWORD });
  const confirmed = await ok(server, 'AuthService', 'ConfirmTotpEnrolment', { invitationToken: token, totpCode: await currentCode(server, accepted.totpSecret) });
  nextStep(server);
  return { staffUserId: invited.staffUser.staffUserId, email, password: GOOD_PASSWORD, totpSecret: accepted.totpSecret, recoveryCodes: confirmed.recoveryCodes };
}

/** Signs a person in with a computed TOTP code; moves the clock a step on so the next sign-in has a fresh code. */
export async function signIn(server: TestServer, person: Person, deviceName = 'test'): Promise<{ accessToken: string; refreshToken: string; sessionId: string }> {
  const body = await ok(server, 'AuthService', 'SignIn', { email: person.email, password: person.password, totpCode: await currentCode(server, person.totpSecret), deviceName });
  nextStep(server);
  return body;
}
