// The error answers of the seed 000/001 reseller API, a FastAPI service (its
// Swagger page is seed 001): `{"detail": "<message>"}`, and for invalid input
// 422 with pydantic's list `{"detail": [{"loc": [place, name], "msg", "type"}]}`.
// Statuses in seed 000's order of checks: 405, 401, 404, then success.
import type { Answer, LegacyError, Schema } from '../define.ts';

/** Our violation reasons as pydantic's error types, which partners' code may branch on. */
const PYDANTIC_TYPES: Record<string, string> = {
  REQUIRED: 'missing', missing: 'missing', INVALID_ID: 'uuid_parsing', TOO_LONG: 'string_too_long', TOO_SHORT: 'string_too_short',
  INVALID_FORMAT: 'string_pattern_mismatch',
};

/** The HTTP status of each failure, as a FastAPI service answers it. */
const STATUS: Record<string, number> = {
  invalid_argument: 422, unauthenticated: 401, permission_denied: 403, not_found: 404, method_not_allowed: 405,
  already_exists: 409, aborted: 409, failed_precondition: 400, out_of_range: 400, resource_exhausted: 429,
  deadline_exceeded: 504, unavailable: 503, unimplemented: 501, canceled: 499,
};

export function fastApiError(error: LegacyError): Answer {
  if (error.code === 'invalid_argument') {
    const detail = error.invalid.length > 0
      ? error.invalid.map((i) => ({ loc: i.name === 'body' ? ['body'] : [i.in, i.name], msg: i.message, type: PYDANTIC_TYPES[i.reason] ?? (/^[a-z_]+$/.test(i.reason) ? i.reason : 'value_error') }))
      : [{ loc: ['body'], msg: error.message, type: 'value_error' }];
    return { status: 422, body: { detail } };
  }
  if (error.code === 'resource_exhausted' && error.reason === 'REQUEST_TOO_LARGE') return { status: 413, body: { detail: error.message } };
  const status = STATUS[error.code] ?? 500;
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  if (status === 429) headers['retry-after'] = error.retryAfter ?? '1';
  const detail = error.code === 'method_not_allowed' ? 'Method Not Allowed' : error.message;
  return { status, body: { detail }, headers };
}

export const FASTAPI_ERROR_SCHEMA: Schema = {
  type: 'object',
  description: 'FastAPI\'s error body: `detail` is a message, or for 422 the list of invalid fields.',
  properties: {
    detail: {
      oneOf: [
        { type: 'string' },
        {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              loc: { type: 'array', items: { type: ['string', 'integer'] }, description: 'Where: `body`, `path` or `query`, then the field\'s name.' },
              msg: { type: 'string' },
              type: { type: 'string', description: 'pydantic\'s error type: `missing`, `uuid_parsing`, `string_too_long`, `int_type`, `json_invalid`, `value_error`...' },
            },
            required: ['loc', 'msg', 'type'],
          },
        },
      ],
    },
  },
  required: ['detail'],
};

export const FASTAPI_STATUSES: Record<string, string> = {
  401: 'Missing, invalid, expired or revoked token (checked after the method, before the request).',
  403: 'A support credential (it reads only) asking for a change.',
  405: 'Method Not Allowed: the path does not take this method.',
  422: 'Validation Error: `detail` lists each invalid field with its place and name.',
  429: 'Too many calls for this credential this second (`retry-after` says when to come back).',
};
