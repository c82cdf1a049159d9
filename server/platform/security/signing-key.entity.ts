// The token signing keys, stored so that every instance on the database shares them.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

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
