// JSON text straight from a message: the bytes `toJsonString(schema, message,
// options)` writes (protobuf-es 2.17, the proto3 JSON mapping), without the
// intermediate JSON object it builds and without a Date per timestamp. A page
// of 50 clients spent most of its serialisation there (docs/performance.md,
// "The RPC stack"); the unary fast path answers JSON with it.
//
// It covers what our contract uses: scalars, enums, messages, lists, oneofs
// and google.protobuf.Timestamp. A message with anything else (maps, other
// well-known types, proto2 required fields, a field named __proto__) is
// written by toJsonString itself, inside the text of its parent. A value a
// writer does not expect (a wrong type, a timestamp out of range, a message of
// another type) makes the whole message go to toJsonString, which writes it or
// throws the error it always throws. test/json-writer.test.ts compares both
// over random messages of every message type in the contract.
import { ScalarType, toJsonString, type DescEnum, type DescField, type DescMessage, type JsonWriteOptions, type Message } from '@bufbuild/protobuf';
import { base64Encode } from '@bufbuild/protobuf/wire';

/** Writes one message's JSON text. */
export interface JsonWriter {
  (message: Message): string;
  /** How many messages it handed to toJsonString (values it did not expect); the tests check that valid ones are not. */
  readonly fallbacks: number;
}

/** Thrown by a compiled writer at a value it does not expect: the caller starts again with toJsonString. */
const unexpected = new Error('unexpected value');

// google.protobuf.FeatureSet.FieldPresence: IMPLICIT = 2, LEGACY_REQUIRED = 3 (as protobuf-es's to-json.js).
const IMPLICIT = 2;
const LEGACY_REQUIRED = 3;

/** A value's JSON text (never undefined: lists and fields decide presence). */
type ValueWriter = (value: unknown) => string;
/** A field's `"key":value`, or undefined when the field is not written. */
type FieldWriter = (message: Record<string, unknown>) => string | undefined;

/** Options this writer honours; any other option set (a registry, enumAsInteger, proto names, pretty printing) means toJsonString. */
function supported(options: Partial<JsonWriteOptions> & { prettySpaces?: number }): boolean {
  return !options.registry && !options.enumAsInteger && !options.useProtoFieldName && !options.prettySpaces;
}

/**
 * The JSON writer of `schema` with `options` (the router's JSON options), the
 * same text as toJsonString(schema, message, options) for every message.
 */
export function jsonWriter(schema: DescMessage, options: Partial<JsonWriteOptions> & { prettySpaces?: number } = {}): JsonWriter {
  const fallback = (message: Message) => toJsonString(schema, message, options);
  if (!supported(options)) return Object.assign(fallback, { fallbacks: 0 });
  const compiled = new Compiler(Boolean(options.alwaysEmitImplicit)).message(schema);
  const writer = Object.assign((message: Message) => {
    try {
      return compiled(message);
    } catch {
      // A value not expected here (or a nested toJsonString that threw): toJsonString writes it, or throws its own error.
      writer.fallbacks++;
      return fallback(message);
    }
  }, { fallbacks: 0 });
  return writer;
}

const TIMESTAMP = 'google.protobuf.Timestamp';

class Compiler {
  readonly #always: boolean;
  readonly #messages = new Map<DescMessage, ValueWriter>();

  constructor(alwaysEmitImplicit: boolean) {
    this.#always = alwaysEmitImplicit;
  }

  /** The writer of a whole message of `desc` (compiled once; recursive types refer to it before it is done). */
  message(desc: DescMessage): ValueWriter {
    const known = this.#messages.get(desc);
    if (known) return known;
    let write: ValueWriter | undefined;
    const writer: ValueWriter = (value) => write!(value);
    this.#messages.set(desc, writer);
    write = this.#compileMessage(desc);
    return writer;
  }

