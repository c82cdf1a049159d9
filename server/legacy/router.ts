// Runs the legacy faces' tables: finds the route a request's method and path
// name, reads and checks its parameters, calls the Connect method in-process
// (platform/rpc/in-process.ts: the same handler and interceptors as a network
// call, with the caller's credentials, address and request id), and writes
// the seed's answer, success or error. Checks come in the seeds' order
// (seed 000): the method (405), the token (401), then the request.
import type http from 'node:http';
import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { CallRpc, RpcErrorJson, RpcResult } from '../platform/rpc/in-process.ts';
import type { Req, Res } from '../platform/http/routes.ts';
import type { Logger } from '../platform/observability/logger.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import { InvalidParam, type Answer, type Face, type Invalid, type LegacyError, type Route, type RpcPath } from './define.ts';
import { BodyTooLarge, checkParams, inputOf, originOf, parseBody, readBytes, type Body } from './input.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** The largest page the contract gives; lists the seeds answered whole are read page by page. */
const PAGE_SIZE = 200;
const ERROR_DETAIL = 'reseller.v1.ErrorDetail';

interface Compiled {
  face: Face;
  route: Route;
  segments: (string | { param: string })[];
}

function compile(face: Face, route: Route): Compiled {
  const segments = route.path.split('/').slice(1).map((s) => (/^\{(\w+)\}$/.test(s) ? { param: s.slice(1, -1) } : s));
  return { face, route, segments };
}

function match(compiled: Compiled, parts: string[]): Record<string, string> | undefined {
  if (compiled.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = compiled.segments[i]!;
    if (typeof segment === 'string') {
      if (segment !== parts[i]) return undefined;
    } else {
      let value: string;
      try {
        value = decodeURIComponent(parts[i]!);
      } catch {
        return undefined;
      }
      if (value === '') return undefined;
      params[segment.param] = value;
    }
  }
  return params;
}

/** A failure of ours (not the call's), as a LegacyError. */
export function failure(code: string, reason: string, message: string, more: Partial<LegacyError> = {}): LegacyError {
  return { code, reason, message, legacyCode: 0, metadata: {}, invalid: [], details: {}, ...more };
}

/** A call's Connect error, its field violations renamed as the seed names them. */
function fromRpc(error: RpcErrorJson, header: Headers, route: Route): LegacyError {
  const details: Record<string, JsonValue> = {};
  for (const d of error.details ?? []) if (d.debug !== undefined) details[d.type] = d.debug;
  const detail = (details[ERROR_DETAIL] ?? {}) as {
    reason?: string; legacyCode?: number; metadata?: Record<string, string>;
    fieldViolations?: { field?: string; description?: string; reason?: string }[];
  };
  const invalid: Invalid[] = (detail.fieldViolations ?? []).map((v) => {
    const field = v.field ?? '';
    // offeringCodes[2] and contact.email: the list's or the object's own name when the table names only that.
    const seedName = route.fields?.[field] ?? route.fields?.[field.replace(/\[\d+\]$/, '')];
    return { name: seedName?.name ?? field, in: seedName?.in ?? 'body', message: v.description ?? '', reason: v.reason ?? '' };
  });
  return {
    code: error.code, message: error.message ?? '', reason: detail.reason ?? error.code.toUpperCase(), legacyCode: detail.legacyCode ?? 0,
    metadata: detail.metadata ?? {}, invalid, details, retryAfter: header.get('retry-after') ?? undefined,
  };
}

export interface LegacyDeps {
  faces: readonly Face[];
  /** Calls a Connect method in-process (bound once the RPC adapter exists). */
  call: CallRpc;
  /**
   * The token check alone, for a request the table's own checks refuse
   * first: the seeds answer a bad token (401) before a bad request (422/400).
   * Undefined when the token is good.
   */
  verify(authorization: string | undefined): Promise<LegacyError | undefined>;
  /** Counts one answer of a route: seed, `METHOD /path`, HTTP status. */
  count(seed: string, route: string, status: number): void;
  maxRequestBytes: number;
  now(): Date;
  logger: Logger;
}

