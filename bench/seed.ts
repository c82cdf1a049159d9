// The bench data set: one reseller with N clients of 3 sites each (every 4th
// client has 2 pieces of equipment on its first site), and a neighbour reseller
// with N/100 clients, so that tenant scoping has rows to leave out. Written with
// bulk SQL (never through the API), once per (migration list, N): the seeded
// SQLite file and PostgreSQL database are kept and each run works on a copy.
// Ids and times follow from the row number, so the bench knows them without asking.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { migrations } from '../server/migrations/index.ts';
import { schema } from '../server/schema.ts';
import { openDatabase, type Em } from '../server/platform/data/database.ts';
import { createLogger } from '../server/platform/observability/logger.ts';
import { hashSecret } from '../server/platform/security/tokens.ts';

export type DatabaseKind = 'sqlite' | 'postgresql';

/** Bump when the data set's shape changes: cached copies are then seeded again. */
const SEED_VERSION = 1;

export const dataset = {
  resellerId: 'b0000000-0000-7000-8000-000000000001',
  neighbourId: 'b0000000-0000-7000-8000-000000000002',
  credentialId: 'cd000000-0000-7000-8000-000000000001',
  clientId: 'bench-reseller',
  clientSecret: 'bench-reseller-secret-0123456789',
  base: Date.UTC(2025, 0, 1),
};

const CLIENT = 'c1e00000';
const NEIGHBOUR_CLIENT = 'c2e00000';

const hex12 = (n: number) => n.toString(16).padStart(12, '0');
/** The id of the bench reseller's client number i. */
export const clientIdOf = (i: number) => `${CLIENT}-0000-7000-8000-${hex12(i)}`;
/** Its creation time: one second apart, in id order. */
export const clientCreatedAt = (i: number) => new Date(dataset.base + i * 1000);

export interface Seeded {
  kind: DatabaseKind;
  /** DATABASE_URL of this run's own copy. */
  url: string;
  clients: number;
  /** Drops this run's copy. */
  drop(): Promise<void>;
}

export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function cacheKey(kind: DatabaseKind, clients: number): string {
  const names = migrations[kind].map((m) => m.name);
  return createHash('sha256').update(JSON.stringify({ names, clients, SEED_VERSION })).digest('hex').slice(0, 12);
}

/** SQL fragments that differ between the two databases. */
function dialect(kind: DatabaseKind) {
  const sqlite = kind === 'sqlite';
  return {
    /** Rows numbered 0..n-1 as `n(i)`, as a with-clause. */
    series: (n: number) => sqlite
      ? `with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ${n})`
      : `with n(i) as (select generate_series(0, ${n - 1}))`,
    uuid: (prefix: string, expr: string) => sqlite
      ? `printf('${prefix}-0000-7000-8000-%012x', ${expr})`
      : `('${prefix}-0000-7000-8000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`,
    /** A time given in epoch milliseconds (SQLite stores those; PostgreSQL a timestamptz). */
    time: (ms: string) => (sqlite ? `(${ms})` : `to_timestamp((${ms}) / 1000.0)`),
    digits6: (expr: string) => (sqlite ? `printf('%06d', ${expr})` : `lpad((${expr})::text, 6, '0')`),
    id: (value: string) => (sqlite ? `'${value}'` : `'${value}'::uuid`),
  };
}

async function fill(em: Em, kind: DatabaseKind, clients: number): Promise<void> {
  const d = dialect(kind);
  const c = em.getConnection();
  const { base, resellerId, neighbourId } = dataset;
  const now = d.time(String(base));
  for (const [id, name] of [[resellerId, 'Bench Telecom'], [neighbourId, 'Neighbour Networks']] as const) {
    await c.execute(`insert into reseller (id, created_at, updated_at, version, name, name_lower) values (${d.id(id)}, ${now}, ${now}, 1, '${name}', '${name.toLowerCase()}')`);
  }
  const hash = await hashSecret(dataset.clientSecret);
  await c.execute(`insert into credential (id, created_at, updated_at, version, client_id, secret_hash, role, reseller_id, display_name, revoked_at)
    values (${d.id(dataset.credentialId)}, ${now}, ${now}, 1, '${dataset.clientId}', '${hash}', 'reseller', ${d.id(resellerId)}, 'bench', null)`);

  const neighbours = Math.max(1, Math.ceil(clients / 100));
  const groups = [
    { prefix: CLIENT, site: '5173e000', reseller: resellerId, count: clients, at: (i: string) => `${base} + ${i} * 1000`, equipment: true },
    { prefix: NEIGHBOUR_CLIENT, site: '5174e000', reseller: neighbourId, count: neighbours, at: (i: string) => `${base} + ${i} * 100000 + 500`, equipment: false },
  ];
  for (const g of groups) {
    const t = d.time(g.at('i'));
    await c.execute(`${d.series(g.count)}
      insert into client (id, created_at, updated_at, version, reseller_id, name, code, search_text, status)
      select ${d.uuid(g.prefix, 'i')}, ${t}, ${t}, 1, ${d.id(g.reseller)}, 'Client ' || ${d.digits6('i')}, 'C' || ${d.digits6('i')},
        'client ' || ${d.digits6('i')} || ' c' || ${d.digits6('i')}, case when i % 10 = 9 then 'inactive' else 'active' end
      from n`);
    const st = d.time(`${g.at('i')} + j + 1`);
    await c.execute(`${d.series(g.count)}, k(j, name) as (values (0, 'Head office'), (1, 'Shop'), (2, 'Warehouse'))
      insert into site (id, created_at, updated_at, version, reseller_id, client_id, name)
      select ${d.uuid(g.site, 'i * 3 + j')}, ${st}, ${st}, 1, ${d.id(g.reseller)}, ${d.uuid(g.prefix, 'i')}, name from n, k`);
    if (!g.equipment) continue;
    const et = d.time(`${g.at('i')} + 10 + j`);
    await c.execute(`${d.series(g.count)}, k(j) as (values (0), (1))
      insert into equipment (id, created_at, updated_at, version, reseller_id, client_id, site_id, kind, pbx_device_id, smartphone_id, serial_number, label)
      select ${d.uuid('e9000000', 'i * 2 + j')}, ${et}, ${et}, 1, ${d.id(g.reseller)}, ${d.uuid(g.prefix, 'i')}, ${d.uuid(g.site, 'i * 3')},
        'desk_phone', null, null, 'SN' || ${d.digits6('i')} || '-' || j, null
      from n, k where i % 4 = 0`);
  }
}