  #compileMessage(desc: DescMessage): ValueWriter {
    const typeName = desc.typeName;
    if (typeName === TIMESTAMP) return (value) => timestampText(value as Message & { seconds: unknown; nanos: unknown });
    if (!this.#covers(desc)) {
      // Written by toJsonString with the same options, as the text of a value.
      return (value) => toJsonString(desc, value as Message, { alwaysEmitImplicit: this.#always });
    }
    const fields = desc.fields.concat().sort((a, b) => a.number - b.number).map((field) => this.#field(field));
    const count = fields.length;
    return (value) => {
      const message = value as Record<string, unknown>;
      if (message.$typeName !== typeName) throw unexpected;
      let out = '{';
      for (let i = 0; i < count; i++) {
        const part = fields[i]!(message);
        if (part !== undefined) out = out.length === 1 ? out + part : out + ',' + part;
      }
      return out + '}';
    };
  }

  /** Whether every field of `desc` is one this writer writes itself (nested messages may still fall back on their own). */
  #covers(desc: DescMessage): boolean {
    if (desc.typeName.startsWith('google.protobuf.')) return false;
    return desc.fields.every((field) => field.name !== '__proto__' && field.jsonName !== '__proto__'
      && field.presence !== LEGACY_REQUIRED && field.fieldKind !== 'map'
      && !(field.fieldKind === 'enum' && field.enum.typeName === 'google.protobuf.NullValue')
      && !(field.fieldKind === 'list' && field.listKind === 'enum' && field.enum.typeName === 'google.protobuf.NullValue')
      // Wrappers and Struct are stored unboxed in the message; other well-known types have JSON forms of their own.
      && !((field.fieldKind === 'message' || (field.fieldKind === 'list' && field.listKind === 'message'))
        && field.message.typeName.startsWith('google.protobuf.') && field.message.typeName !== TIMESTAMP));
  }

  #field(field: DescField): FieldWriter {
    const key = `${JSON.stringify(field.jsonName)}:`;
    const local = field.localName;
    if (field.fieldKind === 'list') {
      const item = field.listKind === 'message' ? this.message(field.message) : field.listKind === 'enum' ? enumWriter(field.enum) : scalarWriter(field.scalar);
      const always = this.#always;
      return (message) => {
        const items = message[local];
        if (!Array.isArray(items)) throw unexpected;
        if (items.length === 0) return always ? `${key}[]` : undefined;
        let out = key + '[';
        for (let i = 0; i < items.length; i++) {
          const value = items[i];
          if (value === undefined) throw unexpected;
          out += i === 0 ? item(value) : ',' + item(value);
        }
        return out + ']';
      };
    }
    if (field.fieldKind === 'map') throw new Error('maps are written by toJsonString'); // #covers keeps them out
    const write = field.fieldKind === 'message' ? this.message(field.message) : field.fieldKind === 'enum' ? enumWriter(field.enum) : scalarWriter(field.scalar);
    if (field.oneof) {
      const group = field.oneof.localName;
      return (message) => {
        const oneof = message[group] as { case?: string; value?: unknown } | undefined;
        if (oneof === undefined) throw unexpected;
        return oneof.case === local ? key + write(oneof.value) : undefined;
      };
    }
    if (field.fieldKind === 'message' || field.presence !== IMPLICIT) {
      // Explicit presence: written when set (an own property, not undefined), whatever its value.
      return (message) => {
        const value = message[local];
        return value !== undefined && Object.prototype.hasOwnProperty.call(message, local) ? key + write(value) : undefined;
      };
    }
    if (this.#always) return (message) => key + write(message[local]);
    // Implicit presence: written unless it holds its type's zero value, as toJson decides.
    const isZero = zeroTest(field);
    return (message) => {
      const value = message[local];
      return isZero(value) ? undefined : key + write(value);
    };
  }
}

/** toJson's zero-value test for a field with implicit presence. */
function zeroTest(field: DescField): (value: unknown) => boolean {
  if (field.fieldKind === 'enum') {
    const zero = field.enum.values[0]!.number;
    return (value) => value === zero;
  }
  switch (field.scalar) {
    case ScalarType.BOOL: return (value) => value === false;
    case ScalarType.STRING: return (value) => value === '';
    case ScalarType.BYTES: return (value) => value instanceof Uint8Array && value.byteLength === 0;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: return (value) => Object.is(value, 0);
    // eslint-disable-next-line eqeqeq -- toJson's loose test: 0, 0n and "0"
    default: return (value) => value == 0;
  }
}

function enumWriter(desc: DescEnum): ValueWriter {
  // The name toJson looks up (desc.value: with aliases, the one it holds for the number).
  const names = new Map<number, string>();
  const byNumber = desc.value;
  for (const number in byNumber) names.set(Number(number), JSON.stringify(byNumber[number]!.jsonName));
  return (value) => {
    if (typeof value !== 'number') throw unexpected;
    // A number the enum does not name is written as the number.
    return names.get(value) ?? JSON.stringify(value);
  };
}

function scalarWriter(scalar: ScalarType): ValueWriter {
  switch (scalar) {
    case ScalarType.STRING:
      return (value) => {
        if (typeof value !== 'string') throw unexpected;
        return quote(value);
      };
    case ScalarType.BOOL:
      return (value) => {
        if (typeof value !== 'boolean') throw unexpected;
        return value ? 'true' : 'false';
      };
    case ScalarType.INT32:
    case ScalarType.SFIXED32:
    case ScalarType.SINT32:
    case ScalarType.FIXED32:
    case ScalarType.UINT32:
      return (value) => {
        if (typeof value !== 'number') throw unexpected;
        return JSON.stringify(value);
      };
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return (value) => {
        if (typeof value !== 'number') throw unexpected;
        if (Number.isNaN(value)) return '"NaN"';
        if (value === Infinity) return '"Infinity"';
        if (value === -Infinity) return '"-Infinity"';
        return JSON.stringify(value);
      };
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.SINT64:
      return (value) => {
        if (typeof value === 'bigint' || typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return JSON.stringify(value.toString());
        throw unexpected;
      };
    case ScalarType.BYTES:
      return (value) => {
        if (!(value instanceof Uint8Array)) throw unexpected;
        return `"${base64Encode(value)}"`;
      };
  }
}

/** A string's JSON text, as JSON.stringify writes it: quoted as it is unless it holds a character JSON escapes. */
function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Control characters, '"', '\\', and surrogates (a lone one is escaped; JSON.stringify knows which).
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text);
  }
  return `"${text}"`;
}

