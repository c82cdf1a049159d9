// What a legacy face is made of: one declarative table per seed (server/legacy/<seed>/),
// each route saying its method and path, its parameters as the seed names
// them, the Connect method it calls, how the seed's request becomes that
// method's JSON and how the answer becomes the seed's, and how errors look.
// The tables hold the seeds' field names and status codes and nothing else:
// every rule lives in the services they call (server/legacy/router.ts runs
// the tables; server/legacy/openapi.ts documents them).
//
// This file and the tables import no runtime code from gen/ or the services
// (types only): the OpenAPI plugin reads the tables while `buf generate`
// rewrites gen/.
import type { JsonObject, JsonValue } from '@bufbuild/protobuf';

export type Seed = '000' | '001' | '002' | '003' | '004';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses), for the reference. */
export type Schema = Record<string, unknown>;

/** Where a parameter travels, as the seed says. `body`: a field of the JSON (or form) body. */
export type Place = 'path' | 'query' | 'header' | 'body';

/** What a parameter holds; checked before the call, each failure a violation named as the seed names the parameter. */
export type ParamType =
  | 'string'
  /** A whole number, in JSON or as digits in a query. */
  | 'integer'
  /** Seed 001's client `code`: an integer in the seed, text in the contract; either is taken. */
  | 'integer-or-string'
  | 'boolean'
  /** An array of strings. */
  | 'strings'
  | 'object'
  /** A file of a multipart/form-data body. */
  | 'file';

export interface Param {
  name: string;
  in: Place;
  type: ParamType;
  required?: boolean;
  description: string;
  /** The reference's schema, where the type alone says too little (an object's fields, an enum). */
  schema?: Schema;
}

/** The request as a route's mapping reads it. */
export interface Input {
  /** A path parameter, decoded. */
  path(name: string): string;
  /** A declared parameter's value as sent (text from a query or form, any JSON value from a JSON body); undefined when absent. */
  value(name: string): JsonValue | undefined;
  /** A declared parameter as text (numbers written out); undefined when absent. */
  text(name: string): string | undefined;
  /** A request header, undefined when absent. */
  header(name: string): string | undefined;
  /** A declared file parameter's bytes, undefined when absent. */
  file(name: string): Uint8Array | undefined;
  /** Whether the parameter was sent at all. */
  has(name: string): boolean;
  /** The whole body as parsed (JSON), for seeds whose body is not an object of named fields. */
  body: JsonValue | undefined;
  /** Every value sent under this name, any case, the exact spelling first (seed 004 sends `locale` and `Locale`). */
  all(name: string): string[];
  /** The URL the caller asked for, as it reached us (`Location` headers repeat it). */
  url: string;
  /** The server's clock when the request arrived (the seeds stamp their answers). */
  now: Date;
}

/** A parameter the seed's caller got wrong, by the seed's name and place. */
export interface Invalid {
  name: string;
  in: Place;
  message: string;
  /** Stable: ours (REQUIRED, INVALID_ID, ...) or a type check's (string_type, int_type, json_invalid, ...). */
  reason: string;
}

/**
 * Every failure a face answers, whatever raised it: the Connect error of the
 * call (code, message and its ErrorDetail), a parameter the table's checks
 * refused, a method the path does not take.
 */
export interface LegacyError {
  /** The Connect code (`not_found`, `invalid_argument`...), or `method_not_allowed`. */
  code: string;
  message: string;
  /** The ErrorDetail's reason. */
  reason: string;
  /** The ErrorDetail's seed number, 0 when none. */
  legacyCode: number;
  metadata: Record<string, string>;
  /** Invalid parameters, by the seed's names (the call's field violations translated by the route's `fields`). */
  invalid: Invalid[];
  /** The call's other details as Connect JSON shows them (`debug`), by type name: the ChargeBreakdown of a refused assignment. */
  details: Record<string, JsonValue>;
  /** For 429: seconds to wait. */
  retryAfter?: string;
  /** For 405: the methods the path takes. */
  allow?: string[];
}

/** What a face sends: a status, a JSON body (none for 204) and headers. */
export interface Answer {
  status: number;
  body?: JsonValue;
  headers?: Record<string, string>;
}

/** A Connect method's path, `/reseller.v1.Service/Method`. */
export type RpcPath = `/reseller.v1.${string}/${string}`;

