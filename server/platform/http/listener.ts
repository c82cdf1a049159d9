// One port for every protocol: HTTP/1.1 (curl, Connect JSON, gRPC-Web) and
// cleartext HTTP/2 with prior knowledge (gRPC, Connect over h2) side by side.
// Node's cleartext HTTP/2 server cannot fall back to HTTP/1.1, so each new
// connection is routed by its first bytes: the HTTP/2 preface, or not.
// With TLS, ALPN picks the protocol and Node's secure HTTP/2 server does both.
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { addressKey } from '../core/address.ts';

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

/**
 * How long a client may take, so that slow or silent connections (slowloris)
 * do not hold the server's sockets and memory.
 */
export interface Timeouts {
  /** A new connection's first bytes (or TLS handshake), and each HTTP/1.1 request's whole header block. */
  headersTimeoutMs: number;
  /** A request's body, from the end of its headers to its last byte. */
  requestTimeoutMs: number;
  /** A connection with no call in progress (HTTP/1.1 keep-alive, HTTP/2 session). */
  idleTimeoutMs: number;
  /**
   * Answers a request whose body stalled (past requestTimeoutMs, or slower than
   * the minimum rate); unset, the connection (HTTP/1.1) or stream (HTTP/2) is closed.
   */
  onStalledBody?: (req: Parameters<Handler>[0], res: Parameters<Handler>[1], stall: { timeoutMs: number } | { minBytesPerSecond: number }) => void;
  /**
   * The answer to an HTTP/1.1 request node could not read (headers too slow,
   * too large, not HTTP): its body and extra headers (the caller adds the
   * ErrorDetail, a request id, and logs it); unset, a plain JSON body.
   */
  onClientError?: (problem: { status: number; code: string; reason: string; message: string }) => { body: string; headers: Record<string, string> };
}

export const defaultTimeouts: Timeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, idleTimeoutMs: 65_000 };

/**
 * How many connections may be open at once, so that one client (or a few)
 * cannot take every file descriptor, and how fast a body must arrive.
 */
export interface ConnectionLimits {
  /** Open connections from one address (IPv6: one /64); past it a new one is closed at once. 0: no cap. */
  maxPerAddress: number;
  /** Open connections in all; past it a new one is closed at once. 0: no cap. */
  maxTotal: number;
  /**
   * A body that has started must keep arriving at this many bytes per second,
   * measured over each BODY_RATE_WINDOW_MS (after the first); slower, it is
   * answered as stalled. 0: only the requestTimeoutMs deadline.
   */
  minBodyBytesPerSecond: number;
  /** Told, at most once a second, how many connections were refused since the last time, and the address refused most. */
  onRefused?: (report: { refused: number; topAddress: string; topRefused: number; open: number }) => void;
}

export const defaultLimits: ConnectionLimits = { maxPerAddress: 256, maxTotal: 8192, minBodyBytesPerSecond: 1024 };

/** The body rate is measured over windows this long. */
const BODY_RATE_WINDOW_MS = 5000;

/** Whether the whole request body has arrived (whether or not the handler has read it). */
function bodyReceived(req: Parameters<Handler>[0]): boolean {
  if ('stream' in req) return req.complete || Boolean((req.stream as unknown as { _readableState?: { ended?: boolean } })._readableState?.ended);
  return req.complete;
}

