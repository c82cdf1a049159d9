// Seed 000's four sequence diagrams, replayed branch by branch: each request
// answers 405 for a wrong method, then 401 for an invalid or expired token,
// then 404 with the failure in the JSON, and only then 200 (or 204) with the
// data. Its client routes are seed 001's; its smartphones read the catalog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReseller, describeEachDatabase, startServer, type TestReseller, type TestServer } from './support/server.ts';
import { documented, legacy } from './support/legacy.ts';

const GHOST = '01890000-0000-7000-8000-000000000000';

describeEachDatabase('legacy face of seed 000 (reseller API diagrams)', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let expired: string;
  let conforms: Awaited<ReturnType<typeof documented>>;

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme Legacy 000');
    conforms = await documented(server);
    // A token issued longer ago than tokens live.
    const now = server.clock.now();
    server.clock.set(new Date(now.getTime() - (server.app.config.tokenTtlSeconds + 60) * 1000));
    try {
      expired = (await server.call('AuthService', 'CreateToken', { clientId: acme.clientId, clientSecret: acme.clientSecret })).body.accessToken;
    } finally {
      server.clock.set(now);
    }
  });
  afterAll(() => server?.close());

  /** Every branch of one diagram, in its order; `found` and `missing` are the request's path for an object that exists and one that does not. */
  async function diagram(method: string, template: string, found: string, missing: string | undefined, wrongMethod: string, success: number) {
    const answers = {
      method: await legacy(server, wrongMethod, found, { token: acme.token }),
      noToken: await legacy(server, method, found),
      invalidToken: await legacy(server, method, found, { token: 'invalid-token' }),
      expiredToken: await legacy(server, method, found, { token: expired }),
      missing: missing ? await legacy(server, method, missing, { token: acme.token }) : undefined,
      ok: await legacy(server, method, found, { token: acme.token }),
    };
    expect(answers.method.status).toBe(405);
    expect(answers.method.body).toEqual({ detail: 'Method Not Allowed' });
    for (const unauthorized of [answers.noToken, answers.invalidToken, answers.expiredToken]) {
      expect(unauthorized.status).toBe(401);
      expect(conforms(method, template, unauthorized)).toEqual([]);
    }
    expect(answers.expiredToken.body.detail).toMatch(/expired/);
    if (answers.missing) {
      expect(answers.missing.status).toBe(404);
      expect(answers.missing.body.detail).toMatch(/not found/); // « avec les informations d'échec dans le JSON »
      expect(conforms(method, template, answers.missing)).toEqual([]);
    }
    expect(answers.ok.status).toBe(success);
    expect(conforms(method, template, answers.ok)).toEqual([]);
    return answers.ok;
  }

  describe('sd Obtenir le détail d\'un client (GET /clients/{client_id}/infos)', () => {
    it('405, 401 (invalid or expired token), 404, then 200 with the data as JSON', async () => {
      const client = (await server.call('ClientService', 'RegisterClient', { name: 'Détail', code: '1' }, acme.token)).body.client;
      const ok = await diagram('GET', '/clients/{client_id}/infos', `/clients/${client.clientId}/infos`, `/clients/${GHOST}/infos`, 'POST', 200);
      expect(ok.body).toMatchObject({ client_id: client.clientId, nom: 'Détail', code: 1, sites: [] });
    });
  });

  describe('sd Supprimer un client (DELETE /clients/{client_id})', () => {
    it('405, 401, 404 with the failure in the JSON, then 204 No content', async () => {
      const client = (await server.call('ClientService', 'RegisterClient', { name: 'Supprimé', code: '2' }, acme.token)).body.client;
      const ok = await diagram('DELETE', '/clients/{client_id}', `/clients/${client.clientId}`, `/clients/${GHOST}`, 'PATCH', 204);
      expect(ok.body).toBe('');
      expect((await server.call('ClientService', 'GetClient', { clientId: client.clientId }, acme.token)).body.client.status).toBe('CLIENT_STATUS_INACTIVE');
    });
  });

  describe('sd Obtenir la liste des smartphones (GET /smartphones/all)', () => {
    it('405, 401, then 200 with every smartphone of the catalog, as Connect lists them', async () => {
      const ok = await diagram('GET', '/smartphones/all', '/smartphones/all', undefined, 'POST', 200);
      const connect = await server.call('CatalogService', 'ListSmartphones', { pageSize: 200 }, acme.token);
      expect(ok.body.map((s: any) => s.sku)).toEqual(connect.body.smartphones.map((s: any) => s.sku));
      expect(ok.body.find((s: any) => s.sku === 'APPLE-IPHONE15-128-BLACK')).toMatchObject({
        marque: 'Apple', modele: 'iPhone 15', prix: 769, devise: 'EUR', stockage_go: 128, couleur: 'Black', disponibilite: 'en_stock',
      });
    });
  });

  describe('sd Obtenir le détail d\'un smartphone (GET /smartphones/{smartphone_id}/infos)', () => {
    it('405, 401, 404 with the failure in the JSON, then 200; a smartphone staff add through Connect shows here', async () => {
      const added = await server.call('CatalogService', 'UpsertSmartphone', {
        sku: 'LEGACY-000-PHONE', brand: 'Nokia', model: 'G42', price: { amountMinor: '19990', currency: 'EUR' }, storageGb: 128, colour: 'Purple',
        availability: 'SMARTPHONE_AVAILABILITY_OUT_OF_STOCK',
      }, server.adminToken);
      const id = added.body.smartphone.smartphoneId;
      const ok = await diagram('GET', '/smartphones/{smartphone_id}/infos', `/smartphones/${id}/infos`, `/smartphones/${GHOST}/infos`, 'DELETE', 200);
      expect(ok.body).toMatchObject({ smartphone_id: id, sku: 'LEGACY-000-PHONE', marque: 'Nokia', prix: 199.9, disponibilite: 'en_rupture' });
    });
  });
});
