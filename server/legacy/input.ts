// Reading a legacy request as its seed sends it: the body (JSON, a URL-encoded
// form or multipart/form-data with files), the query, the path parameters,
// and the parameters a route declares, found where the seed puts them and
// checked against the type it declares.
import type http from 'node:http';
import type { Req } from '../platform/http/routes.ts';
import type { Face, Input, Invalid, JsonValue, Param, Route } from './define.ts';

/** A body as received: nothing, JSON, or named fields (a form) with their files. */
export type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: JsonValue }
  | { kind: 'form'; fields: [string, string][]; files: Map<string, Uint8Array> };

export class BodyTooLarge extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body's bytes, up to `limit` (BodyTooLarge past it: the rest is left unread). */
export async function readBytes(req: Req, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`the request body is over ${limit} bytes (MAX_REQUEST_BYTES)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses the body by its content type; a JSON body that does not parse is an Invalid. */
export async function parseBody(bytes: Buffer, contentType: string): Promise<Body | Invalid> {
  if (bytes.length === 0) return { kind: 'none' };
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return { kind: 'form', fields: [...new URLSearchParams(bytes.toString('utf8'))], files: new Map() };
  }
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
    } catch {
      return { name: 'body', in: 'body', message: 'the multipart/form-data body could not be read', reason: 'multipart_invalid' };
    }
    const fields: [string, string][] = [];
    const files = new Map<string, Uint8Array>();
    for (const [name, value] of form as unknown as Iterable<[string, FormDataEntryValue]>) {
      if (typeof value === 'string') fields.push([name, value]);
      else files.set(name, new Uint8Array(await value.arrayBuffer()));
    }
    return { kind: 'form', fields, files };
  }
  // JSON, whatever it is labelled: the seeds say their bodies are JSON. Its
  // text is UTF-8 (RFC 8259): invalid bytes are refused, not stored as U+FFFD.
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { name: 'body', in: 'body', message: 'the body is not valid UTF-8', reason: 'json_invalid' };
  }
  try {
    return { kind: 'json', value: JSON.parse(text) as JsonValue };
  } catch {
    return { name: 'body', in: 'body', message: 'the body is not valid JSON', reason: 'json_invalid' };
  }
}

function isObject(value: JsonValue | undefined): value is { [k: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every [name, value] of one place, for name lookups. */
function entries(pairs: Iterable<[string, JsonValue]>, name: string, anyCase: boolean): JsonValue[] {
  const exact: JsonValue[] = [];
  const other: JsonValue[] = [];
  const lower = name.toLowerCase();
  for (const [key, value] of pairs) {
    if (key === name) exact.push(value);
    else if (anyCase && key.toLowerCase() === lower) other.push(value);
  }
  return [...exact, ...other];
}

export interface RawRequest {
  req: Req;
  url: URL;
  pathParams: Record<string, string>;
  body: Body;
  now: Date;
}

/** The Input a route's mapping reads, over one request. */
export function inputOf(face: Face, route: Route, raw: RawRequest): Input {
  const declared = new Map(route.params.map((p) => [p.name, p]));
  const anyCase = Boolean(face.lenientParams);
  const query = [...raw.url.searchParams] as [string, JsonValue][];
  const bodyPairs = (): [string, JsonValue][] => {
    if (raw.body.kind === 'form') return raw.body.fields;
    if (raw.body.kind === 'json' && isObject(raw.body.value)) return Object.entries(raw.body.value);
    return [];
  };
  const param = (name: string): Param => {
    const p = declared.get(name);
    if (!p) throw new Error(`${route.path} reads "${name}", which its table does not declare`);
    return p;
  };
  const found = (name: string): JsonValue[] => {
    const p = param(name);
    if (p.in === 'path') return name in raw.pathParams ? [raw.pathParams[name]!] : [];
    if (p.in === 'header') {
      const value = raw.req.headers[name.toLowerCase()];
      return value === undefined ? [] : [Array.isArray(value) ? value.join(', ') : value];
    }
    // Seed 004 takes its parameters in the query or the body alike.
    const places = anyCase ? [query, bodyPairs()] : p.in === 'query' ? [query] : [bodyPairs()];
    return places.flatMap((pairs) => entries(pairs, name, anyCase));
  };
  const files = raw.body.kind === 'form' ? raw.body.files : new Map<string, Uint8Array>();
  const file = (name: string): Uint8Array | undefined => {
    param(name);
    if (files.has(name)) return files.get(name);
    if (!anyCase) return undefined;
    const key = [...files.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : files.get(key);
  };
  const asText = (value: JsonValue | undefined): string | undefined =>
    value === undefined || value === null ? undefined : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const input: Input = {
    path: (name) => {
      if (param(name).in !== 'path') throw new Error(`${name} is not a path parameter of ${route.path}`);
      return raw.pathParams[name] ?? '';
    },
    value: (name) => found(name)[0],
    text: (name) => asText(found(name)[0]),
    header: (name) => {
      const value = raw.req.headers[name.toLowerCase()];
      return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : value;
    },
    file,
    has: (name) => found(name).length > 0 || (param(name).type === 'file' && file(name) !== undefined),
    all: (name) => found(name).map((v) => asText(v)!).filter((v) => v !== undefined),
    body: raw.body.kind === 'json' ? raw.body.value : undefined,
    url: raw.url.toString(),
    now: raw.now,
  };
  return input;
}

const INTEGER = /^-?[0-9]{1,15}$/;

/** The declared parameters' own checks: present when required, of the declared type. */
export function checkParams(route: Route, input: Input): Invalid[] {
  const invalid: Invalid[] = [];
  for (const p of route.params) {
    const add = (message: string, reason: string) => invalid.push({ name: p.name, in: p.in, message, reason });
    if (p.type === 'file') {
      if (p.required && !input.file(p.name)) add('is required (a file)', 'missing');
      else if (input.file(p.name) === undefined && input.has(p.name) && input.text(p.name) !== '') add('must be a file of a multipart/form-data body', 'file_type');
      continue;
    }
    const value = input.value(p.name);
    if (value === undefined || value === null || value === '') {
      if (p.required) add('is required', 'missing');
      continue;
    }
    switch (p.type) {
      case 'string':
        if (typeof value !== 'string' && typeof value !== 'number') add('must be text', 'string_type');
        break;
      case 'integer':
        if (!(typeof value === 'number' && Number.isSafeInteger(value)) && !(typeof value === 'string' && INTEGER.test(value.trim()))) add('must be a whole number', 'int_type');
        break;
      case 'integer-or-string':
        if (!(typeof value === 'number' && Number.isSafeInteger(value)) && typeof value !== 'string') add('must be a whole number or text', 'int_type');
        break;
      case 'boolean':
        if (typeof value !== 'boolean' && !(typeof value === 'string' && /^(true|false)$/i.test(value))) add('must be true or false', 'bool_type');
        break;
      case 'strings':
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) add('must be an array of text', 'list_type');
        break;
      case 'object':
        if (!isObject(value)) add('must be an object', 'dict_type');
        break;
    }
  }
  return invalid;
}

/** The origin the caller reached, as connect-node builds a call's URL. */
export function originOf(req: Req): string {
  const encrypted = 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const authority = 'authority' in req ? (req as { authority: string }).authority : (req as http.IncomingMessage).headers.host;
  return `${encrypted ? 'https' : 'http'}://${authority ?? 'localhost'}`;
}
