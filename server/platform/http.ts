// One port for every protocol: HTTP/1.1 (curl, Connect JSON, gRPC-Web) and
// cleartext HTTP/2 with prior knowledge (gRPC, Connect over h2) side by side.
// Node's cleartext HTTP/2 server cannot fall back to HTTP/1.1, so each new
// connection is routed by its first bytes: the HTTP/2 preface, or not.
// With TLS, ALPN picks the protocol and Node's secure HTTP/2 server does both.
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface Listener {
  readonly port: number;
  /** Stops accepting, lets calls in flight finish (up to graceMs), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

export async function listen(handler: Handler, port: number, host: string, tls?: TlsFiles): Promise<Listener> {
  let inFlight = 0;
  /** Connections accepted whose first bytes have not arrived yet: a request may be on its way. */
  let sniffing = 0;
  let closing = false;
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.Http2Session>();

  const tracked: Handler = (req, res) => {
    inFlight++;
    res.once('close', () => inFlight--);
    if (closing && req.httpVersionMajor === 1) (res as http.ServerResponse).setHeader('connection', 'close');
    handler(req, res);
  };

  const h2 = tls
    ? http2.createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true }, tracked)
    : http2.createServer({}, tracked);
  h2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const h1 = http.createServer({ keepAliveTimeout: 65_000 }, tracked);

  let front: net.Server;
  if (tls) {
    front = h2 as unknown as net.Server;
    front.on('connection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  } else {
    // noDelay: answers leave at once instead of waiting on Nagle's algorithm
    // (node:http sets it on the sockets it accepts itself; these we accept).
    front = net.createServer({ noDelay: true }, (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      let seen = Buffer.alloc(0);
      sniffing++;
      let routed = false;
      const done = () => {
        if (!routed) { routed = true; sniffing--; }
      };
      socket.once('close', done);
      const onData = (chunk: Buffer) => {
        seen = Buffer.concat([seen, chunk]);
        const candidate = seen.subarray(0, PREFACE.length);
        if (seen.length < PREFACE.length && PREFACE.subarray(0, seen.length).equals(seen)) return; // need more bytes
        socket.off('data', onData);
        done();
        socket.pause();
        socket.unshift(seen);
        // The HTTP/2 session drains what was read so far from the socket's
        // buffer, then reads the handle itself; HTTP/1.1 reads data events.
        if (candidate.equals(PREFACE)) {
          h2.emit('connection', socket);
        } else {
          h1.emit('connection', socket);
          socket.resume();
        }
      };
      socket.on('data', onData);
      socket.on('error', () => socket.destroy());
    });
  }

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, host, () => {
      front.off('error', reject);
      resolve();
    });
  });

  return {
    port: (front.address() as AddressInfo).port,
    async close(graceMs = 10_000) {
      closing = true;
      const stopped = new Promise<void>((resolve) => front.close(() => resolve()));
      for (const session of sessions) session.close();
      const deadline = Date.now() + graceMs;
      // Connections accepted before the listener closed are served: wait for
      // their requests to arrive and finish, within the grace period.
      const sniffDeadline = Date.now() + Math.min(graceMs, 1000);
      while ((inFlight > 0 || (sniffing > 0 && Date.now() < sniffDeadline)) && Date.now() < deadline) {
        h1.closeIdleConnections();
        await new Promise((r) => setTimeout(r, 20));
      }
      h1.closeAllConnections();
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}
