// AccessService: resellers and API credentials, for staff.
import { create } from '@bufbuild/protobuf';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import {
  AccessService, CreateCredentialRequestSchema, CreateCredentialResponseSchema, CreateResellerRequestSchema,
  CreateResellerResponseSchema,
  type CreateCredentialRequest, type CreateResellerRequest, type ListCredentialsRequest, type ListResellersRequest,
  type RevokeCredentialRequest,
} from '../../gen/reseller/v1/access_pb.js';
import { Credential, Reseller, type RoleName } from './access.entity.ts';
import { requireReseller } from './access.repository.ts';
import { roleNames } from './roles.ts';
import { credentialMessageById, credentialPage, resellerById, resellerPage } from './access.queries.ts';
import { dbIn, emOf, readerOf, scopeOf } from '../platform/rpc/context.ts';
import { fold } from '../platform/core/text.ts';
import { failedPrecondition, notFound } from '../platform/rpc/errors.ts';
import { idempotent } from '../platform/data/idempotency.ts';
import { escapeLike, pageOf } from '../platform/data/pagination.ts';
import { hashSecret, newClientId, newClientSecret } from '../platform/security/tokens.ts';
import { validate } from '../platform/rpc/validation.ts';
import { uuidv7 } from '../platform/core/ids.ts';
import type { Em } from '../platform/data/database.ts';
import type { CredentialCache } from '../platform/security/authentication.ts';


/** Issues a credential; returns it with its secret, which is stored only hashed. */
export async function issueCredential(em: Em, fields: { role: RoleName; reseller?: Reseller; displayName: string; clientId?: string; secret?: string }) {
  const secret = fields.secret ?? newClientSecret();
  const credential = em.create(Credential, {
    id: uuidv7(),
    clientId: fields.clientId ?? newClientId(),
    secretHash: await hashSecret(secret),
    role: fields.role,
    reseller: fields.reseller ?? null,
    displayName: fields.displayName,
    revokedAt: null,
  });
  await em.flush();
  return { credential, secret };
}

export class AccessServiceImpl implements ServiceImpl<typeof AccessService> {
  readonly #credentials: CredentialCache | undefined;

  /** `credentials`: this instance's cache, told of each revocation once it is committed. */
  constructor(credentials?: CredentialCache) {
    this.#credentials = credentials;
  }

  async createReseller(req: CreateResellerRequest, ctx: HandlerContext) {
    const v = validate();
    const name = v.text('name', req.name, { max: 200 });
    v.check();
    return idempotent({ ctx, requestSchema: CreateResellerRequestSchema, request: req, responseSchema: CreateResellerResponseSchema }, async (em) => {
      const reseller = em.create(Reseller, { name, nameLower: fold(name, 200) });
      await em.flush();
      return create(CreateResellerResponseSchema, { reseller: await resellerById(dbIn(ctx, em), scopeOf(ctx), reseller.id) });
    });
  }

  async listResellers(req: ListResellersRequest, ctx: HandlerContext) {
    const v = validate();
    const query = fold(v.optionalText('query', req.query, 200) ?? '');
    v.check();
    const p = await pageOf(ctx, req, { field: 'nameLower', direction: 'asc', type: 'string' }, ['resellers', query]);
    const rows = await resellerPage(readerOf(ctx), scopeOf(ctx), { pattern: query ? `%${escapeLike(query)}%` : undefined, cursor: p.cursor, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { resellers: items.map((row) => row.message), nextPageToken };
  }

  async createCredential(req: CreateCredentialRequest, ctx: HandlerContext) {
    const v = validate();
    const displayName = v.text('displayName', req.displayName, { max: 200 });
    const role = roleNames[req.role];
    if (!role) v.add('role', 'must be ROLE_ADMIN, ROLE_SUPPORT or ROLE_RESELLER', 'REQUIRED');
    if (role === 'reseller') v.id('resellerId', req.resellerId);
    else if (role && req.resellerId) v.add('resellerId', 'must be empty for staff credentials', 'NOT_ALLOWED');
    v.check();
    return idempotent({
      ctx, requestSchema: CreateCredentialRequestSchema, request: req, responseSchema: CreateCredentialResponseSchema,
      // A retry never shows the secret again: it was shown once.
      stored: (response) => create(CreateCredentialResponseSchema, { credential: response.credential, clientSecret: '' }),
    }, async (em) => {
      const reseller = role === 'reseller' ? await requireReseller(em, req.resellerId.toLowerCase()) : undefined;
      const { credential, secret } = await issueCredential(em, { role: role!, reseller, displayName });
      return create(CreateCredentialResponseSchema, { credential: await credentialMessageById(dbIn(ctx, em), scopeOf(ctx), credential.id), clientSecret: secret });
    });
  }

  async listCredentials(req: ListCredentialsRequest, ctx: HandlerContext) {
    const v = validate();
    const resellerId = v.optionalId('resellerId', req.resellerId);
    v.check();
    const p = await pageOf(ctx, req, { field: 'createdAt', direction: 'desc', type: 'date' },
      ['credentials', resellerId ?? '', req.includeRevoked]);
    const rows = await credentialPage(readerOf(ctx), scopeOf(ctx), { resellerId, includeRevoked: req.includeRevoked, cursor: p.cursor, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { credentials: items.map((row) => row.message), nextPageToken };
  }

  async revokeCredential(req: RevokeCredentialRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('credentialId', req.credentialId);
    v.check();
    const answer = await emOf(ctx).transactional(async (em) => {
      const credential = await em.findOne(Credential, { id });
      if (!credential) throw notFound('CREDENTIAL_NOT_FOUND', 'credential', id);
      if (credential.revokedAt) {
        throw failedPrecondition('CREDENTIAL_ALREADY_REVOKED',
          `credential "${credential.displayName}" (${credential.clientId}) was already revoked on ${credential.revokedAt.toISOString()}`,
          { metadata: { id, displayName: credential.displayName, clientId: credential.clientId } });
      }
      credential.revokedAt = new Date();
      await em.flush();
      return { credential: await credentialMessageById(dbIn(ctx, em), scopeOf(ctx), id) };
    });
    this.#credentials?.forget(id);
    return answer;
  }
}
