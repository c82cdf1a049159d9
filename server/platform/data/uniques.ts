// Unique constraints declared with the error a partner sees when a write hits
// one (a race that the handler's own check could not see). The error is
// declared beside the entity's other uniques, with unique(), and found again
// from the ORM's metadata when a write fails: no registry to fill by import.
import type { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Orm } from './database.ts';

export interface UniqueError {
  /** The ErrorDetail reason, e.g. CLIENT_CODE_EXISTS. */
  reason: string;
  message: string;
  /** The seed's number for this error, where it had one. */
  legacyCode?: number;
}

const kError = Symbol('unique constraint error');

/** A `uniques` entry of defineEntity, carrying the error its violation means. */
export function unique<const P extends string>(name: string, properties: P[], error: UniqueError, where?: Record<string, unknown>) {
  return Object.assign({ name, properties, ...(where ? { where } : {}) }, { [kError]: error });
}

/**
 * The declared error of the constraint a unique violation names, if any.
 * PostgreSQL names the constraint in its message; SQLite names the table
 * and columns ("UNIQUE constraint failed: client.reseller_id, client.code").
 */
export function uniqueErrors(orm: Orm): (error: UniqueConstraintViolationException) => UniqueError | undefined {
  const byText = new Map<string, UniqueError>();
  for (const meta of orm.getMetadata().getAll().values()) {
    for (const u of (meta.uniques ?? []) as Array<{ name?: string; properties?: string | string[] } & { [kError]?: UniqueError }>) {
      const error = u[kError];
      if (!error) continue;
      if (u.name) byText.set(`"${u.name}"`, error);
      const columns = [u.properties ?? []].flat().flatMap((p) => meta.properties[p]?.fieldNames ?? [p]);
      byText.set(`failed: ${columns.map((c: string) => `${meta.tableName}.${c}`).join(', ')}`, error);
    }
  }
  return (exception) => {
    const text = String(exception.message);
    for (const [needle, error] of byText) {
      if (text.includes(needle) && (!needle.startsWith('failed: ') || sqliteColumnsEnd(text, needle))) return error;
    }
    return undefined;
  };
}

/** "failed: t.a" must not match "failed: t.a, t.b": the column list ends where the needle does. */
function sqliteColumnsEnd(text: string, needle: string): boolean {
  const after = text.charAt(text.indexOf(needle) + needle.length);
  return after === '' || after !== ',';
}
