// Calls counted per credential and per one-second window, summed over every
// instance: each instance adds its own count a few times a second.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const RateLimitWindow = defineEntity({
  name: 'RateLimitWindow',
  properties: {
    credentialId: p.string().length(64).primary(),
    /** The window's start, in whole seconds since the epoch. */
    windowStart: p.bigint('number').primary(),
    count: p.integer(),
  },
});
export type RateLimitWindow = InferEntity<typeof RateLimitWindow>;