/**
 * Every enabled face's routes as one handler, and the paths to hand it: the
 * exact paths and the prefixes (first segments) the route table mounts it on.
 * A path under a prefix that no template matches answers 404.
 */
export function legacyRouter(deps: LegacyDeps): { prefixes: string[]; exact: string[]; handle(req: Req, res: Res, path: string): Promise<void> } {
  const compiled = deps.faces.flatMap((face) => face.routes.map((route) => compile(face, route)));
  // The route table hands over every path under a route's first segment.
  const firsts = [...new Set(compiled.map((c) => c.segments[0] as string))];
  const exact = firsts.filter((f) => compiled.some((c) => c.segments.length === 1 && c.segments[0] === f)).map((f) => `/${f}`);
  const prefixes = firsts.filter((f) => compiled.some((c) => c.segments.length > 1 && c.segments[0] === f)).map((f) => `/${f}/`);

  async function handle(req: Req, res: Res, path: string): Promise<void> {
    const now = deps.now();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : uuidv7();
    const parts = path.split('/').slice(1);
    // The most literal templates win: /clients/register is not /clients/{client_id}.
    const matched = compiled.map((c) => ({ c, params: match(c, parts) })).filter((m) => m.params);
    const fewest = Math.min(...matched.map((m) => Object.keys(m.params!).length));
    const candidates = matched.filter((m) => Object.keys(m.params!).length === fewest);
    const send = (answer: Answer, face: Face | undefined, label: string | undefined) => {
      if (face && label) deps.count(face.seed, label, answer.status);
      write(res, req, answer, face?.contentType ?? 'application/json', requestId);
    };
    if (candidates.length === 0) {
      send({ status: 404, body: { code: 'not_found', message: `no such endpoint: ${path.slice(0, 200)} (the API reference is at /docs)` } }, undefined, undefined);
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method ?? '';
    const chosen = candidates.find((m) => m.c.route.methods.includes(method));
    if (!chosen) {
      const face = candidates[0]!.c.face;
      const allow = [...new Set(candidates.flatMap((m) => m.c.route.methods))];
      const error = failure('method_not_allowed', 'METHOD_NOT_ALLOWED', `use ${allow.join(' or ')} ${path.slice(0, 200)}`, { allow });
      const answer = face.error(error, { now });
      const first = candidates[0]!.c.route;
      send({ ...answer, headers: { ...answer.headers, allow: [...allow, ...(allow.includes('GET') ? ['HEAD'] : [])].join(', ') } },
        face, `${first.methods.join('|')} ${first.path}`);
      return;
    }
    const { face, route } = chosen.c;
    const label = `${route.methods.join('|')} ${route.path}`;
    try {
      send(await run(face, route, req, res, chosen.params!, now, requestId), face, label);
    } catch (error) {
      deps.logger.error({ err: error, requestId, seed: face.seed, route: label }, 'legacy: the request could not be served');
      send(face.error(failure('internal', 'INTERNAL', `internal error: quote request id ${requestId} to support`), { route, now }), face, label);
    }
  }

  async function run(face: Face, route: Route, req: Req, res: Res, pathParams: Record<string, string>, now: Date, requestId: string): Promise<Answer> {
    const url = new URL(req.url ?? '/', originOf(req));
    let body: Body = { kind: 'none' };
    const problems: Invalid[] = [];
    try {
      const parsed = await parseBody(await readBytes(req, deps.maxRequestBytes), String(req.headers['content-type'] ?? ''));
      if ('kind' in parsed) body = parsed;
      else problems.push(parsed);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      const input = inputOf(face, route, { req, url, pathParams, body, now });
      // The rest of the body stays unread: the connection ends with this answer.
      const tooLarge = face.error(failure('resource_exhausted', 'REQUEST_TOO_LARGE', error.message), { route, input, now });
      return req.httpVersionMajor === 1 ? withHeaders(tooLarge, { connection: 'close' }) : tooLarge;
    }
    const input = inputOf(face, route, { req, url, pathParams, body, now });
    const fail = (error: LegacyError): Answer => route.error?.(error, input) ?? face.error(error, { route, input, now });

    const open = face.open?.includes(route.path) ?? false;
    const authorization = open ? undefined : tokenOf(face, req, url, body);
    // A body that cannot be read says nothing about its fields: that alone is the problem.
    if (problems.length === 0) problems.push(...checkParams(route, input));
    const rpc = typeof route.rpc === 'string' ? route.rpc : route.rpc.pick(input);
    let message: JsonObject | undefined;
    if (problems.length === 0) {
      try {
        message = route.request(input, rpc) as JsonObject;
      } catch (error) {
        if (!(error instanceof InvalidParam)) throw error;
        problems.push(error.invalid);
      }
    }
    if (problems.length > 0) {
      const unauthenticated = open ? undefined : await deps.verify(authorization);
      if (unauthenticated) return fail(unauthenticated);
      const summary = problems.map((p) => `${p.name} ${p.message}`).join('; ');
      return fail(failure('invalid_argument', 'INVALID_ARGUMENT', `invalid request: ${summary}`, { invalid: problems }));
    }

    const call = { authorization, remoteAddress: req.socket?.remoteAddress, requestId, origin: url.origin, signal: signalOf(res), face: 'legacy' };
    const result = await callAll(route, rpc, message!, call);
    if (!result.ok) return fail(fromRpc(result.error, result.header, route));
    const out = route.success.body(result.message as never, input);
    return { status: route.success.status, ...(out === undefined ? {} : { body: out }), headers: route.success.headers?.(input) };
  }

  /** One call, or for a route that gathers every page, one call a page (each counts against the rate limit). */
  async function callAll(route: Route, rpc: RpcPath, message: JsonObject, call: Parameters<CallRpc>[2]): Promise<RpcResult> {
    if (!route.allPages) return deps.call(rpc, message, call);
    const field = route.allPages;
    const items: JsonValue[] = [];
    let pageToken = '';
    for (;;) {
      const result = await deps.call(rpc, { ...message, pageSize: PAGE_SIZE, ...(pageToken ? { pageToken } : {}) }, call);
      if (!result.ok) return result;
      items.push(...((result.message[field] as JsonValue[] | undefined) ?? []));
      pageToken = String(result.message.nextPageToken ?? '');
      if (!pageToken) return { ...result, message: { ...result.message, [field]: items, nextPageToken: '' } };
    }
  }

  return { prefixes, exact, handle };
}

/** The bearer token where the face takes it: the Authorization header, or (seed 003) `?token=` or the JSON body's `token`. */
function tokenOf(face: Face, req: Req, url: URL, body: Body): string | undefined {
  const header = req.headers.authorization;
  if (header) return header;
  const fromQuery = face.token.query ? url.searchParams.get(face.token.query) : null;
  if (fromQuery) return `Bearer ${fromQuery}`;
  if (face.token.body && body.kind === 'json' && typeof body.value === 'object' && body.value && !Array.isArray(body.value)) {
    const token = (body.value as Record<string, JsonValue>)[face.token.body];
    if (typeof token === 'string' && token) return `Bearer ${token}`;
  }
  return undefined;
}

/** Aborted when the caller goes away before its answer. */
function signalOf(res: Res): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function withHeaders(answer: Answer, headers: Record<string, string>): Answer {
  return { ...answer, headers: { ...answer.headers, ...headers } };
}

function write(res: Res, req: Req, answer: Answer, contentType: string, requestId: string): void {
  const headers: Record<string, string> = { 'x-request-id': requestId, ...answer.headers };
  let body = '';
  if (answer.body !== undefined) {
    body = JSON.stringify(answer.body);
    headers['content-type'] = contentType;
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  (res as http.ServerResponse).writeHead(answer.status, headers);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}
