// Resellers, their API credentials, and the key that signs bearer tokens.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../platform/data/entity.ts';

export const Reseller = defineEntity({
  name: 'Reseller',
  properties: {
    ...baseProperties(),
    name: p.string().length(200),
    nameLower: p.string().length(200).index(),
  },
});
export type Reseller = InferEntity<typeof Reseller>;

export type RoleName = 'admin' | 'support' | 'reseller';

export const Credential = defineEntity({
  name: 'Credential',
  properties: {
    ...baseProperties(),
    clientId: p.string().length(64).unique(),
    /** scrypt$N$r$p$salt$hash, never the secret itself. */
    secretHash: p.string().length(255).lazy(),
    role: p.string().length(16).$type<RoleName>(),
    reseller: () => p.manyToOne(Reseller).nullable(),
    displayName: p.string().length(200),
    revokedAt: p.datetime().nullable(),
  },
});
export type Credential = InferEntity<typeof Credential>;

/**
 * The HMAC keys every instance on this database signs and checks tokens with.
 * The id is the token header's `kid`; the newest key not retired signs, every
 * key not retired verifies (server/platform/security/signing-keys.ts). A retired key's
 * secret is erased.
 */
export const SigningKey = defineEntity({
  name: 'SigningKey',
  properties: {
    id: p.string().length(32).primary(),
    secret: p.string().length(128),
    createdAt: p.datetime(),
    retiredAt: p.datetime().nullable(),
  },
});
export type SigningKey = InferEntity<typeof SigningKey>;
