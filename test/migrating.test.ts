// docs/migrating.md: it names every legacy route and the Connect method that
// replaces it, and its walkthrough runs as written (every ```sh block, in
// order, in one bash session, against a server started as the README says).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { FACES } from '../server/legacy/faces.ts';
import { registeredMethods } from './support/methods.ts';
import { startServer, type TestServer } from './support/server.ts';

const GUIDE = readFileSync(join(import.meta.dirname, '..', 'docs', 'migrating.md'), 'utf8');
const blocks = [...GUIDE.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** How the guide names a route: its method and path (seed 002's without the /api of its base URL), or seed 004's prov<method>. */
function named(seed: string, method: string, path: string): string {
  if (seed === '002') return `\`${method} ${path.replace(/^\/api/, '')}`;
  if (seed === '004') return `\`prov${path.split('/').pop()}\``;
  return `\`${method} ${path}`;
}

describe('docs/migrating.md', () => {
  it('names every route of every legacy face and the Connect method that replaces it; every method it names exists', () => {
    const missing: string[] = [];
    for (const face of FACES) {
      expect(GUIDE, face.seed).toContain(`## Seed ${face.seed}`);
      for (const route of face.routes) {
        if (!route.methods.some((method) => GUIDE.includes(named(face.seed, method, route.path)))) {
          missing.push(`${face.seed} ${route.methods.join('|')} ${route.path}`);
        }
        for (const rpc of typeof route.rpc === 'string' ? [route.rpc] : route.rpc.among) {
          const name = rpc.split('/').slice(1).join('.').replace('reseller.v1.', '');
          if (!GUIDE.includes(name)) missing.push(`${route.path}: ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
    const methods = new Set(registeredMethods().map((m) => `${m.service.name}.${m.method.name}`));
    const cited = [...GUIDE.matchAll(/`(\w+Service)\.(\w+)`/g)].map((m) => `${m[1]}.${m[2]}`);
    expect(cited.length).toBeGreaterThan(30);
    expect(cited.filter((c) => !methods.has(c))).toEqual([]);
  });

  describe('walkthrough', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer('sqlite', {
        env: { ADMIN_CLIENT_ID: 'admin', ADMIN_CLIENT_SECRET: 'change-me-0123456789', JOB_INTERVAL_MS: '200' },
        noAdminToken: true,
      });
    });
    afterAll(() => server?.close());

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

    it('runs every ```sh block as written, each answering as the guide says', async () => {
      expect(blocks.length).toBeGreaterThanOrEqual(4);
      const script = blocks.map((block, i) => `echo "@@block ${i}@@"\n${block.replaceAll('http://localhost:8080', server.url)}`).join('\n');
      const run = await bash(script);
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      const [, registered, sites, prov, metrics] = run.stdout.split(/@@block \d+@@\n/).slice(1);
      expect(registered).toContain('{"name":"Garage Dupuis","code":"1042","status":"CLIENT_STATUS_ACTIVE"}');
      expect(sites).toMatch(/\{"nom":"Garage Dupuis","code":1042,"sites":\[\{"site_id":"[0-9a-f-]{36}","nom":"Atelier","equipements":0\}\]\}/);
      expect(sites).toContain('[{"loc":["body","code"],"msg":"is required","type":"missing"}]');
      expect(prov).toMatch(/\{"firstName":"Luc","locale":"fr_FR","families":\["[0-9a-f-]{36}"\]\}/);
      expect(prov).toContain('"errorCode":"FizFamilyDoesNotExistException","type":"Ex","value":510');
      expect(metrics).toContain('reseller_legacy_calls_total{seed="001",route="POST /clients/register",status="200"} 1');
      expect(metrics).toContain('reseller_legacy_calls_total{seed="004",route="GET|POST /clients/{client_id}/api/prov/foundfamily",status="200"} 1');
      expect(run.stdout).not.toMatch(/^null$/m);
    });
  });
});
