// Family images and account pictures through the real wire: PNG and JPEG
// accepted by their content, anything else and anything over 1 MiB refused,
// served back at the returned URL to callers who may see the owner only, and
// never written to the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProvisioningService } from '../gen/reseller/v1/provisioning_pb.js';
import { createLogger } from '../server/platform/observability/logger.ts';
import { createReseller, describeEachDatabase, staffToken, startServer, type TestReseller, type TestServer } from './support/server.ts';
import { GIF, JPEG, PNG, UNKNOWN, fieldsOf, provisioning, reasonOf, storedState, uniqueEmail, type Provisioning } from './support/provisioning.ts';

const MiB = 1024 * 1024;

/** A PNG-signed file of exactly `size` bytes (the type check reads the head). */
function pngOfSize(size: number): Buffer {
  return Buffer.concat([PNG, Buffer.alloc(size - PNG.length, 0x41)]);
}

describeEachDatabase('ProvisioningService images', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let globex: TestReseller;
  let p: Provisioning;
  let clientId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    const logger = createLogger('debug', { write: (line: string) => { logLines.push(line); } });
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000' }, logger });
    acme = await createReseller(server, 'Acme Telecom');
    globex = await createReseller(server, 'Globex Networks');
    p = provisioning(server, acme);
    clientId = await p.registerClient('MEDIA');
  });
  afterAll(() => server?.close());

  // token '' sends no Authorization header.
  async function fetchMedia(url: string, token = acme.token, method = 'GET') {
    return fetch(url, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  }

  it('FoundFamily: a PNG family image and a JPEG picture are stored and served back at their URLs', async () => {
    const { family, account } = await p.found(clientId, { familyImage: PNG.toString('base64'), picture: JPEG.toString('base64') });
    expect(family.imageUrl).toMatch(new RegExp(`^${server.url}/media/[0-9a-f-]{36}$`));
    expect(account.pictureUrl).toMatch(/\/media\/[0-9a-f-]{36}$/);
    expect(family.members[0].account.pictureUrl).toBe(account.pictureUrl);

    const image = await fetchMedia(family.imageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);

    const picture = await fetchMedia(account.pictureUrl);
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await picture.arrayBuffer()).equals(JPEG)).toBe(true);
  });

  it('CreateFamily and CreateAccount take an image and a picture too', async () => {
    const { family: home, account } = await p.found(clientId);
    const created = await p.call('CreateFamily', { clientId, name: 'Pictured', founderAccountId: account.accountId, image: JPEG.toString('base64') });
    expect(created.status).toBe(200);
    expect((await fetchMedia(created.body.family.imageUrl)).headers.get('content-type')).toBe('image/jpeg');
    const member = await p.createAccount(home.familyId, { picture: PNG.toString('base64') });
    expect((await fetchMedia(member.pictureUrl)).status).toBe(200);
  });

  it.each(['connect', 'grpc'] as const)('the generated client sends a picture as bytes over %s', async (protocol) => {
    const { account: created } = await p.found(clientId);
    const { account } = await server.client(ProvisioningService, acme.token, protocol).updateAccount({ accountId: created.accountId, picture: PNG });
    expect(account?.pictureUrl).toMatch(/\/media\//);
    expect(Buffer.from(await (await fetchMedia(account!.pictureUrl)).arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('an image of exactly 1 MiB is accepted', async () => {
    const { account } = await p.found(clientId);
    const answer = await p.call('UpdateAccount', { accountId: account.accountId, picture: pngOfSize(MiB).toString('base64') });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const served = await fetchMedia(answer.body.account.pictureUrl);
    expect(Number(served.headers.get('content-length'))).toBe(MiB);
  });

  it.each([
    ['a GIF', GIF],
    ['text', Buffer.from('hello, this is not an image at all')],
    ['a PNG signature without its header chunk', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])],
    ['HTML pretending to be an image', Buffer.from('<html><script>alert(1)</script></html>')],
  ])('refuses %s as a family image with UNSUPPORTED_IMAGE_TYPE, and stores nothing', async (_what, bytes) => {
    const before = await storedState(server, clientId);
    const answer = await p.call('FoundFamily', {
      clientId, familyName: 'F', familyImage: bytes.toString('base64'), identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(),
      firstName: 'A', locale: 'fr_FR',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.details[0].debug.fieldViolations).toEqual([expect.objectContaining({ field: 'familyImage', reason: 'UNSUPPORTED_IMAGE_TYPE' })]);
    expect(await storedState(server, clientId)).toEqual(before);
  });

  it('refuses a picture over 1 MiB with IMAGE_TOO_LARGE', async () => {
    const { family } = await p.found(clientId);
    const answer = await p.call('CreateAccount', {
      familyId: family.familyId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), firstName: 'A', locale: 'fr_FR',
      picture: pngOfSize(MiB + 1).toString('base64'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.details[0].debug.fieldViolations).toEqual([expect.objectContaining({ field: 'picture', reason: 'IMAGE_TOO_LARGE' })]);
  });

  it('UpdateFamily replaces the image (the old URL then answers 404) and removes it', async () => {
    const { family } = await p.found(clientId, { familyImage: PNG.toString('base64') });
    const replaced = await p.call('UpdateFamily', { familyId: family.familyId, image: JPEG.toString('base64') });
    expect(replaced.status).toBe(200);
    expect(replaced.body.family.imageUrl).not.toBe(family.imageUrl);
    expect((await fetchMedia(family.imageUrl)).status).toBe(404);
    expect((await fetchMedia(replaced.body.family.imageUrl)).headers.get('content-type')).toBe('image/jpeg');
    const removed = await p.call('UpdateFamily', { familyId: family.familyId, removeImage: true });
    expect(removed.body.family.imageUrl).toBe('');
    expect((await fetchMedia(replaced.body.family.imageUrl)).status).toBe(404);
  });

  it('UpdateFamily: an image together with removeImage is refused', async () => {
    const { family } = await p.found(clientId);
    const answer = await p.call('UpdateFamily', { familyId: family.familyId, image: PNG.toString('base64'), removeImage: true });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.body)).toEqual(['removeImage']);
  });

  it('UpdateAccount replaces and removes the picture', async () => {
    const { account } = await p.found(clientId, { picture: PNG.toString('base64') });
    const removed = await p.call('UpdateAccount', { accountId: account.accountId, removePicture: true });
    expect(removed.body.account.pictureUrl).toBe('');
    expect((await fetchMedia(account.pictureUrl)).status).toBe(404);
  });

  it('deleting a family or an account deletes its images', async () => {
    const { family, account } = await p.found(clientId, { familyImage: PNG.toString('base64'), picture: JPEG.toString('base64') });
    expect((await p.call('DeleteFamily', { familyId: family.familyId })).status).toBe(200);
    expect((await fetchMedia(family.imageUrl)).status).toBe(404);
    expect((await fetchMedia(account.pictureUrl)).status).toBe(404);
  });

  describe('GET /media/<id>', () => {
    let url: string;
    beforeAll(async () => {
      url = (await p.found(clientId, { familyImage: PNG.toString('base64') })).family.imageUrl;
    });

    it('another reseller gets 404, as for an image that does not exist', async () => {
      const answer = await fetchMedia(url, globex.token);
      expect(answer.status).toBe(404);
      expect((await answer.json()).code).toBe('not_found');
      expect((await fetchMedia(`${server.url}/media/${UNKNOWN}`)).status).toBe(404);
      expect((await fetchMedia(`${server.url}/media/not-an-id`)).status).toBe(404);
    });

    it('without a token answers 401; with a bad or expired token 401 too', async () => {
      const missing = await fetchMedia(url, '');
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      expect((await fetchMedia(url, 'not-a-token')).status).toBe(401);
      const token = await server.call('AuthService', 'CreateToken', { clientId: acme.clientId, clientSecret: acme.clientSecret });
      server.clock.advance(3601 * 1000);
      try {
        expect((await fetchMedia(url, token.body.accessToken)).status).toBe(401);
      } finally {
        server.clock.advance(-3601 * 1000);
      }
    });

    it('a revoked credential\'s token answers 401', async () => {
      const reseller = await createReseller(server, 'Revoked');
      const list = await server.call('AccessService', 'ListCredentials', { resellerId: reseller.resellerId }, server.adminToken);
      const credential = list.body.credentials.find((c: any) => c.clientId === reseller.clientId);
      await server.call('AccessService', 'RevokeCredential', { credentialId: credential.credentialId }, server.adminToken);
      expect((await fetchMedia(url, reseller.token)).status).toBe(401);
    });

    it('staff (admin and support) may see it', async () => {
      expect((await fetchMedia(url, server.adminToken)).status).toBe(200);
      expect((await fetchMedia(url, await staffToken(server, 'ROLE_SUPPORT'))).status).toBe(200);
    });

    it('HEAD answers the headers only; other methods answer 405', async () => {
      const head = await fetchMedia(url, acme.token, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(PNG.length));
      expect((await fetchMedia(url, acme.token, 'DELETE')).status).toBe(405);
      expect((await fetchMedia(url, acme.token, 'POST')).status).toBe(405);
    });
  });

  it('images never appear in the logs, neither on success nor on refusal', async () => {
    const marker = pngOfSize(4096);
    marker.write('IMAGE-MARKER-0123456789', 100);
    const { family, account } = await p.found(clientId, { familyImage: marker.toString('base64'), picture: marker.toString('base64') });
    await p.call('UpdateFamily', { familyId: family.familyId, image: marker.toString('base64') });
    // Refused after the image was read: a duplicate identifier.
    const refused = await p.call('FoundFamily', {
      clientId, familyName: 'F', familyImage: marker.toString('base64'), identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: account.identifier,
      firstName: 'A', locale: 'fr_FR',
    });
    expect(reasonOf(refused.body)).toBe('ACCOUNT_ALREADY_EXISTS');
    await fetchMedia(family.imageUrl);
    const logs = logLines.join('');
    expect(logs).toContain('FoundFamily');
    for (const form of [marker.toString('base64').slice(200, 260), marker.toString('hex').slice(200, 260), 'IMAGE-MARKER']) {
      expect(logs).not.toContain(form);
    }
  });
});
