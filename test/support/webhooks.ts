// A webhook receiver for tests: a real HTTP server on a free port that
// records each request and answers as the test says; and the signature check
// docs/events.md tells receivers to make.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook receiver: records each request, answers what `answer` says. */
export interface Receiver {
  url: string;
  requests: { headers: IncomingMessage['headers']; body: string }[];
  connections: number;
  answer: (body: string) => number | 'hang';
  close(): Promise<void>;
}

export async function receiver(): Promise<Receiver> {
  const r: Receiver = { url: '', requests: [], connections: 0, answer: () => 200, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      r.requests.push({ headers: req.headers, body });
      const status = r.answer(body);
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'receiver says no');
    });
  });
  server.on('connection', () => { r.connections++; });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  r.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return r;
}

/** What docs/events.md tells receivers to do: recompute the HMAC of "t.body" and compare, within 5 minutes. */
export function verify(header: string, body: string, secret: string, nowSeconds: number): boolean {
  const parts = header.split(',').map((p) => p.split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isFinite(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return parts.filter(([k]) => k === 'v1').some(([, v]) => {
    const given = Buffer.from(v!, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

