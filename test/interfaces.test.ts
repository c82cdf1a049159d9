// InterfaceService through the real wire (seed 003): ordering rules, the
// lifecycle on a clock the tests move, offering lines, tenancy and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterfaceService, InterfaceStatus } from '../gen/reseller/v1/interfaces_pb.js';
import { ManualClock } from '../server/platform/core/clock.ts';
import { InterfaceEvent } from '../server/interfaces/interfaces.entity.ts';
import { systemEm } from '../server/platform/data/database.ts';
import { createDatabase, hasPostgres } from './support/databases.ts';
import { createReseller, describeEachDatabase, staffToken, startServer, type TestReseller, type TestServer } from './support/server.ts';

const UNKNOWN = '01890000-0000-7000-8000-000000000000';
const DAY = 86_400_000;
/** The background timer stays out of the way: these tests run the jobs themselves. */
const QUIET = { JOB_INTERVAL_MS: '3600000' };

function reasonOf(body: any): string {
  return body.details?.[0]?.debug?.reason;
}

const CONTACT = {
  lastName: 'Martin', firstName: 'Claire', company: 'Boulangerie Martin', address: '12 rue des Lilas', postalCode: '69003',
  city: 'Lyon', country: 'FR', phone: '+33 4 72 00 00 00', email: 'claire@boulangerie-martin.fr', rcs: 'RCS Lyon 123 456 789', ape: '1071C',
};
/** A boutique with its required monthly subscription: a valid order of the demo catalog. */
const BOUTIQUE = ['IN-BTQST-S', 'IN-BTQZ-AMM'];

let guids = 0;
function orderBody(codes: string[], fields: Record<string, unknown> = {}) {
  guids++;
  return { guid: `guid-${guids}`, offeringCodes: codes, contact: CONTACT, subdomain: `shop-${process.pid}-${guids}`, ...fields };
}

/** Another token for the same credential: needed after the clock jumps further than a token lives. */
async function freshToken(server: TestServer, reseller: TestReseller): Promise<string> {
  const answer = await server.call('AuthService', 'CreateToken', { clientId: reseller.clientId, clientSecret: reseller.clientSecret });
  reseller.token = answer.body.accessToken;
  return reseller.token;
}

