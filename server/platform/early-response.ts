// An answer sent before the request's body has arrived in full (a body over
// MAX_REQUEST_BYTES, refused as soon as the limit is passed) leaves the rest of
// that body on the connection: nothing reads it, so an HTTP/1.1 keep-alive
// connection would sit there, and the client's next request on it would never
// be answered. Such an answer says "Connection: close" instead, and Node ends
// the connection once it is sent: the client opens a new one, and the server
// never reads (or waits for) the remainder of an oversized body.
import type http from 'node:http';
import type http2 from 'node:http2';

export function closeAfterEarlyResponse(req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse): void {
  // HTTP/2 streams are independent: the rest of one is reset, not left on the connection.
  if (req.httpVersionMajor !== 1) return;
  const h1 = res as http.ServerResponse;
  const writeHead = h1.writeHead;
  h1.writeHead = function (this: http.ServerResponse, ...args: any[]) {
    if (!(req as http.IncomingMessage).complete && !this.headersSent) this.setHeader('connection', 'close');
    return (writeHead as (...a: any[]) => http.ServerResponse).apply(this, args);
  } as typeof h1.writeHead;
}
