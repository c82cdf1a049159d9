// Resellers and their API credentials.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../platform/data/entity.ts';
import type { RoleName } from '../platform/security/principal.ts';

export const Reseller = defineEntity({
  name: 'Reseller',
  properties: {
    ...baseProperties(),
    name: p.string().length(200),
    nameLower: p.string().length(200).index(),
  },
});
export type Reseller = InferEntity<typeof Reseller>;

export type { RoleName };

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
