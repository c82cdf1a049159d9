// Staff people sign in as themselves (issue 20): invited by e-mail through the
// outbox and a real SMTP server, a password checked against length and the
// breached-password list, a TOTP second factor enrolled with a code computed
// from the secret, sign-in, refresh tokens that work once (a reused one ends
// the whole session), disabling a person ends their sessions on every
// instance, and the audit trail names the person and their session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReseller, describeEachDatabase, startServer, type TestServer } from './support/server.ts';
import {
  currentCode, enrolPerson, GOOD_PASSWORD, invitationTokenIn, nextStep, signIn, startMailbox, uniqueStaffEmail, type Mailbox, type Person,
} from './support/staff.ts';

const reasonOf = (body: any) => body?.details?.[0]?.debug?.reason;

describeEachDatabase('Staff sign-in', (kind) => {
  let mailbox: Mailbox;
  let server: TestServer;
  let admin: Person;

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startServer(kind, {
      env: { JOB_INTERVAL_MS: '3600000', SMTP_URL: mailbox.url, STAFF_INVITATION_URL: 'https://console.test/', LOGIN_MAX_FAILURES: '3', LOGIN_MAX_DELAY_SECONDS: '60' },
    });
    admin = await enrolPerson(server, mailbox, 'ROLE_ADMIN', 'Ada Admin');
  });
  afterAll(async () => {
    await server?.close();
    await mailbox?.close();
  });

  describe('invitation and enrolment', () => {
    const email = uniqueStaffEmail('inez');
    let token: string;
    let secret: string;

    it('InviteStaffUser (bootstrap admin credential): the person is invited, and the invitation goes out by e-mail once', async () => {
      const invited = await server.call('StaffService', 'InviteStaffUser', { email: email.toUpperCase(), displayName: 'Inez Invited', role: 'ROLE_SUPPORT' }, server.adminToken);
      expect(invited.status).toBe(200);
      expect(invited.body.staffUser).toMatchObject({ email, displayName: 'Inez Invited', role: 'ROLE_SUPPORT', status: 'STAFF_USER_STATUS_INVITED' });
      expect((await server.app.deliverInvitations()).sent).toBe(1);
      const mails = mailbox.to(email);
      expect(mails).toHaveLength(1);
      token = invitationTokenIn(mails[0]!);
      expect(mails[0]!.text).toContain(`https://console.test/?staff_invitation=${token}`);
      expect((await server.app.deliverInvitations()).sent).toBe(0);
      const again = await server.call('StaffService', 'InviteStaffUser', { email, displayName: 'Inez Twice', role: 'ROLE_SUPPORT' }, server.adminToken);
      expect([again.status, reasonOf(again.body)]).toEqual([409, 'STAFF_USER_EXISTS']);
    });

    it('AcceptStaffInvitation refuses a short password and a breached one, naming the field', async () => {
      for (const password of ['short pw 1', 'password1234', 'sunshine2024!!', 'qwertyuiop123']) {
        const answer = await server.call('AuthService', 'AcceptStaffInvitation', { invitationToken: token, password });
        expect([answer.status, reasonOf(answer.body)], password).toEqual([400, 'WEAK_PASSWORD']);
        expect(answer.body.details[0].debug.fieldViolations[0].field).toBe('password');
      }
      const bogus = await server.call('AuthService', 'AcceptStaffInvitation', { invitationToken: 'si_not-a-real-one', password: GOOD_PASSWORD });
      expect([bogus.status, reasonOf(bogus.body)]).toEqual([401, 'INVITATION_INVALID']);
    });

    it('AcceptStaffInvitation sets the password and returns the TOTP secret and its otpauth URI; a wrong code does not enrol', async () => {
      const answer = await server.call('AuthService', 'AcceptStaffInvitation', { invitationToken: token, password: GOOD_PASSWORD });
      expect(answer.status).toBe(200);
      secret = answer.body.totpSecret;
      expect(answer.body.email).toBe(email);
      expect(answer.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/.+\?secret=[A-Z2-7]+&issuer=/);
      expect(answer.body.otpauthUri).toContain(`secret=${secret}`);
      const wrong = await server.call('AuthService', 'ConfirmTotpEnrolment', { invitationToken: token, totpCode: '000000' === await currentCode(server, secret) ? '111111' : '000000' });
      expect([wrong.status, reasonOf(wrong.body)]).toEqual([400, 'TOTP_CODE_WRONG']);
    });

    it('ConfirmTotpEnrolment with the computed code: ten recovery codes, once; the invitation is used up', async () => {
      const answer = await server.call('AuthService', 'ConfirmTotpEnrolment', { invitationToken: token, totpCode: await currentCode(server, secret) });
      expect(answer.status).toBe(200);
      expect(answer.body.recoveryCodes).toHaveLength(10);
      expect(new Set(answer.body.recoveryCodes).size).toBe(10);
      const again = await server.call('AuthService', 'AcceptStaffInvitation', { invitationToken: token, password: GOOD_PASSWORD });
      expect([again.status, reasonOf(again.body)]).toEqual([401, 'INVITATION_INVALID']);
      const users = await server.call('StaffService', 'ListStaffUsers', {}, server.adminToken);
      expect(users.body.staffUsers.find((u: any) => u.email === email).status).toBe('STAFF_USER_STATUS_ACTIVE');
      // The code used to enrol does not sign in (a code works once).
      const replay = await server.call('AuthService', 'SignIn', { email, password: GOOD_PASSWORD, totpCode: await currentCode(server, secret) });
      expect([replay.status, reasonOf(replay.body)]).toEqual([401, 'INVALID_SIGN_IN']);
    });
  });

  describe('sessions', () => {
    it('SignIn: wrong password or code refused alike; the right ones give a short access token that works, naming the person', async () => {
      const code = await currentCode(server, admin.totpSecret);
      for (const attempt of [{ password: 'wrong password 123', totpCode: code }, { password: admin.password, totpCode: code === '123456' ? '654321' : '123456' }]) {
        const refused = await server.call('AuthService', 'SignIn', { email: admin.email, ...attempt });
        expect([refused.status, reasonOf(refused.body)]).toEqual([401, 'INVALID_SIGN_IN']);
      }
      const answer = await server.call('AuthService', 'SignIn', { email: admin.email, password: admin.password, totpCode: code, deviceName: 'Console on Linux' });
      nextStep(server);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ tokenType: 'bearer', expiresIn: 600, staffUser: { email: admin.email, role: 'ROLE_ADMIN' } });
      expect(answer.body.refreshToken).toMatch(/^rt_/);
      const resellers = await server.call('AccessService', 'ListResellers', {}, answer.body.accessToken);
      expect(resellers.status).toBe(200);
      const sessions = await server.call('StaffService', 'ListSessions', {}, answer.body.accessToken);
      expect(sessions.body.sessions.find((s: any) => s.sessionId === answer.body.sessionId)).toMatchObject({ deviceName: 'Console on Linux', address: '127.0.0.1' });
    });

    it('RefreshSession rotates the refresh token; presenting a used one ends the whole session', async () => {
      const first = await signIn(server, admin);
      const second = await server.call('AuthService', 'RefreshSession', { refreshToken: first.refreshToken });
      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      expect(second.body.sessionId).toBe(first.sessionId);
      const third = await server.call('AuthService', 'RefreshSession', { refreshToken: second.body.refreshToken });
      expect(third.status).toBe(200);
      expect((await server.call('AccessService', 'ListResellers', {}, third.body.accessToken)).status).toBe(200);
      // The first token again: a copy is in someone's hands.
      const reused = await server.call('AuthService', 'RefreshSession', { refreshToken: first.refreshToken });
      expect([reused.status, reasonOf(reused.body)]).toEqual([401, 'REFRESH_TOKEN_REUSED']);
      // The family is over: the newest refresh token and the live access token stop working too.
      const latest = await server.call('AuthService', 'RefreshSession', { refreshToken: third.body.refreshToken });
      expect([latest.status, reasonOf(latest.body)]).toEqual([401, 'SESSION_ENDED']);
      const call = await server.call('AccessService', 'ListResellers', {}, third.body.accessToken);
      expect([call.status, reasonOf(call.body)]).toEqual([401, 'SESSION_ENDED']);
      const ended = await server.call('StaffService', 'ListSessions', { staffUserId: admin.staffUserId, includeEnded: true }, server.adminToken);
      expect(ended.body.sessions.find((s: any) => s.sessionId === first.sessionId)).toMatchObject({ revokeReason: 'refresh_token_reused' });
    });

    it('SignOut and RevokeSession end a session; an unknown refresh token is refused', async () => {
      const a = await signIn(server, admin);
      expect((await server.call('AuthService', 'SignOut', { refreshToken: a.refreshToken })).status).toBe(200);
      expect(reasonOf((await server.call('AccessService', 'ListResellers', {}, a.accessToken)).body)).toBe('SESSION_ENDED');
      const b = await signIn(server, admin);
      const revoked = await server.call('StaffService', 'RevokeSession', { sessionId: b.sessionId }, server.adminToken);
      expect(revoked.body.session).toMatchObject({ sessionId: b.sessionId, revokeReason: 'revoked' });
      expect(reasonOf((await server.call('AccessService', 'ListResellers', {}, b.accessToken)).body)).toBe('SESSION_ENDED');
      const unknown = await server.call('AuthService', 'RefreshSession', { refreshToken: 'rt_nothing' });
      expect([unknown.status, reasonOf(unknown.body)]).toEqual([401, 'REFRESH_TOKEN_INVALID']);
    });

    it('a recovery code signs in once, in place of a TOTP code', async () => {
      const [code] = admin.recoveryCodes;
      const first = await server.call('AuthService', 'SignIn', { email: admin.email, password: admin.password, recoveryCode: code!.toUpperCase() });
      expect(first.status).toBe(200);
      const again = await server.call('AuthService', 'SignIn', { email: admin.email, password: admin.password, recoveryCode: code });
      expect([again.status, reasonOf(again.body)]).toEqual([401, 'INVALID_SIGN_IN']);
    });

    it('SignIn is throttled like CreateToken: past LOGIN_MAX_FAILURES wrong tries, TOO_MANY_ATTEMPTS even with the right ones', async () => {
      const person = await enrolPerson(server, mailbox, 'ROLE_SUPPORT', 'Tom Throttled');
      for (let i = 0; i < 3; i++) {
        const wrong = await server.call('AuthService', 'SignIn', { email: person.email, password: 'not the password 1', totpCode: '123456' });
        expect(wrong.status).toBe(401);
      }
      const blocked = await server.call('AuthService', 'SignIn', { email: person.email, password: person.password, totpCode: await currentCode(server, person.totpSecret) });
      expect([blocked.status, reasonOf(blocked.body)]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
      server.clock.advance(61_000);
      expect((await signIn(server, person)).accessToken).toBeTruthy();
    });

    it('a support person reads but changes nothing; a reseller token is refused StaffService', async () => {
      const support = await enrolPerson(server, mailbox, 'ROLE_SUPPORT', 'Sam Support');
      const { accessToken } = await signIn(server, support);
      expect((await server.call('StaffService', 'ListStaffUsers', {}, accessToken)).status).toBe(200);
      const write = await server.call('StaffService', 'InviteStaffUser', { email: uniqueStaffEmail(), displayName: 'X', role: 'ROLE_SUPPORT' }, accessToken);
      expect([write.status, reasonOf(write.body)]).toEqual([403, 'READ_ONLY_ROLE']);
      const reseller = await createReseller(server, 'Staffless Reseller');
      const refused = await server.call('StaffService', 'ListStaffUsers', {}, reseller.token);
      expect([refused.status, reasonOf(refused.body)]).toEqual([403, 'STAFF_ONLY']);
    });
  });

  describe('the audit trail names people', () => {
    it("a person's change records their id, e-mail, name and session; the actor filter finds it by name", async () => {
      const session = await signIn(server, admin);
      const made = await server.call('AccessService', 'CreateReseller', { name: 'Made By Ada' }, session.accessToken);
      expect(made.status).toBe(200);
      const events = await server.call('AuditService', 'ListAuditEvents', { objectId: made.body.reseller.resellerId }, server.adminToken);
      expect(events.body.events).toEqual([expect.objectContaining({
        actorStaffUserId: admin.staffUserId, actorSessionId: session.sessionId, actorClientId: admin.email, actorDisplayName: 'Ada Admin',
        actorCredentialId: '', method: 'reseller.v1.AccessService/CreateReseller',
      })]);
      const byName = await server.call('AuditService', 'ListAuditEvents', { actor: 'ada adm', objectType: 'Reseller' }, server.adminToken);
      expect(byName.body.events.map((e: any) => e.objectId)).toContain(made.body.reseller.resellerId);
      // The sign-in itself: the session's creation, by the person, in that session.
      const signIns = await server.call('AuditService', 'ListAuditEvents', { objectType: 'StaffSession', objectId: session.sessionId }, server.adminToken);
      expect(signIns.body.events).toEqual([expect.objectContaining({ action: 'AUDIT_ACTION_CREATE', actorStaffUserId: admin.staffUserId, actorSessionId: session.sessionId })]);
    });
  });

  describe('disabling a person', () => {
    it('ends every session at once, on every instance on the database', async () => {
      const victim = await enrolPerson(server, mailbox, 'ROLE_ADMIN', 'Dave Disabled');
      const one = await signIn(server, victim);
      const two = await signIn(server, victim);
      // A second instance on the same database (and clock).
      const other = await startServer(kind, { database: server.database, clock: server.clock, env: { JOB_INTERVAL_MS: '3600000' } });
      try {
        for (const s of [one, two]) {
          expect((await other.call('AccessService', 'ListResellers', {}, s.accessToken)).status).toBe(200);
        }
        const adminSession = await signIn(server, admin);
        const self = await server.call('StaffService', 'DisableStaffUser', { staffUserId: admin.staffUserId }, adminSession.accessToken);
        expect([self.status, reasonOf(self.body)]).toEqual([400, 'CANNOT_DISABLE_SELF']);
        const disabled = await server.call('StaffService', 'DisableStaffUser', { staffUserId: victim.staffUserId }, adminSession.accessToken);
        expect(disabled.body.staffUser.status).toBe('STAFF_USER_STATUS_DISABLED');
        for (const s of [one, two]) {
          const refused = await other.call('AccessService', 'ListResellers', {}, s.accessToken);
          expect([refused.status, reasonOf(refused.body)]).toEqual([401, 'SESSION_ENDED']);
          const refresh = await other.call('AuthService', 'RefreshSession', { refreshToken: s.refreshToken });
          expect([refresh.status, reasonOf(refresh.body)]).toEqual([401, 'SESSION_ENDED']);
        }
        const again = await other.call('AuthService', 'SignIn', { email: victim.email, password: victim.password, totpCode: await currentCode(server, victim.totpSecret) });
        expect([again.status, reasonOf(again.body)]).toEqual([401, 'INVALID_SIGN_IN']);
        const sessions = await other.call('StaffService', 'ListSessions', { staffUserId: victim.staffUserId, includeEnded: true }, server.adminToken);
        expect(sessions.body.sessions.map((s: any) => s.revokeReason)).toEqual(['user_disabled', 'user_disabled']);
      } finally {
        await other.close();
      }
    });
  });
});

