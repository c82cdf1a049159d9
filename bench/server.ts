// The server under test, in its own process (forked by the bench, IPC channel
// open). BENCH_MODE picks what it serves:
//   raw      a bare node:http server echoing the JSON it receives: the physical ceiling;
//   ceiling  our server stack (one-port listener, our Connect adapter with its
//            unary fast path, JSON options and size limit, the observe
//            interceptor) answering
//            ClientService.GetClient with a constant: the framework ceiling.
//            It does no database work, so the token check (a credential read)
//            is not part of it;
//   app      the real server, build() on DATABASE_URL, exactly as main.ts starts it.
// It sends {type: 'ready', url, ...} when it listens, answers {type: 'heap'}
// with its heap after a forced GC (run it with --expose-gc), and stops cleanly
// on SIGTERM (so that --cpu-prof writes its profile).
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ClientService, ClientStatus, GetClientResponseSchema } from '../gen/reseller/v1/clients_pb.js';
import { build } from '../server/app.ts';
import { loadConfig } from '../server/platform/core/config.ts';
import { createLogger } from '../server/platform/observability/logger.ts';
import { listen } from '../server/platform/http/listener.ts';
import { rpcAdapter } from '../server/platform/rpc/adapter.ts';
import { observe } from '../server/platform/rpc/interceptors.ts';

export type ServerMode = 'raw' | 'ceiling' | 'app';

export type ServerMessage =
  | { type: 'ready'; url: string; pid: number; token?: string }
  | { type: 'heap'; heapUsed: number; heapTotal: number; rss: number; external: number }
  /** The monotonic clock V8's CPU profiles use, in microseconds. */
  | { type: 'now'; micros: number };

const send = (message: ServerMessage) => process.send!(message);

/** A GetClient answer of the size the real one has on the bench data set: a client and 3 sites. */
function constantClient() {
  const time = timestampFromDate(new Date('2025-01-01T00:00:00Z'));
  const clientId = '01900000-0000-7000-8000-000000000001';
  return create(GetClientResponseSchema, {
    client: {
      clientId, resellerId: '01900000-0000-7000-8000-0000000000aa', name: 'Client 000001', code: 'C000001',
      status: ClientStatus.ACTIVE, siteCount: 3, equipmentCount: 2, createTime: time, updateTime: time, etag: 'v1',
      sites: ['Head office', 'Shop', 'Warehouse'].map((name, i) => ({
        siteId: `01900000-0000-7000-8000-00000000010${i}`, clientId, name, equipmentCount: i === 0 ? 2 : 0, createTime: time, etag: 'v1',
      })),
    },
  });
}

async function serveRaw(): Promise<() => Promise<void>> {
  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  send({ type: 'ready', url: `http://127.0.0.1:${port}`, pid: process.pid });
  return () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
}

async function serveCeiling(): Promise<() => Promise<void>> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const answer = constantClient();
  const { handler } = rpcAdapter({
    routes: (router) => router.service(ClientService, { getClient: () => answer }),
    interceptors: [observe(logger)],
    jsonOptions: { alwaysEmitImplicit: true },
    readMaxBytes: config.maxRequestBytes,
    fallback: (_req, res) => { res.statusCode = 404; res.end(); },
    logger,
    fastPath: process.env.BENCH_FAST_PATH !== 'off',
  });
  const listener = await listen(handler, 0, '127.0.0.1');
  // The ceiling checks no token; the bench sends one anyway, so requests are the same size.
  const token = randomBytes(96).toString('base64url');
  send({ type: 'ready', url: `http://127.0.0.1:${listener.port}`, pid: process.pid, token });
  return () => listener.close(1000);
}

async function serveApp(): Promise<() => Promise<void>> {
  const config = loadConfig();
  const app = await build(config);
  const url = await app.listen(0, '127.0.0.1');
  send({ type: 'ready', url, pid: process.pid });
  return () => app.close();
}

async function heap(): Promise<ServerMessage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('start the bench server with --expose-gc');
  // Several passes, with a turn of the event loop between them, so that
  // objects freed by finalizers and weak references go too.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const m = process.memoryUsage();
  return { type: 'heap', heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external };
}

const mode = (process.env.BENCH_MODE ?? 'app') as ServerMode;
const stop = await ({ raw: serveRaw, ceiling: serveCeiling, app: serveApp }[mode])();

process.on('message', (message: { type?: string }) => {
  if (message.type === 'heap') heap().then(send, (error: unknown) => { console.error(error); process.exit(1); });
  if (message.type === 'now') send({ type: 'now', micros: Number(process.hrtime.bigint() / 1000n) });
});
process.once('SIGTERM', () => {
  stop().then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1); });
});
// The bench going away (crash, ^C) must not leave servers behind.
process.once('disconnect', () => process.exit(0));
