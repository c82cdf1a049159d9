// The three interceptors every call goes through, outermost first:
//   observe: request id, one log line and one metrics sample a call, and every
//            failure turned into a specific Connect error with its ErrorDetail
//            (never a stack trace);
//   authenticate: the bearer token, the principal, and who may call what;
//   database: the call's EntityManager (forked on first use, scoped to the
//             caller's reseller) and the prepared reads.
import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';
import { codeToString } from '@connectrpc/connect/protocol-connect';
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import type { Orm, Em } from '../data/database.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { apiError, detailOf } from './errors.ts';
import { uuidv7 } from '../core/ids.ts';
import { callContext, kEm, kFace, kPrincipal, kData, kRequestId, kTransaction } from './context.ts';
import { kPageTokens, type PageTokens } from '../data/pagination.ts';
import type { DataSource } from '../data/query.ts';
import type { RunInTransaction } from '../data/transactions.ts';
import { principalFromAuthorization, type AuthDeps } from '../security/authentication.ts';
import type { RateLimiter } from '../security/rate-limit.ts';
import { errorMapper, type ErrorMapper } from './error-mapping.ts';

export type { AuthDeps };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The caller's x-request-id when it is a sane one, otherwise a new id. */
export function requestIdOf(given: string | null | undefined): string {
  return given && REQUEST_ID.test(given) ? given : uuidv7();
}

export function protocolOf(contentType: string | null, requestMethod: string): string {
  if (!contentType) return requestMethod === 'GET' ? 'connect' : 'unknown';
  if (contentType.startsWith('application/grpc-web')) return 'grpc-web';
  if (contentType.startsWith('application/grpc')) return 'grpc';
  return 'connect';
}

/**
 * One log line and one metrics sample per call, when it ends: for a unary
 * call when the handler returns, for a stream when its last message is sent.
 * Never logs the request or response (they carry secrets and tokens).
 */
export function observe(logger: Logger, metrics?: Metrics, toConnectError: ErrorMapper = errorMapper(logger)): Interceptor {
  // The call lines go through a child without the logger's redaction: their
  // fields are the fixed ones below, none of which redaction could touch, and
  // its wildcard paths cost more than the rest of the line
  // (docs/performance.md, "The RPC stack").
  const calls = logger.child({}, { redact: [] });
  const procedures = new WeakMap<object, string>();
  return (next) => async (req) => {
    const started = performance.now();
    const requestId = requestIdOf(req.header.get('x-request-id'));
    req.contextValues.set(kRequestId, requestId);
    let procedure = procedures.get(req.method);
    if (procedure === undefined) procedures.set(req.method, procedure = `${req.service.typeName}/${req.method.name}`);
    const domain = req.service.typeName;
    const protocol = req.contextValues.get(kFace) ?? protocolOf(req.header.get('content-type'), req.requestMethod);
    const finish = (code: Code | 'ok', error?: ConnectError) => {
      const durationMs = performance.now() - started;
      metrics?.recordCall(req.service.typeName, req.method.name, protocol, code === 'ok' ? 'ok' : codeToString(code), durationMs / 1000);
      const principal = req.contextValues.get(kPrincipal);
      const entry = {
        requestId, procedure, protocol, code: code === 'ok' ? 'ok' : Code[code],
        principal: principal?.clientId, reseller: principal?.resellerId ?? undefined,
        durationMs: Math.round(durationMs * 100) / 100,
      };
      if (code === Code.Internal) calls.error(entry, 'call');
      else if (error) calls.info({ ...entry, reason: detailOf(error)?.reason }, 'call');
      else calls.info(entry, 'call');
    };
    const fail = (error: unknown): ConnectError => {
      const mapped = toConnectError(error, domain, requestId);
      finish(mapped.code, mapped);
      return mapped;
    };
    let res;
    try {
      res = await next(req);
    } catch (error) {
      throw fail(error);
    }
    res.header.set('x-request-id', requestId);
    if (!res.stream) {
      finish('ok');
      return res;
    }
    // A stream's outcome is known at its end; errors thrown mid-stream get
    // the same mapping as the others.
    const messages = res.message;
    async function* observed() {
      let ended = false;
      try {
        yield* messages;
        ended = true;
        // A handler may end its stream quietly when the client goes away
        // (health Watch does): the signal tells a cancel from a normal end.
        finish(req.signal.aborted ? ConnectError.from(req.signal.reason, Code.Canceled).code : 'ok');
      } catch (error) {
        ended = true;
        throw fail(error);
      } finally {
        if (!ended) finish(Code.Canceled); // the client went away first
      }
    }
    return { ...res, message: observed() };
  };
}

/** Services any token may not call. */
const staffOnly = new Set(['reseller.v1.AccessService', 'reseller.v1.AuditService', 'reseller.v1.StaffService']);
/**
 * Services that need no token: getting one, and the protocols tools and load
 * balancers speak before they have one (health; reflection describes the
 * schema, which the published API reference shows anyway).
 */
const open = new Set([
  'reseller.v1.AuthService', 'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection',
]);

export function authenticate(deps: AuthDeps & { rateLimiter?: RateLimiter }): Interceptor {
  return (next) => async (req) => {
    if (open.has(req.service.typeName)) return next(req);
    const principal = await principalFromAuthorization(deps, req.header.get('authorization'));
    req.contextValues.set(kPrincipal, principal);
    deps.rateLimiter?.check(principal.credentialId);
    if (staffOnly.has(req.service.typeName) && principal.role === 'reseller') {
      throw apiError(Code.PermissionDenied, 'STAFF_ONLY', `${req.service.name} is for staff credentials only`);
    }
    const writes = req.method.idempotency !== MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS;
    if (writes && principal.role === 'support') {
      throw apiError(Code.PermissionDenied, 'READ_ONLY_ROLE', `the support role may read but not change anything (${req.method.name} changes data)`);
    }
    return next(req);
  };
}

export function database(orm: Orm, source: DataSource, pageTokens: PageTokens, transaction?: RunInTransaction): Interceptor {
  return (next) => async (req) => {
    const resellerId = req.contextValues.get(kPrincipal)?.resellerId ?? null;
    // Forked on first use: a call answered by prepared reads (GetClient,
    // ListClients, ...) never pays for an EntityManager.
    let em: Em | undefined;
    req.contextValues.set(kEm, () => {
      if (!em) {
        em = orm.em.fork() as Em;
        em.setFilterParams('tenant', { resellerId });
      }
      return em;
    });
    req.contextValues.set(kData, source);
    req.contextValues.set(kPageTokens, pageTokens);
    if (transaction) req.contextValues.set(kTransaction, transaction);
    const call = {
      requestId: req.contextValues.get(kRequestId),
      method: `${req.service.typeName}/${req.method.name}`,
      principal: req.contextValues.get(kPrincipal),
    };
    try {
      return await callContext.run(call, () => next(req));
    } finally {
      em?.clear();
    }
  };
}
