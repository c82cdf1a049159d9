// request_id on create methods: a retry with the same key and the same request
// returns the first result and creates nothing; the same key with a different
// request is refused. The record is written in the create's own transaction,
// so it exists exactly when the created object does.
import { createHash } from 'node:crypto';
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { Code, ConnectError, type HandlerContext } from '@connectrpc/connect';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import type { IdempotencyRecord } from './idempotency.entity.ts';
import { dbIn, emOf, kTransaction, principalOf, readerOf } from '../rpc/context.ts';
import { apiError } from '../rpc/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import type { Em } from './database.ts';
import { query } from './query.ts';
import { ALL_RESELLERS } from './scope.ts';

type Db = Kysely<InferKyselyDB<typeof IdempotencyRecord>>;

// The record is keyed by its own scope column (the reseller, or 'staff'), not
// by the tenant filter: the queries run in ALL_RESELLERS and name the scope.
const findRecord = query((db: Db, p: { scope: string; method: string; requestId: string }) => db.selectFrom('idempotency_record')
  .select(['request_hash', 'response']).where('scope', '=', p.scope).where('method', '=', p.method).where('request_id', '=', p.requestId));

const insertRecord = query((db: Db, p: { id: string; scope: string; method: string; requestId: string; requestHash: string; response: string; createdAt: Date }) =>
  db.insertInto('idempotency_record').values({
    id: p.id, scope: p.scope, method: p.method, request_id: p.requestId, request_hash: p.requestHash, response: p.response, created_at: p.createdAt,
  }));

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

  const replay = async (): Promise<MessageShape<O> | undefined> => {
    // Outside any transaction: it sees every committed record, and a record
    // only counts once committed (a losing retry asks after its own
    // transaction has ended).
    const found = await findRecord.first(readerOf(call.ctx), ALL_RESELLERS, { scope, method, requestId });
    if (!found) return undefined;
    if (found.request_hash !== requestHash) throw reused(requestId);
    return fromBinary(call.responseSchema, Buffer.from(found.response, 'base64'));
  };

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await inTransaction(em, async (tx) => {
      const response = await work(tx);
      const kept = call.stored ? call.stored(response) : response;
      // One insert: no flush of a unit of work for one row.
      await insertRecord.run(dbIn(call.ctx, tx), ALL_RESELLERS, {
        id: uuidv7(), scope, method, requestId, requestHash,
        response: Buffer.from(toBinary(call.responseSchema, kept)).toString('base64'), createdAt: new Date(),
      });
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
