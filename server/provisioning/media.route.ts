// GET /media/<id>: serves a family image or account picture to a caller whose
// bearer token may see its owner. Another reseller's image answers 404, as an
// image that does not exist does. Plain HTTP rather than RPC so that the URL
// can be used as it is (an <img> fetched with the token, curl -o).
import type http from 'node:http';
import type http2 from 'node:http2';
import { Code, ConnectError } from '@connectrpc/connect';
import { principalFromAuthorization, type AuthDeps } from '../platform/security/authentication.ts';
import { systemEm, type Orm } from '../platform/data/database.ts';
import { isUuid } from '../platform/core/ids.ts';
import type { Logger } from '../platform/observability/logger.ts';
import type { Principal } from '../platform/security/principal.ts';
import type { RateLimiter } from '../platform/security/rate-limit.ts';
import { detailOf } from '../platform/rpc/errors.ts';
import { sendJson } from '../platform/http/routes.ts';
import { Media } from './provisioning.entity.ts';

export const MEDIA_PREFIX = '/media/';

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

export type MediaDeps = AuthDeps & { orm: Orm; logger: Logger; rateLimiter?: RateLimiter };

async function serve(deps: MediaDeps, req: Req, res: Res, path: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { code: 'method_not_allowed', message: `use GET ${MEDIA_PREFIX}<id>` }, { allow: 'GET, HEAD' });
  }
  let principal: Principal;
  try {
    principal = await principalFromAuthorization(deps, req.headers.authorization);
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.Unauthenticated) {
      return sendJson(res, 401, { code: 'unauthenticated', message: error.rawMessage }, { 'www-authenticate': 'Bearer' });
    }
    throw error;
  }
  try {
    deps.rateLimiter?.check(principal.credentialId);
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    const detail = detailOf(error)!;
    return sendJson(res, 429, { code: 'resource_exhausted', message: error.rawMessage, reason: detail.reason, metadata: detail.metadata },
      { 'retry-after': error.metadata.get('retry-after') ?? '1' });
  }
  const id = path.slice(MEDIA_PREFIX.length);
  const notFound = () => sendJson(res, 404, { code: 'not_found', message: `media ${id} not found` });
  if (!isUuid(id)) return notFound();
  // The same tenant filter as RPC calls: staff see every reseller's media.
  const em = systemEm(deps.orm);
  em.setFilterParams('tenant', { resellerId: principal.resellerId });
  const media = await em.findOne(Media, { id: id.toLowerCase() }, { populate: ['data'] });
  if (!media) return notFound();
  (res as http.ServerResponse).writeHead(200, {
    'content-type': media.contentType,
    'content-length': String(media.data.length),
    // A media id's content never changes (a new image gets a new id), but
    // it is private to those allowed to see it.
    'cache-control': 'private, max-age=31536000, immutable',
    // Only PNG and JPEG checked by content are stored; never let a browser
    // guess otherwise or run anything from this origin's response.
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  });
  if (req.method === 'HEAD') res.end();
  else res.end(media.data);
}

/** The handler for paths under /media/; an unexpected failure answers 500, logged without detail to the caller. */
export function mediaRoute(deps: MediaDeps) {
  return (req: Req, res: Res, path: string): void => {
    serve(deps, req, res, path).catch((error: unknown) => {
      deps.logger.error({ err: error, path }, 'media: unexpected error');
      if (!res.headersSent) sendJson(res, 500, { code: 'internal', message: 'internal error' });
      else res.destroy();
    });
  };
}
