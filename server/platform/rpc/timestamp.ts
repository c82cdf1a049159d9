// google.protobuf.Timestamp values for the messages projections write as object literals.
import type { Timestamp } from '@bufbuild/protobuf/wkt';

/** A Timestamp as timestampFromDate makes it, without create()'s reflection over the schema (a page holds hundreds). */
export function timestamp(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { $typeName: 'google.protobuf.Timestamp', seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}
