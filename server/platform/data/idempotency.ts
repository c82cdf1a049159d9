// request_id on create methods: a retry with the same key and the same request
// returns the first result and creates nothing; the same key with a different
// request is refused. The record is written in the create's own transaction,
// so it exists exactly when the created object does.
import { createHash } from 'node:crypto';
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { Code, ConnectError, type HandlerContext } from '@connectrpc/connect';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { IdempotencyRecord } from './idempotency.entity.ts';
import { emOf, kTransaction, principalOf, readsOf } from '../rpc/context.ts';
import { apiError } from '../rpc/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import type { Em } from './database.ts';
import { timeValue, write } from './writes.ts';

const INSERT_RECORD = `insert into idempotency_record (id, scope, method, request_id, request_hash, response, created_at)
  values (?, ?, ?, ?, ?, ?, ?)`;
const FIND_RECORD = 'select request_hash, response from idempotency_record where scope = ? and method = ? and request_id = ?';

export interface IdempotentCall<I extends DescMessage, O extends DescMessage> {
  ctx: HandlerContext;
  requestSchema: I;
  request: MessageShape<I> & { requestId: string };
  responseSchema: O;
  /** What a retry gets back, when it must not see everything the first call did (a secret). */
  stored?: (response: MessageShape<O>) => MessageShape<O>;
}

function reused(requestId: string) {
  return apiError(Code.FailedPrecondition, 'REQUEST_ID_REUSED',
    `request_id "${requestId}" was already used for a different request: use a new request_id for a new request`,
    { metadata: { requestId } });
}

/**
 * Runs `work` in one transaction, once per request_id. On SQLite the
 * transaction may be shared with other creates (group commit, see
 * transactions.ts): `work` must use only the EntityManager it is given.
 */
export async function idempotent<I extends DescMessage, O extends DescMessage>(
  call: IdempotentCall<I, O>,
  work: (em: Em) => Promise<MessageShape<O>>,
): Promise<MessageShape<O>> {
  const em = emOf(call.ctx);
  const inTransaction = call.ctx.values.get(kTransaction);
  const requestId = call.request.requestId;
  if (!requestId) return inTransaction(em, work);
  if (requestId.length > 128) {
    throw apiError(Code.InvalidArgument, 'INVALID_ARGUMENT', 'invalid request: requestId must be at most 128 characters', {
      violations: [{ field: 'requestId', description: 'must be at most 128 characters', reason: 'TOO_LONG' }],
    });
  }
  const principal = principalOf(call.ctx);
  const scope = principal.resellerId ?? 'staff';
  const method = call.ctx.method.parent.typeName + '/' + call.ctx.method.name;
  const withoutKey = create(call.requestSchema, { ...call.request, requestId: '' } as never);
  const requestHash = createHash('sha256').update(toBinary(call.requestSchema, withoutKey)).digest('hex');

  const reads = readsOf(call.ctx);
  const replay = async (): Promise<MessageShape<O> | undefined> => {
    // A prepared read where there is one (server/platform/data/reads.ts): it sees
    // every committed record, and a record only counts once committed (a
    // losing retry asks after its own transaction has ended).
    const found = reads
      ? (await reads.all<{ request_hash: string; response: string }>(FIND_RECORD, [scope, method, requestId]))
        .map((row) => ({ requestHash: row.request_hash, response: row.response }))[0]
      : await em.fork().findOne(IdempotencyRecord, { scope, method, requestId });
    if (!found) return undefined;
    if (found.requestHash !== requestHash) throw reused(requestId);
    return fromBinary(call.responseSchema, Buffer.from(found.response, 'base64'));
  };

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await inTransaction(em, async (tx) => {
      const response = await work(tx);
      const kept = call.stored ? call.stored(response) : response;
      // Plain SQL (server/platform/data/writes.ts): no flush of a unit of work for one row.
      await write(tx, INSERT_RECORD, [
        uuidv7(), scope, method, requestId, requestHash,
        Buffer.from(toBinary(call.responseSchema, kept)).toString('base64'), timeValue(tx, new Date()),
      ]);
      return response;
    });
  } catch (error) {
    // Two retries raced: the loser (refused by the record's key or by the
    // created object's own unique keys) answers with the winner's result.
    if (error instanceof UniqueConstraintViolationException || (error instanceof ConnectError && error.code === Code.AlreadyExists)) {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
}
