// Which passwords a staff person may choose: long enough, and not one that
// appears in the list of common and breached passwords shipped beside this
// file (common-passwords.txt), nor such a password with digits or symbols
// added at the end ("sunshine2024!"). Hashing is the project's scrypt scheme
// (platform/security/tokens.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(readFileSync(join(import.meta.dirname, 'common-passwords.txt'), 'utf8')
    .split('\n').filter((line) => line !== '' && !line.startsWith('#')));
  return common;
}

/** Why a password is refused (a sentence for the person), or undefined when it is fine. */
export function passwordProblem(password: string, email: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, '');
  const list = commonPasswords();
  if (list.has(lower) || (stem.length >= 4 && list.has(stem))) return 'is a common password that appears in breaches: choose another';
  if (new Set(lower).size < 4) return 'repeats too few characters: choose another';
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (local.length >= 4 && lower.includes(local)) return 'must not contain your e-mail address';
  return undefined;
}
