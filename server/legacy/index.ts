// The legacy faces (issue 21): each seed's REST API served as its document
// describes, beside the Connect API, on the same services. One table per seed
// (server/legacy/<seed>/); this file mounts the enabled ones (LEGACY_FACES) in
// the route table and counts each route's answers for the operators
// (reseller_legacy_calls_total), so they see who still uses which.
import { Code, ConnectError } from '@connectrpc/connect';
import type { Config } from '../platform/core/config.ts';
import type { Clock } from '../platform/core/clock.ts';
import type { Route as Page } from '../platform/http/routes.ts';
import type { Logger } from '../platform/observability/logger.ts';
import type { Metrics } from '../platform/observability/metrics.ts';
import type { Rpc } from '../platform/rpc/adapter.ts';
import { detailOf } from '../platform/rpc/errors.ts';
import { inProcess, type CallRpc } from '../platform/rpc/in-process.ts';
import { principalFromAuthorization, type AuthDeps } from '../platform/security/authentication.ts';
import { FACES } from './faces.ts';
import { failure, legacyRouter } from './router.ts';

export interface LegacyOptions {
  config: Pick<Config, 'legacyFaces' | 'maxRequestBytes'>;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  /** What the token check needs (the same as the RPC interceptor's). */
  auth: AuthDeps;
  /** The RPC adapter: built after the route table these routes go in, so read when the first call comes. */
  rpc: () => Rpc;
}

/** The route table's entries for every enabled face (none when LEGACY_FACES=none). */
export function legacyRoutes(options: LegacyOptions): Page[] {
  const faces = FACES.filter((face) => options.config.legacyFaces.includes(face.seed));
  if (faces.length === 0) return [];
  const counter = options.metrics.registerCounter('reseller_legacy_calls_total',
    'Answers of the seeds\' legacy REST routes, by seed, route (`METHOD /path`) and HTTP status: who still calls them.',
    ['seed', 'route', 'status']);
  let call: CallRpc | undefined;
  const router = legacyRouter({
    faces,
    call: (path, message, rpc) => (call ??= inProcess((p, request) => options.rpc().call(p, request)))(path, message, rpc),
    async verify(authorization) {
      try {
        await principalFromAuthorization(options.auth, authorization);
        return undefined;
      } catch (error) {
        if (!(error instanceof ConnectError) || error.code !== Code.Unauthenticated) throw error;
        return failure('unauthenticated', detailOf(error)?.reason ?? 'TOKEN_INVALID', error.rawMessage);
      }
    },
    count: (seed, route, status) => counter({ seed, route, status: String(status) }),
    maxRequestBytes: options.config.maxRequestBytes,
    now: () => options.clock.now(),
    logger: options.logger,
  });
  const handle: Page['handle'] = (req, res, path) => router.handle(req, res, path);
  return [
    ...router.exact.map((path) => ({ path, handle })),
    ...router.prefixes.map((path) => ({ path, prefix: true, handle })),
  ];
}
