// Bearer tokens: compact JWTs (HS256) signed with keys kept in the database,
// so every instance on the same database accepts every instance's tokens. The
// header's `kid` names the key (server/platform/security/signing-keys.ts keeps the ring).
import { createHmac, createSecretKey, randomBytes, type KeyObject, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { RoleName } from './principal.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

export interface TokenClaims {
  /** Credential id, or staff user id for a staff person's session token. */
  sub: string;
  /** Session id: set on the tokens of a staff person's session (checked against the session on every call). */
  sid?: string;
  role: RoleName;
  /** Reseller id, for reseller credentials. */
  rid: string | null;
  iat: number;
  exp: number;
}

/** Signing keys imported once, not on every call (a profile showed the import in every token check). */
const imported = new WeakMap<Buffer, KeyObject>();
function hmacKey(key: Buffer): KeyObject {
  let keyObject = imported.get(key);
  if (!keyObject) {
    keyObject = createSecretKey(key);
    imported.set(key, keyObject);
  }
  return keyObject;
}

/** The header of tokens signed before keys had ids: they name the first key, "tokens". */
export const LEGACY_KID = 'tokens';
const LEGACY_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** The encoded header of a token signed with key `kid` (no kid: the legacy header). */
export function tokenHeader(kid?: string): string {
  return kid === undefined ? LEGACY_HEADER : Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid })).toString('base64url');
}

/** The key id an encoded header names, or null when it is not a header we sign. */
export function kidOfHeader(header: string): string | null {
  if (header === LEGACY_HEADER) return LEGACY_KID;
  if (header.length > 256) return null;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    return parsed.alg === 'HS256' && typeof parsed.kid === 'string' && parsed.kid.length > 0 && parsed.kid.length <= 64 ? parsed.kid : null;
  } catch {
    return null;
  }
}

/** Signs with `key`; `kid` names the key in the header so verifiers pick the right one among several. */
export function signToken(key: Buffer, claims: TokenClaims, kid?: string): string {
  const header = tokenHeader(kid);
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', hmacKey(key)).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** 'unknown_key': the header names a key this instance has not loaded (yet). */
export type TokenProblem = 'malformed' | 'bad_signature' | 'expired' | 'unknown_key';

/**
 * The key a token's encoded header names: a Buffer, undefined when the key is
 * not known here, null when the header is not one we sign (or names a retired key).
 */
export type KeyForHeader = (header: string) => Buffer | null | undefined;

/** Checks the signature and expiry; returns the claims or what is wrong. `keys` is one key or a lookup by header. */
export function verifyToken(keys: Buffer | KeyForHeader, token: string, nowSeconds: number): TokenClaims | TokenProblem {
  const parts = token.split('.');
  if (parts.length !== 3) return 'malformed';
  const key = Buffer.isBuffer(keys) ? (parts[0] === LEGACY_HEADER ? keys : null) : keys(parts[0]!);
  if (key === undefined) return 'unknown_key';
  if (key === null) return 'malformed';
  const expected = createHmac('sha256', hmacKey(key)).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return 'malformed';
  }
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string') return 'malformed';
  if (claims.exp <= nowSeconds) return 'expired';
  return claims;
}

// scrypt with N=2^14, r=8, p=1: tens of milliseconds a check (docs/security.md), so guessing is slow.
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Constant-time comparison of a secret with its stored hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(actual, expected);
}

/** A hash to compare against when the client id is unknown, so both paths take as long. */
export const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function newClientId(): string {
  return `ck_${randomBytes(12).toString('base64url')}`;
}

export function newClientSecret(): string {
  return `cs_${randomBytes(32).toString('base64url')}`;
}
