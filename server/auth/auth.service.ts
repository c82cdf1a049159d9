// AuthService: client credentials in, signed bearer token out (seed 003 /token).
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { Code } from '@connectrpc/connect';
import type { AuthService, CreateTokenRequest } from '../../gen/reseller/v1/auth_pb.js';
import { roleValues } from '../access/roles.ts';
import { Credential } from '../access/access.entity.ts';
import { emOf, kRemoteAddress } from '../platform/rpc/context.ts';
import { apiError } from '../platform/rpc/errors.ts';
import { DUMMY_HASH, verifySecret } from '../platform/security/tokens.ts';
import type { SigningKeys } from '../platform/security/signing-keys.ts';
import { validate } from '../platform/rpc/validation.ts';
import type { Clock } from '../platform/core/clock.ts';
import type { LoginThrottle } from './throttle.ts';

export interface AuthDeps {
  clock: Clock;
  tokenTtlSeconds: number;
  signingKeys: SigningKeys;
  /** Slows down repeated wrong secrets (per client id, per address). */
  loginThrottle: LoginThrottle;
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
    const accessToken = this.#deps.signingKeys.sign({
      sub: credential.id, role: credential.role, rid: credential.reseller?.id ?? null, iat: now, exp: now + this.#deps.tokenTtlSeconds,
    });
    return { accessToken, tokenType: 'bearer', expiresIn: this.#deps.tokenTtlSeconds, role: roleValues[credential.role] };
  }
}
