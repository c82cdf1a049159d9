// The legacy faces in the API reference: one tag per seed, an operation per
// route and method, its parameters where the seed sends them, its answers and
// errors with their schemas. tools/protoc-gen-openapi merges this into the
// generated document (buf.gen.yaml), so it is generated from the very tables
// the server runs, never written by hand.
import type { Face, Param, Route, Schema } from './define.ts';
import { FACES } from './faces.ts';

export interface OpenApiFragment {
  tags: Schema[];
  paths: Record<string, Record<string, Schema>>;
  schemas: Record<string, Schema>;
}

function paramSchema(p: Param): Schema {
  switch (p.type) {
    case 'string': return { type: 'string' };
    case 'integer': return { type: 'integer' };
    case 'integer-or-string': return { type: ['integer', 'string'] };
    case 'boolean': return { type: 'boolean' };
    case 'strings': return { type: 'array', items: { type: 'string' } };
    case 'object': return p.schema ?? { type: 'object' };
    case 'file': return { type: 'string', format: 'binary' };
  }
}

function objectOf(params: Param[]): Schema {
  const required = params.filter((p) => p.required).map((p) => p.name);
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, { ...paramSchema(p), description: p.description }])),
    ...(required.length > 0 ? { required } : {}),
  };
}

function rpcNote(route: Route): string {
  const paths = typeof route.rpc === 'string' ? [route.rpc] : route.rpc.among;
  const names = paths.map((p) => `\`${p.split('/').slice(1).join('.').replace('reseller.v1.', '')}\` (\`POST ${p}\`)`);
  return `Replaced by ${names.join(' or ')}: see docs/migrating.md.`;
}

function operation(face: Face, route: Route, method: string, errorRef: Schema): Schema {
  const open = face.open?.includes(route.path) ?? false;
  const inUrl = route.params.filter((p) => p.in !== 'body');
  const inBody = route.params.filter((p) => p.in === 'body');
  // Seed 004 takes any parameter in the query or a form body alike.
  const formFields = face.lenientParams ? route.params.filter((p) => p.in !== 'path' && p.in !== 'header') : inBody;
  const parameters = inUrl
    .filter((p) => !(face.lenientParams && p.type === 'file'))
    .map((p) => ({ name: p.name, in: p.in, required: p.in === 'path' ? true : Boolean(p.required) && !face.lenientParams, description: p.description, schema: paramSchema(p) }));
  const takesBody = method !== 'GET' && method !== 'DELETE';
  let requestBody: Schema | undefined;
  if (takesBody && route.bodySchema) {
    requestBody = { required: true, content: { 'application/json': { schema: route.bodySchema } } };
  } else if (takesBody && face.lenientParams && formFields.length > 0) {
    const form = objectOf(formFields.map((p) => ({ ...p, required: false })));
    requestBody = { required: false, content: { 'multipart/form-data': { schema: form }, 'application/x-www-form-urlencoded': { schema: form } } };
  } else if (takesBody && inBody.length > 0) {
    requestBody = { required: inBody.some((p) => p.required), content: { 'application/json': { schema: objectOf(inBody) } } };
  }
  const contentType = face.contentType ?? 'application/json';
  const errorResponse = (description: string) => ({ description, headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } }, content: { [contentType]: { schema: errorRef } } });
  const statuses = { ...face.errorStatuses, ...route.errors };
  const responses: Record<string, Schema> = {
    [String(route.success.status)]: {
      description: route.success.description,
      headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } },
      ...(route.success.schema ? { content: { [contentType]: { schema: route.success.schema } } } : {}),
    },
  };
  for (const [status, description] of Object.entries(statuses)) {
    if (open && status === '401' && route.path !== '/token') continue;
    if (status === String(route.success.status)) {
      // Seed 004's exceptions share the success status: both shapes are answered with it.
      const success = responses[status] as { content: Record<string, { schema: Schema }> };
      success.content[contentType] = { schema: { oneOf: [success.content[contentType]!.schema, errorRef] } };
      responses[status] = { ...responses[status], description: `${route.success.description} ${description}` };
      continue;
    }
    responses[status] = errorResponse(description);
  }
  responses.default = errorResponse('Any other failure, in the same shape: 413 for a body over MAX_REQUEST_BYTES, 500 for a fault of ours (quote its x-request-id), 503 while the database is unreachable.');
  const slug = route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return {
    tags: [face.tag],
    operationId: `legacy${face.seed}_${method.toLowerCase()}_${slug}`,
    summary: route.summary,
    description: [route.description, rpcNote(route)].filter(Boolean).join('\n\n'),
    deprecated: true,
    ...(open ? { security: [] } : {}),
    parameters: [...parameters, { $ref: '#/components/parameters/RequestId' }],
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** Every face's routes (all of them: the document describes the API, the server serves what LEGACY_FACES enables). */
export function openApiFragment(faces: readonly Face[] = FACES): OpenApiFragment {
  const tags: Schema[] = [];
  const paths: Record<string, Record<string, Schema>> = {};
  const schemas: Record<string, Schema> = {};
  for (const face of faces) {
    tags.push({ name: face.tag, description: face.description });
    const errorName = `legacy.${face.seed}.Error`;
    schemas[errorName] = face.errorSchema;
    const errorRef = { $ref: `#/components/schemas/${errorName}` };
    for (const route of face.routes) {
      const item = (paths[route.path] ??= {});
      for (const method of route.methods) {
        const key = method.toLowerCase();
        if (item[key]) throw new Error(`two legacy routes answer ${method} ${route.path}`);
        item[key] = operation(face, route, method, errorRef);
      }
    }
  }
  return { tags, paths, schemas };
}
