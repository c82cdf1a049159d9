// build(): the whole server (database, services, HTTP) ready to listen, but
// not listening. main.ts starts it; tests start it on port 0.
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type http2 from 'node:http2';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { loadConfig, type Config } from './platform/config.ts';
import { openDatabase, type Em, type Orm } from './platform/database.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { listen, type Listener } from './platform/http.ts';
import { authenticate, database, observe } from './platform/interceptors.ts';
import { consoleHandler, isConsolePath } from './platform/console.ts';
import { handleCors } from './platform/cors.ts';
import { ensureAdmin, loadSigningKey } from './access/bootstrap.ts';
import { routes } from './connect.ts';

export interface App {
  config: Config;
  orm: Orm;
  logger: Logger;
  clock: Clock;
  /** Listens on the port (0 picks a free one); resolves with the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Graceful stop: calls in flight finish, then the database closes. */
  close(): Promise<void>;
}

export interface BuildOptions {
  clock?: Clock;
  logger?: Logger;
  /** The desktop console's renderer build served at /console (default desktop/renderer/dist). */
  consoleDir?: string;
}

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

function sendJson(res: Res, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  (res as http.ServerResponse).writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function build(config: Config = loadConfig(), options: BuildOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const orm = await openDatabase(config.database, logger);
  const key = await loadSigningKey(orm);
  await ensureAdmin(orm, { clientId: config.adminClientId, clientSecret: config.adminClientSecret }, logger);
  const signingKey = () => key;

  const connect = connectNodeAdapter({
    routes: routes({ clock, tokenTtlSeconds: config.tokenTtlSeconds, signingKey }),
    interceptors: [observe(logger), authenticate({ orm, clock, signingKey }), database(orm)],
    // Responses show every field, defaults included: a curl user sees
    // "equipmentCount": 0 rather than a missing key.
    jsonOptions: { alwaysEmitImplicit: true },
    readMaxBytes: config.maxRequestBytes,
    fallback: (_req, res) => sendJson(res as unknown as Res, 404, { code: 'not_found', message: 'no such endpoint: see the README for the API' }),
  });

  const serveConsole = consoleHandler(options.consoleDir);

  const handler = (req: Req, res: Res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (handleCors(req, res, config.corsOrigins)) return;
    if (isConsolePath(path)) {
      serveConsole(req, res).catch((error: unknown) => {
        logger.error({ err: error, path }, 'console: could not serve a file');
        if (!res.headersSent) sendJson(res, 500, { code: 'internal', message: 'the console could not be served' });
        else res.end();
      });
      return;
    }
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { code: 'method_not_allowed', message: 'use GET /healthz' });
      (orm.em as Em).getConnection().execute('select 1')
        .then(() => sendJson(res, 200, { status: 'ok' }))
        .catch((error: unknown) => {
          logger.error({ err: error }, 'health check: database unreachable');
          sendJson(res, 503, { status: 'unavailable', message: 'database unreachable' });
        });
      return;
    }
    connect(req as http.IncomingMessage, res as http.ServerResponse);
  };

  let listener: Listener | undefined;
  return {
    config, orm, logger, clock,
    async listen(port = config.port, host = config.host) {
      const tls = config.tlsCert && config.tlsKey
        ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
        : undefined;
      listener = await listen(handler, port, host, tls);
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      const url = `${tls ? 'https' : 'http'}://${shownHost}:${listener.port}`;
      logger.info({ url, database: config.database.kind, tls: Boolean(tls) }, 'listening');
      return url;
    },
    async close() {
      await listener?.close();
      await orm.close();
      logger.info('stopped');
    },
  };
}