describeEachDatabase('Staff sign-in in the browser console (/console): the refresh token in an HttpOnly cookie', (kind) => {
  let mailbox: Mailbox;
  let server: TestServer;
  let person: Person;

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000', SMTP_URL: mailbox.url } });
    person = await enrolPerson(server, mailbox, 'ROLE_SUPPORT', 'Bria Browser');
  });
  afterAll(async () => {
    await server?.close();
    await mailbox?.close();
  });

  const post = (action: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${server.url}/console/session/${action}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
  });
  const cookieIn = (response: Response) => /staff_refresh=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1];

  it('sign-in sets the cookie (HttpOnly, Secure, SameSite=Strict, for these routes only) and answers no refresh token; refresh rotates it; sign-out clears it', async () => {
    const signedIn = await post('sign-in', { email: person.email, password: person.password, totpCode: await currentCode(server, person.totpSecret) });
    nextStep(server);
    expect(signedIn.status).toBe(200);
    const setCookie = signedIn.headers.get('set-cookie')!;
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/console/session/']) expect(setCookie).toContain(flag);
    const body = await signedIn.json();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'staffUser']);
    expect(body.staffUser.email).toBe(person.email);
    expect((await server.call('AccessService', 'ListResellers', {}, body.accessToken)).status).toBe(200);
    const first = cookieIn(signedIn)!;
    const refreshed = await post('refresh', {}, { cookie: `staff_refresh=${first}` });
    expect(refreshed.status).toBe(200);
    const second = cookieIn(refreshed)!;
    expect(second).not.toBe(first);
    // The old cookie again (a copy): the whole session ends, and the answer clears the cookie.
    const reused = await post('refresh', {}, { cookie: `staff_refresh=${first}` });
    expect(reused.status).toBe(401);
    expect(cookieIn(reused)).toBe('');
    expect((await post('refresh', {}, { cookie: `staff_refresh=${second}` })).status).toBe(401);
    const out = await post('sign-out', {}, { cookie: `staff_refresh=${second}` });
    expect([out.status, cookieIn(out)]).toEqual([200, '']);
  });

  it('refuses another site (its Origin) and a body that is not JSON; a wrong code answers the sign-in refusal', async () => {
    const foreign = await post('sign-in', { email: person.email }, { origin: 'https://evil.example.com' });
    expect(foreign.status).toBe(403);
    const form = await fetch(`${server.url}/console/session/refresh`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
    const wrong = await post('sign-in', { email: person.email, password: person.password, totpCode: '000000' === await currentCode(server, person.totpSecret) ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).details[0].debug.reason).toBe('INVALID_SIGN_IN');
  });
});
