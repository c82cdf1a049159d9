// The client package in a browser: installed from its tarball into a scratch
// project, bundled there for the browser (rolldown, as any bundler would),
// served from its own origin, and run in Chromium against the real server over
// Connect and gRPC-Web, the server allowing that origin through CORS_ORIGINS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';
import { hasChromium, openBrowser, type TestBrowser } from './support/browser.ts';
import { installPackedClient } from './support/client-package.ts';
import { createReseller, startServer, type TestReseller, type TestServer } from './support/server.ts';

const UNKNOWN = '01890000-0000-7000-8000-000000000000';

// The page's program: what a web app written against the package does.
const PAGE_PROGRAM = `
import { ClientStatus, Code, ConnectError, createResellerClient, errorDetailOf } from '@reseller-platform/client';

async function check(baseUrl: string, token: string): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  for (const protocol of ['connect', 'grpc-web'] as const) {
    const api = createResellerClient(baseUrl, token, { protocol });
    const { client } = await api.clientService.registerClient({ name: \`Browser \${protocol}\`, code: \`BROWSER-\${protocol}\` });
    const { client: read } = await api.clientService.getClient({ clientId: client!.clientId });
    const error = await api.clientService.getClient({ clientId: '${UNKNOWN}' }).then(() => undefined, (e: unknown) => e);
    answers[protocol] = {
      name: read!.name,
      status: ClientStatus[read!.status],
      error: { code: Code[ConnectError.from(error).code], reason: errorDetailOf(error)?.reason },
    };
  }
  return answers;
}
(globalThis as unknown as { check: typeof check }).check = check;
`;

const chromium = hasChromium();

describe.skipIf(!chromium)('the client package in a browser (Chromium), from another origin', () => {
  let scratch: string;
  let pages: Server;
  let origin: string;
  let server: TestServer;
  let acme: TestReseller;
  let browser: TestBrowser;

  beforeAll(async () => {
    scratch = await installPackedClient();
    writeFileSync(join(scratch, 'page.ts'), PAGE_PROGRAM);
    await build({ input: join(scratch, 'page.ts'), cwd: scratch, platform: 'browser', logLevel: 'warn', output: { file: join(scratch, 'page.js'), format: 'esm' } });
    const script = readFileSync(join(scratch, 'page.js'));
    pages = createServer((req, res) => {
      if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>scratch</title><script type="module" src="/page.js"></script>');
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(pages.address() as { port: number }).port}`;
    server = await startServer('sqlite', { env: { CORS_ORIGINS: origin } });
    acme = await createReseller(server, 'Acme browser');
    browser = await openBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    pages?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('calls the server over Connect and gRPC-Web with createResellerClient, errors included', async () => {
    await browser.page.goto(origin);
    await browser.page.waitForFunction(() => 'check' in globalThis);
    const answers = await browser.page.evaluate(([url, token]) => (globalThis as any).check(url, token), [server.url, acme.token]);
    for (const protocol of ['connect', 'grpc-web']) {
      expect(answers[protocol], protocol).toEqual({
        name: `Browser ${protocol}`, status: 'ACTIVE', error: { code: 'NotFound', reason: 'CLIENT_NOT_FOUND' },
      });
    }
    const listed = await server.call('ClientService', 'ListClients', { query: 'BROWSER-' }, acme.token);
    expect(listed.body.clients.map((c: { code: string }) => c.code).sort()).toEqual(['BROWSER-connect', 'BROWSER-grpc-web']);
  });
});
