// Token signing key rotation (docs/security.md): `npm run rotate-signing-key`
// adds a key that signs new tokens while older keys still verify, and retires
// keys so that their tokens stop working; running instances notice without a
// restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createDatabase, hasPostgres, type TestDatabase } from './support/databases.ts';
import { ADMIN_ID, ADMIN_SECRET, startServer, type TestServer } from './support/server.ts';
import { signToken } from '../server/platform/security/tokens.ts';
import { SigningKey } from '../server/platform/security/signing-key.entity.ts';
import { rotateSigningKeys } from '../server/platform/security/signing-keys.ts';
import { systemEm } from '../server/platform/data/database.ts';

const ROOT = join(import.meta.dirname, '..');

function kidOf(token: string): string | undefined {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
}

function reasonOf(body: any): string {
  return body.details?.[0]?.debug?.reason;
}

/** The command as operators run it, on the server's database. */
function rotate(databaseUrl: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['server/scripts/rotate-signing-key.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** Asks until `check` holds: instances reload the keys every SIGNING_KEY_REFRESH_MS. Bounded. */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline) {
    last = await probe();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what}: never happened (last: ${JSON.stringify(last)})`);
}

describe('rotating the token signing key [sqlite]', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer('sqlite', { env: { SIGNING_KEY_REFRESH_MS: '100' } }); });
  afterAll(() => server?.close());

  const newToken = async () => (await server.call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET })).body.accessToken as string;
  const use = (token: string) => server.call('AccessService', 'ListResellers', {}, token);

  it('tokens name their key; old tokens work after a rotation until their key is retired, then TOKEN_INVALID', async () => {
    const before = server.adminToken;
    expect(kidOf(before)).toBe('tokens'); // the first key of a database
    // A token from before keys had ids (no kid in its header) names the first key.
    const first = await systemEm(server.app.orm).findOneOrFail(SigningKey, { id: 'tokens' });
    const now = Math.floor(server.clock.now().getTime() / 1000);
    const legacy = await signToken(Buffer.from(first.secret, 'base64url'),
      { sub: JSON.parse(Buffer.from(before.split('.')[1]!, 'base64url').toString()).sub, role: 'admin', rid: null, iat: now, exp: now + 600 });
    expect(kidOf(legacy)).toBeUndefined();
    expect((await use(legacy)).status).toBe(200);

    const added = await rotate(server.database.url);
    expect(added.code, added.out).toBe(0);
    const kid = /added signing key ([^\s:]+)/.exec(added.out)![1]!;
    expect(added.out).not.toContain(first.secret);

    // The running server signs with the new key once it has reloaded; the old tokens still work.
    const after = await eventually(newToken, (t) => kidOf(t) === kid, 'signing with the new key');
    expect((await use(after)).status).toBe(200);
    expect((await use(before)).status).toBe(200);
    expect((await use(legacy)).status).toBe(200);

    // The newest key cannot be retired: something must sign.
    const refused = await rotate(server.database.url, '--retire', kid);
    expect(refused.code, refused.out).toBe(2);
    expect(refused.out).toContain('newest');

    const retired = await rotate(server.database.url, '--retire-old');
    expect(retired.code, retired.out).toBe(0);
    expect(retired.out).toContain('retired signing key tokens');
    const rejected = await eventually(() => use(before), (a) => a.status !== 200, 'refusing tokens of the retired key');
    expect(rejected.status).toBe(401);
    expect(reasonOf(rejected.body)).toBe('TOKEN_INVALID');
    expect(reasonOf((await use(legacy)).body)).toBe('TOKEN_INVALID');
    expect((await use(after)).status).toBe(200);
    // The retired key's secret is gone from the database.
    expect((await systemEm(server.app.orm).findOneOrFail(SigningKey, { id: 'tokens' })).secret).toBe('');
  });

  it('a token already accepted (its signature remembered) still expires, and a changed copy of it is TOKEN_INVALID', async () => {
    const token = await newToken();
    expect((await use(token)).status).toBe(200);
    expect((await use(token)).status).toBe(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const longer = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 })).toString('base64url');
    expect(reasonOf((await use(`${header}.${longer}.${signature}`)).body)).toBe('TOKEN_INVALID');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(reasonOf((await use(`${header}.${payload}.${flipped}`)).body)).toBe('TOKEN_INVALID');
    server.clock.advance(3601 * 1000);
    try {
      const expired = await use(token);
      expect(expired.status).toBe(401);
      expect(reasonOf(expired.body)).toBe('TOKEN_EXPIRED');
    } finally {
      server.clock.advance(-3601 * 1000);
    }
    expect((await use(token)).status).toBe(200);
  });

  it('--now adds a key and retires every other at once (a leaked key)', async () => {
    const before = await newToken();
    const result = await rotate(server.database.url, '--now');
    expect(result.code, result.out).toBe(0);
    const kid = /added signing key ([^\s:]+)/.exec(result.out)![1]!;
    expect(result.out).toContain(`retired signing key ${kidOf(before)}`);
    const rejected = await eventually(() => use(before), (a) => a.status !== 200, 'refusing tokens of the leaked key');
    expect(reasonOf(rejected.body)).toBe('TOKEN_INVALID');
    const fresh = await eventually(newToken, (t) => kidOf(t) === kid, 'signing with the new key');
    expect((await use(fresh)).status).toBe(200);
  });

  it('a token naming a key nobody has, or a header we never sign, is TOKEN_INVALID', async () => {
    const claims = { sub: '01890000-0000-7000-8000-000000000000', role: 'admin' as const, rid: null, iat: 0, exp: 4102444800 };
    for (let i = 0; i < 3; i++) {
      const unknown = await use(await signToken(Buffer.alloc(32, i), claims, `knope${i}`));
      expect(unknown.status).toBe(401);
      expect(reasonOf(unknown.body)).toBe('TOKEN_INVALID');
    }
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid: 'tokens' })).toString('base64url');
    const answer = await use(`${none}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`);
    expect(reasonOf(answer.body)).toBe('TOKEN_INVALID');
  });

  it('a token spelt another way (padding, stray low bits, the standard alphabet) is TOKEN_INVALID, though its bytes verify', async () => {
    const token = await newToken();
    expect((await use(token)).status).toBe(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // 32 bytes are 43 characters: the last holds 2 bits that must be zero; flipping one keeps the bytes.
    const last = signature.slice(-1);
    const strayBits = `${signature.slice(0, -1)}${String.fromCharCode(last.charCodeAt(0) + 1)}`;
    expect(Buffer.from(strayBits, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    const variants = [
      `${header}.${payload}.${signature}=`, `${header}.${payload}.${signature}==`, `${header}.${payload}.${strayBits}`,
      `${header}=.${payload}.${signature}`, `${header}.${payload}=.${signature}`, ` ${header}.${payload}.${signature}`.trim() + '.',
      `${header}.${payload}.${Buffer.from(signature, 'base64url').toString('base64').replace(/=+$/, '')}`,
    ].filter((variant) => variant !== token);
    for (const variant of variants) {
      const answer = await use(variant);
      expect(answer.status, variant).toBe(401);
      expect(reasonOf(answer.body)).toBe('TOKEN_INVALID');
    }
  });

  it('rejects unknown options without touching the keys', async () => {
    // Every column of every key, read fresh from the database each time.
    const keys = async () => (await systemEm(server.app.orm).fork().find(SigningKey, {}, { orderBy: { id: 'asc' } }))
      .map((k) => JSON.stringify(k));
    const before = await keys();
    expect(before.length).toBeGreaterThan(0);
    const result = await rotate(server.database.url, '--bogus');
    expect(result.code).toBe(2);
    expect(result.out).toContain('usage: npm run rotate-signing-key');
    expect(await keys()).toEqual(before);
  });
});

describe.skipIf(!(await hasPostgres()))('rotation seen by a second running instance [postgresql]', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    database = await createDatabase('postgresql');
    // A reloads often; B only on its timer once an hour, so what B does next is the unknown-kid path.
    a = await startServer('postgresql', { database, env: { SIGNING_KEY_REFRESH_MS: '100' } });
    b = await startServer('postgresql', { database, env: { SIGNING_KEY_REFRESH_MS: '3600000' } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('a token signed with a key added after B started is accepted by B at once, and B then signs with it', async () => {
    const { added } = await rotateSigningKeys(a.app.orm);
    const token = await eventually(async () => (await a.call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET })).body.accessToken as string,
      (t) => kidOf(t) === added, 'A signing with the new key');
    const onB = await b.call('AccessService', 'ListResellers', {}, token);
    expect(onB.status, JSON.stringify(onB.body)).toBe(200);
    const fromB = await b.call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET });
    expect(kidOf(fromB.body.accessToken)).toBe(added);
    // Tokens of the older key still work on both until it is retired.
    expect((await b.call('AccessService', 'ListResellers', {}, a.adminToken)).status).toBe(200);
  });
});
