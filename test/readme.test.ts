// The README's walkthrough works exactly as written: every ```sh block runs, in
// order, in one bash session, against a fresh server started the way the README
// says (only the port differs). A block may show an error on purpose: it says
// so in a comment line `# {"code":"<code>" ...`; any other error fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startServer, type TestServer } from './support/server.ts';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README walkthrough', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('sqlite', {
      env: { ADMIN_CLIENT_ID: 'admin', ADMIN_CLIENT_SECRET: 'change-me-0123456789', INTERFACE_INSTALL_DELAY_SECONDS: '0', JOB_INTERVAL_MS: '200' },
      noAdminToken: true,
    });
  });
  afterAll(() => server?.close());

  it('has walkthrough blocks', () => {
    expect(blocks.length).toBeGreaterThan(3);
  });

  // The server runs in this process: the script must run asynchronously.
  function bash(script: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { timeout: 120_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  it('runs every ```sh block as written, and each answers as the README says', async () => {
    const script = blocks
      .map((block, i) => `echo "@@block ${i}@@"\n${block.replaceAll('http://localhost:8080', server.url)}`)
      .join('\n');
    const run = await bash(script);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const outputs = run.stdout.split(/@@block \d+@@\n/).slice(1);
    expect(outputs).toHaveLength(blocks.length);
    outputs.forEach((output, i) => {
      const expected = [...blocks[i]!.matchAll(/^# \{"code":"(\w+)"/gm)].map((m) => m[1]);
      const errors = [...output.matchAll(/\{"code":"(\w+)"/g)].map((m) => m[1]);
      expect(errors, `block ${i}:\n${blocks[i]}\nprinted:\n${output}`).toEqual(expected);
      expect(output, `block ${i} printed a null field`).not.toMatch(/^null$/m);
    });
  });

  it('left the state the walkthrough describes', async () => {
    const token = await server.call('AuthService', 'CreateToken', { clientId: 'admin', clientSecret: 'change-me-0123456789' });
    const listed = await server.call('ClientService', 'ListClients', { query: 'BM-001' }, token.body.accessToken);
    expect(listed.body.clients[0]).toMatchObject({ name: 'Boulangerie Martin & Fils', status: 'CLIENT_STATUS_INACTIVE', siteCount: 1 });
  });
});