async function order(server: TestServer, reseller: TestReseller, codes = BOUTIQUE, fields: Record<string, unknown> = {}) {
  const answer = await server.call('InterfaceService', 'CreateInterface', orderBody(codes, fields), reseller.token);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

async function get(server: TestServer, reseller: TestReseller, key: string) {
  const answer = await server.call('InterfaceService', 'GetInterface', { key }, reseller.token);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.interface;
}

describeEachDatabase('InterfaceService', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let globex: TestReseller;
  let support: string;

  beforeAll(async () => {
    server = await startServer(kind, { env: QUIET });
    acme = await createReseller(server, 'Acme Telecom');
    globex = await createReseller(server, 'Globex Networks');
    support = await staffToken(server, 'ROLE_SUPPORT');
  });
  afterAll(() => server?.close());

  describe('CreateInterface (seed 003 POST /interfaces)', () => {
    it('create: returns the key (sa_key, a UUID); the interface is PENDING with its form URL and one line per code', async () => {
      const created = await order(server, acme, [...BOUTIQUE, 'MO-NEWSLETTER-AMM'], { guid: 'acme-shop-1' });
      expect(created.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(created.interface).toMatchObject({
        key: created.key, guid: 'acme-shop-1', status: 'INTERFACE_STATUS_PENDING', url: '', adminUrl: '', resellerId: acme.resellerId,
        contact: { ...CONTACT, phone: CONTACT.phone },
      });
      expect(created.interface.formUrl).toMatch(/^https:\/\//);
      expect(created.interface.formUrl).toContain(created.key);
      expect(Date.parse(created.interface.createTime)).not.toBeNaN();
      expect(created.lines.map((l: any) => l.code)).toEqual(['IN-BTQST-S', 'IN-BTQZ-AMM', 'MO-NEWSLETTER-AMM']);
      expect(new Set(created.lines.map((l: any) => l.reference)).size).toBe(3);
      const read = await get(server, acme, created.key);
      expect(read.status).toBe('INTERFACE_STATUS_PENDING');
      expect(read.formUrl).toBe(created.interface.formUrl);
    });

    it('create: every code must be valid (an unknown code answers 400 naming it)', async () => {
      const answer = await server.call('InterfaceService', 'CreateInterface', orderBody([...BOUTIQUE, 'MO-NOPE-S']), acme.token);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_argument');
      expect(reasonOf(answer.body)).toBe('UNKNOWN_OFFERING_CODE');
      expect(answer.body.message).toContain('MO-NOPE-S');
      expect(answer.body.details[0].debug.metadata.codes).toBe('MO-NOPE-S');
      expect(answer.body.details[0].debug.fieldViolations[0].field).toBe('offeringCodes[2]');
    });

    it('create: a retired offering can no longer be ordered (failed_precondition OFFERING_RETIRED)', async () => {
      await server.call('CatalogService', 'UpsertOffering', {
        code: 'MO-RETIRED-CREATE', name: 'Old module', price: { amountMinor: '100', currency: 'EUR' }, kind: 'OFFERING_KIND_OPTION',
      }, server.adminToken);
      await server.call('CatalogService', 'RetireOffering', { code: 'MO-RETIRED-CREATE' }, server.adminToken);
      const answer = await server.call('InterfaceService', 'CreateInterface', orderBody([...BOUTIQUE, 'MO-RETIRED-CREATE']), acme.token);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('failed_precondition');
      expect(reasonOf(answer.body)).toBe('OFFERING_RETIRED');
      expect(answer.body.message).toContain('MO-RETIRED-CREATE');
    });

    it('create: refuses an order without a setup offering (exactly one setup offering)', async () => {
      const answer = await server.call('InterfaceService', 'CreateInterface', orderBody(['MO-NEWSLETTER-AMM']), acme.token);
      expect(answer.status).toBe(400);
      expect(reasonOf(answer.body)).toBe('SETUP_OFFERING_REQUIRED');
    });

    it('create: refuses an order with two setup offerings (exactly one setup offering)', async () => {
      const answer = await server.call('InterfaceService', 'CreateInterface', orderBody(['IN-BTQST-S', 'IN-BTQPRO-S', 'IN-BTQZ-AMM']), acme.token);
      expect(answer.status).toBe(400);
      expect(reasonOf(answer.body)).toBe('MULTIPLE_SETUP_OFFERINGS');
      expect(answer.body.details[0].debug.metadata.count).toBe('2');
      const same = await server.call('InterfaceService', 'CreateInterface', orderBody(['IN-BTQST-S', 'IN-BTQST-S', 'IN-BTQZ-AMM']), acme.token);
      expect(reasonOf(same.body)).toBe('MULTIPLE_SETUP_OFFERINGS');
    });

    it('create: the setup offering is found by kind, whatever its code looks like', async () => {
      await server.call('CatalogService', 'UpsertOffering', {
        code: 'CUSTOM-INSTALL', name: 'Custom installation', price: { amountMinor: '100', currency: 'EUR' }, kind: 'OFFERING_KIND_SETUP',
      }, server.adminToken);
      await order(server, acme, ['CUSTOM-INSTALL']);
      const none = await server.call('InterfaceService', 'CreateInterface', orderBody(['IN-BTQZ-AMM']), acme.token);
      expect(reasonOf(none.body)).toBe('SETUP_OFFERING_REQUIRED');
    });

    it('create: an offering with associated offerings cannot be ordered alone (prestations_associees)', async () => {
      const alone = await server.call('InterfaceService', 'CreateInterface', orderBody(['IN-BTQST-S']), acme.token);
      expect(alone.status).toBe(400);
      expect(reasonOf(alone.body)).toBe('ASSOCIATED_OFFERING_REQUIRED');
      expect(alone.body.message).toContain('IN-BTQST-S needs one of IN-BTQZ-AMM, IN-BTQZ-AMA');
      expect(alone.body.details[0].debug.metadata).toMatchObject({ codes: 'IN-BTQST-S', 'IN-BTQST-S': 'IN-BTQZ-AMM,IN-BTQZ-AMA' });
      // An option whose associated subscription belongs to another product.
      const option = await server.call('InterfaceService', 'CreateInterface', orderBody(['IN-VITRINE-S', 'IN-VITRINE-AMM', 'MO-ARTCRITERES-S']), acme.token);
      expect(reasonOf(option.body)).toBe('ASSOCIATED_OFFERING_REQUIRED');
      expect(option.body.details[0].debug.fieldViolations.map((v: any) => v.field)).toEqual(['offeringCodes[2]']);
    });

    it('create: any one of the associated offerings satisfies the rule', async () => {
      await order(server, acme, ['IN-BTQST-S', 'IN-BTQZ-AMA']);
      await order(server, acme, ['IN-BTQPRO-S', 'IN-BTQZ-AMM', 'MO-ARTCRITERES-S']);
    });

    it('create: the customer contact is validated (email, phone, postal code, country)', async () => {
      const contact = { ...CONTACT, lastName: '', email: 'not-an-email', phone: '12', postalCode: '6900', ape: 'xx' };
      const answer = await server.call('InterfaceService', 'CreateInterface', orderBody(BOUTIQUE, { contact }), acme.token);
      expect(answer.status).toBe(400);
      expect(answer.body.details[0].debug.fieldViolations.map((v: any) => [v.field, v.reason])).toEqual([
        ['contact.lastName', 'REQUIRED'], ['contact.postalCode', 'INVALID_POSTAL_CODE'],
        ['contact.phone', 'INVALID_PHONE'], ['contact.email', 'INVALID_EMAIL'], ['contact.ape', 'INVALID_FORMAT'],
      ]);
      const country = await server.call('InterfaceService', 'CreateInterface', orderBody(BOUTIQUE, { contact: { ...CONTACT, country: 'FRA' } }), acme.token);
      expect(country.body.details[0].debug.fieldViolations.map((v: any) => [v.field, v.reason])).toEqual([['contact.country', 'INVALID_COUNTRY']]);
      const missing = await server.call('InterfaceService', 'CreateInterface', { guid: 'g', offeringCodes: [] }, acme.token);
      expect(missing.body.details[0].debug.fieldViolations.map((v: any) => v.field)).toEqual([
        'offeringCodes', 'contact.lastName', 'contact.address', 'contact.city', 'contact.country', 'contact.postalCode', 'contact.phone', 'contact.email',
      ]);
    });

    it('create: accepts national and international phone numbers and a foreign postal code', async () => {
      await order(server, acme, BOUTIQUE, { contact: { ...CONTACT, phone: '04.72.00.00.00' } });
      await order(server, acme, BOUTIQUE, { contact: { ...CONTACT, country: 'gb', postalCode: 'SW1A 1AA', phone: '+44 20 7946 0000' } });
    });

    it('create: the guid is unique per reseller (409 INTERFACE_GUID_EXISTS), free for another reseller', async () => {
      await order(server, acme, BOUTIQUE, { guid: 'dup-guid' });
      const again = await server.call('InterfaceService', 'CreateInterface', orderBody(BOUTIQUE, { guid: 'dup-guid' }), acme.token);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('already_exists');
      expect(reasonOf(again.body)).toBe('INTERFACE_GUID_EXISTS');
      await order(server, globex, BOUTIQUE, { guid: 'dup-guid' });
    });

    it('create: without a subdomain, one is made from the company (or last name), unique', async () => {
      const contact = { ...CONTACT, company: `Épicerie Fine N°${process.pid}` };
      const first = await order(server, acme, BOUTIQUE, { subdomain: '', contact });
      expect(first.interface.subdomain).toBe(`epicerie-fine-n-${process.pid}`);
      const second = await order(server, acme, BOUTIQUE, { subdomain: '', contact });
      expect(second.interface.subdomain).toBe(`epicerie-fine-n-${process.pid}-2`);
      const noCompany = await order(server, acme, BOUTIQUE, { subdomain: '', contact: { ...CONTACT, company: '', lastName: `Dupré${process.pid}` } });
      expect(noCompany.interface.subdomain).toBe(`dupre${process.pid}`);
    });

    it('create: a subdomain in use answers 409 SUBDOMAIN_TAKEN; a malformed or reserved one 400', async () => {
      await order(server, acme, BOUTIQUE, { subdomain: `taken-${process.pid}` });
      const taken = await server.call('InterfaceService', 'CreateInterface', orderBody(BOUTIQUE, { subdomain: `taken-${process.pid}` }), globex.token);
      expect(taken.status).toBe(409);
      expect(reasonOf(taken.body)).toBe('SUBDOMAIN_TAKEN');
      for (const subdomain of ['-bad', 'has space', 'www']) {
        const bad = await server.call('InterfaceService', 'CreateInterface', orderBody(BOUTIQUE, { subdomain }), acme.token);
        expect(bad.status).toBe(400);
        expect(bad.body.details[0].debug.fieldViolations[0].field).toBe('subdomain');
      }
    });

    it('create: an order of offerings that send no project form has no form URL', async () => {
      const created = await order(server, acme, ['IN-VITRINE-S', 'IN-VITRINE-AMM']);
      expect(created.interface.formUrl).toBe('');
      expect(created.lines.every((l: any) => l.formUrl === '')).toBe(true);
    });

    it('create: a retry with the same request_id returns the first interface and orders nothing new', async () => {
      const body = orderBody(BOUTIQUE, { requestId: `retry-${process.pid}` });
      const first = await server.call('InterfaceService', 'CreateInterface', body, acme.token);
      const second = await server.call('InterfaceService', 'CreateInterface', body, acme.token);
      expect(second.status).toBe(200);
      expect(second.body.key).toBe(first.body.key);
    });

    it('create: staff must name the reseller; the interface is that reseller\'s', async () => {
      const missing = await server.call('InterfaceService', 'CreateInterface', orderBody(BOUTIQUE), server.adminToken);
      expect(missing.status).toBe(400);
      expect(missing.body.details[0].debug.fieldViolations[0]).toMatchObject({ field: 'resellerId', reason: 'REQUIRED' });
      const named = await server.call('InterfaceService', 'CreateInterface', orderBody(BOUTIQUE, { resellerId: globex.resellerId }), server.adminToken);
      expect(named.status).toBe(200);
      expect((await get(server, globex, named.body.key)).resellerId).toBe(globex.resellerId);
    });
  });

  describe('installation (PENDING to ACTIVE in the background job)', () => {
    it('install: the interface stays PENDING until the installation delay has passed, then becomes ACTIVE with its URLs', async () => {
      const created = await order(server, acme, BOUTIQUE, { subdomain: `install-${process.pid}` });
      await server.app.runDueJobs();
      expect((await get(server, acme, created.key)).status).toBe('INTERFACE_STATUS_PENDING');
      server.clock.advance(server.app.config.interfaceInstallDelaySeconds * 1000);
      await server.app.runDueJobs();
      const installed = await get(server, acme, created.key);
      expect(installed).toMatchObject({
        status: 'INTERFACE_STATUS_ACTIVE', formUrl: '',
        url: `https://install-${process.pid}.${server.app.config.interfaceDomain}/`,
        adminUrl: `https://install-${process.pid}.${server.app.config.interfaceDomain}/superadmin/`,
      });
      expect(Date.parse(installed.installTime)).toBeGreaterThanOrEqual(Date.parse(installed.createTime));
    });
  });

  describe('offering lines (seed 003 /interfaces/{cle_interface}/prestations)', () => {
    it('lines: ListInterfaceOfferings gives the codes; GetInterfaceOffering every copy of one code with its own reference', async () => {
      const created = await order(server, acme, [...BOUTIQUE, 'MO-NEWSLETTER-AMM', 'MO-NEWSLETTER-AMM']);
      const codes = await server.call('InterfaceService', 'ListInterfaceOfferings', { key: created.key }, acme.token);
      expect(codes.body.codes).toEqual(['IN-BTQST-S', 'IN-BTQZ-AMM', 'MO-NEWSLETTER-AMM']);
      const copies = await server.call('InterfaceService', 'GetInterfaceOffering', { key: created.key, code: 'MO-NEWSLETTER-AMM' }, acme.token);
      expect(copies.status).toBe(200);
      expect(copies.body.lines).toHaveLength(2);
      expect(copies.body.lines[0]).toMatchObject({ code: 'MO-NEWSLETTER-AMM', cancelled: false, formUrl: '' });
      expect(copies.body.lines[0]).not.toHaveProperty('cancelTime');
      expect(copies.body.lines[0].reference).not.toBe(copies.body.lines[1].reference);
      const setup = await server.call('InterfaceService', 'GetInterfaceOffering', { key: created.key, code: 'IN-BTQST-S' }, acme.token);
      expect(setup.body.lines[0].formUrl).toMatch(/^https:\/\//);
      const absent = await server.call('InterfaceService', 'GetInterfaceOffering', { key: created.key, code: 'MO-DOMAINE-AMA' }, acme.token);
      expect(absent.status).toBe(404);
      expect(reasonOf(absent.body)).toBe('INTERFACE_OFFERING_NOT_FOUND');
    });

    it('add: adds lines (several copies allowed) and returns them with their references', async () => {
      const created = await order(server, acme);
      const added = await server.call('InterfaceService', 'AddInterfaceOfferings', { key: created.key, offeringCodes: ['MO-DOMAINE-AMA', 'MO-DOMAINE-AMA'] }, acme.token);
      expect(added.status).toBe(200);
      expect(added.body.lines.map((l: any) => l.code)).toEqual(['MO-DOMAINE-AMA', 'MO-DOMAINE-AMA']);
      const copies = await server.call('InterfaceService', 'GetInterfaceOffering', { key: created.key, code: 'MO-DOMAINE-AMA' }, acme.token);
      expect(copies.body.lines.map((l: any) => l.reference)).toEqual(added.body.lines.map((l: any) => l.reference));
    });

    it('add: a retry with the same request_id adds nothing new', async () => {
      const created = await order(server, acme);
      const body = { key: created.key, offeringCodes: ['MO-DOMAINE-AMA'], requestId: `add-${created.key}` };
      const first = await server.call('InterfaceService', 'AddInterfaceOfferings', body, acme.token);
      const second = await server.call('InterfaceService', 'AddInterfaceOfferings', body, acme.token);
      expect(second.status).toBe(200);
      expect(second.body.lines[0].reference).toBe(first.body.lines[0].reference);
      const copies = await server.call('InterfaceService', 'GetInterfaceOffering', { key: created.key, code: 'MO-DOMAINE-AMA' }, acme.token);
      expect(copies.body.lines).toHaveLength(1);
    });

    it('add: no setup offering may be added to an existing interface', async () => {
      const created = await order(server, acme);
      const answer = await server.call('InterfaceService', 'AddInterfaceOfferings', { key: created.key, offeringCodes: ['IN-CAISSE-S', 'IN-CAISSE-AMM'] }, acme.token);
      expect(answer.status).toBe(400);
      expect(reasonOf(answer.body)).toBe('SETUP_OFFERING_NOT_ALLOWED');
    });

    it('add: the association rule counts what the interface already has live', async () => {
      const created = await order(server, acme);
      // The boutique subscription is live on the interface: the option may come alone.
      const ok = await server.call('InterfaceService', 'AddInterfaceOfferings', { key: created.key, offeringCodes: ['MO-ARTCRITERES-S'] }, acme.token);
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      // The e-commerce module needs the showcase site's subscription, which this interface does not have.
      const refused = await server.call('InterfaceService', 'AddInterfaceOfferings', { key: created.key, offeringCodes: ['MO-ECOMMERCE-S'] }, acme.token);
      expect(refused.status).toBe(400);
      expect(reasonOf(refused.body)).toBe('ASSOCIATED_OFFERING_REQUIRED');
      // Once the subscription is cancelled it no longer counts (with the option that needs it, in one request).
      const cancelled = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: 'IN-BTQZ-AMM', alsoCancel: ['MO-ARTCRITERES-S'] }, acme.token);
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
      const afterCancel = await server.call('InterfaceService', 'AddInterfaceOfferings', { key: created.key, offeringCodes: ['MO-ARTCRITERES-S'] }, acme.token);
      expect(reasonOf(afterCancel.body)).toBe('ASSOCIATED_OFFERING_REQUIRED');
      // ... unless one of the associated offerings comes in the same request.
      const together = await server.call('InterfaceService', 'AddInterfaceOfferings', { key: created.key, offeringCodes: ['MO-ARTCRITERES-S', 'IN-BTQZ-AMA'] }, acme.token);
      expect(together.status).toBe(200);
    });

    it('add: unknown and retired codes are refused like on creation', async () => {
      const created = await order(server, acme);
      const unknown = await server.call('InterfaceService', 'AddInterfaceOfferings', { key: created.key, offeringCodes: ['MO-NOPE'] }, acme.token);
      expect(reasonOf(unknown.body)).toBe('UNKNOWN_OFFERING_CODE');
      expect(unknown.body.message).toContain('MO-NOPE');
      await server.call('CatalogService', 'UpsertOffering', {
        code: 'MO-RETIRED-ADD', name: 'Old', price: { amountMinor: '100', currency: 'EUR' }, kind: 'OFFERING_KIND_OPTION',
      }, server.adminToken);
      await server.call('CatalogService', 'RetireOffering', { code: 'MO-RETIRED-ADD' }, server.adminToken);
      const retired = await server.call('InterfaceService', 'AddInterfaceOfferings', { key: created.key, offeringCodes: ['MO-RETIRED-ADD'] }, acme.token);
      expect(reasonOf(retired.body)).toBe('OFFERING_RETIRED');
    });

    it('retire: a retired offering stays on the interfaces that have it', async () => {
      await server.call('CatalogService', 'UpsertOffering', {
        code: 'MO-RETIRED-KEPT', name: 'Soon retired', price: { amountMinor: '100', currency: 'EUR' }, kind: 'OFFERING_KIND_OPTION',
      }, server.adminToken);
      const created = await order(server, acme, [...BOUTIQUE, 'MO-RETIRED-KEPT']);
      await server.call('CatalogService', 'RetireOffering', { code: 'MO-RETIRED-KEPT' }, server.adminToken);
      const codes = await server.call('InterfaceService', 'ListInterfaceOfferings', { key: created.key }, acme.token);
      expect(codes.body.codes).toContain('MO-RETIRED-KEPT');
      const lines = await server.call('InterfaceService', 'GetInterfaceOffering', { key: created.key, code: 'MO-RETIRED-KEPT' }, acme.token);
      expect(lines.body.lines[0].cancelled).toBe(false);
    });

    it('cancel: by code cancels every live copy of that code', async () => {
      const created = await order(server, acme, [...BOUTIQUE, 'MO-NEWSLETTER-AMM', 'MO-NEWSLETTER-AMM']);
      const cancelled = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: 'MO-NEWSLETTER-AMM' }, acme.token);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.lines).toHaveLength(2);
      expect(cancelled.body.lines.every((l: any) => l.cancelled && Date.parse(l.cancelTime) > 0)).toBe(true);
      const lines = await server.call('InterfaceService', 'GetInterfaceOffering', { key: created.key, code: 'MO-NEWSLETTER-AMM' }, acme.token);
      expect(lines.body.lines.every((l: any) => l.cancelled)).toBe(true);
      const live = await server.call('InterfaceService', 'ListInterfaceOfferings', { key: created.key }, acme.token);
      expect(live.body.codes).toEqual(BOUTIQUE);
      const all = await server.call('InterfaceService', 'ListInterfaceOfferings', { key: created.key, includeCancelled: true }, acme.token);
      expect(all.body.codes).toEqual([...BOUTIQUE, 'MO-NEWSLETTER-AMM']);
    });

    it('cancel: by unique reference cancels only that line', async () => {
      const created = await order(server, acme, [...BOUTIQUE, 'MO-NEWSLETTER-AMM', 'MO-NEWSLETTER-AMM']);
      const [first, second] = created.lines.filter((l: any) => l.code === 'MO-NEWSLETTER-AMM');
      const cancelled = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: first.reference }, acme.token);
      expect(cancelled.body.lines.map((l: any) => l.reference)).toEqual([first.reference]);
      const lines = await server.call('InterfaceService', 'GetInterfaceOffering', { key: created.key, code: 'MO-NEWSLETTER-AMM' }, acme.token);
      expect(lines.body.lines.map((l: any) => [l.reference, l.cancelled])).toEqual([[first.reference, true], [second.reference, false]]);
      // By code now cancels the one copy still live.
      const rest = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: 'mo-newsletter-amm' }, acme.token);
      expect(rest.body.lines.map((l: any) => l.reference)).toEqual([second.reference]);
    });

    it('cancel: cancelling what is already cancelled is reported (OFFERING_ALREADY_CANCELLED), not repeated', async () => {
      const created = await order(server, acme, [...BOUTIQUE, 'MO-NEWSLETTER-AMM']);
      const line = created.lines.find((l: any) => l.code === 'MO-NEWSLETTER-AMM');
      const first = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: line.reference }, acme.token);
      server.clock.advance(1000);
      for (const codeOrReference of [line.reference, 'MO-NEWSLETTER-AMM']) {
        const again = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference }, acme.token);
        expect(again.status).toBe(400);
        expect(again.body.code).toBe('failed_precondition');
        expect(reasonOf(again.body)).toBe('OFFERING_ALREADY_CANCELLED');
        // Named by the guid the reseller gave it; the key stays in the metadata.
        expect(again.body.message).toContain(`on interface "${created.interface.guid}" is already cancelled`);
        expect(again.body.details[0].debug.metadata).toMatchObject({ key: created.key, guid: created.interface.guid });
      }
      const lines = await server.call('InterfaceService', 'GetInterfaceOffering', { key: created.key, code: 'MO-NEWSLETTER-AMM' }, acme.token);
      expect(lines.body.lines[0].cancelTime).toBe(first.body.lines[0].cancelTime);
    });

    it('cancel: the offering a live option needs is refused (OFFERING_NEEDED_BY_OPTION), and nothing is cancelled', async () => {
      const created = await order(server, acme, [...BOUTIQUE, 'MO-ARTCRITERES-S']);
      const refused = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: 'IN-BTQZ-AMM' }, acme.token);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('failed_precondition');
      expect(reasonOf(refused.body)).toBe('OFFERING_NEEDED_BY_OPTION');
      expect(refused.body.message).toContain('MO-ARTCRITERES-S');
      expect(refused.body.details[0].debug.metadata).toEqual({ codes: 'IN-BTQZ-AMM', neededBy: 'MO-ARTCRITERES-S' });
      // By reference too: the line was the last live one of its code.
      const line = created.lines.find((l: any) => l.code === 'IN-BTQZ-AMM');
      const byReference = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: line.reference }, acme.token);
      expect(reasonOf(byReference.body)).toBe('OFFERING_NEEDED_BY_OPTION');
      const live = await server.call('InterfaceService', 'ListInterfaceOfferings', { key: created.key }, acme.token);
      expect(live.body.codes).toEqual([...BOUTIQUE, 'MO-ARTCRITERES-S']);
    });

    it('cancel: the option and the offering it needs go together in one request (alsoCancel), all or nothing', async () => {
      const created = await order(server, acme, [...BOUTIQUE, 'MO-ARTCRITERES-S', 'MO-NEWSLETTER-AMM']);
      const together = await server.call('InterfaceService', 'CancelInterfaceOffering',
        { key: created.key, codeOrReference: 'IN-BTQZ-AMM', alsoCancel: ['MO-ARTCRITERES-S'] }, acme.token);
      expect(together.status, JSON.stringify(together.body)).toBe(200);
      expect(together.body.lines.map((l: any) => l.code)).toEqual(['IN-BTQZ-AMM', 'MO-ARTCRITERES-S']);
      // One target that fails (already cancelled) fails the whole request.
      const again = await server.call('InterfaceService', 'CancelInterfaceOffering',
        { key: created.key, codeOrReference: 'MO-NEWSLETTER-AMM', alsoCancel: ['MO-ARTCRITERES-S'] }, acme.token);
      expect(reasonOf(again.body)).toBe('OFFERING_ALREADY_CANCELLED');
      const live = await server.call('InterfaceService', 'ListInterfaceOfferings', { key: created.key }, acme.token);
      expect(live.body.codes).toEqual(['IN-BTQST-S', 'MO-NEWSLETTER-AMM']);
    });

    it('cancel: an option stays satisfied by another live line (a second copy, or another associated offering)', async () => {
      const created = await order(server, acme, [...BOUTIQUE, 'IN-BTQZ-AMM', 'IN-BTQZ-AMA', 'MO-ARTCRITERES-S']);
      const [first] = created.lines.filter((l: any) => l.code === 'IN-BTQZ-AMM');
      expect((await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: first.reference }, acme.token)).status).toBe(200);
      // Every monthly line goes; the annual subscription still serves the option.
      expect((await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: 'IN-BTQZ-AMM' }, acme.token)).status).toBe(200);
      const last = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: 'IN-BTQZ-AMA' }, acme.token);
      expect(reasonOf(last.body)).toBe('OFFERING_NEEDED_BY_OPTION');
      // A setup does not hold its subscription back: only options count.
      const plain = await order(server, acme);
      expect((await server.call('InterfaceService', 'CancelInterfaceOffering', { key: plain.key, codeOrReference: 'IN-BTQZ-AMM' }, acme.token)).status).toBe(200);
    });

    it('cancel: a code not on the interface or an unknown reference answers 404', async () => {
      const created = await order(server, acme);
      const code = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: 'MO-DOMAINE-AMA' }, acme.token);
      expect(code.status).toBe(404);
      expect(reasonOf(code.body)).toBe('INTERFACE_OFFERING_NOT_FOUND');
      const reference = await server.call('InterfaceService', 'CancelInterfaceOffering', { key: created.key, codeOrReference: UNKNOWN }, acme.token);
      expect(reference.status).toBe(404);
      expect(reasonOf(reference.body)).toBe('OFFERING_LINE_NOT_FOUND');
    });
  });

  describe('ListInterfaces (seed 003 GET /interfaces)', () => {
    it('lists a reseller\'s interfaces newest first, page by page, filtered by status', async () => {
      const reseller = await createReseller(server, 'Lister');
      const keys: string[] = [];
      for (let i = 0; i < 3; i++) {
        keys.push((await order(server, reseller)).key);
        server.clock.advance(1);
      }
      await server.call('InterfaceService', 'DeleteInterface', { key: keys[0] }, reseller.token);
      const first = await server.call('InterfaceService', 'ListInterfaces', { pageSize: 2 }, reseller.token);
      expect(first.body.interfaces.map((i: any) => i.key)).toEqual([keys[2], keys[1]]);
      const second = await server.call('InterfaceService', 'ListInterfaces', { pageSize: 2, pageToken: first.body.nextPageToken }, reseller.token);
      expect(second.body.interfaces.map((i: any) => i.key)).toEqual([keys[0]]);
      expect(second.body.nextPageToken).toBe('');
      const deactivated = await server.call('InterfaceService', 'ListInterfaces', { status: 'INTERFACE_STATUS_DEACTIVATED' }, reseller.token);
      expect(deactivated.body.interfaces.map((i: any) => i.key)).toEqual([keys[0]]);
      const pending = await server.call('InterfaceService', 'ListInterfaces', { status: 'INTERFACE_STATUS_PENDING' }, reseller.token);
      expect(pending.body.interfaces.map((i: any) => i.key)).toEqual([keys[2], keys[1]]);
      const staff = await server.call('InterfaceService', 'ListInterfaces', { resellerId: reseller.resellerId }, support);
      expect(staff.body.interfaces).toHaveLength(3);
    });
  });

  describe('tenancy: another reseller\'s interface answers not found', () => {
    let key: string;
    let reference: string;
    beforeAll(async () => {
      const created = await order(server, acme, BOUTIQUE, { guid: 'tenancy' });
      key = created.key;
      reference = created.lines[0].reference;
    });

    it.each([
      ['GetInterface', () => ({ key })],
      ['DeleteInterface', () => ({ key })],
      ['ReactivateInterface', () => ({ key })],
      ['ListInterfaceOfferings', () => ({ key })],
      ['GetInterfaceOffering', () => ({ key, code: 'IN-BTQST-S' })],
      ['AddInterfaceOfferings', () => ({ key, offeringCodes: ['MO-NEWSLETTER-AMM'] })],
      ['CancelInterfaceOffering', () => ({ key, codeOrReference: 'IN-BTQZ-AMM' })],
      ['CancelInterfaceOffering', () => ({ key, codeOrReference: reference })],
    ])('%s: another reseller gets 404 INTERFACE_NOT_FOUND and changes nothing', async (method, body) => {
      const answer = await server.call('InterfaceService', method, body(), globex.token);
      expect(answer.status).toBe(404);
      expect(reasonOf(answer.body)).toBe('INTERFACE_NOT_FOUND');
      expect(JSON.stringify(answer.body)).not.toContain('tenancy');
      const mine = await get(server, acme, key);
      expect(mine.status).toBe('INTERFACE_STATUS_PENDING');
      const lines = await server.call('InterfaceService', 'ListInterfaceOfferings', { key }, acme.token);
      expect(lines.body.codes).toEqual(BOUTIQUE);
    });

    it('ListInterfaces never shows another reseller\'s interface', async () => {
      const answer = await server.call('InterfaceService', 'ListInterfaces', { pageSize: 200 }, globex.token);
      expect(answer.body.interfaces.map((i: any) => i.key)).not.toContain(key);
      expect(answer.body.interfaces.every((i: any) => i.resellerId === globex.resellerId)).toBe(true);
    });

    it('staff see every reseller\'s interface (the support role reads it and its lines)', async () => {
      for (const [method, body] of [['GetInterface', { key }], ['ListInterfaceOfferings', { key }], ['GetInterfaceOffering', { key, code: 'IN-BTQST-S' }]] as const) {
        const answer = await server.call('InterfaceService', method, body, support);
        expect(answer.status).toBe(200);
      }
    });
  });

  describe('errors: method (405), token (401), role (403), input (400), existence (404)', () => {
    const methods: [string, boolean][] = [
      ['ListInterfaces', true], ['GetInterface', true], ['CreateInterface', false], ['DeleteInterface', false], ['ReactivateInterface', false],
      ['ListInterfaceOfferings', true], ['GetInterfaceOffering', true], ['AddInterfaceOfferings', false], ['CancelInterfaceOffering', false],
    ];

    // Each method's request with just the fields it has: unknown JSON fields are refused with 400.
    const requestOf = (method: string, body: Record<string, unknown>) => {
      const input = Object.values(InterfaceService.method).find((m) => m.name === method)!.input;
      const fields = new Set(input.fields.map((f) => f.jsonName));
      return Object.fromEntries(Object.entries(body).filter(([name]) => fields.has(name)));
    };

    it.each(methods)('%s: a wrong HTTP method answers 405', async (method) => {
      const response = await fetch(`${server.url}/reseller.v1.InterfaceService/${method}`, { method: 'PUT', headers: { authorization: `Bearer ${acme.token}` } });
      expect(response.status).toBe(405);
    });

    it.each(methods)('%s: no token answers 401 TOKEN_MISSING, a bad one 401 TOKEN_INVALID', async (method) => {
      const missing = await server.call('InterfaceService', method, requestOf(method, { key: UNKNOWN }));
      expect(missing.status).toBe(401);
      expect(reasonOf(missing.body)).toBe('TOKEN_MISSING');
      const bad = await server.call('InterfaceService', method, requestOf(method, { key: UNKNOWN }), 'nope');
      expect(bad.status).toBe(401);
      expect(reasonOf(bad.body)).toBe('TOKEN_INVALID');
    });

    it.each(methods.filter(([, read]) => !read))('%s: the support role may not write (403 READ_ONLY_ROLE)', async (method) => {
      const answer = await server.call('InterfaceService', method, requestOf(method, { key: UNKNOWN }), support);
      expect(answer.status).toBe(403);
      expect(reasonOf(answer.body)).toBe('READ_ONLY_ROLE');
    });

    it.each(methods.filter(([m]) => !['ListInterfaces', 'CreateInterface'].includes(m)))('%s: an unknown key answers 404 INTERFACE_NOT_FOUND, a malformed one 400', async (method) => {
      const body = requestOf(method, { key: UNKNOWN, code: 'IN-BTQST-S', offeringCodes: ['MO-NEWSLETTER-AMM'], codeOrReference: 'IN-BTQST-S' });
      const unknown = await server.call('InterfaceService', method, body, acme.token);
      expect(unknown.status).toBe(404);
      expect(reasonOf(unknown.body)).toBe('INTERFACE_NOT_FOUND');
      const malformed = await server.call('InterfaceService', method, { ...body, key: 'not-a-key' }, acme.token);
      expect(malformed.status).toBe(400);
      expect(malformed.body.details[0].debug.fieldViolations[0].field).toBe('key');
    });
  });

  describe('generated clients', () => {
    it.each(['connect', 'grpc', 'grpc-web'] as const)('orders and reads an interface over %s', async (protocol) => {
      const client = server.client(InterfaceService, acme.token, protocol);
      const created = await client.createInterface({ ...orderBody(BOUTIQUE), contact: CONTACT } as never);
      const { interface: iface } = await client.getInterface({ key: created.key });
      expect(iface?.status).toBe(InterfaceStatus.PENDING);
      const { codes } = await client.listInterfaceOfferings({ key: created.key });
      expect(codes).toEqual(BOUTIQUE);
    });
  });
});

