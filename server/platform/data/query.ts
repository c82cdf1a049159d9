// The read side of the one data layer: queries written with Kysely, typed from
// the entities (MikroORM's Kysely integration: a renamed column fails tsc),
// compiled once and run many times, always within a Scope.
//
//   const clientById = query((db: Kysely<ClientsDb>, p: { id: string }) =>
//     db.selectFrom('client as c').select([...]).where('c.id', '=', p.id));
//   const rows = await clientById.run(readerOf(ctx), scopeOf(ctx), { id });
//
// - Compiled once: the first run builds the query with a placeholder for each
//   parameter and keeps its SQL; later runs only fill the parameters in.
//   A query whose shape depends on its arguments (an optional filter, a
//   cursor) names that shape with `shape`, and each shape is compiled once.
// - Tenancy by construction: run() needs a Scope. For a reseller's scope,
//   every reference to a reseller-owned table (from, joins, subqueries,
//   updates, deletes) gets `reseller_id = <the reseller>` added where the
//   query is compiled (a left-joined row of another reseller reads as absent,
//   as the ORM's tenant filter does). A query cannot be run without a scope,
//   and the scope cannot be forgotten in one of its joins.
import { createHash } from 'node:crypto';
import {
  AliasNode, BinaryOperationNode, ColumnNode, DeleteQueryNode, IdentifierNode, JoinNode, OnNode, OperationNodeTransformer,
  OperatorNode, ReferenceNode, SelectQueryNode, TableNode, UpdateQueryNode, ValueNode, WhereNode,
  type Compilable, type CompiledQuery, type Kysely, type KyselyPlugin, type OperationNode, type PluginTransformQueryArgs,
  type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type Selectable, type UnknownRow,
} from 'kysely';
import type { EntitySchemaWithMeta } from '@mikro-orm/core';
import type { InferKyselyTable } from '@mikro-orm/sql';
import type { Scope } from './scope.ts';

/** A column name without its table alias: 'c.name' -> 'name'. */
type Unaliased<S> = S extends `${string}.${infer C}` ? C : S;

/**
 * The row a select of `columns` (aliased like 'c.name') returns from `table`:
 * typed from the entity, so a renamed column fails to compile where it is read.
 */
export type Row<Table, Columns extends readonly string[]> = Pick<Selectable<Table>, Extract<Unaliased<Columns[number]>, keyof Selectable<Table>>>;

/**
 * The columns of an embeddable stored with a prefix (`contact_last_name`...),
 * which MikroORM's Kysely types show as one `contact` key: add them to the
 * owning table's type, still typed from the embeddable's properties.
 */
export type EmbeddedColumns<Embeddable extends EntitySchemaWithMeta, Prefix extends string> = {
  [K in keyof InferKyselyTable<Embeddable> as `${Prefix}${K & string}`]: InferKyselyTable<Embeddable>[K];
};

/** What queries run against: one per database, made by openDatabase. */
export interface DataSource {
  readonly dialect: 'sqlite' | 'postgresql';
  /** Tables whose rows belong to one reseller: the entities that carry the tenant filter. */
  readonly tenantTables: ReadonlySet<string>;
  /** Builds and compiles queries (never runs them). */
  readonly builder: Kysely<any>;
  /** Outside any transaction: the read replica on SQLite, the pool on PostgreSQL. */
  readonly reader: Kysely<any>;
  /** A time as the database returns it (SQLite: epoch milliseconds; PostgreSQL: a Date or its text). */
  date(value: unknown): Date;
  /** A parameter as the database stores it (a Date: epoch milliseconds on SQLite). */
  param(value: unknown): unknown;
  /** A driver's error as the ORM's exception (UniqueConstraintViolationException...), as a flush would throw it. */
  convertError(error: unknown): unknown;
}

/** Where one run goes: the reader, or the connection of a transaction. */
export interface Db {
  readonly source: DataSource;
  readonly kysely: Kysely<any>;
}

export interface Query<A extends object, R> {
  run(db: Db, scope: Scope, args: A): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Db, scope: Scope, args: A): Promise<R | undefined>;
}

/** A placeholder value: text no request can carry (the API refuses U+0000 in every field). */
const MARK = '\u0000param:';
const RESELLER = '\u0000reseller';

interface Template {
  sql: string;
  query: RootOperationNode;
  /** For each parameter of the SQL: the argument it is filled from, the scope's reseller, or a constant. */
  slots: (string | typeof RESELLER_SLOT | { value: unknown })[];
}
const RESELLER_SLOT = Symbol('reseller');

const templates = new WeakMap<DataSource, Map<Function, Map<string, Template>>>();

/** Every compiled query's SQL, with a name for it: a fixed set, one text per query, scope kind and shape. */
const compiledNames = new Map<string, string>();

/**
 * The name of a compiled query's text (`q_` and 20 characters of its SHA-256:
 * within PostgreSQL's 63-character identifiers, and no two of a few hundred
 * texts can share one), or undefined for any other SQL. postgres.ts prepares
 * the named ones once per connection.
 */
export function compiledQueryName(sql: string): string | undefined {
  return compiledNames.get(sql);
}

/**
 * A query compiled once per database, scope kind and shape. `build` gets a
 * Kysely typed with the tables it uses, the parameters as placeholders `p`,
 * and the arguments themselves, to choose the shape only (their values must
 * go through `p`, or they would be compiled in).
 */
