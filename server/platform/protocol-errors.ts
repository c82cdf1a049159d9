// Errors that Connect raises itself, before a call reaches our interceptors (a
// body that is not valid JSON, a message over the size limit, an unsupported
// content type), come out as {"code","message"} only. For Connect JSON callers
// this adds the same single ErrorDetail every other error carries, so curl users
// can always branch on details[0].debug.reason.
import type http from 'node:http';
import { create, toBinary } from '@bufbuild/protobuf';
import { ErrorDetailSchema } from '../../gen/reseller/v1/common_pb.js';

const reasons: Record<string, string> = {
  invalid_argument: 'MALFORMED_REQUEST',
  resource_exhausted: 'REQUEST_TOO_LARGE',
  unimplemented: 'UNSUPPORTED_REQUEST',
  internal: 'INTERNAL',
  unknown: 'UNKNOWN',
};

function withDetail(body: Buffer, domain: string): Buffer {
  let error: { code?: string; message?: string; details?: unknown[] };
  try {
    error = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (!error || typeof error.code !== 'string' || (error.details && error.details.length > 0)) return body;
  const detail = create(ErrorDetailSchema, { reason: reasons[error.code] ?? error.code.toUpperCase(), domain });
  const value = Buffer.from(toBinary(ErrorDetailSchema, detail)).toString('base64').replace(/=+$/, '');
  error.details = [{ type: ErrorDetailSchema.typeName, value, debug: { reason: detail.reason, domain, metadata: {}, fieldViolations: [], legacyCode: 0 } }];
  return Buffer.from(JSON.stringify(error));
}

/** Watches one Connect JSON response; rewrites it only when it is an error without details. */
export function addDetailToProtocolErrors(res: http.ServerResponse, path: string): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, status: number, ...rest: any[]) {
    const headers = rest.find((r) => r && typeof r === 'object') as Record<string, string | string[]> | undefined;
    const contentType = String(headers?.['content-type'] ?? '');
    if (status >= 400 && contentType.startsWith('application/json')) {
      if (headers) delete headers['content-length'];
      const chunks: Buffer[] = [];
      const write = res.write;
      const end = res.end;
      res.write = function (chunk: any, ...args: any[]) {
        chunks.push(Buffer.from(chunk));
        const callback = args.find((a) => typeof a === 'function');
        if (callback) process.nextTick(callback);
        return true;
      } as typeof res.write;
      res.end = function (this: http.ServerResponse, ...args: any[]) {
        if (args[0] && typeof args[0] !== 'function') chunks.push(Buffer.from(args[0]));
        const service = path.split('/')[1] ?? '';
        (write as (chunk: Buffer) => boolean).call(this, withDetail(Buffer.concat(chunks), service));
        return (end as () => http.ServerResponse).call(this);
      } as typeof res.end;
    }
    return writeHead.call(this, status, ...rest);
  } as typeof res.writeHead;
}
