// Building the platform's errors: a Connect code, a message a partner can act
// on, and exactly one ErrorDetail with a stable reason.
import { Code, ConnectError } from '@connectrpc/connect';
import { create } from '@bufbuild/protobuf';
import { ErrorDetailSchema, type ErrorDetail } from '../../../gen/reseller/v1/common_pb.js';

export { Code, ConnectError };

export interface Violation {
  field: string;
  description: string;
  reason: string;
}

export interface ErrorOptions {
  metadata?: Record<string, string>;
  violations?: Violation[];
  legacyCode?: number;
  domain?: string;
  cause?: unknown;
}

export function apiError(code: Code, reason: string, message: string, options: ErrorOptions = {}): ConnectError {
  const detail = create(ErrorDetailSchema, {
    reason,
    domain: options.domain ?? '',
    metadata: options.metadata ?? {},
    fieldViolations: options.violations ?? [],
    legacyCode: options.legacyCode ?? 0,
  });
  return new ConnectError(message, code, undefined, [{ desc: ErrorDetailSchema, value: detail }], options.cause);
}

/** The ErrorDetail of an error built by apiError, if it has one. */
export function detailOf(error: ConnectError): ErrorDetail | undefined {
  for (const d of error.details) {
    if ('desc' in d && d.desc.typeName === ErrorDetailSchema.typeName) return d.value as ErrorDetail;
  }
  return undefined;
}

export function notFound(reason: string, what: string, id: string, options: ErrorOptions = {}): ConnectError {
  return apiError(Code.NotFound, reason, `${what} ${id} not found`, { ...options, metadata: { id, ...options.metadata } });
}

export function alreadyExists(reason: string, message: string, options: ErrorOptions = {}): ConnectError {
  return apiError(Code.AlreadyExists, reason, message, options);
}

export function failedPrecondition(reason: string, message: string, options: ErrorOptions = {}): ConnectError {
  return apiError(Code.FailedPrecondition, reason, message, options);
}

export function staleEtag(what: string, id: string, sent: string, current: string): ConnectError {
  return apiError(Code.Aborted, 'ETAG_MISMATCH',
    `${what} ${id} changed since you read it (your etag ${sent}, now ${current}): read it again and retry`,
    { metadata: { id, etag: sent, currentEtag: current } });
}

/** Refuses an update whose etag is set and stale. */
export function checkEtag(what: string, entity: { id: string; version: number }, sent: string): void {
  if (!sent) return;
  const current = `v${entity.version}`;
  if (sent !== current) throw staleEtag(what, entity.id, sent, current);
}
