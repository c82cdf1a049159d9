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

// Workaround for @connectrpc/connect 2.1.2: it decodes a JSON body (Connect
// POST, a GET's base64 `message`, gRPC and gRPC-Web with +json) with a
// lenient `new TextDecoder()`, so invalid UTF-8 becomes U+FFFD and is stored.
// Its JSON serialization takes a `textDecoder` from the router's JSON options
// (createJsonSerialization), though the router's option type does not
// declare it: strictJsonOptions() passes one that refuses invalid UTF-8, and
// connect-es answers invalid_argument as for any JSON it cannot read.
//
// Canary: test/workarounds.test.ts checks that connect-es alone still accepts
// invalid UTF-8 and that it still honours the decoder given here.

const fatal = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, refusing invalid sequences (a lone surrogate's encoding, overlongs, cut-off characters). */
export const strictUtf8 = {
  decode(input?: Uint8Array): string {
    try {
      return fatal.decode(input);
    } catch {
      throw new Error('the request body is not valid UTF-8');
    }
  },
};

/**
 * The router's JSON options with the proto3 JSON mapping's own rule: an
 * unknown field or enum name is refused, not dropped (connect-es ignores them
 * unless told), and with the strict UTF-8 decoder above. Binary protobuf keeps
 * its unknown-field semantics (these options only concern JSON).
 */
export function strictJsonOptions(write: Partial<JsonWriteOptions> = {}): Partial<JsonReadOptions & JsonWriteOptions> {
  // Through a variable: the router's option type does not declare textDecoder (see above).
  const options = { ...write, ignoreUnknownFields: false, textDecoder: strictUtf8 };
  return options;
}
