// Turns whatever a call threw into what the console shows: the server's
// message, its code and reason, and the field violations to put next to the
// fields of the form that sent it (ErrorDetail, proto/reseller/v1/common.proto).
import { Code, ConnectError } from '@connectrpc/connect';
import { ErrorDetailSchema } from '@gen/reseller/v1/common_pb.js';

export interface Violation {
  field: string;
  description: string;
  reason: string;
}

export interface Problem {
  /** The Connect code in its wire spelling, for example `invalid_argument`. */
  code: string;
  /** The server's message, meant for people (when unreachable: the browser's reason, which ErrorNotice puts in a sentence). */
  message: string;
  /** The ErrorDetail's stable reason, for example `ETAG_MISMATCH`. */
  reason: string;
  violations: Violation[];
  metadata: Record<string, string>;
  /** Quote it to support: the server logged the call under it. */
  requestId: string;
  /** The server could not be reached at all. */
  unreachable: boolean;
}

function wireCode(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export function problemOf(error: unknown): Problem {
  const err = ConnectError.from(error);
  const [detail] = err.findDetails(ErrorDetailSchema);
  // fetch() failing (server down, CORS or CSP refusal) surfaces as the
  // browser's own error, which Connect wraps as `unknown` with it as the
  // cause; an answer from the server never has a cause.
  const unreachable = !detail && err.code === Code.Unknown && err.cause !== undefined && !(err.cause instanceof ConnectError);
  return {
    code: wireCode(err.code),
    message: err.rawMessage,
    reason: detail?.reason ?? '',
    violations: (detail?.fieldViolations ?? []).map(({ field, description, reason }) => ({ field, description, reason })),
    metadata: { ...(detail?.metadata ?? {}) },
    requestId: err.metadata.get('x-request-id') ?? '',
    unreachable,
  };
}

export function isCode(error: unknown, code: Code): boolean {
  return error instanceof ConnectError && error.code === code;
}
