// Starts the real server on port 0 against a fresh database, and calls it the
// way partners do: JSON over HTTP (as curl does) and generated clients.
import { describe } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import type { DescService } from '@bufbuild/protobuf';
import { build, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/platform/core/config.ts';
import { ManualClock, type Clock } from '../../server/platform/core/clock.ts';
import type { Logger } from '../../server/platform/observability/logger.ts';
import type { StatementListener } from '../../server/platform/data/sqlite.ts';
import { createDatabase, hasPostgres, type DatabaseKind, type TestDatabase } from './databases.ts';

export const ADMIN_ID = 'ck_test_admin';
export const ADMIN_SECRET = 'cs_test_admin_secret_0123456789';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export interface TestServer {
  kind: DatabaseKind;
  url: string;
  app: App;
  clock: ManualClock;
  database: TestDatabase;
  /** A token for the bootstrap admin. */
  adminToken: string;
  /** POSTs JSON to /<service>/<method> as curl would; the body is parsed when it is JSON. */
  call(service: string, method: string, body: unknown, token?: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** A generated client over Connect (HTTP/1.1), gRPC (h2c) or gRPC-Web. */
  client<S extends DescService>(service: S, token?: string, protocol?: 'connect' | 'grpc' | 'grpc-web'): Client<S>;
  close(): Promise<void>;
}

export async function parseAnswer(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  let body: any = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body };
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Skip fetching the admin token at start (for servers that fetch cannot reach, e.g. self-signed TLS). */
  noAdminToken?: boolean;
  clock?: Clock;
  database?: TestDatabase;
  /** A logger of the test's own, to read what the server logs. */
  logger?: Logger;
  /** SQLite: told every statement the server runs (test/support/tenancy.ts records them). */
  onStatement?: StatementListener;
  /** Off: every RPC goes through connect-node, not the unary fast path (test/fast-path.test.ts). */
  rpcFastPath?: boolean;
  /** Told the path of every call the unary fast path answers. */
  onFastPath?: (path: string) => void;
}

export async function startServer(kind: DatabaseKind, options: StartOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createDatabase(kind));
  const config = loadConfig({
    DATABASE_URL: database.url, ADMIN_CLIENT_ID: ADMIN_ID, ADMIN_CLIENT_SECRET: ADMIN_SECRET, LOG_LEVEL: 'silent',
    // Suites call far faster than any partner and the clock stands still: no
    // rate limit unless a test asks for one (test/limits.test.ts does); the
    // same for tokens per credential (test/brute-force.test.ts asks).
    RATE_LIMIT_PER_SECOND: '0',
    // Invitations no gateway takes are files: each server its own folder, out of the repository.
    OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'reseller-outbox-')),
    TOKENS_PER_MINUTE: '0',
    ...options.env,
  });
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(new Date());
  const app = await build(config, { clock, logger: options.logger, onStatement: options.onStatement, rpcFastPath: options.rpcFastPath, onFastPath: options.onFastPath });
  const url = await app.listen(0, '127.0.0.1');
  const transports = new Map<string, Transport>();
  const transport = (protocol: string, token?: string): Transport => {
    const key = `${protocol} ${token ?? ''}`;
    let t = transports.get(key);
    if (!t) {
      const interceptors = token ? [(next: any) => (req: any) => { req.header.set('authorization', `Bearer ${token}`); return next(req); }] : [];
      t = protocol === 'grpc' ? createGrpcTransport({ baseUrl: url, interceptors })
        : protocol === 'grpc-web' ? createGrpcWebTransport({ baseUrl: url, httpVersion: '1.1', interceptors })
          : createConnectTransport({ baseUrl: url, httpVersion: '1.1', interceptors });
      transports.set(key, t);
    }
    return t;
  };
  const call: TestServer['call'] = async (service, method, body, token, headers = {}) => {
    const response = await fetch(`${url}/reseller.v1.${service}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify(body),
    });
    return parseAnswer(response);
  };
  let adminToken = '';
  if (!options.noAdminToken) {
    const tokenAnswer = await call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET });
    if (tokenAnswer.status !== 200) throw new Error(`could not get an admin token: ${JSON.stringify(tokenAnswer.body)}`);
    adminToken = tokenAnswer.body.accessToken;
  }
  return {
    kind, url, app, clock, database, adminToken, call,
    client: (service, token, protocol = 'connect') => createClient(service, transport(protocol, token)),
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

/**
 * Runs a describe block once per database. PostgreSQL is skipped only when it
 * is unreachable and CI is not set.
 */
export function describeEachDatabase(name: string, body: (kind: DatabaseKind) => void): void {
  for (const kind of ['sqlite', 'postgresql'] as const) {
    describe.skipIf(kind === 'postgresql' && !postgres)(`${name} [${kind}]`, () => body(kind));
  }
}

// Known before any test is collected (top-level await).
const postgres = await hasPostgres();

/** A reseller with its own credential and token, for tenancy tests. */
export interface TestReseller {
  resellerId: string;
  clientId: string;
  clientSecret: string;
  token: string;
}

export async function createReseller(server: TestServer, name: string): Promise<TestReseller> {
  const reseller = await server.call('AccessService', 'CreateReseller', { name }, server.adminToken);
  if (reseller.status !== 200) throw new Error(JSON.stringify(reseller.body));
  const resellerId = reseller.body.reseller.resellerId;
  const credential = await server.call('AccessService', 'CreateCredential',
    { role: 'ROLE_RESELLER', resellerId, displayName: `${name} API` }, server.adminToken);
  if (credential.status !== 200) throw new Error(JSON.stringify(credential.body));
  const { clientId } = credential.body.credential;
  const clientSecret = credential.body.clientSecret;
  const token = await server.call('AuthService', 'CreateToken', { clientId, clientSecret });
  return { resellerId, clientId, clientSecret, token: token.body.accessToken };
}

export async function staffToken(server: TestServer, role: 'ROLE_ADMIN' | 'ROLE_SUPPORT'): Promise<string> {
  const credential = await server.call('AccessService', 'CreateCredential', { role, displayName: `test ${role}` }, server.adminToken);
  const token = await server.call('AuthService', 'CreateToken', { clientId: credential.body.credential.clientId, clientSecret: credential.body.clientSecret });
  return token.body.accessToken;
}
