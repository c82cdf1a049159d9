// The JSON writer (server/platform/rpc/json-writer.ts) writes what
// toJsonString writes: random messages of every message type in the contract
// (and a few built for the edges: timestamps at both ends of their range,
// strings JSON must escape, unknown enum numbers, NaN, values of the wrong
// type), written by both, with the router's options and with the defaults,
// must give the same text or the same error.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { create, ScalarType, toJsonString, type DescField, type DescFile, type DescMessage, type Message } from '@bufbuild/protobuf';
import { nestedTypes } from '@bufbuild/protobuf/reflect';
import { file_google_protobuf_struct, file_google_protobuf_timestamp, file_google_protobuf_wrappers, TimestampSchema } from '@bufbuild/protobuf/wkt';
import { ClientSchema, ListClientsResponseSchema, type Client } from '../gen/reseller/v1/clients_pb.js';
import { jsonWriter } from '../server/platform/rpc/json-writer.ts';

const genDir = join(import.meta.dirname, '..', 'gen');

/** Every message type of the contract's generated files (ours, health, reflection) and of the well-known types used. */
async function contractMessages(): Promise<DescMessage[]> {
  const files: DescFile[] = [file_google_protobuf_timestamp, file_google_protobuf_struct, file_google_protobuf_wrappers];
  for (const dir of ['reseller/v1', 'grpc/health/v1', 'grpc/reflection/v1']) {
    for (const name of readdirSync(join(genDir, dir)).filter((f) => f.endsWith('_pb.js'))) {
      const module = await import(join(genDir, dir, name)) as Record<string, unknown>;
      for (const value of Object.values(module)) {
        if (value && typeof value === 'object' && (value as DescFile).kind === 'file') files.push(value as DescFile);
      }
    }
  }
  const messages = new Set<DescMessage>();
  for (const file of files) for (const type of nestedTypes(file)) if (type.kind === 'message') messages.add(type);
  return [...messages];
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick, int: (max: number) => Math.floor(next() * max) };
}
type Random = ReturnType<typeof random>;

const STRINGS = ['', 'a', 'Dupont & fils', 'é', 'Ünïcödé 東京 😀', '"quoted" \\ back', 'line\nbreak\ttab', '\u0000\u001f', '\u2028\u2029',
  '\ud800 lone', 'tail \udfff', '<script>', 'x'.repeat(300)];
const INT32 = [0, 1, -1, 42, 2147483647, -2147483648];
const UINT32 = [0, 1, 42, 4294967295];
const FLOATS = [0, -0, 1.5, -2.25, 0.1, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity];
const INT64 = [0n, 1n, -1n, 9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n];
const UINT64 = [0n, 1n, 2n ** 64n - 1n];
const SECONDS = [-62135596800n, -62135596799n, -1n, 0n, 1n, 951782400n /* 2000-02-29 */, 1780000000n, 4102444800n, 253402300799n];
const NANOS = [0, 1, 5, 1_000, 123_000, 1_000_000, 123_000_000, 123_456_789, 999_999_999];

function scalarValue(r: Random, scalar: ScalarType): unknown {
  switch (scalar) {
    case ScalarType.STRING: return r.pick(STRINGS);
    case ScalarType.BOOL: return r.next() < 0.5;
    case ScalarType.INT32: case ScalarType.SINT32: case ScalarType.SFIXED32: return r.pick(INT32);
    case ScalarType.UINT32: case ScalarType.FIXED32: return r.pick(UINT32);
    case ScalarType.FLOAT: case ScalarType.DOUBLE: return r.pick(FLOATS);
    case ScalarType.INT64: case ScalarType.SINT64: case ScalarType.SFIXED64: return r.pick(INT64);
    case ScalarType.UINT64: case ScalarType.FIXED64: return r.pick(UINT64);
    case ScalarType.BYTES: return Uint8Array.from({ length: r.int(6) }, () => r.int(256));
  }
}

function enumValue(r: Random, field: DescField & { enum: { values: { number: number }[] } }): number {
  return r.next() < 0.1 ? 99 : r.pick(field.enum.values).number;
}

function timestamp(r: Random): Message {
  return create(TimestampSchema, { seconds: r.next() < 0.5 ? r.pick(SECONDS) : BigInt(r.int(253402300799) - r.int(62135596800)), nanos: r.pick(NANOS) });
}

function messageValue(r: Random, desc: DescMessage, depth: number): Message {
  if (desc.typeName === 'google.protobuf.Timestamp') return timestamp(r);
  const message = create(desc) as Message & Record<string, unknown>;
  for (const field of desc.fields) {
    if (field.oneof) continue;
    if (r.next() < 0.25) continue; // left at its default (or unset)
    switch (field.fieldKind) {
      case 'scalar': message[field.localName] = scalarValue(r, field.scalar); break;
      case 'enum': message[field.localName] = enumValue(r, field); break;
      case 'message':
        if (depth < 3) message[field.localName] = fieldMessage(r, field.message, depth);
        break;
      case 'list': {
        const length = r.int(4);
        message[field.localName] = Array.from({ length }, () => (field.listKind === 'scalar' ? scalarValue(r, field.scalar)
          : field.listKind === 'enum' ? enumValue(r, field) : depth < 3 ? fieldMessage(r, field.message, depth) : create(field.message)));
        break;
      }
      case 'map': {
        const map: Record<string, unknown> = {};
        for (let i = r.int(3); i > 0; i--) {
          map[String(r.int(100))] = field.mapKind === 'scalar' ? scalarValue(r, field.scalar)
            : field.mapKind === 'enum' ? enumValue(r, field) : depth < 3 ? fieldMessage(r, field.message, depth) : create(field.message);
        }
        message[field.localName] = map;
        break;
      }
    }
  }
  for (const oneof of desc.oneofs) {
    const member = r.next() < 0.2 ? undefined : r.pick(oneof.fields);
    if (!member) continue;
    const value = member.fieldKind === 'scalar' ? scalarValue(r, member.scalar)
      : member.fieldKind === 'enum' ? enumValue(r, member) : depth < 3 ? fieldMessage(r, member.message!, depth) : create(member.message!);
    message[oneof.localName] = { case: member.localName, value };
  }
  return message;
}

