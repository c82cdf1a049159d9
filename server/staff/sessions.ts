// A staff person's way in: accepting the invitation (password, TOTP
// enrolment, recovery codes), signing in, refreshing and signing out.
// AuthService calls these (it is the service callable without a token).
//
// Sessions are refresh-token families: every refresh token a session was
// given is stored by its SHA-256 with the time it was used. A token works
// once (a conditional UPDATE marks it used, so two instances cannot both
// accept it); one presented again ends its whole session, since either the
// person or whoever copied it will hold the next one. Access tokens carry the
// session id, and every call checks the session in the database
// (staff.queries.ts sessionFinder), so ending a session or disabling a person
// stops their tokens on every instance at once.
import { randomBytes } from 'node:crypto';
import { Code } from '@connectrpc/connect';
import type { StaffUser as StaffUserMessage } from '../../gen/reseller/v1/staff_pb.js';
import { StaffRecoveryCode, StaffRefreshToken, StaffSession, StaffUser, type SessionEndReason } from './staff.entity.ts';
import { staffUserById } from './staff.queries.ts';
import { passwordProblem } from './passwords.ts';
import { newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, otpauthUri, sha256, totpStep } from './totp.ts';
import type { Em } from '../platform/data/database.ts';
import type { Db } from '../platform/data/query.ts';
import { ALL_RESELLERS } from '../platform/data/scope.ts';
import type { Clock } from '../platform/core/clock.ts';
import { apiError } from '../platform/rpc/errors.ts';
import type { SigningKeys } from '../platform/security/signing-keys.ts';
import { DUMMY_HASH, hashSecret, verifySecret } from '../platform/security/tokens.ts';
import type { Person } from '../platform/security/principal.ts';

export interface SessionSettings {
  clock: Clock;
  signingKeys: SigningKeys;
  accessTokenSeconds: number;
  sessionHours: number;
}

export interface SessionTokens {
  accessToken: string;
  tokenType: 'bearer';
  expiresIn: number;
  refreshToken: string;
  sessionId: string;
  staffUser: StaffUserMessage;
  /** Who acts from now on in this call (the audit trail names them). */
  person: Person;
}

function invalidInvitation() {
  return apiError(Code.Unauthenticated, 'INVITATION_INVALID', 'this invitation is not valid: it was already used, has expired or was withdrawn; ask an admin for a new one');
}

/** The invited person behind an invitation token still in force. */
async function invitedUser(em: Em, token: string, now: Date): Promise<StaffUser> {
  const user = await em.findOne(StaffUser, { invitationTokenHash: sha256(token) });
  if (!user || !user.invitationExpiresAt || user.invitationExpiresAt.getTime() <= now.getTime() || user.status === 'active' || user.status === 'disabled') {
    throw invalidInvitation();
  }
  return user;
}

export function passwordRefusal(field: string, problem: string) {
  return apiError(Code.InvalidArgument, 'WEAK_PASSWORD', `invalid request: ${field} ${problem}`, {
    violations: [{ field, description: problem, reason: 'WEAK_PASSWORD' }],
  });
}

/** AcceptStaffInvitation: the password, then a new TOTP secret to enrol. */
export async function acceptInvitation(em: Em, clock: Clock, token: string, password: string) {
  const user = await invitedUser(em, token, clock.now());
  const problem = passwordProblem(password, user.email);
  if (problem) throw passwordRefusal('password', problem);
  user.passwordHash = await hashSecret(password);
  user.totpSecret = newTotpSecret();
  user.status = 'enrolling';
  await em.flush();
  return { email: user.email, totpSecret: user.totpSecret, otpauthUri: otpauthUri(user.totpSecret, user.email) };
}

/** ConfirmTotpEnrolment: a code from the app activates the person; recovery codes, shown once. */
export async function confirmEnrolment(em: Em, clock: Clock, token: string, code: string): Promise<string[]> {
  const now = clock.now();
  const user = await invitedUser(em, token, now);
  await em.populate(user, ['totpSecret']);
  if (user.status !== 'enrolling' || !user.totpSecret) {
    throw apiError(Code.FailedPrecondition, 'PASSWORD_NOT_SET', 'set a password first (AcceptStaffInvitation), then confirm the code');
  }
  const step = await totpStep(user.totpSecret, code.trim(), now, null);
  if (step === undefined) {
    throw apiError(Code.InvalidArgument, 'TOTP_CODE_WRONG', 'invalid request: totpCode is not the code the authenticator app shows now', {
      violations: [{ field: 'totpCode', description: 'is not the code the authenticator app shows now', reason: 'TOTP_CODE_WRONG' }],
    });
  }
  user.totpLastStep = step;
  user.status = 'active';
  user.invitationTokenHash = null;
  user.invitationExpiresAt = null;
  const codes = newRecoveryCodes();
  await em.nativeDelete(StaffRecoveryCode, { staffUser: user.id });
  for (const c of codes) em.create(StaffRecoveryCode, { staffUser: user, codeHash: sha256(normalizeRecoveryCode(c)), usedAt: null });
  await em.flush();
  return codes;
}

function newRefreshToken(): string {
  return `rt_${randomBytes(32).toString('base64url')}`;
}

function accessTokenFor(settings: SessionSettings, user: { id: string; role: 'admin' | 'support' }, sessionId: string): Promise<string> {
  const now = Math.floor(settings.clock.now().getTime() / 1000);
  return settings.signingKeys.sign({ sub: user.id, sid: sessionId, role: user.role, rid: null, iat: now, exp: now + settings.accessTokenSeconds });
}

