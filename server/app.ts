// build(): the whole server (database, services, HTTP) ready to listen, but
// not listening. main.ts starts it; tests start it on port 0. This is the
// composition root: it opens the platform's pieces, hands them the schema and
// the features, and wires the features to each other.
import { readFileSync } from 'node:fs';
import { Code, createContextValues } from '@connectrpc/connect';
import { codeFromString } from '@connectrpc/connect/protocol-connect';
import { loadConfig, type Config } from './platform/core/config.ts';
import { systemClock, type Clock } from './platform/core/clock.ts';
import { openDatabase, type Orm } from './platform/data/database.ts';
import { PageTokens } from './platform/data/pagination.ts';
import type { DataSource } from './platform/data/query.ts';
import type { StatementListener } from './platform/data/sqlite.ts';
import { groupCommit } from './platform/data/transactions.ts';
import { uniqueErrors } from './platform/data/uniques.ts';
import { JobRunner } from './platform/data/jobs.ts';
import { OutboxWorker, type DeliveryReport } from './platform/data/outbox.ts';
import { createLogger, type Logger } from './platform/observability/logger.ts';
import { healthMonitor, ServingStatus } from './platform/observability/health.ts';
import { createMetrics, type Metrics } from './platform/observability/metrics.ts';
import { listen, type Listener } from './platform/http/listener.ts';
import { frontPage, routeTable, send, sendJson, type Route } from './platform/http/routes.ts';
import { drainAfterEarlyResponse } from './platform/workarounds/node-http.ts';
import { strictJsonOptions } from './platform/workarounds/connect-es.ts';
import { handleCors } from './platform/http/cors.ts';
import { docsRoutes } from './platform/http/docs.ts';
import { consoleRoutes } from './platform/http/console.ts';
import { rpcAdapter, type NodeHandler, type Rpc } from './platform/rpc/adapter.ts';
import { kRemoteAddress } from './platform/rpc/context.ts';
import { authenticate, database, observe } from './platform/rpc/interceptors.ts';
import { errorMapper } from './platform/rpc/error-mapping.ts';
import { answerStalledBody, errorJson } from './platform/rpc/protocol-errors.ts';
import { apiError } from './platform/rpc/errors.ts';
import { uuidv7 } from './platform/core/ids.ts';
import { rejectUnstorableText } from './platform/rpc/text-guard.ts';
import { CredentialCache } from './platform/security/authentication.ts';
import { RateLimiter, sqliteFileCounts, tableCounts } from './platform/security/rate-limit.ts';
import { SigningKeys } from './platform/security/signing-keys.ts';
import { schema } from './schema.ts';
import { routes } from './connect.ts';
import { credentialFinder } from './access/access.queries.ts';
import { ensureAdmin } from './access/bootstrap.ts';
import { LoginThrottle } from './auth/throttle.ts';
import { invitationOutbox } from './provisioning/invitations.ts';
import { staffInvitationOutbox } from './staff/invitations.ts';
import { sessionFinder } from './staff/staff.queries.ts';
import { consoleSessionRoute } from './staff/console-session.route.ts';
import { MEDIA_PREFIX, mediaRoute } from './provisioning/media.route.ts';
import { interfaceJobs } from './interfaces/interfaces.jobs.ts';
import { eventRetentionJob } from './events/events.jobs.ts';
import { legacyRoutes } from './legacy/index.ts';
import { WebhookWorker, oldestUndelivered, type WebhookReport } from './events/webhooks.ts';
import { eventsProduced } from './events/events.queries.ts';

export interface App {
  config: Config;
  orm: Orm;
  /** Where typed queries run (platform/data/query.ts): its tenant tables, its reader. */
  source: DataSource;
  logger: Logger;
  clock: Clock;
  /**
   * Runs every background job once, now (the timer also runs them every
   * JOB_INTERVAL_MS). Tests call it after moving the clock.
   */
  runDueJobs(): Promise<Record<string, number>>;
  /** Calls per credential per second, shared through the database; tests call sync() to share the counts now. */
  rateLimiter: RateLimiter;
  /** GET /metrics; features add gauges with metrics.registerGauge. */
  metrics: Metrics;
  /** Listens on the port (0 picks a free one); resolves with the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Delivers the invitations (accounts' and staff's) due now (the worker also does so every JOB_INTERVAL_MS). */
  deliverInvitations(): Promise<DeliveryReport>;
  /** Makes the webhook deliveries due now (the worker also does so every JOB_INTERVAL_MS). */
  deliverWebhooks(): Promise<WebhookReport>;
  /** Graceful stop: calls in flight finish, background work stops, then the database closes. */
  close(): Promise<void>;
}

