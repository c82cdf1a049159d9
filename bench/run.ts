// npm run bench: measures the server against its own framework ceiling, in one
// run, with the server and the load generator in separate processes.
//
//   npm run bench                          every scenario on SQLite and PostgreSQL
//   npm run bench -- --quick               smoke run: tiny data set, 1 s a scenario
//   npm run bench -- --db sqlite           one database (sqlite | postgresql | both)
//   npm run bench -- --duration 20         seconds measured per scenario (after warm-up)
//   npm run bench -- --slice 2             seconds of each alternation with the ceiling (default 1)
//   npm run bench -- --soak --duration 180 mixed calls for minutes: does the heap come back?
//   npm run bench -- --profile get-client  CPU profile of the server under one scenario
//   npm run bench -- --only get-client,list-clients-first   some scenarios only (no scale-out)
//
// Every figure is also given as a ratio of the framework ceiling, measured in
// the same run and interleaved with the scenario: slices of ceiling and slices
// of scenario alternate (C S C S ... C), so both see the same share of a
// machine that other work keeps busy. Results go to bench/results/<timestamp>.json.
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CallSpec, LoadResult, LoadSpec, Phase } from './load.ts';
import type { ServerMessage, ServerMode } from './server.ts';
import { CEILING, MAX_DEEP_PAGE_FACTOR, MAX_STACK_FACTOR, RAW, rpc, scenarios, soakCalls, type Fixture, type Scenario } from './scenarios.ts';
import { clientIdOf, dataset, postgresReachable, seed, type DatabaseKind, type Seeded } from './seed.ts';
import { summarise, printSummary } from './profile.ts';

const here = import.meta.dirname;
const root = join(here, '..');

// ---------------------------------------------------------------- options

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    db: { type: 'string', default: 'both' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    slice: { type: 'string' },
    connections: { type: 'string', default: '50' },
    clients: { type: 'string' },
    soak: { type: 'boolean', default: false },
    profile: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string', default: join(here, 'results') },
    'log-level': { type: 'string', default: 'info' },
  },
});

const quick = args.quick;
const soak = args.soak;
const options = {
  quick,
  soak,
  connections: Number(args.connections),
  duration: Number(args.duration ?? (soak ? 180 : quick ? 1 : 10)),
  // 10 s: GetClient reads 100,000 clients at random, and the read connection's page cache takes
  // tens of thousands of calls to fill (3 s measured a cache still warming: 0.35-0.41 against 0.43-0.51).
  warmup: Number(args.warmup ?? (soak ? 30 : quick ? 1 : 10)),
  /** autocannon stops on a whole second: slices are whole seconds. */
  slice: Math.max(1, Math.round(Number(args.slice ?? 1))),
  clients: Number(args.clients ?? (quick ? 300 : 100_000)),
  /** The servers log one line a call as in production; the bench discards it. */
  logLevel: args['log-level'],
  profile: args.profile,
  /** Scenario ids to measure (comma-separated); the ceilings are always measured. */
  only: args.only ? new Set(args.only.split(',')) : undefined,
  out: args.out,
};
if (!['sqlite', 'postgresql', 'both'].includes(args.db)) throw new Error('--db must be sqlite, postgresql or both');
if (![options.connections, options.duration, options.warmup, options.clients, options.slice].every((n) => Number.isFinite(n) && n > 0)) {
  throw new Error('--connections, --duration, --warmup, --slice and --clients take positive numbers');
}

// ---------------------------------------------------------------- processes

interface Heap { heapUsed: number; heapTotal: number; rss: number; external: number }

