// docs/migrating.md names every legacy route and the Connect method that
// replaces it (its walkthrough runs as written in test/readme.test.ts, as every
// document's does).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FACES } from '../server/legacy/faces.ts';
import { registeredMethods } from './support/methods.ts';

const GUIDE = readFileSync(join(import.meta.dirname, '..', 'docs', 'migrating.md'), 'utf8');

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
});
