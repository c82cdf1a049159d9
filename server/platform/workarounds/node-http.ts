// Workaround for Node.js 24 (node:http, HTTP/1.1 keep-alive): a request whose
// body a reader stopped reading early (an async iterator broken off, as
// connect-es does past MAX_REQUEST_BYTES) is destroyed, and Node then stops
// reading the socket: the client's next request on that keep-alive connection
// is never answered. Canary: test/workarounds.test.ts shows it on a bare
// node:http server, and fails once Node answers that next request itself.
//
// An answer sent before the request's body has arrived in full leaves the rest
// of that body on the connection. When Connect refuses a body over
// MAX_REQUEST_BYTES it stops reading and destroys the request stream; Node then
// drops what follows but also stops reading the socket, so an HTTP/1.1
// keep-alive connection sat stuck and the client's next request on it was never
// answered. Such an answer says "Connection: close" (the RPC adapter sets it)
// and the connection ends once it is sent: the client opens a new one, and an
// endless upload is not read. A request that is merely not read to its end (an
// answer sent right away, the body still on its way) keeps its connection:
// Node discards the rest, and here, if a reader started and stopped, the rest
// is read and dropped, up to `limit` bytes, past which the connection ends too.
import type http from 'node:http';
import type http2 from 'node:http2';

export function drainAfterEarlyResponse(req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse, limit: number): void {
  // HTTP/2 streams are independent: the rest of one is reset, not left on the connection.
  if (req.httpVersionMajor !== 1) return;
  const request = req as http.IncomingMessage;
  res.once('finish', () => {
    if (request.complete) return;
    if (request.destroyed) {
      request.socket?.destroySoon();
      return;
    }
    let dropped = 0;
    const drop = () => {
      let chunk: Buffer | null;
      while ((chunk = request.read() as Buffer | null) !== null) {
        dropped += chunk.length;
        if (dropped > limit) {
          request.removeListener('readable', drop);
          request.socket.destroy();
          return;
        }
      }
    };
    request.on('readable', drop);
    drop();
  });
}