export async function listen(handler: Handler, port: number, host: string, tls?: TlsFiles, timeouts: Timeouts = defaultTimeouts,
  limits: ConnectionLimits = defaultLimits): Promise<Listener> {
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
    if (!bodyReceived(req)) watchBody(req, res);
    handler(req, res);
  };

  // A body that stops arriving, or trickles in slower than the minimum rate:
  // answered if the caller wants (onStalledBody), then its connection
  // (HTTP/1.1) or stream (HTTP/2) is closed, since the rest of the body would
  // otherwise still be owed.
  const watchBody: Handler = (req, res) => {
    const stalled = (stall: { timeoutMs: number } | { minBytesPerSecond: number }) => {
      clear();
      if (bodyReceived(req) || res.writableEnded) return;
      const close = () => {
        if ('stream' in req) req.stream.close(http2.constants.NGHTTP2_NO_ERROR);
        else req.socket.destroySoon();
      };
      if (!res.headersSent && timeouts.onStalledBody) {
        // HTTP/2: the response's own 'finish' waits for the stream to close, which is what we are after.
        if ('stream' in req) req.stream.once('finish', close);
        else res.once('finish', close);
        timeouts.onStalledBody(req, res, stall);
      } else {
        if ('stream' in req) req.stream.close(http2.constants.NGHTTP2_CANCEL);
        else req.socket.destroy();
      }
    };
    const timer = setTimeout(() => stalled({ timeoutMs: timeouts.requestTimeoutMs }), timeouts.requestTimeoutMs);
    // The rate is read from the bytes the connection received (HTTP/2: the
    // session's, which its streams share), one window at a time. A window in
    // which the body waited on us (bytes read but not yet consumed by the
    // handler, so the socket was paused) does not count against it.
    const socket = ('stream' in req ? req.stream.session?.socket : req.socket) as net.Socket | undefined;
    let rate: NodeJS.Timeout | undefined;
    if (limits.minBodyBytesPerSecond > 0 && socket) {
      let seen = socket.bytesRead;
      rate = setInterval(() => {
        const now = socket.bytesRead;
        const waitingOnUs = req.readableLength > 0;
        if (!waitingOnUs && now - seen < limits.minBodyBytesPerSecond * (BODY_RATE_WINDOW_MS / 1000)) {
          stalled({ minBytesPerSecond: limits.minBodyBytesPerSecond });
        }
        seen = now;
      }, BODY_RATE_WINDOW_MS);
    }
    const clear = () => { clearTimeout(timer); clearInterval(rate); };
    req.once('end', clear);
    res.once('close', clear);
  };

  // Open connections per address and in all. A connection past a cap is
  // closed before anything is read from it; the refusals are counted and
  // reported once a second at most, whatever their number.
  const openByAddress = new Map<string, number>();
  let refusedByAddress = new Map<string, number>();
  let refusedTimer: NodeJS.Timeout | undefined;
  const report = () => {
    refusedTimer = undefined;
    let refused = 0;
    let topAddress = '';
    let topRefused = 0;
    for (const [address, n] of refusedByAddress) {
      refused += n;
      if (n > topRefused) { topAddress = address; topRefused = n; }
    }
    refusedByAddress = new Map();
    if (refused > 0) limits.onRefused?.({ refused, topAddress, topRefused, open: sockets.size });
  };
  /** Counts the connection in, or closes it at once (false) when a cap is reached. */
  const admit = (socket: net.Socket): boolean => {
    const key = addressKey(socket.remoteAddress);
    const fromThere = openByAddress.get(key) ?? 0;
    if ((limits.maxTotal > 0 && sockets.size >= limits.maxTotal) || (limits.maxPerAddress > 0 && fromThere >= limits.maxPerAddress)) {
      socket.destroy();
      refusedByAddress.set(key, (refusedByAddress.get(key) ?? 0) + 1);
      if (!refusedTimer) {
        refusedTimer = setTimeout(report, 1000);
        refusedTimer.unref();
      }
      return false;
    }
    sockets.add(socket);
    openByAddress.set(key, fromThere + 1);
    socket.once('close', () => {
      sockets.delete(socket);
      const left = (openByAddress.get(key) ?? 1) - 1;
      if (left > 0) openByAddress.set(key, left);
      else openByAddress.delete(key);
    });
    return true;
  };

  // Node's HTTP/1.1 timeouts, for the cleartext HTTP/1.1 server below and for
  // HTTP/1.1 over TLS, which the secure HTTP/2 server serves itself.
  const http1Options = {
    keepAliveTimeout: timeouts.idleTimeoutMs,
    headersTimeout: timeouts.headersTimeoutMs,
    // A backstop for the whole request; the body deadline itself is watchBody's.
    requestTimeout: timeouts.headersTimeoutMs + timeouts.requestTimeoutMs + 1000,
    // How often node looks for connections past those timeouts (default 30 s).
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(timeouts.headersTimeoutMs / 4))),
  };
  const h2 = tls
    ? http2.createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true, handshakeTimeout: timeouts.headersTimeoutMs, ...http1Options }, tracked)
    : http2.createServer({}, tracked);
  h2.on('session', (session) => {
    sessions.add(session);
    // Closed (GOAWAY) once no stream has been open for the idle timeout; the
    // first stream must come within the headers timeout.
    let open = 0;
    let idle: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      idle = setTimeout(() => { if (open === 0) session.close(); }, ms);
      idle.unref();
    };
    arm(Math.min(timeouts.headersTimeoutMs, timeouts.idleTimeoutMs));
    session.on('stream', (stream) => {
      open++;
      clearTimeout(idle);
      stream.once('close', () => {
        if (--open === 0 && !session.closed && !session.destroyed) arm(timeouts.idleTimeoutMs);
      });
    });
    session.once('close', () => {
      clearTimeout(idle);
      sessions.delete(session);
    });
  });
  const h1 = http.createServer(http1Options, tracked);
  // Node starts those checks when a server starts listening; this one never
  // listens itself (the front socket hands it connections), so start them here.
  h1.emit('listening');
  // Node's own answers to broken or slow requests, with the JSON body every other error has.
  h1.on('clientError', (error: NodeJS.ErrnoException, socket: net.Socket) => {
    // As node's own handler: no answer once a response has started.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: { _headerSent?: boolean } })._httpMessage?._headerSent) {
      socket.destroy();
      return;
    }
    const [status, text, code, reason, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'deadline_exceeded', 'REQUEST_HEADERS_TIMEOUT', `the request headers did not arrive within ${timeouts.headersTimeoutMs} ms (HEADERS_TIMEOUT_MS)`]
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', 'resource_exhausted', 'REQUEST_HEADERS_TOO_LARGE', 'the request headers (with the URL and its query string) are too large: 16 KB at most; send a large message by POST']
          : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
            ? [413, 'Payload Too Large', 'resource_exhausted', 'REQUEST_TOO_LARGE', 'the chunk extensions are too large']
            : [400, 'Bad Request', 'invalid_argument', 'MALFORMED_REQUEST', 'the request is not valid HTTP/1.1'];
    const answer = timeouts.onClientError?.({ status, code, reason, message }) ?? { body: JSON.stringify({ code, message }), headers: {} };
    const extra = Object.entries(answer.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(answer.body)}\r\n${extra}connection: close\r\n\r\n${answer.body}`);
  });

  let front: net.Server;
  if (tls) {
    front = h2 as unknown as net.Server;
    // Before the TLS server's own listener: a refused socket is destroyed before any handshake.
    front.prependListener('connection', (socket: net.Socket) => { admit(socket); });
  } else {
    // noDelay: answers leave at once instead of waiting on Nagle's algorithm
    // (node:http sets it on the sockets it accepts itself; these we accept).
    front = net.createServer({ noDelay: true }, (socket) => {
      if (!admit(socket)) return;
      let seen = Buffer.alloc(0);
      sniffing++;
      let routed = false;
      // A connection that sends nothing is closed.
      const silent = setTimeout(() => socket.destroy(), timeouts.headersTimeoutMs);
      const done = () => {
        if (!routed) { routed = true; sniffing--; clearTimeout(silent); }
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
      h1.close(); // stops the timeout checks
      if (refusedTimer) { clearTimeout(refusedTimer); report(); }
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}
