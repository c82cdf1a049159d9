// What a server needs before it takes calls: a first admin credential. (The
// token signing keys, shared by every instance on the database, are opened by
// signing-keys.ts.)
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Credential } from './access.entity.ts';
import { issueCredential } from './access.service.ts';
import { systemEm, type Orm } from '../platform/data/database.ts';
import { hashSecret } from '../platform/security/tokens.ts';
import type { Logger } from '../platform/observability/logger.ts';

export interface AdminSettings {
  clientId?: string;
  clientSecret?: string;
}

/**
 * With ADMIN_CLIENT_ID/ADMIN_CLIENT_SECRET: makes sure that admin credential
 * exists, active, with that secret. Without: on an empty database, creates one
 * admin credential and prints it once.
 */
export async function ensureAdmin(orm: Orm, settings: AdminSettings, logger: Logger): Promise<void> {
  const em = systemEm(orm);
  try {
    if (settings.clientId && settings.clientSecret) {
      const existing = await em.findOne(Credential, { clientId: settings.clientId });
      if (!existing) {
        await issueCredential(em, { role: 'admin', displayName: 'bootstrap admin (ADMIN_CLIENT_ID)', clientId: settings.clientId, secret: settings.clientSecret });
        logger.info({ clientId: settings.clientId }, 'created the admin credential from ADMIN_CLIENT_ID');
      } else {
        existing.secretHash = await hashSecret(settings.clientSecret);
        existing.role = 'admin';
        existing.revokedAt = null;
        await em.flush();
      }
      return;
    }
    if ((await em.count(Credential, {})) > 0) return;
    const { credential, secret } = await issueCredential(em, { role: 'admin', displayName: 'bootstrap admin (generated)' });
    // Printed once, on purpose, outside the structured log: it is never shown again.
    process.stdout.write(
      `\nFirst start: created an admin credential. Keep it now, it is not shown again.\n` +
      `  ADMIN_CLIENT_ID=${credential.clientId}\n  ADMIN_CLIENT_SECRET=${secret}\n\n`);
  } catch (error) {
    // Another instance created it first.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
}
