// AuthService: client credentials in, signed bearer token out (seed 003 /token).
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { Code } from '@connectrpc/connect';
import type {
  AcceptStaffInvitationRequest, AuthService, ConfirmTotpEnrolmentRequest, CreateTokenRequest, RefreshSessionRequest, SignInRequest, SignOutRequest,
} from '../../gen/reseller/v1/auth_pb.js';
import { roleValues } from '../access/roles.ts';
import { Credential } from '../access/access.entity.ts';
import { actAs, dbIn, emOf, kRemoteAddress } from '../platform/rpc/context.ts';
import { apiError } from '../platform/rpc/errors.ts';
import { DUMMY_HASH, verifySecret } from '../platform/security/tokens.ts';
import type { SigningKeys } from '../platform/security/signing-keys.ts';
import { validate } from '../platform/rpc/validation.ts';
import type { Clock } from '../platform/core/clock.ts';
import type { LoginThrottle } from './throttle.ts';
import {
  acceptInvitation, checkSignIn, confirmEnrolment, endSession, refreshSession, refreshTokenReused, sessionOfRefreshToken, signInRefusal,
  startSession, type SessionSettings, type SessionTokens,
} from '../staff/sessions.ts';
import type { Person } from '../platform/security/principal.ts';
import { uuidv7 } from '../platform/core/ids.ts';

export interface AuthDeps {
  clock: Clock;
  tokenTtlSeconds: number;
  signingKeys: SigningKeys;
  /** Slows down repeated wrong secrets (per client id, per address), and wrong staff sign-ins (per e-mail, per address). */
  loginThrottle: LoginThrottle;
  staffAccessTokenSeconds: number;
  staffSessionHours: number;
}

/** The person a staff sign-in or refresh acts as for the rest of the call (the audit trail names them). */
function actAsPerson(person: Person, role: 'admin' | 'support'): void {
  actAs({ credentialId: person.staffUserId, clientId: person.email, role, resellerId: null, person });
}

function answer(tokens: SessionTokens) {
  const { person: _person, ...rest } = tokens;
  return rest;
}

export class AuthServiceImpl implements ServiceImpl<typeof AuthService> {
  readonly #deps: AuthDeps;
  constructor(deps: AuthDeps) {
    this.#deps = deps;
  }

  async createToken(req: CreateTokenRequest, ctx: HandlerContext) {
    const v = validate();
    v.text('clientId', req.clientId, { max: 64 });
    if (req.clientSecret === '') v.add('clientSecret', 'is required', 'REQUIRED');
    v.check();
    const clientId = req.clientId.trim();
    const address = ctx.values.get(kRemoteAddress);
    // Known and unknown client ids are throttled alike, so a refusal does not
    // tell which exist either.
    const { failuresOnRecord } = await this.#deps.loginThrottle.check(clientId, address);
    await this.#deps.loginThrottle.checkIssued(clientId);
    const credential = await emOf(ctx).findOne(Credential, { clientId }, { populate: ['secretHash'] });
    // The secret is checked even when the client id is unknown, so timing
    // does not tell which client ids exist.
    const secretMatches = await verifySecret(req.clientSecret, credential?.secretHash ?? DUMMY_HASH);
    if (!credential || !secretMatches || credential.revokedAt) {
      await this.#deps.loginThrottle.failed(clientId, address);
      throw apiError(Code.Unauthenticated, 'INVALID_CREDENTIALS', 'client_id or client_secret is wrong, or the credential was revoked');
    }
    if (failuresOnRecord) await this.#deps.loginThrottle.succeeded(clientId, address);
    await this.#deps.loginThrottle.issued(clientId);
    const now = Math.floor(this.#deps.clock.now().getTime() / 1000);
    const accessToken = await this.#deps.signingKeys.sign({
      sub: credential.id, role: credential.role, rid: credential.reseller?.id ?? null, iat: now, exp: now + this.#deps.tokenTtlSeconds,
    });
    return { accessToken, tokenType: 'bearer', expiresIn: this.#deps.tokenTtlSeconds, role: roleValues[credential.role] };
  }