/** A message field's value as the message holds it (wrappers unboxed, Struct as a plain object). */
function fieldMessage(r: Random, desc: DescMessage, depth: number): unknown {
  if (desc.typeName === 'google.protobuf.StringValue') return r.pick(STRINGS);
  if (desc.typeName === 'google.protobuf.Int32Value') return r.pick(INT32);
  if (desc.typeName === 'google.protobuf.BoolValue') return r.next() < 0.5;
  if (desc.typeName === 'google.protobuf.Struct') return { a: 1, b: ['x', null, true] };
  return messageValue(r, desc, depth + 1);
}

/** Same text, or the same error, from both; for a message toJsonString writes, how many times the writer handed it back. */
function expectSame(desc: DescMessage, message: Message, options: { alwaysEmitImplicit?: boolean }): number {
  let expected: string | Error;
  try {
    expected = toJsonString(desc, message, options);
  } catch (error) {
    expected = error as Error;
  }
  const write = jsonWriter(desc, options);
  if (expected instanceof Error) expect(() => write(message)).toThrow(expected.message);
  else expect(write(message), desc.typeName).toBe(expected);
  return expected instanceof Error ? 0 : write.fallbacks;
}

describe('JSON writer', () => {
  it('writes what toJsonString writes, for random messages of every message type in the contract', async () => {
    const messages = await contractMessages();
    expect(messages.length).toBeGreaterThan(200);
    const r = random(20261203);
    let compared = 0;
    let fallbacks = 0;
    for (const desc of messages) {
      for (let i = 0; i < 40; i++) {
        const message = messageValue(r, desc, 0);
        fallbacks += expectSame(desc, message, { alwaysEmitImplicit: true });
        fallbacks += expectSame(desc, message, {});
        compared++;
      }
      // Every field at its default: what the router's alwaysEmitImplicit shows and the default hides.
      fallbacks += expectSame(desc, create(desc), { alwaysEmitImplicit: true });
      fallbacks += expectSame(desc, create(desc), {});
    }
    expect(compared).toBe(messages.length * 40);
    // Messages toJsonString can write are written by the writer itself, not handed back to it.
    expect(fallbacks).toBe(0);
  });

  it('writes timestamps at both ends of their range and every precision, and refuses the rest as toJsonString does', () => {
    const write = jsonWriter(TimestampSchema);
    for (const seconds of SECONDS) {
      for (const nanos of NANOS) {
        const value = create(TimestampSchema, { seconds, nanos });
        expect(write(value)).toBe(toJsonString(TimestampSchema, value));
      }
    }
    // Every day of a leap year and of a century that is not one, and the days around the epoch.
    for (const start of [946684800, -2208988800, -86400 * 400]) {
      for (let day = 0; day < 366; day++) {
        const value = create(TimestampSchema, { seconds: BigInt(start + day * 86400 + 3661), nanos: 0 });
        expect(write(value)).toBe(toJsonString(TimestampSchema, value));
      }
    }
    for (const bad of [{ seconds: 253402300800n, nanos: 0 }, { seconds: -62135596801n, nanos: 0 }, { seconds: 0n, nanos: -1 }, { seconds: 0n, nanos: 1_000_000_000 }]) {
      const value = create(TimestampSchema, bad);
      expect(() => toJsonString(TimestampSchema, value)).toThrow();
      expect(() => write(value)).toThrow(/cannot encode message google.protobuf.Timestamp to JSON/);
    }
  });

  it('gives a value of the wrong type to toJsonString, which throws its own error', () => {
    const write = jsonWriter(ClientSchema, { alwaysEmitImplicit: true });
    const wrongTypes: Record<string, unknown>[] = [
      { name: 42 }, { siteCount: '3' }, { status: 'ACTIVE' }, { sites: 'none' }, { sites: [undefined] },
      { createTime: create(ClientSchema) }, { createTime: { $typeName: 'google.protobuf.Timestamp', seconds: 1, nanos: 0 } },
    ];
    for (const change of wrongTypes) {
      const message = { ...create(ClientSchema), ...change } as unknown as Client;
      const before = write.fallbacks;
      let expected: string | undefined;
      try {
        expected = toJsonString(ClientSchema, message, { alwaysEmitImplicit: true });
      } catch (error) {
        expect(() => write(message)).toThrow((error as Error).message);
        expect(write.fallbacks).toBe(before + 1);
        continue;
      }
      expect(write(message)).toBe(expected);
      expect(write.fallbacks).toBe(before + 1);
    }
  });

  it('writes a page of clients as the router would', () => {
    const r = random(7);
    const page = create(ListClientsResponseSchema, {
      clients: Array.from({ length: 50 }, () => messageValue(r, ClientSchema, 0) as Client), nextPageToken: 'p1.k.abc.def',
    });
    expect(jsonWriter(ListClientsResponseSchema, { alwaysEmitImplicit: true })(page)).toBe(toJsonString(ListClientsResponseSchema, page, { alwaysEmitImplicit: true }));
  });
});
