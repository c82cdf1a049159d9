// CreateToken brute force (issue 9, item 2; issue 17, item 10): wrong secrets
// are slowed down per client id and address and per address, with delays that
// double up to a cap; guesses at one client id from many addresses hold its
// attempts a moment but never keep the right secret out; and one credential
// gets at most TOKENS_PER_MINUTE tokens a minute.
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, hasPostgres, type TestDatabase } from './support/databases.ts';
import { createReseller, describeEachDatabase, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import { ManualClock } from '../server/platform/core/clock.ts';
import { addressKey } from '../server/platform/core/address.ts';

const ENV = {
  LOGIN_MAX_FAILURES: '3',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '8',
  LOGIN_MAX_FAILURES_PER_CLIENT: '6',
  LOGIN_MAX_DELAY_SECONDS: '60',
  LOGIN_CLIENT_DELAY_MS: '300',
  TOKENS_PER_MINUTE: '4',
};
/** Counts are forgotten after four times the cap without a failure. */
const FORGET_MS = 4 * 60_000;

/** CreateToken as curl would send it, from a chosen loopback address (127.0.0.0/8 all reach the server). */
function createToken(server: TestServer, body: { clientId: string; clientSecret: string }, from = '127.0.0.1'): Promise<HttpAnswer> {
  const url = new URL(server.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, localAddress: from, method: 'POST', path: '/reseller.v1.AuthService/CreateToken',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }, agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers, body: text ? JSON.parse(text) : text });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function reasonOf(answer: HttpAnswer): string {
  return answer.body.details?.[0]?.debug?.reason;
}