  get #sessions(): SessionSettings {
    const { clock, signingKeys, staffAccessTokenSeconds, staffSessionHours } = this.#deps;
    return { clock, signingKeys, accessTokenSeconds: staffAccessTokenSeconds, sessionHours: staffSessionHours };
  }

  async acceptStaffInvitation(req: AcceptStaffInvitationRequest, ctx: HandlerContext) {
    const v = validate();
    v.text('invitationToken', req.invitationToken, { max: 100 });
    if (req.password === '') v.add('password', 'is required', 'REQUIRED');
    v.check();
    return emOf(ctx).transactional((em) => acceptInvitation(em, this.#deps.clock, req.invitationToken.trim(), req.password));
  }

  async confirmTotpEnrolment(req: ConfirmTotpEnrolmentRequest, ctx: HandlerContext) {
    const v = validate();
    v.text('invitationToken', req.invitationToken, { max: 100 });
    v.text('totpCode', req.totpCode, { max: 10 });
    v.check();
    const recoveryCodes = await emOf(ctx).transactional((em) => confirmEnrolment(em, this.#deps.clock, req.invitationToken.trim(), req.totpCode));
    return { recoveryCodes };
  }

  async signIn(req: SignInRequest, ctx: HandlerContext) {
    const v = validate();
    const email = v.text('email', req.email, { max: 254 }).toLowerCase();
    if (req.password === '') v.add('password', 'is required', 'REQUIRED');
    if (req.totpCode.trim() === '' && req.recoveryCode.trim() === '') v.add('totpCode', 'is required (or give recoveryCode)', 'REQUIRED');
    const deviceName = v.optionalText('deviceName', req.deviceName, 200) ?? '';
    v.check();
    const address = ctx.values.get(kRemoteAddress);
    // The same throttle as CreateToken, keyed by the e-mail: unknown and known
    // e-mails alike, so a refusal does not tell which exist.
    const key = `staff:${email}`;
    const { failuresOnRecord } = await this.#deps.loginThrottle.check(key, address);
    const em = emOf(ctx);
    const user = await checkSignIn(em, this.#deps.clock, { email, password: req.password, totpCode: req.totpCode, recoveryCode: req.recoveryCode });
    if (!user) {
      await this.#deps.loginThrottle.failed(key, address);
      throw signInRefusal();
    }
    if (failuresOnRecord) await this.#deps.loginThrottle.succeeded(key, address);
    // The session's creation is the person's first act in it.
    const sessionId = uuidv7();
    actAsPerson({ staffUserId: user.id, email: user.email, sessionId }, user.role);
    const tokens = await em.transactional((tx) => startSession(tx, dbIn(ctx, tx), this.#sessions, user, sessionId, deviceName, address ?? ''));
    return answer(tokens);
  }

  async refreshSession(req: RefreshSessionRequest, ctx: HandlerContext) {
    const v = validate();
    v.text('refreshToken', req.refreshToken, { max: 100 });
    v.check();
    const em = emOf(ctx);
    const result = await em.transactional((tx) => refreshSession(tx, dbIn(ctx, tx), this.#sessions, req.refreshToken.trim()));
    if ('reused' in result) {
      // Committed before the refusal: the whole family ends.
      await em.transactional((tx) => endSession(tx, result.reused, 'refresh_token_reused', this.#deps.clock.now()));
      throw refreshTokenReused();
    }
    return answer(result);
  }

  async signOut(req: SignOutRequest, ctx: HandlerContext) {
    const v = validate();
    v.text('refreshToken', req.refreshToken, { max: 100 });
    v.check();
    const em = emOf(ctx);
    const sessionId = await sessionOfRefreshToken(em, req.refreshToken.trim());
    // An unknown or already ended session: signed out all the same.
    if (sessionId) await em.transactional((tx) => endSession(tx, sessionId, 'sign_out', this.#deps.clock.now()));
    return {};
  }
}
