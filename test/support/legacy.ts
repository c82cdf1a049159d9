// Calling the legacy faces as a partner's existing code does (curl-like fetch:
// the exact method, path, headers and body encoding), and checking their
// answers against what /openapi.json documents for them.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parseAnswer, type HttpAnswer, type TestServer } from './server.ts';

export interface LegacyRequest {
  /** A bearer token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
  /** Sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Sent as is (a FormData is multipart/form-data, a URLSearchParams a URL-encoded form). */
  body?: string | FormData | URLSearchParams;
}

/** One request to a legacy route; `path` includes the query string. */
export async function legacy(server: TestServer, method: string, path: string, request: LegacyRequest = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...(request.token ? { authorization: `Bearer ${request.token}` } : {}), ...request.headers };
  let body: string | FormData | URLSearchParams | undefined = request.body;
  if (request.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(request.json);
  }
  return parseAnswer(await fetch(`${server.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(15_000) }));
}

/** Validates values against the document's own schemas (JSON Schema 2020-12, as OpenAPI 3.1 says). */
export function schemaValidator(document: any) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addFormat('uint64', /^[0-9]+$/);
  ajv.addFormat('binary', () => true);
  ajv.addSchema({ $id: 'openapi', components: document.components });
  return (schema: object, value: unknown): string[] => {
    const check = ajv.compile({ $id: `check-${Math.random()}`, ...JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')) });
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

/**
 * What the reference says of a legacy operation's answer: `conforms(method,
 * template, answer)` lists how the answer strays from the schema documented
 * for its status (an undocumented status is a stray too).
 */
export async function documented(server: TestServer) {
  const document = await (await fetch(`${server.url}/openapi.json`)).json();
  const check = schemaValidator(document);
  return (method: string, template: string, answer: HttpAnswer): string[] => {
    const operation = document.paths[template]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${template} is not in the reference`];
    const response = operation.responses[String(answer.status)] ?? (answer.status >= 400 ? operation.responses.default : undefined);
    if (!response) return [`${method} ${template} answered ${answer.status}, which the reference does not list: ${JSON.stringify(answer.body).slice(0, 300)}`];
    const content = response.content;
    if (!content) return answer.body === '' ? [] : [`${answer.status} has a body the reference does not describe`];
    const [type, media] = Object.entries<any>(content)[0]!;
    if (!(answer.headers.get('content-type') ?? '').startsWith(type.split(';')[0]!)) return [`content-type ${answer.headers.get('content-type')}, documented ${type}`];
    return check(media.schema, answer.body).map((e) => `${method} ${template} ${answer.status}: ${e}`);
  };
}