export interface BuildOptions {
  clock?: Clock;
  logger?: Logger;
  /** The desktop console's renderer build served at /console (default desktop/renderer/dist). */
  consoleDir?: string;
  /** SQLite: told every statement run (tests record them to check tenancy); no configuration sets it. */
  onStatement?: StatementListener;
  /** Off: every RPC goes through connect-node (test/fast-path.test.ts compares the two); no configuration sets it. */
  rpcFastPath?: boolean;
  /** Told the path of every call the unary fast path answers (tests check it was taken). */
  onFastPath?: (path: string) => void;
}

export async function build(config: Config = loadConfig(), options: BuildOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const { orm, source } = await openDatabase(config.database, schema, logger, { onStatement: options.onStatement });
  const signingKeys = await SigningKeys.open(orm, logger, config.signingKeyRefreshMs);
  // One fsync for the creates that arrive together (SQLite has one writer; PostgreSQL commits in parallel).
  const transaction = config.database.kind === 'sqlite' ? groupCommit(orm) : undefined;
  await ensureAdmin(orm, config.database.kind, { clientId: config.adminClientId, clientSecret: config.adminClientSecret }, logger);
  const health = healthMonitor(orm, logger);
  const metrics = createMetrics({ orm, databaseKind: config.database.kind, health, logger });

  // On a SQLite file the shared counts live in a sibling file (see rate-limit.ts).
  const counts = config.database.kind === 'sqlite' && config.database.path !== ':memory:'
    ? sqliteFileCounts(config.database.path)
    : tableCounts(orm);
  const rateLimiter = new RateLimiter({ store: counts, clock, logger, limitPerSecond: config.rateLimitPerSecond });
  rateLimiter.start();
  const loginThrottle = new LoginThrottle({
    orm, clock, logger, maxFailures: config.loginMaxFailures, maxFailuresPerAddress: config.loginMaxFailuresPerAddress,
    maxFailuresPerClient: config.loginMaxFailuresPerClient, maxDelaySeconds: config.loginMaxDelaySeconds,
    clientDelayMs: config.loginClientDelayMs, tokensPerMinute: config.tokensPerMinute,
  });
  const credentials = new CredentialCache(config.credentialCacheMs);
  const findCredential = credentialFinder(source);
  // Every message to a person (account invitations, staff invitations) goes out through one worker.
  const invitations = new OutboxWorker({
    orm, clock, logger, smtpUrl: config.smtpUrl, smtpFrom: config.smtpFrom, outboxDir: config.outboxDir,
    kinds: [invitationOutbox(source, clock, config.invitationUrl), staffInvitationOutbox(config.staffInvitationUrl ?? (config.publicUrl && `${config.publicUrl}/console/`))],
  });

  const deliveries = metrics.registerCounter('reseller_webhook_deliveries_total',
    'Webhook delivery attempts by outcome (succeeded, failed, refused: an address the server may not call)', ['outcome']);
  const webhooks = new WebhookWorker({ orm, source, clock, logger, settings: config.webhooks, onAttempt: (outcome) => deliveries({ outcome }) });
  metrics.registerGauge('reseller_events_produced', 'Events recorded so far, every reseller (each reseller\'s last sequence number, summed)',
    () => eventsProduced(source));
  metrics.registerGauge('reseller_webhook_oldest_undelivered_seconds', 'Age of the oldest webhook delivery not yet made nor given up (0: none waits)',
    async () => {
      const oldest = await oldestUndelivered(source);
      return oldest ? Math.max(0, (clock.now().getTime() - oldest.getTime()) / 1000) : 0;
    });
  // Open event streams end when the server stops (clients resume from their last event id).
  const stopping = new AbortController();

  const auth = { clock, signingKeys, findCredential, findSession: sessionFinder(source), credentials };
  // The legacy faces call the RPC methods in-process, through the adapter built below.
  let adapter: Rpc | undefined;
  const pages: Route[] = [
    { path: '/', methods: ['GET'], handle: frontPage },
    {
      path: '/healthz', methods: ['GET'],
      handle: async (_req, res) => (await health.check()) === ServingStatus.SERVING
        ? sendJson(res, 200, { status: 'ok' })
        : sendJson(res, 503, { status: 'unavailable', message: 'database unreachable' }),
    },
    {
      path: '/metrics', methods: ['GET'],
      handle: async (_req, res) => {
        const { contentType, body } = await metrics.render();
        send(res, 200, { 'content-type': contentType }, body);
      },
    },
    ...docsRoutes(),
    ...consoleRoutes(options.consoleDir),
    // The browser console's staff sign-in: the refresh token in an HttpOnly cookie.
    consoleSessionRoute({ call: (path, request) => adapter!.call(path, request), sessionHours: config.staffSessionHours }),
    { path: MEDIA_PREFIX, prefix: true, handle: mediaRoute({ orm, logger, rateLimiter, ...auth }) },
    ...legacyRoutes({ config, metrics, logger, clock, auth, rpc: () => adapter! }),
  ];

  const rpc = rpcAdapter({
    routes: routes({
      clock, credentials, tokenTtlSeconds: config.tokenTtlSeconds, signingKeys, publicUrl: config.publicUrl, health, loginThrottle,
      staffAccessTokenSeconds: config.staffAccessTokenSeconds, staffSessionHours: config.staffSessionHours, staffInvitationHours: config.staffInvitationHours,
      interfaces: { installDelaySeconds: config.interfaceInstallDelaySeconds, domain: config.interfaceDomain },
      events: {
        clock, webhooks: config.webhooks, streamPollMs: config.eventStreamPollMs, streamHeartbeatMs: config.eventStreamHeartbeatMs,
        stopping: stopping.signal,
      },
    }),
    interceptors: [
      observe(logger, metrics, errorMapper(logger, uniqueErrors(orm))),
      authenticate({ ...auth, rateLimiter }),
      rejectUnstorableText(),
      database(orm, source, new PageTokens(signingKeys), transaction),
    ],
    // Responses show every field, defaults included: a curl user sees
    // "equipmentCount": 0 rather than a missing key. Requests are read as the
    // proto3 JSON mapping says: an unknown field or enum name is refused (a
    // misspelt `eTag` must not skip the etag check), and so is invalid UTF-8.
    jsonOptions: strictJsonOptions({ alwaysEmitImplicit: true }),
    readMaxBytes: config.maxRequestBytes,
    // The peer address, for the CreateToken throttle.
    contextValues: (req) => createContextValues().set(kRemoteAddress, req.socket?.remoteAddress),
    fallback: routeTable(pages, logger),
    logger,
    fastPath: options.rpcFastPath,
    onFastPath: options.onFastPath,
  });

  adapter = rpc;

  // Over TLS, browsers are told to come back over TLS only (one year; subdomains are not ours to decide).
  const tlsOn = Boolean(config.tlsCert && config.tlsKey);
  const handler: NodeHandler = (req, res) => {
    if (tlsOn) res.setHeader('strict-transport-security', 'max-age=31536000');
    drainAfterEarlyResponse(req, res, config.maxRequestBytes);
    if (handleCors(req, res, config.corsOrigins)) return;
    rpc.handler(req, res);
  };

  // Every instance runs the jobs; each job claims its rows, so they are safe side by side.
  const jobs = new JobRunner({
    orm, source, clock, logger, intervalMs: config.jobIntervalMs,
    jobs: [...interfaceJobs({ domain: config.interfaceDomain }), invitations.job(), webhooks.job(),
      eventRetentionJob({ retentionDays: config.eventRetentionDays })],
  });
  jobs.start();
  metrics.registerGauge('reseller_jobs_due', 'Background work due now and not yet done, by job: a queue that grows says the jobs fall behind',
    () => jobs.dueCounts(), ['job']);

  let listener: Listener | undefined;
  return {
    config, orm, source, logger, clock, metrics, rateLimiter,
    runDueJobs: () => jobs.runDueJobs(),
    async listen(port = config.port, host = config.host) {
      const tls = config.tlsCert && config.tlsKey
        ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
        : undefined;
      listener = await listen(handler, port, host, tls, {
        headersTimeoutMs: config.headersTimeoutMs, requestTimeoutMs: config.requestTimeoutMs, idleTimeoutMs: config.idleTimeoutMs,
        onStalledBody: answerStalledBody,
        // A request node could not read reached no RPC: its answer, request id and log line are made here.
        onClientError: ({ status, code, reason, message }) => {
          const requestId = uuidv7();
          logger.info({ requestId, status, code, reason }, 'request refused before it could be read');
          return { body: errorJson(apiError(codeFromString(code) ?? Code.InvalidArgument, reason, message)), headers: { 'x-request-id': requestId } };
        },
      }, {
        maxPerAddress: config.maxConnectionsPerAddress, maxTotal: config.maxConnections, minBodyBytesPerSecond: config.bodyMinBytesPerSecond,
        // Aggregated by the listener: one line a second at most, however many were refused.
        onRefused: (report) => logger.warn({ ...report, maxPerAddress: config.maxConnectionsPerAddress, maxTotal: config.maxConnections }, 'connections refused'),
      });
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      const url = `${tls ? 'https' : 'http'}://${shownHost}:${listener.port}`;
      logger.info({ url, database: config.database.kind, tls: Boolean(tls) }, 'listening');
      return url;
    },
    deliverInvitations: () => invitations.deliverDue(),
    deliverWebhooks: () => webhooks.deliverDue(),
    async close() {
      // Health watchers hear NOT_SERVING and their streams end, so they do
      // not hold the graceful stop open.
      health.shutdown();
      stopping.abort();
      await listener?.close();
      await jobs.stop();
      await webhooks.stop();
      await invitations.stop();
      signingKeys.stop();
      await rateLimiter.stop();
      await orm.close();
      logger.info('stopped');
    },
  };
}
