// Text no database stores: PostgreSQL refuses U+0000 in text columns, and
// SQLite (through the ORM, which inlines some parameters into the SQL) ends a
// statement at it. No field of the contract has a use for it either, so a
// request carrying it anywhere (at any depth: contacts, lists, maps) is
// refused as invalid_argument, naming the fields, before a handler runs.
import { Code, type Interceptor } from '@connectrpc/connect';
import { ScalarType, type DescMessage } from '@bufbuild/protobuf';
import { apiError, type Violation } from './errors.ts';

const NUL = '\u0000';

function walk(desc: DescMessage, message: Record<string, any>, prefix: string, found: Violation[], depth: number): void {
  if (depth > 32) return; // the contract nests a few levels; the codec already bounds the rest
  const bad = (field: string) => found.push({ field, description: 'must not contain the NUL character (U+0000)', reason: 'INVALID_CHARACTER' });
  for (const field of desc.fields) {
    let value: any;
    if (field.oneof) {
      const chosen = message[field.oneof.localName];
      if (!chosen || chosen.case !== field.localName) continue;
      value = chosen.value;
    } else {
      value = message[field.localName];
    }
    if (value === undefined || value === null) continue;
    const path = `${prefix}${field.jsonName}`;
    switch (field.fieldKind) {
      case 'scalar':
        if (field.scalar === ScalarType.STRING && typeof value === 'string' && value.includes(NUL)) bad(path);
        break;
      case 'list':
        (value as unknown[]).forEach((item, i) => {
          if (field.listKind === 'scalar' && typeof item === 'string' && item.includes(NUL)) bad(`${path}[${i}]`);
          if (field.listKind === 'message' && item) walk(field.message, item as Record<string, any>, `${path}[${i}].`, found, depth + 1);
        });
        break;
      case 'map':
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          if (key.includes(NUL) || (typeof item === 'string' && item.includes(NUL))) bad(`${path}[${JSON.stringify(key.replaceAll(NUL, ''))}]`);
          else if (field.mapKind === 'message' && item) walk(field.message, item as Record<string, any>, `${path}.${key}.`, found, depth + 1);
        }
        break;
      case 'message':
        walk(field.message, value as Record<string, any>, `${path}.`, found, depth + 1);
        break;
    }
  }
}

/** The fields of a request whose text holds U+0000. */
export function nulViolations(desc: DescMessage, message: Record<string, any>): Violation[] {
  const found: Violation[] = [];
  walk(desc, message, '', found, 0);
  return found;
}

/** Refuses unary requests with U+0000 in any text field (streams carry no stored text). */
export function rejectUnstorableText(): Interceptor {
  return (next) => async (req) => {
    if (!req.stream) {
      const violations = nulViolations(req.method.input, req.message as Record<string, any>);
      if (violations.length > 0) {
        throw apiError(Code.InvalidArgument, 'INVALID_ARGUMENT',
          `invalid request: ${violations.map((v) => v.field).join(', ')} must not contain the NUL character (U+0000)`, { violations });
      }
    }
    return next(req);
  };
}
