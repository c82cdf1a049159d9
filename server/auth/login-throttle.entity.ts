// Failed CreateToken attempts, shared by every instance: one row per client id,
// per address, and per (client id, address), with the delay they have earned.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const LoginThrottle = defineEntity({
  name: 'LoginThrottle',
  properties: {
    /** `client:<client id>`, `address:<ip>` or `pair:<client id> <ip>`. */
    key: p.string().length(200).primary(),
    /** Failures since the count was last forgotten. */
    failures: p.integer(),
    /** Milliseconds since the epoch, as the other times here. */
    lastFailureAt: p.bigint('number').index(),
    /** No attempt for this key is checked before this time. */
    blockedUntil: p.bigint('number').nullable(),
  },
});
export type LoginThrottle = InferEntity<typeof LoginThrottle>;
