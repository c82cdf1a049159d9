// Turns anything a handler threw into the Connect error a partner can act on:
// ORM errors (unique violations, lost optimistic locks, missing rows) get their
// codes and reasons once, for every service; a bug is logged with the request
// id and answered `internal`, never with its stack or SQL.
import { Code, ConnectError } from '@connectrpc/connect';
import { OptimisticLockError, NotFoundError, UniqueConstraintViolationException, ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { Logger } from '../observability/logger.ts';
import type { UniqueError } from '../data/uniques.ts';
import { apiError, detailOf } from './errors.ts';
import { isRequestDecodingError } from '../workarounds/connect-es.ts';

/** Turns anything a handler threw into a ConnectError a partner can act on. */
export type ErrorMapper = (error: unknown, domain: string, requestId: string) => ConnectError;

/**
 * `uniqueErrorOf` names the error a unique constraint was declared with
 * (platform/data/uniques.ts); without it every violation is ALREADY_EXISTS.
 */
export function errorMapper(logger: Logger, uniqueErrorOf: (error: UniqueConstraintViolationException) => UniqueError | undefined = () => undefined): ErrorMapper {
  return (error, domain, requestId) => toConnectError(error, domain, requestId, logger, uniqueErrorOf);
}

function toConnectError(error: unknown, domain: string, requestId: string, logger: Logger, uniqueErrorOf: (error: UniqueConstraintViolationException) => UniqueError | undefined): ConnectError {
  let result: ConnectError;
  if (error instanceof ConnectError && error.code === Code.Internal && isRequestDecodingError(error.rawMessage)) {
    // A stream's messages are decoded inside the call: bytes that are not
    // protobuf are the caller's mistake (see protocol-errors.ts for unary calls).
    result = apiError(Code.InvalidArgument, 'MALFORMED_REQUEST', error.rawMessage, { cause: error });
  } else if (error instanceof ConnectError) {
    result = error;
  } else if (error instanceof UniqueConstraintViolationException) {
    const known = uniqueErrorOf(error);
    result = known
      ? apiError(Code.AlreadyExists, known.reason, known.message, { cause: error, legacyCode: known.legacyCode })
      : apiError(Code.AlreadyExists, 'ALREADY_EXISTS', 'an object with the same unique values already exists', { cause: error });
  } else if (error instanceof OptimisticLockError) {
    result = apiError(Code.Aborted, 'CONCURRENT_UPDATE', 'the object was changed by another request at the same time: read it again and retry', { cause: error });
  } else if (error instanceof NotFoundError) {
    result = apiError(Code.NotFound, 'NOT_FOUND', 'the object does not exist', { cause: error });
  } else if (error instanceof ForeignKeyConstraintViolationException) {
    result = apiError(Code.FailedPrecondition, 'REFERENCED_OBJECT', 'the change refers to an object that does not exist or is still in use', { cause: error });
  } else {
    logger.error({ requestId, err: error }, 'unhandled error');
    result = apiError(Code.Internal, 'INTERNAL', `internal error; quote request id ${requestId} to support`, { cause: error });
  }
  let detail = detailOf(result);
  if (!detail) {
    const rebuilt = apiError(result.code, Code[result.code].replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(), result.rawMessage, { cause: result.cause });
    rebuilt.metadata.forEach((v, k) => result.metadata.set(k, v));
    result = rebuilt;
    detail = detailOf(result)!;
  }
  if (!detail.domain) detail.domain = domain;
  // Errors often quote what the partner sent (an id, a value): a megabyte
  // sent is never sent back, three times over, in the message and detail.
  for (const [key, value] of Object.entries(detail.metadata)) detail.metadata[key] = clip(value, MAX_ECHO);
  for (const violation of detail.fieldViolations) violation.description = clip(violation.description, MAX_ECHO);
  if (result.rawMessage.length > MAX_MESSAGE) {
    // The details are passed on as they are (the constructor keeps them, incoming or outgoing).
    const details = result.details as ConstructorParameters<typeof ConnectError>[3];
    result = new ConnectError(clip(result.rawMessage, MAX_MESSAGE), result.code, result.metadata, details, result.cause);
  }
  result.metadata.set('x-request-id', requestId);
  return result;
}

/** Longest metadata value or field violation description an error carries; the message may list several. */
const MAX_ECHO = 300;
const MAX_MESSAGE = 2000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

