// Reads of the access feature that other layers depend on: the credential
// behind each bearer token, read on every call (platform/security/authentication.ts).
import type { Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import type { Credential } from './access.entity.ts';
import { query, type DataSource } from '../platform/data/query.ts';
import { ALL_RESELLERS } from '../platform/data/scope.ts';
import type { FindCredential } from '../platform/security/authentication.ts';

type AccessDb = Kysely<InferKyselyDB<typeof Credential>>;

// Before any principal exists: credentials are staff's and resellers' alike, found by their id.
const credentialById = query((db: AccessDb, p: { id: string }) => db.selectFrom('credential')
  .select(['client_id', 'role', 'reseller_id', 'revoked_at']).where('id', '=', p.id));

/** The credential lookup the auth interceptor uses. */
export function credentialFinder(source: DataSource): FindCredential {
  const db = { source, kysely: source.reader };
  return async (id) => {
    const row = await credentialById.first(db, ALL_RESELLERS, { id });
    return row && { clientId: row.client_id, role: row.role, resellerId: row.reseller_id, revoked: row.revoked_at !== null };
  };
}
