// StaffService: staff users (people) and their sessions, for staff.
import { create } from '@bufbuild/protobuf';
import { Code, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import {
  InviteStaffUserRequestSchema, InviteStaffUserResponseSchema, StaffService,
  type DisableStaffUserRequest, type InviteStaffUserRequest, type ListSessionsRequest, type ListStaffUsersRequest, type RevokeSessionRequest,
} from '../../gen/reseller/v1/staff_pb.js';
import { StaffSession, StaffUser, type StaffRole } from './staff.entity.ts';
import { sessionMessageById, sessionPage, staffUserById, staffUserPage } from './staff.queries.ts';
import { recordStaffInvitation } from './invitations.ts';
import { roleNames } from '../access/roles.ts';
import { dbIn, emOf, principalOf, readerOf, scopeOf } from '../platform/rpc/context.ts';
import { alreadyExists, apiError, failedPrecondition, notFound } from '../platform/rpc/errors.ts';
import { idempotent } from '../platform/data/idempotency.ts';
import { pageOf } from '../platform/data/pagination.ts';
import { validate } from '../platform/rpc/validation.ts';
import type { Clock } from '../platform/core/clock.ts';

export interface StaffDeps {
  clock: Clock;
  staffInvitationHours: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class StaffServiceImpl implements ServiceImpl<typeof StaffService> {
  readonly #deps: StaffDeps;
  constructor(deps: StaffDeps) {
    this.#deps = deps;
  }

  async inviteStaffUser(req: InviteStaffUserRequest, ctx: HandlerContext) {
    const v = validate();
    const email = v.pattern('email', req.email.trim().toLowerCase(), EMAIL, 'must be an e-mail address');
    if (email.length > 254) v.add('email', 'must be at most 254 characters', 'TOO_LONG');
    const displayName = v.text('displayName', req.displayName, { max: 200 });
    const role = roleNames[req.role];
    if (role !== 'admin' && role !== 'support') v.add('role', 'must be ROLE_ADMIN or ROLE_SUPPORT', 'REQUIRED');
    v.check();
    return idempotent({ ctx, requestSchema: InviteStaffUserRequestSchema, request: req, responseSchema: InviteStaffUserResponseSchema }, async (em) => {
      if (await em.count(StaffUser, { email })) {
        throw alreadyExists('STAFF_USER_EXISTS', `a staff user with e-mail ${email} already exists`, { metadata: { email } });
      }
      const user = em.create(StaffUser, {
        email, displayName, role: role as StaffRole, status: 'invited', passwordHash: null, totpSecret: null, totpLastStep: null,
        invitationTokenHash: null, invitationExpiresAt: null, disabledAt: null,
      });
      recordStaffInvitation(em, user, this.#deps.clock, this.#deps.staffInvitationHours);
      await em.flush();
      return create(InviteStaffUserResponseSchema, { staffUser: await staffUserById(dbIn(ctx, em), scopeOf(ctx), user.id) });
    });
  }

  async listStaffUsers(req: ListStaffUsersRequest, ctx: HandlerContext) {
    const p = await pageOf(ctx, req, { field: 'email', direction: 'asc', type: 'string' }, ['staff-users']);
    const rows = await staffUserPage(readerOf(ctx), scopeOf(ctx), { cursor: p.cursor, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { staffUsers: items.map((row) => row.message), nextPageToken };
  }

  async disableStaffUser(req: DisableStaffUserRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('staffUserId', req.staffUserId);
    v.check();
    const now = this.#deps.clock.now();
    return emOf(ctx).transactional(async (em) => {
      const user = await em.findOne(StaffUser, { id });
      if (!user) throw notFound('STAFF_USER_NOT_FOUND', 'staff user', id);
      if (user.status === 'disabled') {
        throw failedPrecondition('STAFF_USER_ALREADY_DISABLED', `${user.displayName} (${user.email}) was already disabled`, { metadata: { id, email: user.email } });
      }
      if (principalOf(ctx).person?.staffUserId === id) {
        throw failedPrecondition('CANNOT_DISABLE_SELF', 'you cannot disable yourself: ask another admin', { metadata: { id } });
      }
      user.status = 'disabled';
      user.disabledAt = now;
      user.invitationTokenHash = null;
      user.invitationExpiresAt = null;
      for (const session of await em.find(StaffSession, { staffUser: id, revokedAt: null })) {
        session.revokedAt = now;
        session.revokeReason = 'user_disabled';
      }
      await em.flush();
      return { staffUser: await staffUserById(dbIn(ctx, em), scopeOf(ctx), id) };
    });
  }

  async listSessions(req: ListSessionsRequest, ctx: HandlerContext) {
    const v = validate();
    const given = v.optionalId('staffUserId', req.staffUserId);
    v.check();
    const staffUserId = given ?? principalOf(ctx).person?.staffUserId;
    if (!staffUserId) {
      throw apiError(Code.InvalidArgument, 'STAFF_USER_REQUIRED', 'invalid request: staffUserId is required with an API credential (it names whose sessions to list)', {
        violations: [{ field: 'staffUserId', description: 'is required with an API credential', reason: 'REQUIRED' }],
      });
    }
    const p = await pageOf(ctx, req, { field: 'createdAt', direction: 'desc', type: 'date' }, ['sessions', staffUserId, req.includeEnded]);
    const rows = await sessionPage(readerOf(ctx), scopeOf(ctx), { staffUserId, includeEnded: req.includeEnded, now: this.#deps.clock.now(), cursor: p.cursor, limit: p.limit });
    const { items, nextPageToken } = p.finish(rows, (row) => row.cursor);
    return { sessions: items.map((row) => row.message), nextPageToken };
  }

  async revokeSession(req: RevokeSessionRequest, ctx: HandlerContext) {
    const v = validate();
    const id = v.id('sessionId', req.sessionId);
    v.check();
    return emOf(ctx).transactional(async (em) => {
      const session = await em.findOne(StaffSession, { id });
      if (!session) throw notFound('SESSION_NOT_FOUND', 'session', id);
      if (session.revokedAt) {
        throw failedPrecondition('SESSION_ALREADY_ENDED', `session ${id} already ended on ${session.revokedAt.toISOString()} (${session.revokeReason})`, { metadata: { id } });
      }
      session.revokedAt = this.#deps.clock.now();
      session.revokeReason = 'revoked';
      await em.flush();
      return { session: await sessionMessageById(dbIn(ctx, em), scopeOf(ctx), id) };
    });
  }
}
