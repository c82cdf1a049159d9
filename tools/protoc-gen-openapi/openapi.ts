// Turns the contract (proto files and their comments) into an OpenAPI 3.1
// document for the Connect protocol's JSON endpoints: what a partner calling
// with curl or any HTTP client sees. Request and response bodies follow the
// proto3 JSON mapping; the server answers with every implicit field present
// (jsonOptions.alwaysEmitImplicit), which is what `required` says of responses.
import { ScalarType, type AnyDesc, type DescEnum, type DescField, type DescFile, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';
import { FeatureSet_FieldPresence, MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import { nestedTypes } from '@bufbuild/protobuf/reflect';
import { getComments } from '@bufbuild/protoplugin';

export interface OpenApiOptions {
  /** Packages to describe (others, such as grpc.health.v1, are left out). */
  packages: string[];
  title: string;
  version: string;
  /** Services callable without a token. */
  publicServices: string[];
  /** The method that hands out tokens, named in the text on authentication. */
  tokenMethod?: string;
  /** The message every error carries under details[].debug. */
  errorDetail?: string;
  /** More of the API described elsewhere (plain HTTP routes), merged in as they come: tags, paths and schemas. */
  fragments?: Fragment[];
}

/** A part of an OpenAPI document to merge: its tags, paths and component schemas. */
export interface Fragment {
  tags: Schema[];
  paths: Record<string, Record<string, Schema>>;
  schemas: Record<string, Schema>;
}

type Schema = Record<string, unknown>;

const CONNECT_CODES: [code: string, status: number][] = [
  ['canceled', 499], ['unknown', 500], ['invalid_argument', 400], ['deadline_exceeded', 504], ['not_found', 404],
  ['already_exists', 409], ['permission_denied', 403], ['resource_exhausted', 429], ['failed_precondition', 400],
  ['aborted', 409], ['out_of_range', 400], ['unimplemented', 501], ['internal', 500], ['unavailable', 503],
  ['data_loss', 500], ['unauthenticated', 401],
];

/** Well-known types have their own JSON forms (proto3 JSON mapping). */
function wellKnown(typeName: string): Schema | undefined {
  switch (typeName) {
    case 'google.protobuf.Timestamp':
      return { type: 'string', format: 'date-time', description: 'An RFC 3339 date and time in UTC, for example `2026-11-24T08:00:00Z`.' };
    case 'google.protobuf.Duration':
      return { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]{1,9})?s$', description: 'A duration in seconds with an `s` suffix, for example `1.5s`.' };
    case 'google.protobuf.FieldMask':
      return { type: 'string', description: 'Comma-separated field paths in camelCase, for example `name,code`.' };
    case 'google.protobuf.Empty':
      return { type: 'object' };
    case 'google.protobuf.Struct':
      return { type: 'object', additionalProperties: true };
    case 'google.protobuf.Value':
      return {};
    case 'google.protobuf.ListValue':
      return { type: 'array' };
    case 'google.protobuf.Any':
      return { type: 'object', properties: { '@type': { type: 'string' } }, required: ['@type'], additionalProperties: true };
    case 'google.protobuf.DoubleValue': case 'google.protobuf.FloatValue':
      return { type: 'number' };
    case 'google.protobuf.Int64Value': case 'google.protobuf.UInt64Value':
      return scalar(ScalarType.INT64);
    case 'google.protobuf.Int32Value': case 'google.protobuf.UInt32Value':
      return { type: 'integer' };
    case 'google.protobuf.BoolValue':
      return { type: 'boolean' };
    case 'google.protobuf.StringValue':
      return { type: 'string' };
    case 'google.protobuf.BytesValue':
      return scalar(ScalarType.BYTES);
    default:
      return undefined;
  }
}

function scalar(type: ScalarType): Schema {
  switch (type) {
    case ScalarType.STRING: return { type: 'string' };
    case ScalarType.BOOL: return { type: 'boolean' };
    case ScalarType.INT32: case ScalarType.SINT32: case ScalarType.SFIXED32: return { type: 'integer', format: 'int32' };
    case ScalarType.UINT32: case ScalarType.FIXED32: return { type: 'integer', minimum: 0, maximum: 4294967295 };
    // 64-bit integers are JSON strings: a JavaScript number cannot hold them all.
    case ScalarType.INT64: case ScalarType.SINT64: case ScalarType.SFIXED64: return { type: 'string', format: 'int64', pattern: '^-?[0-9]+$' };
    case ScalarType.UINT64: case ScalarType.FIXED64: return { type: 'string', format: 'uint64', pattern: '^[0-9]+$' };
    case ScalarType.FLOAT: return { type: 'number', format: 'float' };
    case ScalarType.DOUBLE: return { type: 'number', format: 'double' };
    case ScalarType.BYTES: return { type: 'string', format: 'byte', contentEncoding: 'base64' };
  }
}

const ref = (typeName: string) => ({ $ref: `#/components/schemas/${typeName}` });

function messageSchemaRef(message: DescMessage): Schema {
  return wellKnown(message.typeName) ?? ref(message.typeName);
}

function enumSchemaRef(enumeration: DescEnum): Schema {
  return enumeration.typeName === 'google.protobuf.NullValue' ? { type: 'null' } : ref(enumeration.typeName);
}

function valueSchema(field: DescField): Schema {
  switch (field.fieldKind) {
    case 'scalar': return scalar(field.scalar);
    case 'enum': return enumSchemaRef(field.enum);
    case 'message': return messageSchemaRef(field.message);
    case 'list':
      return {
        type: 'array',
        items: field.listKind === 'scalar' ? scalar(field.scalar) : field.listKind === 'enum' ? enumSchemaRef(field.enum) : messageSchemaRef(field.message),
      };
    case 'map': {
      const value = field.mapKind === 'scalar' ? scalar(field.scalar) : field.mapKind === 'enum' ? enumSchemaRef(field.enum) : messageSchemaRef(field.message);
      // JSON object keys are strings: integer and bool keys are written as such strings.
      const key = field.mapKey === ScalarType.STRING ? undefined
        : field.mapKey === ScalarType.BOOL ? { enum: ['true', 'false'] } : { pattern: '^-?[0-9]+$' };
      return { type: 'object', additionalProperties: value, ...(key ? { propertyNames: key } : {}) };
    }
  }
}

/** Present in every response: the server emits implicit fields even when they hold their default. */
function alwaysEmitted(field: DescField): boolean {
  if (field.fieldKind === 'list' || field.fieldKind === 'map') return true;
  return field.fieldKind !== 'message' && field.presence === FeatureSet_FieldPresence.IMPLICIT;
}

/** The messages a message leads to through its fields, itself included. */
function reachable(roots: Iterable<DescMessage>): Set<string> {
  const seen = new Set<string>();
  const visit = (message: DescMessage) => {
    if (seen.has(message.typeName)) return;
    seen.add(message.typeName);
    for (const field of message.fields) if (field.message) visit(field.message);
  };
  for (const root of roots) visit(root);
  return seen;
}

export function generateOpenApi(files: readonly DescFile[], options: OpenApiOptions): Schema {
  const ours = files.filter((f) => options.packages.includes(f.proto.package));
  const services: DescService[] = [];
  const messages: DescMessage[] = [];
  const enums: DescEnum[] = [];
  for (const file of ours) {
    for (const type of nestedTypes(file)) {
      if (type.kind === 'service') services.push(type);
      else if (type.kind === 'message') messages.push(type);
      else if (type.kind === 'enum') enums.push(type);
    }
  }
  const unary = (s: DescService) => s.methods.filter((m) => m.methodKind === 'unary');

  // Comments name fields as in the .proto (`page_token`); JSON callers write `pageToken`.
  const jsonNames = new Map<string, string>();
  for (const message of messages) for (const field of message.fields) if (field.name !== field.jsonName) jsonNames.set(field.name, field.jsonName);
  const text = (comment: string | undefined): string | undefined => {
    if (!comment) return undefined;
    const lines = comment.split('\n').map((l) => l.replace(/^ /, '').trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines.join('\n').replace(/`([a-z0-9_]+)`/g, (whole, name: string) => jsonNames.has(name) ? `\`${jsonNames.get(name)}\`` : whole);
  };
  const describe = (desc: Exclude<AnyDesc, DescFile>) => text(getComments(desc).leading);

  // A message only ever sent by the server can promise its implicit fields;
  // one a client also sends cannot (proto3 makes every request field optional).
  const sentByClients = reachable(services.flatMap((s) => unary(s).map((m) => m.input)));

  const schemas: Record<string, Schema> = {};
  for (const message of messages) {
    if (message.typeName in schemas || wellKnown(message.typeName)) continue;
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const field of message.fields) {
      const notes: string[] = [];
      const comment = describe(field);
      if (comment) notes.push(comment);
      if (field.oneof) {
        const others = field.oneof.fields.map((f) => `\`${f.jsonName}\``).join(', ');
        notes.push(`One of ${others}: set at most one.`);
      } else if (field.fieldKind !== 'list' && field.fieldKind !== 'map' && field.presence === FeatureSet_FieldPresence.EXPLICIT && field.fieldKind !== 'message') {
        notes.push('Optional: absent when not set, which differs from its default value.');
      }
      const schema = valueSchema(field);
      properties[field.jsonName] = {
        ...schema,
        ...(notes.length > 0 || schema.description ? { description: [...notes, schema.description].filter(Boolean).join('\n\n') } : {}),
        ...(field.deprecated ? { deprecated: true } : {}),
      };
      if (!sentByClients.has(message.typeName) && alwaysEmitted(field)) required.push(field.jsonName);
    }
    schemas[message.typeName] = {
      type: 'object',
      ...(describe(message) ? { description: describe(message) } : {}),
      properties,
      ...(required.length > 0 ? { required } : {}),
      ...(message.deprecated ? { deprecated: true } : {}),
    };
  }
  for (const enumeration of enums) {
    const values = enumeration.values.map((v) => `- \`${v.name}\`${describe(v) ? `: ${describe(v)!.replace(/\n/g, ' ')}` : ''}`);
    schemas[enumeration.typeName] = {
      type: 'string',
      enum: enumeration.values.map((v) => v.name),
      description: [describe(enumeration), values.join('\n')].filter(Boolean).join('\n\n'),
    };
  }

  const errorDetail = options.errorDetail && schemas[options.errorDetail] ? options.errorDetail : undefined;
  schemas['connect.Error'] = {
    type: 'object',
    description: 'The body of every error answer (Connect protocol).',
    properties: {
      code: { type: 'string', enum: CONNECT_CODES.map(([code]) => code), description: 'The error code; the HTTP status follows from it.' },
      message: { type: 'string', description: 'What went wrong, for a person to read.' },
      details: {
        type: 'array',
        description: errorDetail ? `Exactly one entry, of type \`${errorDetail}\`.` : 'Typed details.',
        items: {
          type: 'object',
          properties: {
            type: { type: 'string', description: 'The detail\'s message type, without a prefix.', ...(errorDetail ? { examples: [errorDetail] } : {}) },
            value: { type: 'string', contentEncoding: 'base64', description: 'The detail in protobuf binary, base64 without padding.' },
            debug: errorDetail ? { ...ref(errorDetail), description: 'The same detail, decoded, as JSON.' } : { type: 'object' },
          },
          required: ['type', 'value'],
        },
      },
    },
    required: ['code'],
  };

  const paths: Record<string, Schema> = {};
  const tags: Schema[] = [];
  for (const service of services) {
    tags.push({ name: service.name, ...(describe(service) ? { description: describe(service) } : {}) });
    const open = options.publicServices.includes(service.typeName);
    for (const method of unary(service)) {
      const description = describe(method);
      const summary = description?.split(/(?<=\.)\s/)[0]?.replace(/\n/g, ' ');
      const responses = {
        '200': {
          description: `The ${method.output.name}.`,
          headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } },
          content: { 'application/json': { schema: messageSchemaRef(method.output) } },
        },
        default: { $ref: '#/components/responses/Error' },
      };
      const common = {
        tags: [service.name],
        ...(summary ? { summary } : {}),
        ...(description ? { description } : {}),
        ...(open ? { security: [] } : {}),
        ...(method.deprecated ? { deprecated: true } : {}),
      };
      const item: Schema = {
        post: {
          ...common,
          operationId: `${service.name}_${method.name}`,
          parameters: [{ $ref: '#/components/parameters/RequestId' }],
          requestBody: { required: true, content: { 'application/json': { schema: messageSchemaRef(method.input) } } },
          responses,
        },
      };
      // Connect GET: read-only methods also take the request in the query
      // string, which lets browsers and proxies cache them.
      if (method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS) {
        item.get = {
          ...common,
          operationId: `${service.name}_${method.name}_get`,
          ...(description ? { description: `${description}\n\nThe same call as the POST, with the request as URL-encoded JSON in \`message\`.` } : {}),
          parameters: [
            { name: 'encoding', in: 'query', required: true, schema: { type: 'string', enum: ['json'], default: 'json' }, description: 'The request\'s encoding: `json`.' },
            { name: 'message', in: 'query', required: true, description: 'The request, as JSON, URL-encoded.', content: { 'application/json': { schema: messageSchemaRef(method.input) } } },
            { name: 'connect', in: 'query', required: false, schema: { type: 'string', enum: ['v1'] }, description: 'The Connect protocol version, `v1`; optional.' },
            { $ref: '#/components/parameters/RequestId' },
          ],
          responses,
        };
      }
      paths[`/${service.typeName}/${method.name}`] = item;
    }
  }

  for (const fragment of options.fragments ?? []) {
    tags.push(...fragment.tags);
    for (const [path, item] of Object.entries(fragment.paths)) {
      if (paths[path]) throw new Error(`${path} is described twice`);
      paths[path] = item;
    }
    for (const [name, schema] of Object.entries(fragment.schemas)) {
      if (schemas[name]) throw new Error(`schema ${name} is described twice`);
      schemas[name] = schema;
    }
  }
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));

  const statuses = CONNECT_CODES.map(([code, status]) => `\`${code}\` ${status}`).join(', ');
  const tokenMethod = options.tokenMethod ? `\`${options.tokenMethod}\`` : 'the token method';
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      description: [
        'Every method is an HTTP `POST` of a JSON request to `/<package>.<Service>/<Method>`, answered with JSON ' +
        '(the [Connect protocol](https://connectrpc.com/docs/protocol/)). Read-only methods also answer `GET` with ' +
        'the request URL-encoded in `?encoding=json&message=...`. The same methods answer over gRPC and gRPC-Web on the same port.',
        `**Authentication.** Exchange your client id and secret for a bearer token with ${tokenMethod}, then send ` +
        '`Authorization: Bearer <token>` with every other call. Here: **Authorize**, paste the token, then **Try it out**.',
        '**JSON.** Field names are camelCase; 64-bit integers are strings; enums are their names; timestamps are ' +
        'RFC 3339 strings; bytes are base64. Answers show every field, defaults included, except unset optional fields and messages.',
        `**Errors.** An error answers with an HTTP status, a \`code\` and a \`message\`${errorDetail ? `, and one \`${errorDetail}\` under \`details[0].debug\` with a stable \`reason\` to branch on` : ''}. ` +
        `Codes and their HTTP statuses: ${statuses}.`,
        'Send `x-request-id` to tie a call to our logs; it is echoed back, and made up when absent.',
        ...(options.fragments?.length ? [
          '**Legacy faces.** The operations tagged *Legacy* are the original partner APIs this one replaces, served as their ' +
          'documents describe them (paths, French fields, status codes and error shapes) on the same services, so existing ' +
          'integrations keep working while they move to the methods above. Each says which method replaces it.',
        ] : []),
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'The server that serves this document.' }],
    security: [{ bearerAuth: [] }],
    tags,
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: `A token from ${tokenMethod}.` },
      },
      parameters: {
        RequestId: {
          name: 'x-request-id', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' },
          description: 'Your id for this call, echoed back and written in our logs; one is made up when absent.',
        },
      },
      headers: {
        RequestId: { schema: { type: 'string' }, description: 'The call\'s id (yours, or the one made up): quote it to support.' },
      },
      responses: {
        Error: {
          description: 'An error: the HTTP status follows from `code` (see the introduction).',
          headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } },
          content: { 'application/json': { schema: ref('connect.Error') } },
        },
      },
      schemas: sortedSchemas,
    },
  };
}
