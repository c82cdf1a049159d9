// Instances started at the same moment on one database (issue 17, item 3): the
// bootstrap admin is created or restored once, and every instance comes up
// healthy. Each instance is its own process, as operators run them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createDatabase, type TestDatabase } from './support/databases.ts';
import { describeEachDatabase, parseAnswer } from './support/server.ts';

const ROOT = join(import.meta.dirname, '..');
const INSTANCES = 3;
const ROUNDS = 3;

interface Instance {
  child: ChildProcess;
  output: () => string;
  /** The base URL once it listens; rejects if the process exits first. */
  url: Promise<string>;
}

function startInstance(env: Record<string, string>): Instance {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: ROOT, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', RATE_LIMIT_PER_SECOND: '0', ...env },
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const url = new Promise<string>((resolve, reject) => {
    const check = () => {
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve(JSON.parse(line).url as string);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`instance exited with ${code} before listening:\n${out}`)));
  });
  url.catch(() => undefined);
  return { child, output: () => out, url };
}

async function stop(instances: Instance[]): Promise<void> {
  await Promise.all(instances.map((i) => new Promise<void>((resolve) => {
    if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve();
    i.child.once('exit', () => resolve());
    i.child.kill('SIGTERM');
  })));
}

/** Starts INSTANCES processes at once; resolves when each answers /healthz, with their URLs and outputs. */
async function startTogether(env: Record<string, string>): Promise<{ urls: string[]; outputs: string[] }> {
  const instances = Array.from({ length: INSTANCES }, () => startInstance(env));
  try {
    const urls = await Promise.all(instances.map((i) => i.url));
    for (const [n, url] of urls.entries()) {
      const health = await fetch(`${url}/healthz`);
      expect(health.status, instances[n]!.output()).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
    }
    return { urls, outputs: instances.map((i) => i.output()) };
  } finally {
    await stop(instances);
  }
}

async function signIn(url: string, clientId: string, clientSecret: string) {
  return parseAnswer(await fetch(`${url}/reseller.v1.AuthService/CreateToken`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId, clientSecret }),
  }));
}

describeEachDatabase('instances started at once', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => { database = await createDatabase(kind); });
  afterAll(() => database?.drop());

  it(`with ADMIN_CLIENT_ID set: ${INSTANCES} instances, ${ROUNDS} times (the admin created, kept, then its secret changed), all healthy`, async () => {
    const secrets = ['first-secret-0123456789', 'first-secret-0123456789', 'second-secret-0123456789'];
    for (const [round, secret] of secrets.entries()) {
      const { urls } = await startTogether({ DATABASE_URL: database.url, ADMIN_CLIENT_ID: 'ck_race_admin', ADMIN_CLIENT_SECRET: secret });
      expect(urls).toHaveLength(INSTANCES);
      // The last start's secret is the one that works.
      const check = startInstance({ DATABASE_URL: database.url, ADMIN_CLIENT_ID: 'ck_race_admin', ADMIN_CLIENT_SECRET: secret });
      try {
        const url = await check.url;
        expect((await signIn(url, 'ck_race_admin', secret)).status, `round ${round}`).toBe(200);
        if (round === 2) expect((await signIn(url, 'ck_race_admin', secrets[0]!)).status).toBe(401);
      } finally {
        await stop([check]);
      }
    }
  }, 120_000);

  it('without ADMIN_CLIENT_ID on an empty database: exactly one admin credential is generated, printed by one instance', async () => {
    const empty = await createDatabase(kind);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const { urls, outputs } = await startTogether({ DATABASE_URL: empty.url });
        const printed = outputs.map((o) => /ADMIN_CLIENT_ID=(\S+)\s+ADMIN_CLIENT_SECRET=(\S+)/.exec(o)).filter((m) => m !== null);
        expect(printed).toHaveLength(round === 0 ? 1 : 0);
        if (round === 0) expect((await startAndSignIn(empty.url, printed[0]![1]!, printed[0]![2]!))).toBe(200);
        expect(urls).toHaveLength(INSTANCES);
      }
    } finally {
      await empty.drop();
    }
  }, 120_000);
});

async function startAndSignIn(databaseUrl: string, clientId: string, clientSecret: string): Promise<number> {
  const instance = startInstance({ DATABASE_URL: databaseUrl });
  try {
    return (await signIn(await instance.url, clientId, clientSecret)).status;
  } finally {
    await stop([instance]);
  }
}
