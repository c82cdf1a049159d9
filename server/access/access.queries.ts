// Reads of the access feature that other layers depend on: the credential
// behind each bearer token, read on every call (platform/security/authentication.ts).
import type { Em, Orm } from '../platform/data/database.ts';
import type { Reads } from '../platform/data/reads.ts';
import type { CredentialRecord, FindCredential } from '../platform/security/authentication.ts';
import type { RoleName } from '../platform/security/principal.ts';

const CREDENTIAL = 'select client_id, role, reseller_id, revoked_at from credential where id = ?';
type CredentialRow = { client_id: string; role: RoleName; reseller_id: string | null; revoked_at: unknown };

/** The credential lookup the auth interceptor uses: a prepared read where there is one. */
export function credentialFinder(orm: Orm, reads: Reads | undefined): FindCredential {
  return async (id): Promise<CredentialRecord | undefined> => {
    const rows = reads
      ? await reads.all<CredentialRow>(CREDENTIAL, [id])
      : await (orm.em as Em).getConnection().execute<CredentialRow[]>(CREDENTIAL, [id]);
    const row = rows[0];
    return row && { clientId: row.client_id, role: row.role, resellerId: row.reseller_id, revoked: row.revoked_at !== null };
  };
}