interface Server {
  mode: ServerMode;
  url: string;
  pid: number;
  token?: string;
  heap(): Promise<Heap>;
  /** The server's monotonic clock (what its CPU profile is timed with), in µs. */
  now(): Promise<number>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => { for (const child of children) child.kill('SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function startServer(mode: ServerMode, env: Record<string, string> = {}, cpuProfDir?: string): Promise<Server> {
  const child = fork(join(here, 'server.ts'), [], {
    execPath: process.execPath,
    execArgv: ['--expose-gc', ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [])],
    // The bench drives one credential far past any partner's rate: the limiter
    // runs (its cost is measured) with a limit the load never reaches.
    env: { RATE_LIMIT_PER_SECOND: '1000000', ...process.env, BENCH_MODE: mode, LOG_LEVEL: options.logLevel, ...env },
    // Logs (stdout) are written as in production, then thrown away.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const ready = await new Promise<Extract<ServerMessage, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start within 120 s`)), 120_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${mode} server exited with code ${code} before listening`)); });
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') { clearTimeout(timer); resolve(message); }
    });
  });
  const ask = <T extends ServerMessage['type']>(type: T) => new Promise<Extract<ServerMessage, { type: T }>>((resolve) => {
    const onMessage = (message: ServerMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message as Extract<ServerMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
  return {
    mode, url: ready.url, pid: ready.pid, token: ready.token,
    heap: () => ask('heap'),
    now: async () => (await ask('now')).micros,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

let runCounter = 0;
const runBase = `${Date.now().toString(36)}${process.pid.toString(36)}`;

/** Runs the phases in a fresh load generator process; one result a phase (null for warm-ups). */
function load(phases: Phase[]): Promise<(LoadResult | null)[]> {
  const spec: LoadSpec = { runId: `${runBase}${(runCounter++).toString(36)}`, phases };
  const child = fork(join(here, 'load.ts'), [], { execPath: process.execPath, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('message', (message: { ok: boolean; results?: (LoadResult | null)[]; error?: string }) => {
      if (message.ok) resolve(message.results!);
      else reject(new Error(`load generator: ${message.error}`));
    });
    child.once('exit', (code) => { if (code !== 0) reject(new Error(`load generator exited with code ${code}`)); });
    child.send(spec);
  });
}

// ---------------------------------------------------------------- calls

async function post(url: string, path: string, body: string, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, body: parsed };
}

/** One call of each kind before the load: a scenario that fails is reported, not measured. */
async function probe(url: string, calls: CallSpec[]): Promise<void> {
  for (const call of calls) {
    const body = call.template !== undefined ? call.template.replaceAll('{run}', `${runBase}probe`).replaceAll('{n}', String(runCounter++)) : (call.bodies ?? ['{}'])[0]!;
    const answer = await post(url, call.path, body, call.token);
    if (answer.status !== 200 && !(call.path.endsWith('/GetClient') && body.includes('01890000-0000-7000-8000-000000000000'))) {
      throw new Error(`${call.path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
  }
}

/** Whether the server serves a method: one it does not answers with the router's fallback, 404. */
async function serves(url: string, method: string): Promise<boolean> {
  const answer = await post(url, rpc(method), '{}');
  return answer.status !== 404;
}

/**
 * The page token after the first `skip` clients of the newest-first list.
 * Page tokens are authenticated (no forging one at any depth): the token is
 * reached by paging, 200 at a time, then one page of the rest.
 */
async function pageTokenAfter(url: string, token: string, skip: number): Promise<string> {
  let pageToken = '';
  for (let skipped = 0; skipped < skip;) {
    const pageSize = Math.min(200, skip - skipped);
    const page = await post(url, '/reseller.v1.ClientService/ListClients', JSON.stringify({ pageSize, pageToken }), token);
    if (page.status !== 200 || !page.body.nextPageToken) throw new Error(`ListClients while paging to the deep page: ${JSON.stringify(page.body).slice(0, 300)}`);
    pageToken = page.body.nextPageToken;
    skipped += pageSize;
  }
  return pageToken;
}

async function appFixture(server: Server, clients: number): Promise<Fixture> {
  const token = await post(server.url, '/reseller.v1.AuthService/CreateToken', JSON.stringify({ clientId: dataset.clientId, clientSecret: dataset.clientSecret }));
  if (token.status !== 200) throw new Error(`bench credential refused: ${JSON.stringify(token.body)}`);
  const accessToken = token.body.accessToken as string;
  const first = await post(server.url, '/reseller.v1.ClientService/ListClients', JSON.stringify({ pageSize: 50 }), accessToken);
  if (first.status !== 200 || !first.body.nextPageToken) throw new Error(`ListClients: ${JSON.stringify(first.body).slice(0, 300)}`);
  // Newest first: 90 % down the list is client number N/10.
  const deepPageToken = await pageTokenAfter(server.url, accessToken, clients - Math.floor(clients / 10));
  const deep = await post(server.url, '/reseller.v1.ClientService/ListClients', JSON.stringify({ pageSize: 50, pageToken: deepPageToken }), accessToken);
  if (deep.status !== 200 || deep.body.clients?.length !== Math.min(50, Math.floor(clients / 10))) {
    throw new Error(`deep ListClients page is not what the data set says: ${JSON.stringify(deep.body).slice(0, 300)}`);
  }
  // A fixed spread of clients over the whole table (a simple LCG, same every run).
  const clientIds: string[] = [];
  let x = 12345;
  for (let n = 0; n < Math.min(2000, clients); n++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    clientIds.push(clientIdOf(x % clients));
  }
  // Interfaces and families for GetInterface and GetFamily, made through the
  // API (their rows have many columns and rules; the API keeps them right).
  // Clients number 0, 10, 20...: active ones (every tenth from 9 is inactive).
  const made = Math.min(20, clients);
  const interfaceKeys: string[] = [];
  const familyIds: string[] = [];
  for (let n = 0; n < made; n++) {
    const order = await post(server.url, '/reseller.v1.InterfaceService/CreateInterface', JSON.stringify({
      guid: `bench-${n}`, offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], subdomain: `bench-${runBase}-${n}`,
      contact: {
        lastName: 'Martin', firstName: 'Claire', company: 'Boulangerie Martin', address: '12 rue des Lilas', postalCode: '69003',
        city: 'Lyon', country: 'FR', phone: '+33 4 72 00 00 00', email: 'claire@boulangerie-martin.fr', rcs: 'RCS Lyon 123 456 789', ape: '1071C',
      },
    }), accessToken);
    if (order.status !== 200) throw new Error(`CreateInterface: ${JSON.stringify(order.body).slice(0, 300)}`);
    interfaceKeys.push(order.body.interface.key);
    const founded = await post(server.url, '/reseller.v1.ProvisioningService/FoundFamily', JSON.stringify({
      clientId: clientIdOf(n * 10), familyName: `Family ${n}`, identifierType: 'IDENTIFIER_TYPE_EMAIL',
      identifier: `bench-${runBase}-${n}@example.com`, firstName: 'Bench', locale: 'fr_FR', role: 'Parent',
    }), accessToken);
    if (founded.status !== 200) throw new Error(`FoundFamily: ${JSON.stringify(founded.body).slice(0, 300)}`);
    familyIds.push(founded.body.family.familyId);
  }
  return { token: accessToken, clientIds, deepPageToken, interfaceKeys, familyIds };
}

// ---------------------------------------------------------------- measuring

interface Measurement {
  scenario: string;
  label: string;
  db: DatabaseKind | null;
  connections: number;
  seconds: number;
  rps: number;
  /** Median over the slices of each slice's percentile. */
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /**
   * Server CPU time per call (user + system, all its threads; a PostgreSQL
   * server's own work is not in it). Far less sensitive than req/s to what
   * else the machine runs.
   */
  cpuUsPerCall?: number;
  /**
   * Against the ceiling slices interleaved with this scenario's. For cpu it is
   * ceiling CPU per call / this CPU per call: the share of the ceiling's
   * throughput this would reach with the CPU to itself.
   */
  ratio?: { rps: number; p50: number; p99: number; cpu?: number };
  /** The framework ceiling measured in the slices interleaved with this scenario's. */
  ceiling?: { rps: number; p50: number; p99: number; cpuUsPerCall?: number };
  minRatio?: number;
  met?: boolean;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Several slices of one kind of load as one measurement. */
function combine(scenario: Scenario, db: DatabaseKind | null, connections: number, slices: LoadResult[]): Measurement {
  const requests = slices.reduce((s, r) => s + r.requests, 0);
  const seconds = slices.reduce((s, r) => s + r.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const r of slices) for (const [code, count] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    scenario: scenario.id, label: scenario.label, db, connections, seconds, rps: requests / seconds, requests,
    latencyMs: {
      p50: median(slices.map((r) => r.latency.p50)), p99: median(slices.map((r) => r.latency.p99)),
      mean: slices.reduce((s, r) => s + r.latency.mean * r.requests, 0) / requests, max: Math.max(...slices.map((r) => r.latency.max)),
    },
    errors: slices.reduce((s, r) => s + r.errors, 0), timeouts: slices.reduce((s, r) => s + r.timeouts, 0),
    non2xx: slices.reduce((s, r) => s + r.non2xx, 0), statusCodes, minRatio: scenario.minRatio,
    cpuUsPerCall: slices.every((r) => r.serverCpuMs !== undefined) && requests > 0
      ? (slices.reduce((s, r) => s + r.serverCpuMs!, 0) * 1000) / requests : undefined,
  };
}

/**
 * Each scenario slice against the mean of the two ceiling slices around it,
 * then the median over the slices: a burst of load from elsewhere spoils a
 * pair or two, not the figure. (Latency ratios compare the medians.)
 */
function ratioOf(m: Measurement, mine: LoadResult[], ceilings: LoadResult[]): NonNullable<Measurement['ratio']> {
  const around = (i: number, f: (r: LoadResult) => number) => (f(ceilings[i]!) + f(ceilings[i + 1] ?? ceilings[i]!)) / 2;
  const cpu = (r: LoadResult) => (r.serverCpuMs ?? NaN) / r.requests;
  const cpuRatio = median(mine.map((r, i) => around(i, cpu) / cpu(r)));
  return {
    rps: median(mine.map((r, i) => r.rps / around(i, (c) => c.rps))),
    p50: m.latencyMs.p50 / median(ceilings.map((c) => c.latency.p50)),
    p99: m.latencyMs.p99 / median(ceilings.map((c) => c.latency.p99)),
    cpu: Number.isFinite(cpuRatio) ? cpuRatio : undefined,
  };
}

interface Paired { scenario: Measurement; ceiling: Measurement }

/**
 * Warm-up (thrown away), then slices of ceiling and scenario in turn, ceiling
 * first and last. `against` is the ceiling server; without it the scenario runs
 * alone (profiling).
 */
async function measure(server: Server, scenario: Scenario, fixture: Fixture, db: DatabaseKind | null, against?: { server: Server; fixture: Fixture; warm?: boolean }): Promise<Paired> {
  const calls = scenario.calls!(fixture);
  await probe(server.url, calls);
  process.stdout.write(`  ${scenario.label}${db ? ` [${db}]` : ''} ... `);
  const c = options.connections;
  const mine: Phase = { url: server.url, connections: c, seconds: options.slice, calls, cpuOf: [server.pid] };
  const rounds = Math.max(1, Math.round(options.duration / options.slice));
  const phases: Phase[] = [{ ...mine, seconds: options.warmup, warmup: true }];
  let ceilingPhase: Phase | undefined;
  if (against) {
    ceilingPhase = { url: against.server.url, connections: c, seconds: options.slice, calls: CEILING.calls!(against.fixture), cpuOf: [against.server.pid] };
    if (!against.warm) phases.push({ ...ceilingPhase, seconds: options.warmup, warmup: true });
    against.warm = true;
    for (let r = 0; r < rounds; r++) phases.push(ceilingPhase, mine);
    phases.push(ceilingPhase);
  } else {
    for (let r = 0; r < rounds; r++) phases.push(mine);
  }
  const results = await load(phases);
  const pick = (phase: Phase) => results.filter((r, i): r is LoadResult => r !== null && phases[i] === phase);
  const m = combine(scenario, db, c, pick(mine));
  const ceiling = combine(CEILING, null, c, ceilingPhase ? pick(ceilingPhase) : []);
  if (ceilingPhase) {
    m.ratio = ratioOf(m, pick(mine), pick(ceilingPhase));
    m.ceiling = { rps: ceiling.rps, p50: ceiling.latencyMs.p50, p99: ceiling.latencyMs.p99, cpuUsPerCall: ceiling.cpuUsPerCall };
    if (m.minRatio !== undefined && m.db === 'sqlite') m.met = m.ratio.rps >= m.minRatio;
  }
  process.stdout.write(`${Math.round(m.rps)} req/s, p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms`
    + (m.cpuUsPerCall ? `, ${Math.round(m.cpuUsPerCall)} µs CPU/call` : '')
    + (m.ratio ? ` | ceiling ${Math.round(ceiling.rps)} req/s: ${fmt(m.ratio.rps, 2)}×${m.ratio.cpu ? `, CPU ${fmt(m.ratio.cpu, 2)}×` : ''}` : '')
    + (m.non2xx + m.errors ? ` | ${m.non2xx} non-2xx, ${m.errors} errors` : '') + '\n');
  return { scenario: m, ceiling };
}

function gitState() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'bench'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

function writeResults(kind: string, results: object): string {
  mkdirSync(options.out, { recursive: true });
  const stamp = new Date().toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const file = join(options.out, `${stamp}${kind === 'bench' ? '' : `-${kind}`}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return file;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printTable(rows: Measurement[]): void {
  // "µs over ceil": the scenario's own work, CPU a call beyond the ceiling's beside it. Ratios move
  // when the stack gets faster (the ceiling with it); this does not (docs/performance.md).
  const header = ['scenario', 'db', 'req/s', '× ceil', 'p50 ms', '× ceil', 'p99 ms', '× ceil', 'CPU µs/call', 'ceil/this', 'µs over ceil', 'target (req/s × ceil)'];
  const lines = rows.map((m) => [
    m.label, m.db ?? '-', fmt(m.rps), m.ratio ? fmt(m.ratio.rps, 2) : '', String(m.latencyMs.p50), m.ratio ? fmt(m.ratio.p50, 2) : '',
    String(m.latencyMs.p99), m.ratio ? fmt(m.ratio.p99, 2) : '', m.cpuUsPerCall ? fmt(m.cpuUsPerCall) : '', m.ratio?.cpu ? fmt(m.ratio.cpu, 2) : '',
    m.cpuUsPerCall && m.ceiling?.cpuUsPerCall ? fmt(m.cpuUsPerCall - m.ceiling.cpuUsPerCall) : '',
    m.met === undefined ? '' : `≥ ${m.minRatio} ${m.met ? 'met' : 'MISSED'}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${row(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const l of lines) console.log(row(l));
}

// ---------------------------------------------------------------- modes

const CEILING_DEFINITION = 'one-port listener (server/platform/http/listener.ts) + our Connect adapter (server/platform/rpc/adapter.ts, with its unary fast path) with our JSON options and size limit '
  + '+ observe interceptor (request id, one JSON log line a call), '
  + 'answering GetClient with a constant client of 3 sites; no token check, no EntityManager, no database';

async function databases(): Promise<DatabaseKind[]> {
  const wanted: DatabaseKind[] = args.db === 'both' ? ['sqlite', 'postgresql'] : [args.db as DatabaseKind];
  if (wanted.includes('postgresql') && !(await postgresReachable())) {
    if (args.db === 'postgresql' || process.env.CI === 'true') throw new Error('PostgreSQL is not reachable at 127.0.0.1:5432');
    console.log('PostgreSQL is not reachable: measuring SQLite only');
    return wanted.filter((k) => k !== 'postgresql');
  }
  return wanted;
}

const dirs = { cache: join(here, '.cache'), work: join(tmpdir(), `reseller-bench-${process.pid}`) };

async function withDatabase<T>(kind: DatabaseKind, work: (db: Seeded) => Promise<T>): Promise<T> {
  const started = Date.now();
  const db = await seed(kind, options.clients, dirs);
  console.log(`  ${kind}: ${fmt(options.clients)} clients × 3 sites ready in ${fmt((Date.now() - started) / 1000, 1)} s`);
  try {
    return await work(db);
  } finally {
    await db.drop();
  }
}

async function throughput(): Promise<void> {
  const kinds = await databases();
  const startedAt = new Date().toISOString();
  const load0 = loadavg();
  console.log(`bench: ${options.connections} connections; per scenario ${options.warmup} s warm-up, then ${options.duration} s in ${options.slice} s slices alternating with the framework ceiling; ${cpus().length} CPUs, load ${load0.map((l) => l.toFixed(2)).join(' ')}`);

  const ceiling = await startServer('ceiling');
  const ceilingFixture: Fixture = { token: ceiling.token!, clientIds: [clientIdOf(1)], deepPageToken: '', interfaceKeys: [], familyIds: [] };
  const against = { server: ceiling, fixture: ceilingFixture, warm: false };
  const ceilingSlices: Measurement[] = [];
  const rows: Measurement[] = [];

  const raw = await startServer('raw');
  const rawPair = await measure(raw, RAW, ceilingFixture, null, against);
  await raw.stop();
  ceilingSlices.push(rawPair.ceiling);

  const skipped: { scenario: string; db: DatabaseKind; reason: string }[] = [];
  let scaleOut: object | undefined;
  for (const kind of kinds) {
    await withDatabase(kind, async (db) => {
      const env = { DATABASE_URL: db.url };
      const app = await startServer('app', env);
      const fixture = await appFixture(app, db.clients);
      for (const scenario of scenarios) {
        if (options.only && !options.only.has(scenario.id)) continue;
        if (!(await serves(app.url, scenario.method))) {
          skipped.push({ scenario: scenario.id, db: kind, reason: `this server does not serve ${scenario.method}${scenario.todo ? `: ${scenario.todo}` : ''}` });
          continue;
        }
        if (!scenario.calls) {
          skipped.push({ scenario: scenario.id, db: kind, reason: scenario.todo ?? 'no calls defined' });
          continue;
        }
        const pair = await measure(app, scenario, fixture, kind, against);
        rows.push(pair.scenario);
        ceilingSlices.push(pair.ceiling);
      }
      if (kind === 'postgresql' && !options.only) scaleOut = await measureScaleOut(app, env, fixture);
      await app.stop();
    });
  }
  await ceiling.stop();

  // The ceiling over the whole run, for the table's reference row.
  const seconds = ceilingSlices.reduce((s, c) => s + c.seconds, 0);
  const ceilingRow: Measurement = {
    ...ceilingSlices[0]!, label: CEILING.label, seconds,
    requests: ceilingSlices.reduce((s, c) => s + c.requests, 0),
    rps: ceilingSlices.reduce((s, c) => s + c.requests, 0) / seconds,
    latencyMs: {
      p50: median(ceilingSlices.map((c) => c.latencyMs.p50)), p99: median(ceilingSlices.map((c) => c.latencyMs.p99)),
      mean: ceilingSlices.reduce((s, c) => s + c.latencyMs.mean * c.requests, 0) / ceilingSlices.reduce((s, c) => s + c.requests, 0),
      max: Math.max(...ceilingSlices.map((c) => c.latencyMs.max)),
    },
    cpuUsPerCall: ceilingSlices.every((c) => c.cpuUsPerCall !== undefined)
      ? ceilingSlices.reduce((s, c) => s + c.cpuUsPerCall! * c.requests, 0) / ceilingSlices.reduce((s, c) => s + c.requests, 0) : undefined,
    ratio: { rps: 1, p50: 1, p99: 1, cpu: 1 },
  };

  const checks = kinds.flatMap((db) => {
    const first = rows.find((m) => m.db === db && m.scenario === 'list-clients-first');
    const deep = rows.find((m) => m.db === db && m.scenario === 'list-clients-deep');
    if (!first?.ratio || !deep?.ratio) return [];
    // At a fixed number of connections the time a call takes is the inverse
    // of calls per second; each against its own interleaved ceiling.
    const factor = first.ratio.rps / deep.ratio.rps;
    return [{ check: 'deep page time / first page time', db, value: factor, max: MAX_DEEP_PAGE_FACTOR, met: factor <= MAX_DEEP_PAGE_FACTOR }];
  });

  // Issue 23: the stack's CPU per call at most 5 times the bare echo's, in the echo's own interleaved slices.
  const stackFactor = rawPair.scenario.ratio?.cpu;
  const stackCheck = stackFactor === undefined ? undefined
    : { check: 'framework ceiling CPU per call / echo CPU per call', value: stackFactor, max: MAX_STACK_FACTOR, met: stackFactor <= MAX_STACK_FACTOR };

  printTable([rawPair.scenario, ceilingRow, ...rows]);
  console.log(`framework ceiling in each scenario's slices (req/s): ${ceilingSlices.map((c) => Math.round(c.rps)).join(', ')}`);
  if (stackCheck) console.log(`${stackCheck.check}: ${fmt(stackCheck.value, 2)} (at most ${stackCheck.max}: ${stackCheck.met ? 'met' : 'MISSED'})`);
  for (const c of checks) console.log(`${c.check} [${c.db}]: ${fmt(c.value, 2)} (at most ${c.max}: ${c.met ? 'met' : 'MISSED'})`);
  for (const s of skipped) console.log(`skipped ${s.scenario} [${s.db}]: ${s.reason}`);

  const file = writeResults('bench', {
    kind: 'bench', startedAt, finishedAt: new Date().toISOString(), git: gitState(), node: process.version, cpus: cpus().length,
    loadAverage: { before: load0, after: loadavg() }, options, frameworkCeiling: CEILING_DEFINITION,
    ceiling: ceilingRow, raw: rawPair.scenario, measurements: rows, checks, stackCheck, scaleOut, skipped,
  });
  console.log(`\nresults: ${file}`);
}

/**
 * Two instances on one PostgreSQL database against one, GetClient, the same
 * total number of connections (spread round-robin over the two), in
 * alternating slices like the ceiling comparison.
 */
async function measureScaleOut(first: Server, env: Record<string, string>, fixture: Fixture) {
  const scenario = scenarios.find((s) => s.id === 'get-client')!;
  const calls = scenario.calls!(fixture);
  const second = await startServer('app', env);
  try {
    process.stdout.write('  scale-out, GetClient on one instance then two [postgresql] ... ');
    const c = options.connections;
    const one: Phase = { url: first.url, connections: c, seconds: options.slice, calls, cpuOf: [first.pid] };
    const two: Phase = { url: [first.url, second.url], connections: c, seconds: options.slice, calls, cpuOf: [first.pid, second.pid] };
    const rounds = Math.max(1, Math.round(options.duration / options.slice));
    const phases: Phase[] = [{ ...two, seconds: options.warmup, warmup: true }];
    for (let r = 0; r < rounds; r++) phases.push(one, two);
    const results = await load(phases);
    const pick = (phase: Phase) => results.filter((r, i): r is LoadResult => r !== null && phases[i] === phase);
    const oneInstance = combine(scenario, 'postgresql', c, pick(one));
    const twoInstances = combine(scenario, 'postgresql', c, pick(two));
    const speedup = twoInstances.rps / oneInstance.rps;
    console.log(`${Math.round(oneInstance.rps)} req/s, then ${Math.round(twoInstances.rps)} req/s: ${fmt(speedup, 2)}×`);
    return { scenario: scenario.id, connections: c, oneInstance, twoInstances, speedup };
  } finally {
    await second.stop();
  }
}

/**
 * Minutes of mixed calls, in segments; between two, the load stops, in-flight
 * calls finish, and the server reports its heap after a forced GC. The heap
 * at the end must be back where it was after warm-up: identity maps, caches
 * or listeners left behind by calls would make it grow with the calls made.
 */
async function soakRun(): Promise<void> {
  // Each database asked for, one after the other (both by default): a leak
  // can hide in either driver's pools and caches.
  for (const kind of await databases()) await soakOn(kind);
}

async function soakOn(kind: DatabaseKind): Promise<void> {
  const segments = 6;
  await withDatabase(kind, async (db) => {
    const app = await startServer('app', { DATABASE_URL: db.url });
    const fixture = await appFixture(app, db.clients);
    const calls = soakCalls(fixture);
    await probe(app.url, calls);
    console.log(`soak [${kind}]: ${options.warmup} s warm-up, then ${options.duration} s of mixed calls at ${options.connections} connections, in ${segments} segments`);
    const phase = (seconds: number): Phase => ({ url: app.url, connections: options.connections, seconds, calls, cpuOf: [app.pid] });
    const idleHeap = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return app.heap();
    };
    await load([phase(options.warmup)]);
    const afterWarmup = await idleHeap();
    const mb = (n: number) => `${fmt(n / 1024 / 1024, 1)} MB`;
    console.log(`  after warm-up: heap ${mb(afterWarmup.heapUsed)}, rss ${mb(afterWarmup.rss)}`);
    const samples: { calls: number; heapUsed: number; rss: number }[] = [];
    const results: LoadResult[] = [];
    for (let i = 0; i < segments; i++) {
      const [result] = (await load([phase(options.duration / segments)])) as LoadResult[];
      results.push(result!);
      const heap = await idleHeap();
      const calls = results.reduce((s, r) => s + r.requests, 0);
      samples.push({ calls, heapUsed: heap.heapUsed, rss: heap.rss });
      console.log(`  after ${fmt(calls)} calls (${Math.round(result!.rps)} req/s): heap ${mb(heap.heapUsed)}, rss ${mb(heap.rss)}`);
    }
    await app.stop();
    const atEnd = samples[samples.length - 1]!;
    const growth = atEnd.heapUsed - afterWarmup.heapUsed;
    // A leak grows with the calls made; noise (JIT code, pools) is a few hundred kilobytes either way.
    const tolerance = Math.max(2 * 1024 * 1024, afterWarmup.heapUsed * 0.05);
    const stable = growth <= tolerance;
    const statusCodes: Record<string, number> = {};
    for (const r of results) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
    const total = results.reduce((s, r) => s + r.requests, 0);
    console.log(`  ${fmt(total)} calls, status codes ${JSON.stringify(statusCodes)} (the 404s are the mix's call for a client that does not exist)`);
    console.log(`  heap after warm-up ${mb(afterWarmup.heapUsed)}, at the end ${mb(atEnd.heapUsed)}: ${growth >= 0 ? '+' : ''}${mb(growth)} (${stable ? 'stable' : 'GROWING'}, tolerance ${mb(tolerance)})`);
    const file = writeResults('soak', {
      kind: 'soak', db: kind, git: gitState(), node: process.version, options, calls: calls.map((c) => c.path),
      requests: total, statusCodes, segments: results, heap: { afterWarmup, atEnd, growth, tolerance, stable, samples },
    });
    console.log(`\nresults: ${file}`);
  });
}

/** The server's CPU profile (node --cpu-prof) under one scenario, summarised from the end of the warm-up on. */
async function profileRun(id: string): Promise<void> {
  const scenario = [RAW, CEILING, ...scenarios].find((s) => s.id === id);
  if (!scenario?.calls) throw new Error(`--profile takes one of: ${[RAW, CEILING, ...scenarios].filter((s) => s.calls).map((s) => s.id).join(', ')}`);
  const kinds = await databases();
  const kind = args.db === 'both' ? 'sqlite' : kinds[0]!;
  const profDir = join(options.out, 'profiles', `${new Date().toISOString().replaceAll(':', '-')}-${id}-${kind}`);
  mkdirSync(profDir, { recursive: true });
  let measuredFrom = 0;
  let measuredTo = Infinity;
  await withDatabase(kind, async (db) => {
    const server = await startServer(scenario.target, { DATABASE_URL: db.url }, profDir);
    const fixture = scenario.target === 'app' ? await appFixture(server, db.clients) : { token: server.token!, clientIds: [clientIdOf(1)], deepPageToken: '', interfaceKeys: [], familyIds: [] };
    const calls = scenario.calls!(fixture);
    await probe(server.url, calls);
    const phase: Phase = { url: server.url, connections: options.connections, seconds: options.duration, calls, cpuOf: [server.pid] };
    await load([{ ...phase, seconds: options.warmup, warmup: true }]);
    measuredFrom = await server.now();
    const [result] = (await load([phase])) as LoadResult[];
    measuredTo = await server.now();
    const m = combine(scenario, kind, options.connections, [result!]);
    console.log(`  ${scenario.label} [${kind}]: ${Math.round(m.rps)} req/s, p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms${m.cpuUsPerCall ? `, ${Math.round(m.cpuUsPerCall)} µs CPU/call` : ''}`);
    await server.stop();
  });
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${profDir}`);
  printSummary(summarise(join(profDir, file), measuredFrom, measuredTo), 30);
  console.log(`(samples from ${measuredFrom} to ${measuredTo} µs on the profile's clock: pass them to bench/profile.ts to summarise it again)`);
  console.log(`\nprofile: ${join(profDir, file)} (open it in Chrome DevTools, Performance tab)`);
}

try {
  if (options.profile) await profileRun(options.profile);
  else if (soak) await soakRun();
  else await throughput();
} finally {
  rmSync(dirs.work, { recursive: true, force: true });
}
process.exit(0);
