// What a server needs before it takes calls: a first admin credential. (The
// token signing keys, shared by every instance on the database, are opened by
// signing-keys.ts.)
//
// Any number of instances may start at once on one database. The whole check
// runs in one transaction that first takes a lock: on PostgreSQL a
// transaction-scoped advisory lock (released by the commit), on SQLite the
// database's write lock, taken by a first statement that writes nothing (the
// ORM has no `begin immediate`; a read first would pin a snapshot that cannot
// then become a write once another process has committed). So one instance decides and writes while the others wait, then see
// its result and write nothing: no two starts update the same row at once
// (the OptimisticLockError of issue 17) or both create one.
import { IsolationLevel } from '@mikro-orm/core';
import { Credential } from './access.entity.ts';
import { issueCredential } from './access.service.ts';
import { systemEm, type Em, type Orm } from '../platform/data/database.ts';
import { hashSecret, verifySecret } from '../platform/security/tokens.ts';
import type { DatabaseConfig } from '../platform/core/config.ts';
import type { Logger } from '../platform/observability/logger.ts';

/** The advisory lock key of the bootstrap (database.ts holds the migrations' one). */
const BOOTSTRAP_LOCK = 7261535014;

export interface AdminSettings {
  clientId?: string;
  clientSecret?: string;
}

/**
 * With ADMIN_CLIENT_ID/ADMIN_CLIENT_SECRET: makes sure that admin credential
 * exists, active, with that secret. Without: on an empty database, creates one
 * admin credential and prints it once.
 */
export async function ensureAdmin(orm: Orm, kind: DatabaseConfig['kind'], settings: AdminSettings, logger: Logger): Promise<void> {
  const postgres = kind === 'postgresql';
  const generated = await systemEm(orm).transactional(async (tx) => {
    const em = tx as Em;
    await em.execute(postgres ? `select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})` : 'delete from credential where 1 = 0');
    if (settings.clientId && settings.clientSecret) {
      await ensureGiven(em, settings.clientId, settings.clientSecret, logger);
      return undefined;
    }
    if ((await em.count(Credential, {})) > 0) return undefined;
    return issueCredential(em, { role: 'admin', displayName: 'bootstrap admin (generated)' });
  }, postgres ? { isolationLevel: IsolationLevel.READ_COMMITTED } : {});
  if (!generated) return;
  // Printed once, on purpose, outside the structured log: it is never shown again.
  process.stdout.write(
    `\nFirst start: created an admin credential. Keep it now, it is not shown again.\n` +
    `  ADMIN_CLIENT_ID=${generated.credential.clientId}\n  ADMIN_CLIENT_SECRET=${generated.secret}\n\n`);
}

/** The credential named by ADMIN_CLIENT_ID: created, or brought back to an active admin with that secret; untouched when it already is one. */
async function ensureGiven(em: Em, clientId: string, secret: string, logger: Logger): Promise<void> {
  const existing = await em.findOne(Credential, { clientId }, { populate: ['secretHash'] });
  if (!existing) {
    await issueCredential(em, { role: 'admin', displayName: 'bootstrap admin (ADMIN_CLIENT_ID)', clientId, secret });
    logger.info({ clientId }, 'created the admin credential from ADMIN_CLIENT_ID');
    return;
  }
  if (existing.role === 'admin' && !existing.revokedAt && (await verifySecret(secret, existing.secretHash))) return;
  existing.secretHash = await hashSecret(secret);
  existing.role = 'admin';
  existing.revokedAt = null;
  await em.flush();
  logger.info({ clientId }, 'restored the admin credential from ADMIN_CLIENT_ID');
}
