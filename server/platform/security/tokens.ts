// Bearer tokens: compact JWTs (HS256) signed with keys kept in the database,
// so every instance on the same database accepts every instance's tokens. The
// header's `kid` names the key (server/platform/security/signing-keys.ts keeps the ring).
// Signing and verifying are jose's; what is ours is the key lookup by header
// and the refusal of encodings that are not canonical (jose's base64url
// decoder accepts padding and stray low bits: one token has one spelling).
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT, errors as jose, jwtVerify } from 'jose';
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
const imported = new WeakMap<Buffer, Promise<CryptoKey>>();
function hmacKey(key: Buffer): Promise<CryptoKey> {
  let cryptoKey = imported.get(key);
  if (!cryptoKey) {
    cryptoKey = crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    imported.set(key, cryptoKey);
  }
  return cryptoKey;
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
  if (header.length > 256 || !isCanonicalBase64url(header)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    return parsed.alg === 'HS256' && typeof parsed.kid === 'string' && parsed.kid.length > 0 && parsed.kid.length <= 64 ? parsed.kid : null;
  } catch {
    return null;
  }
}

/**
 * Base64url as RFC 7515 writes it: the URL-safe alphabet, no padding, and
 * the unused low bits of the last character zero. Anything else (an `=`, a
 * standard-alphabet `+` or `/`, a last character with stray bits) is another
 * spelling of the same bytes, which the verified-token memory would take for
 * another token.
 */
const LAST_OF_2 = /[AQgw]$/; // 2 characters (12 bits) hold 1 byte: the last 4 bits are zero
const LAST_OF_3 = /[AEIMQUYcgkosw048]$/; // 3 characters (18 bits) hold 2 bytes: the last 2 bits are zero
export function isCanonicalBase64url(text: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return false;
  switch (text.length % 4) {
    case 0: return true;
    case 2: return LAST_OF_2.test(text);
    case 3: return LAST_OF_3.test(text);
    default: return false;
  }
}

/** Signs with `key`; `kid` names the key in the header so verifiers pick the right one among several. */
export async function signToken(key: Buffer, claims: TokenClaims, kid?: string): Promise<string> {
  const header = kid === undefined ? { alg: 'HS256', typ: 'JWT' } : { alg: 'HS256', typ: 'JWT', kid };
  return new SignJWT({ ...claims }).setProtectedHeader(header).sign(await hmacKey(key));
}

/** 'unknown_key': the header names a key this instance has not loaded (yet). */
export type TokenProblem = 'malformed' | 'bad_signature' | 'expired' | 'unknown_key';

/**
 * The key a token's encoded header names: a Buffer, undefined when the key is
 * not known here, null when the header is not one we sign (or names a retired key).
 */
export type KeyForHeader = (header: string) => Buffer | null | undefined;

/** Checks the signature and expiry; returns the claims or what is wrong. `keys` is one key or a lookup by header. */
export async function verifyToken(keys: Buffer | KeyForHeader, token: string, nowSeconds: number): Promise<TokenClaims | TokenProblem> {
  if (token.length > 4096) return 'malformed';
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every(isCanonicalBase64url)) return 'malformed';
  const key = Buffer.isBuffer(keys) ? (parts[0] === LEGACY_HEADER ? keys : null) : keys(parts[0]!);
  if (key === undefined) return 'unknown_key';
  if (key === null) return 'malformed';
  let claims: TokenClaims;
  try {
    // jose checks the signature first, then exp (and iat, nbf when present) against `now`.
    const verified = await jwtVerify<TokenClaims>(token, await hmacKey(key), {
      algorithms: ['HS256'], currentDate: new Date(nowSeconds * 1000), requiredClaims: ['sub', 'exp'],
    });
    claims = verified.payload as TokenClaims;
  } catch (error) {
    if (error instanceof jose.JWSSignatureVerificationFailed) return 'bad_signature';
    if (error instanceof jose.JWTExpired) return 'expired';
    return 'malformed';
  }
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string') return 'malformed';
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
