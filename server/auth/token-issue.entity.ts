// Tokens issued per client id, shared by every instance: one row per client id,
// counting the tokens CreateToken issued in its current one-minute window.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const TokenIssue = defineEntity({
  name: 'TokenIssue',
  properties: {
    clientId: p.string().length(64).primary(),
    /** Start of the current window, milliseconds since the epoch. */
    windowStart: p.bigint('number').index(),
    /** Tokens issued since windowStart. */
    issued: p.integer(),
  },
});
export type TokenIssue = InferEntity<typeof TokenIssue>;