describeEachDatabase('InterfaceService lifecycle on the clock (seed 003 deletion and reactivation)', (kind) => {
  // Mid-month, so the 1st of next month and the 90 days are easy to read.
  const START = new Date('2027-03-15T10:30:00.000Z');
  let server: TestServer;
  let acme: TestReseller;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock(START);
    server = await startServer(kind, { env: { ...QUIET, INTERFACE_INSTALL_DELAY_SECONDS: '3600' }, clock });
    acme = await createReseller(server, 'Acme Telecom');
  });
  afterAll(() => server?.close());

  /** Moves the clock (tokens live an hour, so a new one is taken at the new time). */
  async function at(date: Date | number): Promise<void> {
    if (typeof date === 'number') clock.advance(date);
    else clock.set(date);
    await freshToken(server, acme);
  }

  /** An ACTIVE interface ordered "now". */
  async function active(): Promise<string> {
    await freshToken(server, acme);
    const created = await order(server, acme);
    await at(3600 * 1000);
    await server.app.runDueJobs();
    expect((await get(server, acme, created.key)).status).toBe('INTERFACE_STATUS_ACTIVE');
    return created.key;
  }

  it('delete: status DEACTIVATED, access cut on the 1st of next month, deletion 90 days after the request', async () => {
    await at(START);
    const key = await active();
    await at(new Date('2027-03-20T08:00:00.000Z'));
    const answer = await server.call('InterfaceService', 'DeleteInterface', { key }, acme.token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      deletionTime: '2027-06-18T08:00:00Z', accessEndTime: '2027-04-01T00:00:00Z',
      interface: { status: 'INTERFACE_STATUS_DEACTIVATED', deletionRequestTime: '2027-03-20T08:00:00Z' },
    });
    const read = await get(server, acme, key);
    expect(read).toMatchObject({ status: 'INTERFACE_STATUS_DEACTIVATED', deletionTime: '2027-06-18T08:00:00Z', accessEndTime: '2027-04-01T00:00:00Z' });
  });

  it('delete: a request in December cuts access on 1 January of the next year; one on the 1st waits a whole month', async () => {
    await at(new Date('2027-12-31T22:00:00.000Z'));
    const december = await active();
    const first = await server.call('InterfaceService', 'DeleteInterface', { key: december }, acme.token);
    expect(first.body.accessEndTime).toBe('2028-01-01T00:00:00Z');
    await at(new Date('2028-01-31T23:00:00.000Z'));
    const onTheFirst = await active();
    const second = await server.call('InterfaceService', 'DeleteInterface', { key: onTheFirst }, acme.token);
    expect(second.body.accessEndTime).toBe('2028-03-01T00:00:00Z');
  });

  it('delete: a second request is reported (INTERFACE_DELETION_ALREADY_REQUESTED) and does not move the dates', async () => {
    await at(START);
    const key = await active();
    const first = await server.call('InterfaceService', 'DeleteInterface', { key }, acme.token);
    await at(DAY);
    const again = await server.call('InterfaceService', 'DeleteInterface', { key }, acme.token);
    expect(again.status).toBe(400);
    expect(reasonOf(again.body)).toBe('INTERFACE_DELETION_ALREADY_REQUESTED');
    expect((await get(server, acme, key)).deletionTime).toBe(first.body.deletionTime);
  });

  it('deletion job: DEACTIVATED until the deletion time, then DELETED, its subdomain freed', async () => {
    await at(START);
    const created = await order(server, acme, BOUTIQUE, { subdomain: `gone-${kind}` });
    await server.call('InterfaceService', 'DeleteInterface', { key: created.key }, acme.token);
    await at(90 * DAY - 1000);
    await server.app.runDueJobs();
    expect((await get(server, acme, created.key)).status).toBe('INTERFACE_STATUS_DEACTIVATED');
    await at(1000);
    await server.app.runDueJobs();
    const deleted = await get(server, acme, created.key);
    expect(deleted).toMatchObject({ status: 'INTERFACE_STATUS_DELETED', subdomain: '', deletionTime: '2027-06-13T10:30:00Z' });
    const listed = await server.call('InterfaceService', 'ListInterfaces', { status: 'INTERFACE_STATUS_DELETED', pageSize: 200 }, acme.token);
    expect(listed.body.interfaces.map((i: any) => i.key)).toContain(created.key);
    await order(server, acme, BOUTIQUE, { subdomain: `gone-${kind}` });
  });

  it('deleted: once its deletion time has passed an interface reads DELETED even before the job has run', async () => {
    await at(START);
    const key = await active();
    await server.call('InterfaceService', 'DeleteInterface', { key }, acme.token);
    await at(90 * DAY);
    expect((await get(server, acme, key)).status).toBe('INTERFACE_STATUS_DELETED');
    const deactivated = await server.call('InterfaceService', 'ListInterfaces', { status: 'INTERFACE_STATUS_DEACTIVATED', pageSize: 200 }, acme.token);
    expect(deactivated.body.interfaces.map((i: any) => i.key)).not.toContain(key);
    const reactivate = await server.call('InterfaceService', 'ReactivateInterface', { key }, acme.token);
    expect(reasonOf(reactivate.body)).toBe('INTERFACE_DELETED');
  });

  it('reactivate: only after a deletion request; clears the schedule and returns the reactivation time', async () => {
    await at(START);
    const key = await active();
    const early = await server.call('InterfaceService', 'ReactivateInterface', { key }, acme.token);
    expect(early.status).toBe(400);
    expect(early.body.code).toBe('failed_precondition');
    expect(reasonOf(early.body)).toBe('INTERFACE_DELETION_NOT_REQUESTED');
    await server.call('InterfaceService', 'DeleteInterface', { key }, acme.token);
    await at(30 * DAY);
    const answer = await server.call('InterfaceService', 'ReactivateInterface', { key }, acme.token);
    expect(answer.status).toBe(200);
    expect(answer.body.reactivationTime).toBe(clock.now().toISOString().replace('.000Z', 'Z'));
    expect(answer.body.interface.status).toBe('INTERFACE_STATUS_ACTIVE');
    for (const field of ['deletionTime', 'accessEndTime', 'deletionRequestTime']) expect(answer.body.interface).not.toHaveProperty(field);
    // The old schedule is gone: nothing deletes it at the old date.
    await at(61 * DAY);
    await server.app.runDueJobs();
    expect((await get(server, acme, key)).status).toBe('INTERFACE_STATUS_ACTIVE');
  });

  it('reactivate: never after the final deletion (INTERFACE_DELETED)', async () => {
    await at(START);
    const key = await active();
    await server.call('InterfaceService', 'DeleteInterface', { key }, acme.token);
    await at(91 * DAY);
    await server.app.runDueJobs();
    const answer = await server.call('InterfaceService', 'ReactivateInterface', { key }, acme.token);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('failed_precondition');
    expect(reasonOf(answer.body)).toBe('INTERFACE_DELETED');
    const deleteAgain = await server.call('InterfaceService', 'DeleteInterface', { key }, acme.token);
    expect(reasonOf(deleteAgain.body)).toBe('INTERFACE_DELETED');
    const add = await server.call('InterfaceService', 'AddInterfaceOfferings', { key, offeringCodes: ['MO-NEWSLETTER-AMM'] }, acme.token);
    expect(reasonOf(add.body)).toBe('INTERFACE_DELETED');
  });

  it('a PENDING interface may be deleted: it is not installed meanwhile, and a reactivation sends it back to installation', async () => {
    await at(START);
    const created = await order(server, acme);
    await server.call('InterfaceService', 'DeleteInterface', { key: created.key }, acme.token);
    await at(3600 * 1000);
    await server.app.runDueJobs();
    expect((await get(server, acme, created.key)).status).toBe('INTERFACE_STATUS_DEACTIVATED');
    const back = await server.call('InterfaceService', 'ReactivateInterface', { key: created.key }, acme.token);
    expect(back.body.interface.status).toBe('INTERFACE_STATUS_PENDING');
    await server.app.runDueJobs();
    expect((await get(server, acme, created.key)).status).toBe('INTERFACE_STATUS_ACTIVE');
  });

  it('add: a DEACTIVATED interface takes no new offerings until reactivated', async () => {
    await at(START);
    const key = await active();
    await server.call('InterfaceService', 'DeleteInterface', { key }, acme.token);
    const answer = await server.call('InterfaceService', 'AddInterfaceOfferings', { key, offeringCodes: ['MO-NEWSLETTER-AMM'] }, acme.token);
    expect(answer.status).toBe(400);
    expect(reasonOf(answer.body)).toBe('INTERFACE_DEACTIVATED');
  });
});

