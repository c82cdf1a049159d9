// The browser console's (/console) staff sign-in: the refresh token lives in
// an HttpOnly, Secure, SameSite=Strict cookie the page's scripts cannot read,
// scoped to these routes; the page gets short access tokens only. (The
// desktop app keeps it in its main process instead: desktop/main/staff-session.ts.)
//
//   POST /console/session/sign-in   {email, password, totpCode | recoveryCode}
//   POST /console/session/refresh   (the cookie)
//   POST /console/session/sign-out  (the cookie)
//
// Each calls the AuthService method in-process, through every interceptor
// (throttle, audit, logs), and answers {accessToken, expiresIn, staffUser} or
// the method's Connect error. A cross-site page cannot use them: the cookie is
// SameSite=Strict, a JSON body is required (a form cannot send one without a
// CORS preflight, which is refused), and an Origin other than the server's
// own is refused.
import type { JsonObject } from '@bufbuild/protobuf';
import { inProcess, type CallRpc } from '../platform/rpc/in-process.ts';
import type { UniversalServerRequest, UniversalServerResponse } from '@connectrpc/connect/protocol';
import { sendJson, type Req, type Res, type Route } from '../platform/http/routes.ts';
import { uuidv7 } from '../platform/core/ids.ts';

export const SESSION_PREFIX = '/console/session/';
export const REFRESH_COOKIE = 'staff_refresh';
const MAX_BODY = 16 * 1024;

export interface ConsoleSessionDeps {
  call: (path: string, request: UniversalServerRequest) => Promise<UniversalServerResponse> | undefined;
  sessionHours: number;
}

function cookieOf(req: Req): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === REFRESH_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** The cookie: HttpOnly (no script reads it), Secure, SameSite=Strict, sent to these routes only. */
export function refreshCookie(token: string, maxAgeSeconds: number): string {
  return `${REFRESH_COOKIE}=${encodeURIComponent(token)}; Path=${SESSION_PREFIX}; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`;
}

async function jsonBody(req: Req): Promise<JsonObject | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? value as JsonObject : undefined;
  } catch {
    return undefined;
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

export function consoleSessionRoute(deps: ConsoleSessionDeps): Route {
  let rpc: CallRpc | undefined;
  const maxAge = deps.sessionHours * 3600;
  return {
    path: SESSION_PREFIX, prefix: true, methods: ['POST'],
    async handle(req: Req, res: Res, path: string) {
      const action = path.slice(SESSION_PREFIX.length);
      const host = req.headers.host ?? '';
      const origin = req.headers.origin;
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(res, 415, { code: 'invalid_argument', message: 'send a JSON body (content-type: application/json)' });
      }
      if (origin !== undefined && hostOf(origin) !== host) {
        return sendJson(res, 403, { code: 'permission_denied', message: 'the console session routes answer the console served here only' });
      }
      const body = await jsonBody(req);
      if (!body) return sendJson(res, 400, { code: 'invalid_argument', message: 'the body must be a JSON object of at most 16 KiB' });
      rpc ??= inProcess(deps.call);
      const call = { remoteAddress: req.socket?.remoteAddress, requestId: uuidv7(), origin: `http://${host}`, signal: new AbortController().signal, face: 'console' };
      const cookie = cookieOf(req);
      const clear = { 'set-cookie': refreshCookie('', 0) };
      let result;
      switch (action) {
        case 'sign-in':
          result = await rpc('/reseller.v1.AuthService/SignIn', {
            email: body.email ?? '', password: body.password ?? '', totpCode: body.totpCode ?? '', recoveryCode: body.recoveryCode ?? '',
            deviceName: 'Console in a browser',
          }, call);
          break;
        case 'refresh':
          if (!cookie) return sendJson(res, 401, { code: 'unauthenticated', message: 'not signed in' }, clear);
          result = await rpc('/reseller.v1.AuthService/RefreshSession', { refreshToken: cookie }, call);
          break;
        case 'sign-out':
          if (cookie) await rpc('/reseller.v1.AuthService/SignOut', { refreshToken: cookie }, call);
          return sendJson(res, 200, {}, clear);
        default:
          return sendJson(res, 404, { code: 'not_found', message: `no such route: ${path.slice(0, 200)}` });
      }
      if (!result.ok) return sendJson(res, result.status, result.error, action === 'refresh' && result.status === 401 ? clear : {});
      const { refreshToken, ...answer } = result.message;
      return sendJson(res, 200, { accessToken: answer.accessToken, expiresIn: answer.expiresIn, staffUser: answer.staffUser },
        { 'set-cookie': refreshCookie(String(refreshToken), maxAge), 'cache-control': 'no-store' });
    },
  };
}
