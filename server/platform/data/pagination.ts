// Keyset pagination shared by every List method: the page token carries the
// last row's sort key, so page 1,000 costs what page 1 costs.
//
// A page token is input an attacker controls, and its values reach a query.
// So it is opaque and authenticated: `p1.<kid>.<payload>.<mac>`, where the
// MAC (HMAC-SHA256 with a key derived from the token signing key `kid`, so
// every instance accepts every instance's tokens) covers the payload and the
// list it was issued for (the method, its filters and order, and the caller's
// reseller). A token that is forged, tampered with, truncated, or used for
// another list is refused before anything is decoded, with INVALID_PAGE_TOKEN;
// and each decoded value is checked against its sort column's type anyway.
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { Code, createContextKey, type HandlerContext } from '@connectrpc/connect';
import { apiError } from '../rpc/errors.ts';
import { isUuid } from '../core/ids.ts';
import { principalOf } from '../rpc/context.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export type Direction = 'asc' | 'desc';

/** What a sort column holds, and so what a token's value must be. */
export type SortType = 'string' | 'date';

export interface Order {
  /** Names the sort key (a page token only works for the order it was issued for); the id always breaks ties. */
  field: string;
  direction: Direction;
  type: SortType;
}

export interface Cursor {
  /** The last row's sort value: text, or a Date for a date column. */
  value: string | Date;
  id: string;
}

export interface Page {
  size: number;
  /** How many rows to fetch: one more than the page, to know whether another page follows. */
  limit: number;
  /** Where the page starts (after this row); undefined on the first page. The query seeks to it (a keyset cursor). */
  cursor?: Cursor;
  /** Cuts the fetched rows to the page and makes the next page token ('' on the last page) from the last row's cursor. */
  finish<T>(rows: T[], keyOf: (row: T) => Cursor): { items: T[]; nextPageToken: string };
}

/** The keys page tokens are signed with: the token signing key ring (platform/security/signing-keys.ts). */
export interface PageTokenKeys {
  /** The active key's id and secret. */
  active(): { kid: string; key: Buffer };
  /** The secret of a key not retired, reloading the ring once for a kid not seen yet; undefined when unknown or retired. */
  find(kid: string): Promise<Buffer | undefined>;
}

const VERSION = 'p1';
/** Longest token accepted: a sort value is at most a few hundred characters. */
const MAX_TOKEN = 2048;
/** Longest sort value a token may carry (names and codes are at most 270 characters). */
const MAX_VALUE = 1024;

function invalidToken(): never {
  throw apiError(Code.InvalidArgument, 'INVALID_PAGE_TOKEN',
    'page_token is not valid for this request: pass the next_page_token of the previous response, with the same filters and order',
    { violations: [{ field: 'pageToken', description: 'is not valid for this request', reason: 'INVALID_PAGE_TOKEN' }] });
}

/**
 * Per signing key, the key page tokens are MACed with (never the token
 * signing key itself), as a KeyObject: createHmac imports a Buffer key anew on
 * every call, 12 µs against 2.6 µs with the key imported once.
 */
const derived = new WeakMap<Buffer, KeyObject>();
function pageKey(key: Buffer): KeyObject {
  let page = derived.get(key);
  if (!page) derived.set(key, page = createSecretKey(createHmac('sha256', key).update('reseller-platform page tokens v1').digest()));
  return page;
}

function mac(key: Buffer, list: string, payload: string): Buffer {
  return createHmac('sha256', pageKey(key)).update(list).update('\u0000').update(payload).digest();
}

/** Lists fingerprinted lately: a partner pages through the same list again and again (hashing on every page call showed in ListClients' profile: docs/performance.md). */
const fingerprints = new Map<string, string>();
const FINGERPRINTS_KEPT = 1000;

function fingerprintOf(list: string): string {
  let fingerprint = fingerprints.get(list);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(list).digest('base64url');
    if (list.length > 1024) return fingerprint; // a long search text: not worth keeping
    if (fingerprints.size >= FINGERPRINTS_KEPT) fingerprints.clear();
    fingerprints.set(list, fingerprint);
  }
  return fingerprint;
}

function decodeCursor(payload: string, order: Order): Cursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    invalidToken();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) invalidToken();
  const [value, id] = decoded as [unknown, unknown];
  if (typeof id !== 'string' || !isUuid(id)) invalidToken();
  if (typeof value !== 'string' || value.length > MAX_VALUE || value.includes('\u0000')) invalidToken();
  if (order.type === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) invalidToken();
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) invalidToken();
    return { value: date, id };
  }
  return { value, id };
}

/** Reads and writes the page tokens of one server (every instance on the database shares the keys). */
export class PageTokens {
  readonly #keys: PageTokenKeys;

  constructor(keys: PageTokenKeys) {
    this.#keys = keys;
  }

  /**
   * Reads page_size and page_token. `list` names everything that shapes the
   * list (method, filters, order, caller): a token only works for the list it
   * was issued for.
   */
  async page(pageSize: number, pageToken: string, order: Order, list: unknown[]): Promise<Page> {
    if (pageSize < 0) {
      throw apiError(Code.InvalidArgument, 'INVALID_ARGUMENT', 'invalid request: pageSize must not be negative',
        { violations: [{ field: 'pageSize', description: 'must not be negative', reason: 'OUT_OF_RANGE' }] });
    }
    const size = pageSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
    const fingerprint = fingerprintOf(JSON.stringify(list));
    let cursor: Cursor | undefined;
    if (pageToken) {
      if (pageToken.length > MAX_TOKEN) invalidToken();
      const parts = pageToken.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) invalidToken();
      const [, kid, payload, given] = parts as [string, string, string, string];
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(kid) || !/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]{43}$/.test(given)) invalidToken();
      const key = await this.#keys.find(kid);
      if (!key) invalidToken();
      const expected = mac(key, fingerprint, payload);
      const sent = Buffer.from(given, 'base64url');
      // base64url has one canonical spelling of 32 bytes: refuse the others.
      if (sent.length !== expected.length || sent.toString('base64url') !== given || !timingSafeEqual(sent, expected)) invalidToken();
      cursor = decodeCursor(payload, order);
    }
    const keys = this.#keys;
    return {
      size,
      limit: size + 1,
      cursor,
      finish<T>(rows: T[], keyOf: (row: T) => Cursor) {
        if (rows.length <= size) return { items: rows, nextPageToken: '' };
        const items = rows.slice(0, size);
        const key = keyOf(items[items.length - 1]!);
        const value = key.value instanceof Date ? key.value.toISOString() : key.value;
        const payload = Buffer.from(JSON.stringify([value, key.id])).toString('base64url');
        const active = keys.active();
        return { items, nextPageToken: `${VERSION}.${active.kid}.${payload}.${mac(active.key, fingerprint, payload).toString('base64url')}` };
      },
    };
  }
}

/** The call's page tokens, set by the database interceptor. */
export const kPageTokens = createContextKey<PageTokens | undefined>(undefined, { description: 'page tokens' });

/** A List call's page: its page_size and page_token, for the list `list` names, seen by the caller. */
export function pageOf(ctx: HandlerContext, req: { pageSize: number; pageToken: string }, order: Order, list: unknown[]): Promise<Page> {
  const tokens = ctx.values.get(kPageTokens);
  if (!tokens) throw new Error('no page tokens in context: the database interceptor did not run');
  const caller = principalOf(ctx).resellerId ?? 'staff';
  return tokens.page(req.pageSize, req.pageToken, order, [...list, order.field, order.direction, caller]);
}

/** Text for a LIKE '%...%' search, with %, _ and \\ matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
