// Keyset pagination shared by every List method: the page token carries the
// last row's sort key, so page 1,000 costs what page 1 costs.
import { createHash } from 'node:crypto';
import { Code } from '@connectrpc/connect';
import { apiError } from '../rpc/errors.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export type Direction = 'asc' | 'desc';

export interface Order {
  /** The entity property sorted on; the id always breaks ties. */
  field: string;
  direction: Direction;
  /** Dates travel in the token as ISO text and come back as Date. */
  isDate?: boolean;
}

export interface Page {
  size: number;
  /** The where-clause fragment selecting rows after the cursor, or {}. */
  after: Record<string, unknown>;
  /** The cursor itself (sort value, Date for dates, and id), for prepared reads; undefined on the first page. */
  cursor?: { value: unknown; id: string };
  orderBy: Record<string, Direction>;
  /** How many rows to fetch: one more than the page, to know whether another page follows. */
  limit: number;
  /** Cuts the fetched rows to the page and makes the next page token ('' on the last page). */
  finish<T extends object>(rows: T[]): { items: T[]; nextPageToken: string };
}

function invalidToken(): never {
  throw apiError(Code.InvalidArgument, 'INVALID_PAGE_TOKEN',
    'page_token is not valid for this request: pass the next_page_token of the previous response, with the same filters and order',
    { violations: [{ field: 'pageToken', description: 'is not valid for this request', reason: 'INVALID_PAGE_TOKEN' }] });
}

/** Scopes fingerprinted lately: a partner pages through the same list again and again (a hash was 2 % of ListClients). */
const fingerprints = new Map<string, string>();
const FINGERPRINTS_KEPT = 1000;

function fingerprintOf(scope: string): string {
  let fingerprint = fingerprints.get(scope);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(scope).digest('base64url').slice(0, 12);
    if (scope.length > 1024) return fingerprint; // a long search text: not worth keeping
    if (fingerprints.size >= FINGERPRINTS_KEPT) fingerprints.clear();
    fingerprints.set(scope, fingerprint);
  }
  return fingerprint;
}

/**
 * Reads page_size and page_token. `scope` names everything that shapes the list
 * (method, filters, order): a token only works with the scope it was issued for.
 */
export function page(pageSize: number, pageToken: string, order: Order, scope: unknown[]): Page {
  if (pageSize < 0) {
    throw apiError(Code.InvalidArgument, 'INVALID_ARGUMENT', 'invalid request: pageSize must not be negative',
      { violations: [{ field: 'pageSize', description: 'must not be negative', reason: 'OUT_OF_RANGE' }] });
  }
  const size = pageSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
  const fingerprint = fingerprintOf(JSON.stringify(scope));
  const op = order.direction === 'asc' ? '$gt' : '$lt';
  const orderBy = { [order.field]: order.direction, id: order.direction } as Record<string, Direction>;
  let after: Record<string, unknown> = {};
  let cursor: Page['cursor'];
  if (pageToken) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8'));
    } catch {
      invalidToken();
    }
    if (!Array.isArray(decoded) || decoded.length !== 3 || decoded[0] !== fingerprint || typeof decoded[2] !== 'string') invalidToken();
    const raw = decoded[1];
    const value = order.isDate ? new Date(String(raw)) : raw;
    if (order.isDate && Number.isNaN((value as Date).getTime())) invalidToken();
    cursor = { value, id: decoded[2] };
    after = { $or: [{ [order.field]: { [op]: value } }, { [order.field]: value, id: { [op]: decoded[2] } }] };
  }
  return {
    size,
    after,
    cursor,
    orderBy,
    limit: size + 1,
    finish(rows) {
      if (rows.length <= size) return { items: rows, nextPageToken: '' };
      const items = rows.slice(0, size);
      const last = items[items.length - 1] as Record<string, unknown>;
      const key = last[order.field];
      const value = key instanceof Date ? key.toISOString() : key;
      return { items, nextPageToken: Buffer.from(JSON.stringify([fingerprint, value, last.id])).toString('base64url') };
    },
  };
}

/** Text for a LIKE '%...%' search, with %, _ and \\ matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