export function query<DB, A extends object, R>(
  build: (db: Kysely<DB>, p: A, args: A) => Compilable<R>,
  shape: (args: A) => string = () => '',
): Query<A, R> {
  const placeholders = new Proxy({}, { get: (_, name) => `${MARK}${String(name)}` }) as A;
  const compile = (source: DataSource, scope: Scope, args: A): Template => {
    const kysely = scope.kind === 'reseller' ? source.builder.withPlugin(new TenantScope(source.tenantTables)) : source.builder;
    const compiled = build(kysely as Kysely<DB>, placeholders, args).compile();
    const slots = compiled.parameters.map((value): Template['slots'][number] => {
      if (value === RESELLER) return RESELLER_SLOT;
      if (typeof value === 'string' && value.startsWith(MARK)) return value.slice(MARK.length);
      if (typeof value === 'string' && (value.includes(MARK) || value.includes(RESELLER))) {
        throw new Error(`a query parameter was built from a placeholder (${JSON.stringify(value)}): pass the whole value as an argument`);
      }
      return { value };
    });
    if (!compiledNames.has(compiled.sql)) compiledNames.set(compiled.sql, `q_${createHash('sha256').update(compiled.sql).digest('base64url').slice(0, 20)}`);
    return { sql: compiled.sql, query: compiled.query, slots };
  };
  const run = async (db: Db, scope: Scope, args: A): Promise<R[]> => {
    const { source } = db;
    let bySource = templates.get(source);
    if (!bySource) templates.set(source, bySource = new Map());
    let byKey = bySource.get(build);
    if (!byKey) bySource.set(build, byKey = new Map());
    const key = `${scope.kind}\u0000${shape(args)}`;
    let template = byKey.get(key);
    if (!template) byKey.set(key, template = compile(source, scope, args));
    const values = args as Record<string, unknown>;
    const parameters = template.slots.map((slot) => (
      typeof slot === 'string' ? source.param(values[slot])
        : slot === RESELLER_SLOT ? (scope as { resellerId: string }).resellerId
          : slot.value));
    const compiled: CompiledQuery<R> = { sql: template.sql, query: template.query, parameters, queryId: { queryId: '' } };
    try {
      return (await db.kysely.executeQuery(compiled)).rows;
    } catch (error) {
      throw source.convertError(error);
    }
  };
  return {
    run,
    async first(db, scope, args) {
      return (await run(db, scope, args))[0];
    },
  };
}

/** Adds `<alias>.reseller_id = <the reseller>` to every reference to a reseller-owned table. */
class TenantScope implements KyselyPlugin {
  readonly #transformer: TenantTransformer;

  constructor(tenantTables: ReadonlySet<string>) {
    this.#transformer = new TenantTransformer(tenantTables);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

class TenantTransformer extends OperationNodeTransformer {
  readonly #tables: ReadonlySet<string>;

  constructor(tables: ReadonlySet<string>) {
    super();
    this.#tables = tables;
  }

  /** `alias.reseller_id = ?` when `node` names a reseller-owned table (plainly or aliased), else undefined. */
  #condition(node: OperationNode): OperationNode | undefined {
    let table: TableNode | undefined;
    let name: string | undefined;
    if (TableNode.is(node)) {
      table = node;
      name = node.table.identifier.name;
    } else if (AliasNode.is(node) && TableNode.is(node.node) && IdentifierNode.is(node.alias)) {
      table = node.node;
      name = node.alias.name;
    }
    if (!table || !this.#tables.has(table.table.identifier.name)) return undefined;
    return BinaryOperationNode.create(
      ReferenceNode.create(ColumnNode.create('reseller_id'), TableNode.create(name!)),
      OperatorNode.create('='),
      ValueNode.create(RESELLER),
    );
  }

  #where(where: WhereNode | undefined, conditions: OperationNode[]): WhereNode | undefined {
    let result = where;
    for (const condition of conditions) result = result ? WhereNode.cloneWithOperation(result, 'And', condition) : WhereNode.create(condition);
    return result;
  }

  protected override transformSelectQuery(node: SelectQueryNode, queryId?: Parameters<OperationNodeTransformer['transformNode']>[1]): SelectQueryNode {
    const inner = super.transformSelectQuery(node, queryId);
    const conditions = (inner.from?.froms ?? []).map((from) => this.#condition(from)).filter((c) => c !== undefined);
    const joins = inner.joins?.map((join) => {
      const condition = this.#condition(join.table);
      if (!condition) return join;
      return JoinNode.cloneWithOn(join, join.on ? OnNode.cloneWithOperation(join.on, 'And', condition).on : condition);
    });
    return { ...inner, joins, where: this.#where(inner.where, conditions) };
  }

  protected override transformUpdateQuery(node: UpdateQueryNode, queryId?: Parameters<OperationNodeTransformer['transformNode']>[1]): UpdateQueryNode {
    const inner = super.transformUpdateQuery(node, queryId);
    const condition = inner.table && this.#condition(inner.table);
    return condition ? { ...inner, where: this.#where(inner.where, [condition]) } : inner;
  }

  protected override transformDeleteQuery(node: DeleteQueryNode, queryId?: Parameters<OperationNodeTransformer['transformNode']>[1]): DeleteQueryNode {
    const inner = super.transformDeleteQuery(node, queryId);
    const conditions = inner.from.froms.map((from) => this.#condition(from)).filter((c) => c !== undefined);
    return { ...inner, where: this.#where(inner.where, conditions) };
  }
}