export interface Route<Req extends object = object, Res extends object = object> {
  /** The methods answered (HEAD goes with GET). */
  methods: readonly string[];
  /** The seed's path, `{name}` for a path parameter. */
  path: string;
  summary: string;
  description?: string;
  params: Param[];
  /** The JSON body's schema for the reference, when it is not an object of `body` params (seed 003 sends a bare array). */
  bodySchema?: Schema;
  /** The Connect method that replaces it, or the one of several the request picks. */
  rpc: RpcPath | { among: RpcPath[]; pick(input: Input): RpcPath };
  /** The Connect request, in its JSON form. May throw invalidParam(). */
  request(input: Input, rpc: RpcPath): Req;
  /** Gathers every page: the repeated field to concatenate, asking with `pageToken` until `nextPageToken` is empty. */
  allPages?: keyof Res & string;
  /** The answer on success. */
  success: {
    status: number;
    description: string;
    /** No schema: no body (204). */
    schema?: Schema;
    /** The seed's answer from the Connect answer; undefined sends no body. */
    body(answer: Res, input: Input): JsonValue | undefined;
    headers?(input: Input): Record<string, string>;
  };
  /** The Connect request's field names (camelCase) as the seed calls them, for errors that name a field. */
  fields?: Record<string, { name: string; in: Place }>;
  /** Errors this route answers its own way, before the face's mapping (undefined: the face's). */
  error?(error: LegacyError, input: Input): Answer | undefined;
  /** Statuses this route adds to the face's, for the reference. */
  errors?: Record<string, string>;
}

export interface Face {
  seed: Seed;
  /** The reference's tag. */
  tag: string;
  /** The tag's description: where the face lives, what it replaces, what differs (Markdown). */
  description: string;
  /** Where the bearer token may come: always the Authorization header; seed 003 also `?token=` and a JSON body's `token`. */
  token: { query?: string; body?: string };
  /** Seed 004: parameters by any case, from the query or a form (or JSON) body alike. */
  lenientParams?: boolean;
  /** Routes that need no token (seed 003 GET /token). */
  open?: string[];
  routes: Route[];
  /** The seed's answer to a failure; `route` and `input` are unset for 405. */
  error(error: LegacyError, context: { route?: Route; input?: Input; now: Date }): Answer;
  /** The error body's schema and the statuses every route may answer with it, for the reference. */
  errorSchema: Schema;
  errorStatuses: Record<string, string>;
  /** The content type of JSON answers (seed 002 names its charset). */
  contentType?: string;
}

/** Declares a route with the Connect request and response JSON types, so the mapping is checked. */
export function route<Req extends object, Res extends object>(r: Route<Req, Res>): Route {
  return r as unknown as Route;
}

/** Refuses a parameter from inside a route's `request` (an unknown enum value...). */
export class InvalidParam extends Error {
  readonly invalid: Invalid;
  constructor(invalid: Invalid) {
    super(invalid.message);
    this.invalid = invalid;
  }
}

export function invalidParam(name: string, place: Place, message: string, reason = 'value_error'): never {
  throw new InvalidParam({ name, in: place, message, reason });
}

// ---------------------------------------------------------------- formats the seeds use

/** A Money's amount as the seeds' floats: 49000 minor units are 490. Two decimals at most, exact. */
export function amount(money: { amountMinor?: string } | undefined): number {
  return Number(money?.amountMinor ?? 0) / 100;
}

const parisFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/**
 * Seed 003's dates, `aaaa-mm-jj hh:mm:ss`, in Paris time (the seed names no
 * zone; a French shop platform's partners read its dates as French time).
 * Unset: the empty string, as the seed's `date_resiliation` shows.
 */
export function parisDateTime(time: string | undefined): string {
  if (!time) return '';
  const parts = Object.fromEntries(parisFormat.formatToParts(new Date(time)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Seed 002's timestamps, .NET's round-trip format: seven fractional digits, `2019-11-29T16:03:23.9251680Z`. */
export function ticksTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** RFC 3339 as the seeds 001 and 004 show it, milliseconds and `Z`: `2025-11-06T16:55:01.544Z`. */
export function isoMillis(time: string | undefined): string | null {
  return time ? new Date(time).toISOString() : null;
}

export type { JsonObject, JsonValue };
