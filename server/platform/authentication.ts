// Who is calling: the bearer token checked (signature, expiry) and the
// credential behind it read from the database. Shared by the auth interceptor
// (RPC calls) and the plain HTTP routes that need a caller (GET /media/...).
import { Code, ConnectError } from '@connectrpc/connect';
import type { Orm, Em } from './database.ts';
import type { Clock } from './clock.ts';
import type { Principal } from './context.ts';
import { apiError } from './errors.ts';
import type { RoleName } from '../access/access.entity.ts';
import type { SigningKeys } from '../access/signing-keys.ts';
import type { Reads } from './reads.ts';

export interface AuthDeps {
  orm: Orm;
  clock: Clock;
  signingKeys: SigningKeys;
  /** Prepared reads: the credential check as a prepared statement (else through the ORM's connection). */
  reads?: Reads;
}

const CREDENTIAL = 'select client_id, role, reseller_id, revoked_at from credential where id = ?';
type CredentialRow = { client_id: string; role: RoleName; reseller_id: string | null; revoked_at: unknown };

function unauthenticated(reason: string, message: string): ConnectError {
  return apiError(Code.Unauthenticated, reason, message);
}

/** The principal of an `Authorization: Bearer <token>` header, or an unauthenticated error. */
export async function principalFromAuthorization({ orm, clock, signingKeys, reads }: AuthDeps, header: string | null | undefined): Promise<Principal> {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) {
    throw unauthenticated('TOKEN_MISSING', 'missing bearer token: send "Authorization: Bearer <token>" with a token from AuthService.CreateToken');
  }
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);
  let claims = signingKeys.verify(match[1]!, nowSeconds);
  // A key added since the last reload (rotation): read the keys once, then check again.
  if (claims === 'unknown_key') claims = await signingKeys.verifyAfterReload(match[1]!, nowSeconds);
  if (claims === 'expired') throw unauthenticated('TOKEN_EXPIRED', 'the bearer token has expired: get a new one from AuthService.CreateToken');
  if (typeof claims === 'string') throw unauthenticated('TOKEN_INVALID', 'the bearer token is not valid: get a new one from AuthService.CreateToken');
  // One primary-key read a call: a revoked credential's tokens stop at once,
  // on every instance, with nothing cached in memory.
  const rows = reads
    ? await reads.all<CredentialRow>(CREDENTIAL, [claims.sub])
    : await (orm.em as Em).getConnection().execute<CredentialRow[]>(CREDENTIAL, [claims.sub]);
  const row = rows[0];
  if (!row || row.revoked_at !== null) throw unauthenticated('TOKEN_REVOKED', 'the credential behind this token was revoked');
  return { credentialId: claims.sub, clientId: row.client_id, role: row.role, resellerId: row.reseller_id };
}