// google.protobuf.Timestamp: RFC 3339 in UTC, with 0, 3, 6 or 9 digits of
// fraction, from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z; what
// timestampToJson writes, by arithmetic instead of a Date and toISOString.

const SECONDS_MIN = -62135596800; // 0001-01-01T00:00:00Z
const SECONDS_MAX = 253402300799; // 9999-12-31T23:59:59Z

/** "00" to "99". */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** `"YYYY-MM-DDT` of a day (days since 1970-01-01), remembered: a page's timestamps fall on few days. */
const dayPrefixes = new Map<number, string>();
const DAY_PREFIXES_KEPT = 4096;

function dayPrefix(days: number): string {
  let prefix = dayPrefixes.get(days);
  if (prefix === undefined) {
    // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days; the era is never negative from year 1).
    const shifted = days + 719468;
    const era = Math.floor(shifted / 146097);
    const dayOfEra = shifted - era * 146097;
    const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
    const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
    const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
    const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    prefix = `"${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T`;
    if (dayPrefixes.size >= DAY_PREFIXES_KEPT) dayPrefixes.clear();
    dayPrefixes.set(days, prefix);
  }
  return prefix;
}

function timestampText(value: Message & { seconds: unknown; nanos: unknown }): string {
  if (value.$typeName !== TIMESTAMP) throw unexpected;
  const { seconds: big, nanos } = value;
  if (typeof big !== 'bigint' || typeof nanos !== 'number' || !Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) throw unexpected;
  const seconds = Number(big);
  if (seconds < SECONDS_MIN || seconds > SECONDS_MAX) throw unexpected;
  const days = Math.floor(seconds / 86400);
  const daySeconds = seconds - days * 86400;
  const text = dayPrefix(days) + TWO_DIGITS[Math.floor(daySeconds / 3600)] + ':' + TWO_DIGITS[Math.floor((daySeconds % 3600) / 60)] + ':' + TWO_DIGITS[daySeconds % 60];
  if (nanos === 0) return `${text}Z"`;
  const digits = String(nanos + 1_000_000_000).slice(1);
  return text + (digits.endsWith('000000') ? `.${digits.slice(0, 3)}` : digits.endsWith('000') ? `.${digits.slice(0, 6)}` : `.${digits}`) + 'Z"';
}