export function signInRefusal() {
  return apiError(Code.Unauthenticated, 'INVALID_SIGN_IN', 'the e-mail, password or code is wrong, or this person may not sign in');
}

/**
 * Checks e-mail, password and second factor. Resolves with the person, or
 * undefined when anything is wrong (the caller counts the failure); the
 * password is checked even for an unknown e-mail, so timing tells nothing.
 */
export async function checkSignIn(em: Em, clock: Clock, args: { email: string; password: string; totpCode: string; recoveryCode: string }): Promise<StaffUser | undefined> {
  const user = await em.findOne(StaffUser, { email: args.email }, { populate: ['passwordHash', 'totpSecret'] });
  const passwordMatches = await verifySecret(args.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !passwordMatches || user.status !== 'active' || !user.totpSecret) return undefined;
  const now = clock.now();
  if (args.totpCode) {
    const step = await totpStep(user.totpSecret, args.totpCode.trim(), now, user.totpLastStep ?? null);
    if (step === undefined) return undefined;
    // A code works once, across instances: the step only moves forward.
    const taken = await em.nativeUpdate(StaffUser, { id: user.id, $or: [{ totpLastStep: null }, { totpLastStep: { $lt: step } }] }, { totpLastStep: step });
    return taken === 1 ? user : undefined;
  }
  const used = await em.nativeUpdate(StaffRecoveryCode,
    { staffUser: user.id, codeHash: sha256(normalizeRecoveryCode(args.recoveryCode)), usedAt: null }, { usedAt: now });
  return used === 1 ? user : undefined;
}

/** Starts a session for a person who proved who they are. */
export async function startSession(em: Em, db: Db, settings: SessionSettings, user: StaffUser, sessionId: string, deviceName: string, address: string): Promise<SessionTokens> {
  const now = settings.clock.now();
  const session = em.create(StaffSession, {
    id: sessionId, staffUser: user, deviceName, address, lastRefreshAt: null,
    expiresAt: new Date(now.getTime() + settings.sessionHours * 3_600_000), revokedAt: null, revokeReason: null,
  });
  const refreshToken = newRefreshToken();
  em.create(StaffRefreshToken, { tokenHash: sha256(refreshToken), session, createdAt: now, usedAt: null });
  await em.flush();
  return {
    accessToken: await accessTokenFor(settings, user, session.id), tokenType: 'bearer', expiresIn: settings.accessTokenSeconds,
    refreshToken, sessionId: session.id, staffUser: await staffUserById(db, ALL_RESELLERS, user.id),
    person: { staffUserId: user.id, email: user.email, sessionId: session.id },
  };
}

function sessionEnded() {
  return apiError(Code.Unauthenticated, 'SESSION_ENDED', 'this session has ended (signed out, revoked, expired or the person disabled): sign in again');
}

/** Ends a session (and so every token of its family). Resolves with whether it was live. */
export async function endSession(em: Em, sessionId: string, reason: SessionEndReason, now: Date): Promise<boolean> {
  const session = await em.findOne(StaffSession, { id: sessionId });
  if (!session || session.revokedAt) return false;
  session.revokedAt = now;
  session.revokeReason = reason;
  await em.flush();
  return true;
}

/**
 * RefreshSession. A reused token ends the session; the caller must commit
 * that even though the call fails (`ended` is set before the error is thrown).
 */
export async function refreshSession(em: Em, db: Db, settings: SessionSettings, refreshToken: string): Promise<SessionTokens | { reused: string }> {
  const now = settings.clock.now();
  const token = await em.findOne(StaffRefreshToken, { tokenHash: sha256(refreshToken) }, { populate: ['session', 'session.staffUser'] });
  if (!token) throw apiError(Code.Unauthenticated, 'REFRESH_TOKEN_INVALID', 'this refresh token is not valid: sign in again');
  const session = token.session;
  if (token.usedAt) return { reused: session.id };
  const user = session.staffUser;
  if (session.revokedAt || session.expiresAt.getTime() <= now.getTime() || user.status !== 'active') throw sessionEnded();
  // Used once, whichever instance gets there first; the loser is a reuse.
  const taken = await em.nativeUpdate(StaffRefreshToken, { tokenHash: token.tokenHash, usedAt: null }, { usedAt: now });
  if (taken !== 1) return { reused: session.id };
  const next = newRefreshToken();
  em.create(StaffRefreshToken, { tokenHash: sha256(next), session: session.id, createdAt: now, usedAt: null });
  await em.flush();
  // Not through the unit of work: a refresh is not a change the audit trail records.
  await em.nativeUpdate(StaffSession, { id: session.id }, { lastRefreshAt: now });
  return {
    accessToken: await accessTokenFor(settings, user, session.id), tokenType: 'bearer', expiresIn: settings.accessTokenSeconds,
    refreshToken: next, sessionId: session.id, staffUser: await staffUserById(db, ALL_RESELLERS, user.id),
    person: { staffUserId: user.id, email: user.email, sessionId: session.id },
  };
}

export function refreshTokenReused() {
  return apiError(Code.Unauthenticated, 'REFRESH_TOKEN_REUSED',
    'this refresh token was already used: someone may hold a copy, so the whole session has been ended; sign in again');
}

/** The session a refresh token belongs to (used or not), for SignOut. */
export async function sessionOfRefreshToken(em: Em, refreshToken: string): Promise<string | undefined> {
  const token = await em.findOne(StaffRefreshToken, { tokenHash: sha256(refreshToken) });
  return token?.session.id;
}