const silent = createLogger('silent');

/** A SQLite database's files: its own, its WAL and shared memory, and the rate-limit counts beside it. */
const SQLITE_FILES = ['', '-wal', '-shm', '.rate-limit', '.rate-limit-wal', '.rate-limit-shm'];

async function seedSqlite(clients: number, cacheDir: string, workDir: string): Promise<Seeded> {
  mkdirSync(cacheDir, { recursive: true });
  const cached = join(cacheDir, `seed-sqlite-${clients}-${cacheKey('sqlite', clients)}.sqlite`);
  if (!existsSync(cached)) {
    const building = `${cached}.${process.pid}.tmp`;
    const { orm } = await openDatabase({ kind: 'sqlite', path: building }, schema, silent);
    const em = orm.em.fork() as Em;
    await em.getConnection().execute('pragma synchronous = off');
    await fill(em, 'sqlite', clients);
    // One self-contained file: everything out of the write-ahead log.
    await em.getConnection().execute('pragma wal_checkpoint(truncate)');
    await orm.close(true);
    rmSync(`${building}-wal`, { force: true });
    rmSync(`${building}-shm`, { force: true });
    renameSync(building, cached);
  }
  mkdirSync(workDir, { recursive: true });
  const path = join(workDir, 'bench.sqlite');
  const removeFiles = () => { for (const suffix of SQLITE_FILES) rmSync(path + suffix, { force: true }); };
  removeFiles();
  copyFileSync(cached, path);
  return {
    kind: 'sqlite', url: `sqlite:${path}`, clients,
    drop: async () => removeFiles(),
  };
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function seedPostgres(clients: number): Promise<Seeded> {
  const seedName = `reseller_bench_seed_${clients}_${cacheKey('postgresql', clients)}`;
  const runName = `reseller_bench_run_${process.pid}_${Date.now() % 100000}`;
  await admin(async (client) => {
    // Copies left by runs that did not finish.
    const stale = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'reseller_bench_run_%' or datname like 'reseller_bench_seed_%_tmp_%'`);
    for (const { datname } of stale.rows) {
      const pid = Number(datname.match(/_(\d+)_\d+$/)?.[1]);
      if (pid && !alive(pid)) await client.query(`drop database if exists ${datname} with (force)`);
    }
    const exists = await client.query('select 1 from pg_database where datname = $1', [seedName]);
    if (exists.rowCount === 0) {
      const building = `${seedName}_tmp_${process.pid}_0`;
      await client.query(`create database ${building}`);
      const { orm } = await openDatabase({ kind: 'postgresql', url: databaseUrl(building) }, schema, silent);
      const em = orm.em.fork() as Em;
      await fill(em, 'postgresql', clients);
      await em.getConnection().execute('analyze');
      await orm.close(true);
      // Renamed only once complete: a database with the final name is a whole one.
      await client.query(`alter database ${building} rename to ${seedName}`);
    }
    await client.query(`create database ${runName} template ${seedName}`);
  });
  return {
    kind: 'postgresql', url: databaseUrl(runName), clients,
    drop: () => admin(async (client) => { await client.query(`drop database if exists ${runName} with (force)`); }),
  };
}

export async function seed(kind: DatabaseKind, clients: number, dirs: { cache: string; work: string }): Promise<Seeded> {
  return kind === 'sqlite' ? seedSqlite(clients, dirs.cache, dirs.work) : seedPostgres(clients);
}

export async function postgresReachable(): Promise<boolean> {
  try {
    await admin(async (client) => client.query('select 1'));
    return true;
  } catch {
    return false;
  }
}
