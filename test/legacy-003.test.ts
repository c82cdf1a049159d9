// Seed 003's Shop Application API, replayed as its document writes each call:
// GET /token with client_id and client_secret, the token in the header, the
// query or the body, the interfaces and their offering lines, the catalog.
// Answers carry its French fields, its dates (aaaa-mm-jj hh:mm:ss) and status
// numbers, and its errors {"error": true, "message"} with 400, 401 or 500.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../server/platform/core/clock.ts';
import { createReseller, describeEachDatabase, staffToken, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import { documented, legacy } from './support/legacy.ts';

const GHOST = '01890000-0000-7000-8000-000000000000';
const DAY = 86_400_000;
/** 10:00 UTC on 1 July is noon in Paris (summer time). */
const START = new Date('2027-07-01T10:00:00Z');
const DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

/** The seed's `client` object. */
const CLIENT = {
  nom: 'Martin', prenom: 'Claire', societe: 'Boulangerie Martin', adresse: '12 rue des Lilas', code_postal: '69003', ville: 'Lyon',
  pays: 'FR', telephone: '+33 4 72 00 00 00', email: 'claire@boulangerie-martin.fr', rcs: 'RCS Lyon 123 456 789', ape: '1071C',
};

describeEachDatabase('legacy face of seed 003 (Shop Application)', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let conforms: Awaited<ReturnType<typeof documented>>;
  let orders = 0;

  beforeAll(async () => {
    server = await startServer(kind, { clock: new ManualClock(START), env: { JOB_INTERVAL_MS: '3600000' } });
    acme = await createReseller(server, 'Acme Legacy 003');
    conforms = await documented(server);
  });
  afterAll(() => server?.close());

  async function call(method: string, template: string, path: string, request: Parameters<typeof legacy>[3] = {}): Promise<HttpAnswer> {
    const answer = await legacy(server, method, path, { token: acme.token, ...request });
    expect(conforms(method, template, answer)).toEqual([]);
    return answer;
  }

  /** POST /interfaces with the seed's parameters; the key. */
  async function order(prestations = ['IN-BTQST-S', 'IN-BTQZ-AMM'], more: Record<string, unknown> = {}): Promise<string> {
    orders++;
    const answer = await call('POST', '/interfaces', '/interfaces', { json: { guid: `legacy-003-${orders}`, prestations, client: CLIENT, sous_domaine: `legacy-${kind}-${orders}`, ...more } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.sa_key;
  }

  it('GET /token with client_id and client_secret: access_token, token_type, expires_in; a token that works everywhere', async () => {
    const answer = await call('GET', '/token', `/token?client_id=${acme.clientId}&client_secret=${acme.clientSecret}`, { token: undefined });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });
    const connect = await server.call('ClientService', 'ListClients', {}, answer.body.access_token);
    expect(connect.status).toBe(200);
    const wrong = await call('GET', '/token', `/token?client_id=${acme.clientId}&client_secret=wrong-secret-0123456789`, { token: undefined });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: true, message: expect.any(String) });
    const missing = await call('GET', '/token', '/token', { token: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe(true);
    expect(missing.body.message).toContain('client_id');
  });

  it('the token in the Authorization header, in the URL (?token=) or in the JSON body\'s parameters, as the seed allows', async () => {
    const header = await call('GET', '/prestations', '/prestations');
    const query = await call('GET', '/prestations', `/prestations?token=${acme.token}`, { token: undefined });
    expect(query.status).toBe(200);
    expect(query.body).toEqual(header.body);
    const key = (await call('POST', '/interfaces', '/interfaces', {
      token: undefined, json: { token: acme.token, guid: 'token-in-body', prestations: ['IN-VITRINE-S', 'IN-VITRINE-AMM'], client: CLIENT },
    })).body.sa_key;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    for (const token of [undefined, 'not-a-token']) {
      const refused = await call('GET', '/interfaces', `/interfaces${token ? `?token=${token}` : ''}`, { token: undefined });
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ error: true, message: expect.any(String) });
    }
  });

  it('GET /prestations and GET /prestation/{code}: the catalog with nom, descriptifs, prix (a float, HT) and prestations_associees', async () => {
    const codes = await call('GET', '/prestations', '/prestations');
    const connect = await server.call('CatalogService', 'ListOfferings', { pageSize: 200 }, acme.token);
    expect(codes.body).toEqual(connect.body.offerings.map((o: any) => o.code));
    const one = await call('GET', '/prestation/{code}', '/prestation/IN-BTQST-S');
    expect(one.body).toEqual({
      code: 'IN-BTQST-S', nom: 'Boutique en ligne Standard : mise en service', descriptif_court: expect.any(String),
      descriptif_long: expect.stringContaining('<p>'), prix: 490, prestations_associees: ['IN-BTQZ-AMM', 'IN-BTQZ-AMA'],
    });
    expect((await call('GET', '/prestation/{code}', '/prestation/UC-SOFTPHONE-SEAT')).body.prix).toBe(4.9);
    const unknown = await call('GET', '/prestation/{code}', '/prestation/NOPE-X');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: true, message: expect.stringContaining('NOPE-X') });
  });

  it('POST /interfaces with guid, prestations, client and sous_domaine: {"sa_key"}; Connect reads the order, its customer by our names', async () => {
    const key = await order(['IN-BTQST-S', 'IN-BTQZ-AMM'], { guid: 'boutique-martin' });
    const connect = await server.call('InterfaceService', 'GetInterface', { key }, acme.token);
    expect(connect.body.interface).toMatchObject({
      guid: 'boutique-martin', status: 'INTERFACE_STATUS_PENDING',
      contact: { lastName: 'Martin', firstName: 'Claire', company: 'Boulangerie Martin', postalCode: '69003', country: 'FR', rcs: 'RCS Lyon 123 456 789', ape: '1071C' },
    });
    expect((await call('GET', '/interfaces', '/interfaces')).body).toContain(key);
    // The ordering rules, each refused with 400 and the reason in words.
    const alone = await call('POST', '/interfaces', '/interfaces', { json: { guid: 'alone', prestations: ['IN-BTQST-S'], client: CLIENT } });
    expect(alone.status).toBe(400);
    expect(alone.body).toEqual({ error: true, message: expect.stringContaining('IN-BTQST-S needs one of IN-BTQZ-AMM, IN-BTQZ-AMA') });
    const twoSetups = await call('POST', '/interfaces', '/interfaces', { json: { guid: 'two', prestations: ['IN-BTQST-S', 'IN-CAISSE-S', 'IN-BTQZ-AMM', 'IN-CAISSE-AMM'], client: CLIENT } });
    expect(twoSetups.body.message).toContain('exactly one setup offering');
    const badContact = await call('POST', '/interfaces', '/interfaces', { json: { guid: 'bad', prestations: ['IN-VITRINE-S', 'IN-VITRINE-AMM'], client: { ...CLIENT, email: 'nope' } } });
    expect(badContact.status).toBe(400);
    expect(badContact.body.message).toContain('email');
    const noClient = await call('POST', '/interfaces', '/interfaces', { json: { guid: 'no-client', prestations: ['IN-VITRINE-S', 'IN-VITRINE-AMM'] } });
    expect(noClient.body.message).toContain('client');
  });

  it('GET /interfaces/{cle_interface}: statut 3 with url_formulaire while installing, 1 with its URLs once installed; dates in Paris time', async () => {
    const key = await order();
    const pending = await call('GET', '/interfaces/{cle_interface}', `/interfaces/${key}`);
    expect(pending.body).toEqual({ date_creation: '2027-07-01 12:00:00', statut: 3, url_formulaire: expect.stringMatching(/^https:\/\//) });
    server.clock.advance(61_000);
    await server.app.runDueJobs();
    const active = await call('GET', '/interfaces/{cle_interface}', `/interfaces/${key}`);
    expect(active.body).toEqual({
      date_creation: '2027-07-01 12:00:00', statut: 1, url: expect.stringMatching(/^https:\/\/legacy-/), url_administration: expect.stringMatching(/^https:\/\//),
    });
    const unknown = await call('GET', '/interfaces/{cle_interface}', `/interfaces/${GHOST}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: true, message: expect.stringContaining('not found') });
  });

  it('DELETE /interfaces/{cle} gives date_suppression 90 days on; POST /interfaces/{cle} reactivates it (date_reactivation), only after a deletion request', async () => {
    const key = await order();
    const deleted = await call('DELETE', '/interfaces/{cle_interface}', `/interfaces/${key}`);
    expect(deleted.status).toBe(200);
    const requestedAt = server.clock.now();
    const paris = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' });
    expect(deleted.body).toEqual({ date_suppression: paris.format(new Date(requestedAt.getTime() + 90 * DAY)) });
    const read = await call('GET', '/interfaces/{cle_interface}', `/interfaces/${key}`);
    expect(read.body).toMatchObject({ statut: 2, date_suppression: deleted.body.date_suppression });
    expect((await server.call('InterfaceService', 'GetInterface', { key }, acme.token)).body.interface.status).toBe('INTERFACE_STATUS_DEACTIVATED');
    server.clock.advance(600_000);
    const reactivated = await call('POST', '/interfaces/{cle_interface}', `/interfaces/${key}`);
    expect(reactivated.body).toEqual({ date_reactivation: paris.format(server.clock.now()) });
    expect(reactivated.body.date_reactivation).toMatch(DATE);
    const again = await call('POST', '/interfaces/{cle_interface}', `/interfaces/${key}`);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe(true);
  });

  it('offering lines: add (a bare array, or {"prestations"}), list, detail per line, cancel by code or reference_unique', async () => {
    const key = await order();
    const added = await call('POST', '/interfaces/{cle_interface}/prestations', `/interfaces/${key}/prestations`, { json: ['MO-ARTCRITERES-S', 'MO-NEWSLETTER-AMM'] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual([
      { code: 'MO-ARTCRITERES-S', reference_unique: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      { code: 'MO-NEWSLETTER-AMM', reference_unique: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    const second = await call('POST', '/interfaces/{cle_interface}/prestations', `/interfaces/${key}/prestations`, { json: { prestations: ['MO-NEWSLETTER-AMM'] } });
    expect(second.body).toHaveLength(1);
    const setup = await call('POST', '/interfaces/{cle_interface}/prestations', `/interfaces/${key}/prestations`, { json: ['IN-CAISSE-S'] });
    expect(setup.status).toBe(400);
    const nothing = await call('POST', '/interfaces/{cle_interface}/prestations', `/interfaces/${key}/prestations`, { json: {} });
    expect(nothing.body.message).toContain('prestations');

    expect((await call('GET', '/interfaces/{cle_interface}/prestations', `/interfaces/${key}/prestations`)).body)
      .toEqual(['IN-BTQST-S', 'IN-BTQZ-AMM', 'MO-ARTCRITERES-S', 'MO-NEWSLETTER-AMM']);
    const lines = await call('GET', '/interfaces/{cle_interface}/prestations/{code_prestation}', `/interfaces/${key}/prestations/MO-NEWSLETTER-AMM`);
    expect(lines.body).toEqual([
      { code: 'MO-NEWSLETTER-AMM', date_creation: '2027-07-01 12:01:01', resilie: false, date_resiliation: '', reference_unique: added.body[1].reference_unique },
      { code: 'MO-NEWSLETTER-AMM', date_creation: '2027-07-01 12:01:01', resilie: false, date_resiliation: '', reference_unique: second.body[0].reference_unique },
    ].map((l) => ({ ...l, date_creation: expect.stringMatching(DATE) })));

    // One line by its reference, then every live line of the code.
    const one = await call('DELETE', '/interfaces/{cle_interface}/prestations/{code_prestation}', `/interfaces/${key}/prestations/${second.body[0].reference_unique}`);
    expect(one.body).toEqual([{ code: 'MO-NEWSLETTER-AMM', reference_unique: second.body[0].reference_unique }]);
    const rest = await call('DELETE', '/interfaces/{cle_interface}/prestations/{code_prestation}', `/interfaces/${key}/prestations/MO-NEWSLETTER-AMM`);
    expect(rest.body).toEqual([{ code: 'MO-NEWSLETTER-AMM', reference_unique: added.body[1].reference_unique }]);
    const after = await call('GET', '/interfaces/{cle_interface}/prestations/{code_prestation}', `/interfaces/${key}/prestations/MO-NEWSLETTER-AMM`);
    expect(after.body.every((l: any) => l.resilie && DATE.test(l.date_resiliation))).toBe(true);
    // Connect sees the same lines.
    const connect = await server.call('InterfaceService', 'GetInterfaceOffering', { key, code: 'MO-NEWSLETTER-AMM' }, acme.token);
    expect(connect.body.lines.map((l: any) => [l.reference, l.cancelled])).toEqual(after.body.map((l: any) => [l.reference_unique, true]));

    // The subscription a live option needs cannot go before the option.
    const needed = await call('DELETE', '/interfaces/{cle_interface}/prestations/{code_prestation}', `/interfaces/${key}/prestations/IN-BTQZ-AMM`);
    expect(needed.status).toBe(400);
    expect(needed.body.message).toContain('MO-ARTCRITERES-S');
    expect((await call('DELETE', '/interfaces/{cle_interface}/prestations/{code_prestation}', `/interfaces/${key}/prestations/MO-ARTCRITERES-S`)).status).toBe(200);
    expect((await call('DELETE', '/interfaces/{cle_interface}/prestations/{code_prestation}', `/interfaces/${key}/prestations/IN-BTQZ-AMM`)).status).toBe(200);
  });

  it('an interface ordered through Connect reads here, and lines added here read through Connect', async () => {
    const created = await server.call('InterfaceService', 'CreateInterface', {
      guid: 'via-connect', offeringCodes: ['IN-VITRINE-S', 'IN-VITRINE-AMM'], subdomain: `via-connect-${kind}`,
      contact: { lastName: 'Durand', address: '1 rue', postalCode: '75001', city: 'Paris', country: 'FR', phone: '0102030405', email: 'd@example.com' },
    }, acme.token);
    const key = created.body.key;
    expect((await call('GET', '/interfaces/{cle_interface}/prestations', `/interfaces/${key}/prestations`)).body).toEqual(['IN-VITRINE-S', 'IN-VITRINE-AMM']);
    const added = await call('POST', '/interfaces/{cle_interface}/prestations', `/interfaces/${key}/prestations`, { json: ['MO-ECOMMERCE-S'] });
    expect(added.body[0]).toMatchObject({ code: 'MO-ECOMMERCE-S', url_formulaire: expect.stringMatching(/^https:\/\//) });
    const connect = await server.call('InterfaceService', 'ListInterfaceOfferings', { key }, acme.token);
    expect(connect.body.codes).toContain('MO-ECOMMERCE-S');
  });

  it('tenancy: another reseller\'s interface answers what a key that never existed answers, and nothing changes', async () => {
    const key = await order();
    const other = await createReseller(server, 'Other Legacy 003');
    expect((await legacy(server, 'GET', '/interfaces', { token: other.token })).body).toEqual([]);
    for (const [method, suffix] of [['GET', ''], ['DELETE', ''], ['POST', ''], ['GET', '/prestations'], ['DELETE', '/prestations/IN-BTQZ-AMM']] as const) {
      const theirs = await legacy(server, method, `/interfaces/${key}${suffix}`, { token: other.token });
      const ghost = await legacy(server, method, `/interfaces/${GHOST}${suffix}`, { token: other.token });
      expect(theirs.status, `${method} ${suffix}`).toBe(400);
      expect(JSON.stringify(theirs.body).replaceAll(key, GHOST)).toBe(JSON.stringify(ghost.body));
    }
    expect((await call('GET', '/interfaces/{cle_interface}/prestations', `/interfaces/${key}/prestations`)).body).toEqual(['IN-BTQST-S', 'IN-BTQZ-AMM']);
    const support = await staffToken(server, 'ROLE_SUPPORT');
    expect((await legacy(server, 'GET', `/interfaces/${key}`, { token: support })).status).toBe(200);
    const refused = await legacy(server, 'DELETE', `/interfaces/${key}`, { token: support });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('support role');
  });
});
