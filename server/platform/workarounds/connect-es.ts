// Workaround for @connectrpc/connect 2.1.2 (connect-node 2.1.2): a request
// body that is not valid protobuf (random bytes, a cut-off message), or a
// frame flagged compressed with no encoding agreed, or one that does not
// decompress, is the caller's mistake, but connect-es reports it as
// `internal` (HTTP 500, grpc-status 13), where a body that is not valid JSON
// is `invalid_argument`. The decoding happens before any interceptor runs, so
// our answer is corrected on the way out (platform/rpc/protocol-errors.ts,
// shape()), and for stream messages decoded inside the call, in the error
// mapping (platform/rpc/error-mapping.ts).
//
// Canary: test/workarounds.test.ts calls connect-es's own handler with such a
// body and fails once it answers invalid_argument itself: then this file and
// its two callers' corrections can go.
import type { JsonReadOptions, JsonWriteOptions } from '@bufbuild/protobuf';

/** How connect-es words the request-decoding failures it reports as internal. */
const DECODING = ['parse binary:', 'received compressed envelope, but do not know how to decompress', 'decompression failed'];

/** A message of an `internal` error that is really the caller's malformed request. */
export function isRequestDecodingError(message: string): boolean {
  return DECODING.some((m) => message.startsWith(m));
}


/**
 * The router's JSON options with the proto3 JSON mapping's own rule: an
 * unknown field or enum name is refused, not dropped (connect-es ignores them
 * unless told). Binary protobuf keeps its unknown-field semantics (these
 * options only concern JSON).
 */
export function strictJsonOptions(write: Partial<JsonWriteOptions> = {}): Partial<JsonReadOptions & JsonWriteOptions> {
  return { ...write, ignoreUnknownFields: false };
}
