// Staff users (people, each with their own password and TOTP second factor),
// their invitations (an outbox the platform delivers), recovery codes,
// sessions and the refresh tokens of each session. Staff-only tables: no
// reseller, no tenant filter.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties, outboxProperties } from '../platform/data/entity.ts';

export type StaffRole = 'admin' | 'support';
export type StaffUserStatusName = 'invited' | 'enrolling' | 'active' | 'disabled';

export const StaffUser = defineEntity({
  name: 'StaffUser',
  properties: {
    ...baseProperties(),
    /** Lower case: people type their e-mail in any case. */
    email: p.string().length(254).unique(),
    displayName: p.string().length(200),
    role: p.string().length(16).$type<StaffRole>(),
    status: p.string().length(16).$type<StaffUserStatusName>(),
    /** scrypt$N$r$p$salt$hash (platform/security/tokens.ts), never the password. */
    passwordHash: p.string().length(255).nullable().lazy(),
    /** Base32 TOTP secret, set by AcceptStaffInvitation. */
    totpSecret: p.string().length(64).nullable().lazy(),
    /** The last TOTP time step accepted: a code is never accepted twice. */
    totpLastStep: p.bigint('number').nullable(),
    /** SHA-256 (hex) of the invitation token; erased once enrolment is confirmed. */
    invitationTokenHash: p.string().length(64).nullable().index(),
    invitationExpiresAt: p.datetime().nullable(),
    disabledAt: p.datetime().nullable(),
  },
});
export type StaffUser = InferEntity<typeof StaffUser>;

/** The invitation e-mail, in the outbox (platform/data/outbox.ts delivers it). */
export const StaffInvitation = defineEntity({
  name: 'StaffInvitation',
  properties: {
    ...baseProperties(),
    staffUser: () => p.manyToOne(StaffUser),
    channel: p.string().length(8),
    recipient: p.string().length(254),
    displayName: p.string().length(200),
    /** The invitation token, kept only until the e-mail is out (the user row keeps its hash). */
    token: p.string().length(64).nullable(),
    ...outboxProperties(),
  },
  indexes: [{ name: 'staff_invitation_due_idx', properties: ['status', 'nextAttemptAt'] }],
});
export type StaffInvitation = InferEntity<typeof StaffInvitation>;

/** One recovery code, stored as its SHA-256: the codes are random enough (80 bits) that no slow hash is needed. */
export const StaffRecoveryCode = defineEntity({
  name: 'StaffRecoveryCode',
  properties: {
    ...baseProperties(),
    staffUser: () => p.manyToOne(StaffUser),
    codeHash: p.string().length(64).index(),
    usedAt: p.datetime().nullable(),
  },
});
export type StaffRecoveryCode = InferEntity<typeof StaffRecoveryCode>;

export type SessionEndReason = 'sign_out' | 'revoked' | 'refresh_token_reused' | 'user_disabled';

/** One sign-in and the chain of refresh tokens that followed it (a "token family"). */
export const StaffSession = defineEntity({
  name: 'StaffSession',
  properties: {
    ...baseProperties(),
    staffUser: () => p.manyToOne(StaffUser),
    deviceName: p.string().length(200),
    address: p.string().length(64),
    lastRefreshAt: p.datetime().nullable(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    revokeReason: p.string().length(32).$type<SessionEndReason>().nullable(),
  },
  indexes: [{ name: 'staff_session_user_idx', properties: ['staffUser', 'createdAt'] }],
});
export type StaffSession = InferEntity<typeof StaffSession>;

/** Every refresh token a session was given, by its SHA-256: a used one presented again betrays a copy. */
export const StaffRefreshToken = defineEntity({
  name: 'StaffRefreshToken',
  properties: {
    tokenHash: p.string().length(64).primary(),
    session: () => p.manyToOne(StaffSession),
    createdAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
});
export type StaffRefreshToken = InferEntity<typeof StaffRefreshToken>;