// Several instances share one database only on PostgreSQL (the scale-out path).
// Two SQLite instances in one test process cannot stand for two processes:
// better-sqlite3 waits for a lock synchronously, blocking the very event loop
// that the other instance needs to release it.
describe.skipIf(!(await hasPostgres()))('InterfaceService jobs with two server instances on one PostgreSQL database', () => {
  const kind = 'postgresql';
  let one: TestServer;
  let two: TestServer;
  let clock: ManualClock;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createDatabase(kind);
    dropDatabase = database.drop;
    clock = new ManualClock(new Date('2027-05-10T09:00:00.000Z'));
    // Both timers are on as in production, on a short interval, beside the explicit runs.
    const env = { JOB_INTERVAL_MS: '20', INTERFACE_INSTALL_DELAY_SECONDS: '60' };
    one = await startServer(kind, { database, clock, env });
    two = await startServer(kind, { database, clock, env });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await dropDatabase?.();
  });

  async function events(kindOfEvent: string): Promise<Map<string, number>> {
    const rows = await systemEm(one.app.orm).find(InterfaceEvent, { kind: kindOfEvent as never });
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.shopInterface.id, (counts.get(row.shopInterface.id) ?? 0) + 1);
    return counts;
  }

  it('each installation and each final deletion happens exactly once, whichever instance runs the job', async () => {
    const reseller = await createReseller(one, 'Two instances');
    const keys: string[] = [];
    for (let i = 0; i < 12; i++) {
      const server = i % 2 ? two : one;
      const answer = await server.call('InterfaceService', 'CreateInterface', orderBody(BOUTIQUE), reseller.token);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      keys.push(answer.body.key);
    }
    clock.advance(60_000);
    await Promise.all([one.app.runDueJobs(), two.app.runDueJobs(), one.app.runDueJobs(), two.app.runDueJobs()]);
    const installed = await events('installed');
    expect(keys.map((k) => installed.get(k))).toEqual(keys.map(() => 1));
    for (const key of keys) {
      const answer = await two.call('InterfaceService', 'GetInterface', { key }, reseller.token);
      expect(answer.body.interface.status).toBe('INTERFACE_STATUS_ACTIVE');
    }

    for (const [i, key] of keys.entries()) {
      const answer = await (i % 2 ? one : two).call('InterfaceService', 'DeleteInterface', { key }, reseller.token);
      expect(answer.status).toBe(200);
    }
    clock.advance(90 * DAY);
    await Promise.all([one.app.runDueJobs(), two.app.runDueJobs(), two.app.runDueJobs(), one.app.runDueJobs()]);
    const deleted = await events('deleted');
    expect(keys.map((k) => deleted.get(k))).toEqual(keys.map(() => 1));
    // A later run, on either instance, finds nothing left to do.
    expect(await one.app.runDueJobs()).toMatchObject({ 'interfaces.install': 0, 'interfaces.delete': 0 });
    expect(await two.app.runDueJobs()).toMatchObject({ 'interfaces.install': 0, 'interfaces.delete': 0 });
  });
});
