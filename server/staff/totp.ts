// TOTP second factor (RFC 6238, 6 digits, 30 s: what authenticator apps use),
// through otplib, and the recovery codes that stand in for it.
import { createHash, randomBytes } from 'node:crypto';
import { generate, generateSecret, generateURI, verify } from 'otplib';

const ISSUER = 'Reseller platform';
/** Codes from the step before or after the current one are accepted too (clock drift, typing time). */
const TOLERANCE_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export function otpauthUri(secret: string, email: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret });
}

/**
 * The time step a code matches at `now`, or undefined. A step at or before
 * `lastStep` is refused: a code works once.
 */
export async function totpStep(secret: string, code: string, now: Date, lastStep: number | null): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const epoch = Math.floor(now.getTime() / 1000);
  try {
    const result = await verify({ secret, token: code, epoch, epochTolerance: TOLERANCE_SECONDS, ...(lastStep === null ? {} : { afterTimeStep: lastStep }) });
    return result.valid && 'timeStep' in result ? result.timeStep : undefined;
  } catch {
    return undefined;
  }
}

/** The code an authenticator app shows at `now` (tests and scripts compute codes with it). */
export function totpCode(secret: string, now: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes like `k7mq-x2pa-9rtd-c4hw` (80 bits each). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const bytes = randomBytes(16);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** Recovery codes are compared in one form: lower case, no dashes or spaces. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** SHA-256 (hex): for secrets random enough that a slow hash adds nothing (refresh tokens, invitation tokens, recovery codes). */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
