// Writes a new migration for each database: the difference between the entities
// and the schema that the existing migrations build. Usage:
//   npm run migration:create -- <name>
// It needs the local PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
import { mkdtempSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import pg from 'pg';
import { ormOptions } from '../platform/data/database.ts';
import { schema } from '../schema.ts';
import type { DatabaseConfig } from '../platform/core/config.ts';

const name = process.argv[2];
const here = join(import.meta.dirname, '..', 'migrations');
if (name === '--index') {
  // Only rewrite index.ts from the files present (after merging branches that each added migrations).
  writeIndex();
  process.exit(0);
}
if (!name || !/^[a-z][a-z0-9_]*$/.test(name)) {
  console.error('usage: npm run migration:create -- <snake_case_name>');
  process.exit(2);
}
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function create(dialect: 'sqlite' | 'postgresql', database: DatabaseConfig): Promise<void> {
  const options = ormOptions(database, schema);
  const orm = await MikroORM.init({
    ...options,
    migrations: { ...options.migrations, path: join(here, dialect), emit: 'ts', snapshot: false },
  });
  try {
    await orm.migrator.up();
    const result = await orm.migrator.create(join(here, dialect), false, false, name);
    console.log(result.fileName ? `${dialect}: wrote ${result.fileName}` : `${dialect}: no schema change`);
  } finally {
    await orm.close(true);
  }
}

function writeIndex(): void {
  const lines = ['// The checked-in migrations of each database, applied in this order at start-up.',
    '// Written by `npm run migration:create`; never edited once they have landed.',
    "import type { MigrationObject } from '@mikro-orm/core';"];
  const lists: Record<string, string[]> = {};
  for (const dialect of ['sqlite', 'postgresql']) {
    const files = readdirSync(join(here, dialect)).filter((f) => /^Migration\d+_\w+\.ts$/.test(f)).sort();
    lists[dialect] = files.map((file) => {
      const className = file.replace(/\.ts$/, '');
      const alias = `${dialect}_${className}`;
      lines.push(`import { ${className} as ${alias} } from '../migrations/${dialect}/${file}';`);
      return `    { name: '${className}', class: ${alias} },`;
    });
  }
  lines.push('', 'export const migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] } = {');
  for (const dialect of ['sqlite', 'postgresql']) lines.push(`  ${dialect}: [`, ...lists[dialect]!, '  ],');
  lines.push('};', '');
  writeFileSync(join(here, 'index.ts'), lines.join('\n'));
}

const dir = mkdtempSync(join(tmpdir(), 'migration-'));
const tempDb = `migration_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
try {
  await admin.query(`create database ${tempDb}`);
  await create('sqlite', { kind: 'sqlite', path: join(dir, 'schema.sqlite') });
  const url = new URL(adminUrl);
  url.pathname = `/${tempDb}`;
  await create('postgresql', { kind: 'postgresql', url: url.toString() });
  writeIndex();
} finally {
  await admin.query(`drop database if exists ${tempDb}`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
