// PostgreSQL connections that prepare the data layer's statements once each:
// a `pg` Client (the pool's `Client` option, pg's extension point) that sends
// the SQL of a compiled query (platform/data/query.ts) as a named statement, so
// each connection parses and plans it once instead of on every call. Measured
// in a loop on one connection (a primary-key read): 69 to 74 µs of this
// process's CPU a call against 77 to 79, and 136 to 142 µs of wall time
// against 174 to 195 (the database's parse and plan, on the same cores here).
//
// Only those statements: they are a fixed set (one per query and shape), so a
// connection's prepared statements stay few. Everything else (the ORM's own
// statements, whose text varies with their arguments, transaction control,
// migrations) goes as before. A named statement is replanned by PostgreSQL when
// a table it reads changes; a migration that changes the type of a column it
// returns makes it fail until the connection is replaced, as with any change
// of a column's type under a running instance.
import pg from 'pg';
import { compiledQueryName } from './query.ts';

/** A pg Client that prepares the data layer's compiled queries once per connection. */
export class PreparingClient extends pg.Client {
  // pg's query() has many overloads; Kysely calls query(text, values) and awaits the promise.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = args.length === 2 && typeof text === 'string' && Array.isArray(values) ? compiledQueryName(text) : undefined;
    if (name !== undefined) return super.query({ name, text: text as string, values: values as unknown[] }) as never;
    return (super.query as (...a: unknown[]) => unknown)(...args) as never;
  }
}
