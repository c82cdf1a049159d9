// Opens the database (SQLite by default, PostgreSQL when configured), applies
// the checked-in migrations and hands out the ORM. No schema auto-sync.
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

export type Orm = MikroORM<any, any, any>;
export type Em = SqlEntityManager;

export type OrmOptions = Parameters<typeof MikroORM.init>[0];

/** What the application stores (server/schema.ts): passed in, so the platform knows no feature. */
export interface Schema {
  entities: NonNullable<OrmOptions['entities']>;
  subscribers: EventSubscriber[];
  migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] };
}

export function ormOptions(database: DatabaseConfig, schema: Schema): OrmOptions {
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
    return {
      ...common,
      driver: SqliteDriver,
      dbName: database.path,
      migrations: { migrationsList: migrations.sqlite, snapshot: false, transactional: true, allOrNothing: true, silent: true },
    } as OrmOptions;
  }
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: database.url,
    pool: { min: 0, max: 10 },
    migrations: { migrationsList: migrations.postgresql, snapshot: false, transactional: true, allOrNothing: true, silent: true },
  } as OrmOptions;
}

/** Several instances may start at once on one PostgreSQL: one migrates, the others wait. */
async function withMigrationLock<T>(database: DatabaseConfig, work: () => Promise<T>): Promise<T> {
  if (database.kind !== 'postgresql') return work();
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

export async function openDatabase(database: DatabaseConfig, schema: Schema, logger: Logger): Promise<Orm> {
  if (database.kind === 'sqlite' && database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  const orm = await MikroORM.init(ormOptions(database, schema));
  try {
    const connection = (orm.em as Em).getConnection();
    if (database.kind === 'sqlite') {
      // WAL lets readers run beside the writer; busy_timeout waits out a
      // writer of another process instead of failing at once.
      await connection.execute('pragma journal_mode = WAL');
      await connection.execute('pragma busy_timeout = 5000');
      await connection.execute('pragma synchronous = FULL');
    }
    const applied = await withMigrationLock(database, () => orm.migrator.up());
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
    return orm;
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}

/** A fresh EntityManager for work outside a request (start-up, jobs), unscoped. */
export function systemEm(orm: Orm): Em {
  const em = orm.em.fork() as Em;
  em.setFilterParams('tenant', { resellerId: null });
  return em;
}