describeEachDatabase('CreateToken brute force', (kind) => {
  let server: TestServer;
  let acme: TestReseller;

  beforeAll(async () => {
    server = await startServer(kind, { env: ENV });
    acme = await createReseller(server, 'Acme');
  });
  afterAll(() => server?.close());
  // Every test starts with the counts of the ones before forgotten.
  beforeEach(() => server.clock.advance(FORGET_MS + 1000));

  const wrong = () => ({ clientId: acme.clientId, clientSecret: 'cs_wrong_guess' });
  const right = () => ({ clientId: acme.clientId, clientSecret: acme.clientSecret });

  it('after LOGIN_MAX_FAILURES wrong secrets: TOO_MANY_ATTEMPTS (429) with a retry delay, even for the right secret, which works once the delay has passed', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await createToken(server, wrong());
      expect(answer.status).toBe(401);
      expect(reasonOf(answer)).toBe('INVALID_CREDENTIALS');
    }
    const refused = await createToken(server, wrong());
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('resource_exhausted');
    expect(reasonOf(refused)).toBe('TOO_MANY_ATTEMPTS');
    expect(refused.body.details[0].debug.metadata.retryAfterMs).toBe('1000');
    expect(refused.headers.get('retry-after')).toBe('1');
    // The right secret is refused too while the delay runs: otherwise the refusal would tell a right guess apart.
    const owner = await createToken(server, right());
    expect(owner.status).toBe(429);
    expect(reasonOf(owner)).toBe('TOO_MANY_ATTEMPTS');
    server.clock.advance(1000);
    const accepted = await createToken(server, right());
    expect(accepted.status).toBe(200);
    expect(accepted.body.accessToken).toBeTruthy();
    // The success forgot this client id's failures: three more wrong secrets before the next delay.
    for (let i = 0; i < 3; i++) expect((await createToken(server, wrong())).status).toBe(401);
    expect((await createToken(server, wrong())).status).toBe(429);
  });

  it('each further failure doubles the delay, up to LOGIN_MAX_DELAY_SECONDS, and the count is forgotten in the end', async () => {
    for (let i = 0; i < 3; i++) await createToken(server, wrong(), '127.0.0.3');
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const refused = await createToken(server, wrong(), '127.0.0.3');
      expect(refused.status).toBe(429);
      const delay = Number(refused.body.details[0].debug.metadata.retryAfterMs);
      delays.push(delay);
      server.clock.advance(delay);
      expect((await createToken(server, wrong(), '127.0.0.3')).status).toBe(401); // checked again, and counted
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    server.clock.advance(FORGET_MS + 60_000);
    expect((await createToken(server, right())).status).toBe(200);
  });

  it('unknown client ids from one address are throttled alike, and the address as a whole after LOGIN_MAX_FAILURES_PER_ADDRESS', async () => {
    // Two wrong secrets for each of four client ids (below the per-client-id threshold of 3): 8 from this address.
    for (let n = 1; n <= 4; n++) {
      for (let i = 0; i < 2; i++) {
        const answer = await createToken(server, { clientId: `ck_guess_${n}`, clientSecret: 'cs_guess' }, '127.0.0.5');
        expect(answer.status).toBe(401);
        expect(reasonOf(answer)).toBe('INVALID_CREDENTIALS');
      }
    }
    // A fifth client id, never tried before, is refused at its first attempt: the address is slowed down.
    const fresh = await createToken(server, { clientId: 'ck_guess_5', clientSecret: 'cs_guess' }, '127.0.0.5');
    expect(fresh.status).toBe(429);
    expect(reasonOf(fresh)).toBe('TOO_MANY_ATTEMPTS');
    // Other addresses are not.
    expect((await createToken(server, { clientId: 'ck_guess_5', clientSecret: 'cs_guess' }, '127.0.0.6')).status).toBe(401);
    expect((await createToken(server, right(), '127.0.0.6')).status).toBe(200);
  });

  it('one attacking address does not keep the owner out from another address', async () => {
    for (let i = 0; i < 3; i++) expect((await createToken(server, wrong(), '127.0.0.7')).status).toBe(401);
    expect((await createToken(server, wrong(), '127.0.0.7')).status).toBe(429);
    const owner = await createToken(server, right(), '127.0.0.2');
    expect(owner.status).toBe(200);
  });

  it('guesses at one client id spread over many addresses (past LOGIN_MAX_FAILURES_PER_CLIENT) hold its attempts, and never keep the right secret out', async () => {
    for (let n = 10; n < 16; n++) expect((await createToken(server, wrong(), `127.0.0.${n}`)).status).toBe(401);
    // The client-wide threshold (6) is reached: the owner, from anywhere, is held, then let in.
    const owner = await createToken(server, right(), '127.0.0.2');
    expect(owner.status).toBe(200);
    expect(owner.body.accessToken).toBeTruthy();
    // The guessing goes on from yet more addresses: each guess is held and checked, the owner still gets in.
    for (let n = 20; n < 30; n++) {
      const guess = await createToken(server, wrong(), `127.0.0.${n}`);
      expect(guess.status).toBe(401);
      expect(reasonOf(guess)).toBe('INVALID_CREDENTIALS');
    }
    expect((await createToken(server, right(), '127.0.0.3')).status).toBe(200);
    // Each attacking address still meets its own limit: refused past LOGIN_MAX_FAILURES.
    for (let i = 0; i < 2; i++) expect((await createToken(server, wrong(), '127.0.0.40')).status).toBe(401);
    expect((await createToken(server, wrong(), '127.0.0.40')).status).toBe(401);
    expect(reasonOf(await createToken(server, wrong(), '127.0.0.40'))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('one credential gets at most TOKENS_PER_MINUTE tokens a minute (TOO_MANY_TOKENS, before its secret is even hashed), from any address; other credentials are not affected', async () => {
    for (let i = 0; i < 4; i++) expect((await createToken(server, right(), `127.0.1.${i}`)).status).toBe(200);
    const refused = await createToken(server, right(), '127.0.1.9');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('resource_exhausted');
    expect(reasonOf(refused)).toBe('TOO_MANY_TOKENS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another credential is not affected.
    const other = await createReseller(server, 'Other');
    expect((await createToken(server, { clientId: other.clientId, clientSecret: other.clientSecret })).status).toBe(200);
    server.clock.advance(Number(refused.body.details[0].debug.metadata.retryAfterMs));
    expect((await createToken(server, right())).status).toBe(200);
  });
});

describe('address keys', () => {
  it('IPv4 as it is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });
});

const postgres = await hasPostgres();

describe.skipIf(!postgres)('two instances on one PostgreSQL share the counts', () => {
  let database: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  let acme: TestReseller;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    database = await createDatabase('postgresql');
    one = await startServer('postgresql', { database, clock, env: ENV });
    two = await startServer('postgresql', { database, clock, env: ENV });
    acme = await createReseller(one, 'Acme');
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  it('failures on one instance count on the other', async () => {
    const wrong = { clientId: acme.clientId, clientSecret: 'cs_wrong_guess' };
    expect((await createToken(one, wrong)).status).toBe(401);
    expect((await createToken(two, wrong)).status).toBe(401);
    expect((await createToken(one, wrong)).status).toBe(401);
    // Three in all, though neither instance saw three: both refuse.
    expect(reasonOf(await createToken(two, wrong))).toBe('TOO_MANY_ATTEMPTS');
    expect(reasonOf(await createToken(one, { clientId: acme.clientId, clientSecret: acme.clientSecret }))).toBe('TOO_MANY_ATTEMPTS');
    clock.advance(1000);
    expect((await createToken(two, { clientId: acme.clientId, clientSecret: acme.clientSecret })).status).toBe(200);
  });
});
