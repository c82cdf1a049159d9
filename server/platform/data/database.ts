// Opens the database (SQLite by default, PostgreSQL when configured), applies
// the checked-in migrations and hands out the ORM, and the DataSource that
// queries (platform/data/query.ts) run on. No schema auto-sync.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import type { DatabaseConfig } from '../core/config.ts';
import type { Logger } from '../observability/logger.ts';
import type { EventSubscriber, MigrationObject } from '@mikro-orm/core';
import type { DataSource } from './query.ts';
import { open as openSqlite, sqliteConnections, type StatementListener } from './sqlite.ts';
import { PreparingClient } from './postgres.ts';

export type Orm = MikroORM<any, any, any>;
export type Em = SqlEntityManager;

export type OrmOptions = Parameters<typeof MikroORM.init>[0];

/** What the application stores (server/schema.ts): passed in, so the platform knows no feature. */
export interface Schema {
  entities: NonNullable<OrmOptions['entities']>;
  subscribers: EventSubscriber[];
  migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] };
}

/** SQLite only: told every statement run and its parameters (tests record them; never set in production). */
export interface DatabaseOptions {
  onStatement?: StatementListener;
}

export function ormOptions(database: DatabaseConfig, schema: Schema, options: DatabaseOptions = {}): OrmOptions {
  const { entities, subscribers, migrations } = schema;
  const common = {
    entities,
    subscribers,
    extensions: [Migrator],
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    debug: false,
  };
  if (database.kind === 'sqlite') {
    const connections = sqliteConnections(database.path, options.onStatement);
    return {
      ...common,
      driver: SqliteDriver,
      dbName: database.path,
      driverOptions: connections.writer,
      // Reads outside a transaction go to the reader (sqlite.ts says why).
      replicas: connections.reader ? [{ name: 'read', driverOptions: () => connections.reader }] : [],
      preferReadReplicas: true,
      migrations: { migrationsList: migrations.sqlite, snapshot: false, transactional: true, allOrNothing: true, silent: true },
    } as OrmOptions;
  }
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: database.url,
    pool: { min: 0, max: 10 },
    // The pool's connections prepare the compiled queries once each (postgres.ts).
    driverOptions: { Client: PreparingClient },
    migrations: { migrationsList: migrations.postgresql, snapshot: false, transactional: true, allOrNothing: true, silent: true },
  } as OrmOptions;
}

/**
 * Several instances may start at once on one database: one migrates, the
 * others wait. PostgreSQL: an advisory lock. A SQLite file: the write lock of a
 * sibling file, `<database>.migrate-lock` (the database's own lock cannot
 * serve: the migrations need it, and a migration that read first cannot then
 * write once another process has committed, it fails at once with SQLITE_BUSY).
 * A process that dies releases either lock.
 */
async function withMigrationLock<T>(database: DatabaseConfig, work: () => Promise<T>): Promise<T> {
  if (database.kind === 'sqlite') {
    if (database.path === ':memory:' || database.path === '') return work();
    const lock = openSqlite(`${database.path}.migrate-lock`);
    try {
      // Waits (blocking: nothing else runs yet at start-up) for the instance that migrates.
      lock.pragma('busy_timeout = 120000');
      lock.exec('begin immediate');
      return await work();
    } finally {
      lock.close(); // ends the transaction, and with it the lock
    }
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7261535013)');
    return await work();
  } finally {
    await client.query('select pg_advisory_unlock(7261535013)').catch(() => undefined);
    await client.end();
  }
}

export interface Database {
  orm: Orm;
  source: DataSource;
}

export async function openDatabase(database: DatabaseConfig, schema: Schema, logger: Logger, options: DatabaseOptions = {}): Promise<Database> {
  if (database.kind === 'sqlite' && database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  const orm = await MikroORM.init(ormOptions(database, schema, options));
  try {
    const applied = await withMigrationLock(database, () => orm.migrator.up());
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
    return { orm, source: dataSource(orm, database.kind) };
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}

function dataSource(orm: Orm, dialect: DatabaseConfig['kind']): DataSource {
  const em = orm.em as Em;
  // The entities that carry the tenant filter (platform/data/entity.ts) are a reseller's rows.
  const tenantTables = new Set<string>();
  for (const meta of orm.getMetadata().getAll().values()) {
    if (meta.filters?.tenant && !meta.abstract) tenantTables.add(meta.tableName);
  }
  const platform = orm.em.getPlatform() as unknown as { parseDate(value: unknown): Date };
  return {
    dialect,
    tenantTables,
    builder: em.getKysely(),
    reader: em.getKysely({ type: 'read' }),
    date: dialect === 'sqlite'
      ? (value) => new Date(Number(value))
      : (value) => (value instanceof Date ? value : platform.parseDate(value)),
    param: dialect === 'sqlite'
      ? (value) => (value instanceof Date ? value.getTime() : value)
      : (value) => value,
    convertError: (error) => (error instanceof Error ? em.getDriver().convertException(error) : error),
  };
}

/** A fresh EntityManager for work outside a request (start-up, jobs), unscoped. */
export function systemEm(orm: Orm): Em {
  const em = orm.em.fork() as Em;
  em.setFilterParams('tenant', { resellerId: null });
  return em;
}
