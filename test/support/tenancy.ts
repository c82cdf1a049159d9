// Records every statement the server sends to SQLite while serving a
// reseller, and says which ones touch a reseller-owned table without that
// reseller's condition. The authorization matrix runs with it
// (test/authorization-matrix.test.ts), so every method is covered.
//
// The rules, for a statement run while serving a reseller's credential:
// - every reference to a reseller-owned table in a select, update or delete
//   (from, join, subquery) is conditioned on `<alias>.reseller_id = ?` with
//   that reseller's id among the parameters;
// - an insert into one sets reseller_id to that reseller, on every row;
// - declared exceptions, each for a reason written beside it.
import { callContext } from '../../server/platform/rpc/context.ts';

export interface Recorded {
  sql: string;
  parameters: readonly unknown[];
  /** The reseller the call was serving; null for staff, undefined outside any call. */
  reseller: string | null | undefined;
  method: string | undefined;
}

export class StatementRecorder {
  readonly statements: Recorded[] = [];

  readonly listener = (sql: string, parameters: readonly unknown[]): void => {
    const call = callContext.getStore();
    this.statements.push({ sql, parameters: [...parameters], reseller: call ? (call.principal?.resellerId ?? null) : undefined, method: call?.method });
  };
}

/**
 * Statements that read or change reseller-owned rows without the reseller's
 * condition on purpose. Each is matched by its SQL and says why it is safe.
 */
/** An identifier's optional quotes, and one value as the ORM writes it (a quoted string, a number, or a placeholder). */
const Q = '[`"]?';
const VALUE = "('[^']*'|\\d+|\\?)";

const EXCEPTIONS: { why: string; matches: (sql: string) => boolean }[] = [
  {
    why: 'the unit of work writes back, by primary key, rows the same call read within its scope',
    matches: (sql) => new RegExp(`^(update ${Q}\\w+${Q} set .* |delete from ${Q}\\w+${Q} )where ${Q}id${Q} (= ${VALUE}|in \\(${VALUE}(, ${VALUE})*\\))`
      + `( and ${Q}version${Q} = ${VALUE})?( returning ${Q}version${Q})?$`, 'i').test(sql.trim()),
  },
  {
    why: 'a subdomain is a public host name: its uniqueness is checked across every reseller, and only the subdomain column is read',
    matches: (sql) => new RegExp(`^select ${Q}\\w+${Q}\\.${Q}id${Q}, ${Q}\\w+${Q}\\.${Q}subdomain${Q} from ${Q}shop_interface${Q} as ${Q}\\w+${Q} where ${Q}\\w+${Q}\\.${Q}subdomain${Q} in `, 'i').test(sql.trim()),
  },
];

const REFERENCE = /\b(from|join|update|into)\s+[`"]?(\w+)[`"]?(?:\s+(?:as\s+)?[`"]?(\w+)[`"]?)?/gi;
const KEYWORDS = new Set(['where', 'set', 'on', 'left', 'inner', 'join', 'order', 'group', 'limit', 'values', 'select', 'inner', 'cross', 'using']);

/** Where each statement served for a reseller breaks the rules above; empty when none does. */
export function tenancyViolations(statements: readonly Recorded[], tenantTables: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const { sql, parameters, reseller, method } of statements) {
    if (!reseller) continue;
    const flat = sql.replace(/\s+/g, ' ');
    if (EXCEPTIONS.some((e) => e.matches(flat))) continue;
    for (const match of flat.matchAll(REFERENCE)) {
      const [, keyword, table, aliasOrKeyword] = match as unknown as [string, string, string, string | undefined];
      if (!tenantTables.has(table!)) continue;
      const alias = aliasOrKeyword && !KEYWORDS.has(aliasOrKeyword.toLowerCase()) ? aliasOrKeyword : table!;
      if (keyword!.toLowerCase() === 'into') {
        const columns = /into\s+[`"]?\w+[`"]?\s*\(([^)]*)\)/i.exec(flat)?.[1]?.split(',').map((c) => c.trim().replace(/[`"]/g, '')) ?? [];
        const at = columns.indexOf('reseller_id');
        const values = insertedRows(flat, parameters);
        const ok = at >= 0 && values.length > 0 && values.every((row) => row.length === columns.length && row[at] === reseller);
        if (!ok) problems.push(`${method}: insert into ${table} not for reseller ${reseller}: ${flat} ${JSON.stringify(parameters)}`);
        continue;
      }
      // The ORM writes values into its SQL on SQLite; typed queries pass them as parameters.
      // The alias may be left out when the statement names one table (`update invitation ... where reseller_id = ...`).
      const name = `(?:[\`"]?${alias}[\`"]?\\.${alias === table ? ')?' : ')'}[\`"]?reseller_id[\`"]?\\s*=\\s*`;
      const inline = new RegExp(`${name}'${reseller}'`, 'i').test(flat);
      const bound = new RegExp(`${name}\\?`, 'i').test(flat) && parameters.includes(reseller);
      if (!inline && !bound) problems.push(`${method}: ${table} as ${alias} without the reseller condition: ${flat}`);
    }
  }
  return [...new Set(problems)];
}

/** The rows of an insert's VALUES, each value a string, a number, null or what its `?` was bound to. */
function insertedRows(sql: string, parameters: readonly unknown[]): unknown[][] {
  const start = sql.search(/\bvalues\s*\(/i);
  if (start < 0) return [];
  const rows: unknown[][] = [];
  let row: unknown[] | undefined;
  let next = 0;
  for (let i = sql.indexOf('(', start); i < sql.length; i++) {
    const c = sql[i]!;
    if (c === '(' && !row) { row = []; continue; }
    if (!row) {
      if (c === ',' || c === ' ') continue;
      break; // `returning ...`
    }
    if (c === ')') { rows.push(row); row = undefined; continue; }
    if (c === ',' || c === ' ') continue;
    if (c === '?') { row.push(parameters[next++]); continue; }
    if (c === "'" || ((c === 'X' || c === 'x') && sql[i + 1] === "'")) {
      if (c !== "'") i++;
      let text = '';
      for (i++; i < sql.length; i++) {
        if (sql[i] === "'" && sql[i + 1] === "'") { text += "'"; i++; } else if (sql[i] === "'") break; else text += sql[i];
      }
      row.push(text);
      continue;
    }
    let word = '';
    while (i < sql.length && !/[,)\s]/.test(sql[i]!)) word += sql[i++];
    i--;
    row.push(word.toLowerCase() === 'null' ? null : Number(word));
  }
  return rows;
}
