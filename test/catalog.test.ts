// CatalogService through the real wire (seeds 003 "prestations" and 000
// smartphones): JSON as curl sends it, and the generated client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogService, OfferingKind } from '../gen/reseller/v1/catalog_pb.js';
import { createReseller, describeEachDatabase, staffToken, startServer, type TestReseller, type TestServer } from './support/server.ts';

const UNKNOWN = '01890000-0000-7000-8000-000000000000';

function reasonOf(body: any): string {
  return body.details?.[0]?.debug?.reason;
}

function offeringBody(code: string, fields: Record<string, unknown> = {}) {
  return {
    code, name: `Offering ${code}`, shortDescription: 'short', longDescription: '<p>long</p>',
    price: { amountMinor: '1500', currency: 'EUR' }, kind: 'OFFERING_KIND_OPTION', ...fields,
  };
}

describeEachDatabase('CatalogService', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let support: string;

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme Telecom');
    support = await staffToken(server, 'ROLE_SUPPORT');
  });
  afterAll(() => server?.close());

  describe('offerings (seed 003 GET /prestations, GET /prestation/{code})', () => {
    it('a fresh database has a demo catalog: setup offerings, subscriptions, options and the softphone seat', async () => {
      const answer = await server.call('CatalogService', 'ListOfferings', { pageSize: 200 }, acme.token);
      expect(answer.status).toBe(200);
      const kinds = answer.body.offerings.map((o: any) => o.kind);
      expect(kinds.filter((k: string) => k === 'OFFERING_KIND_SETUP').length).toBeGreaterThanOrEqual(3);
      expect(kinds).toContain('OFFERING_KIND_SUBSCRIPTION');
      expect(kinds).toContain('OFFERING_KIND_OPTION');
      const seat = answer.body.offerings.find((o: any) => o.code === 'UC-SOFTPHONE-SEAT');
      expect(seat).toMatchObject({ kind: 'OFFERING_KIND_SUBSCRIPTION', billingPeriod: 'BILLING_PERIOD_MONTHLY', price: { amountMinor: '490', currency: 'EUR' }, includedQuantity: 2 });
      const subscriptions = answer.body.offerings.filter((o: any) => o.kind === 'OFFERING_KIND_SUBSCRIPTION' && o.associatedCodes.length > 1);
      expect(subscriptions.length).toBeGreaterThan(0);
    });

    it('gets an offering by code with its name, descriptions, price as Money, kind and associated codes', async () => {
      const answer = await server.call('CatalogService', 'GetOffering', { code: 'IN-BTQST-S' }, acme.token);
      expect(answer.status).toBe(200);
      expect(answer.body.offering).toMatchObject({
        code: 'IN-BTQST-S', kind: 'OFFERING_KIND_SETUP', billingPeriod: 'BILLING_PERIOD_ONE_TIME',
        price: { amountMinor: '49000', currency: 'EUR' }, associatedCodes: ['IN-BTQZ-AMM', 'IN-BTQZ-AMA'],
        retired: false, projectForm: true,
      });
      expect(answer.body.offering.name).not.toBe('');
      expect(answer.body.offering.shortDescription).not.toBe('');
      expect(answer.body.offering.longDescription).toContain('<p>');
    });

    it('answers GET too (read-only method) and finds codes typed in lower case', async () => {
      const message = encodeURIComponent(JSON.stringify({ code: 'in-btqst-s' }));
      const response = await fetch(`${server.url}/reseller.v1.CatalogService/GetOffering?encoding=json&message=${message}`,
        { headers: { authorization: `Bearer ${acme.token}` } });
      expect(response.status).toBe(200);
      expect((await response.json()).offering.code).toBe('IN-BTQST-S');
    });

    it('an unknown code answers 404 OFFERING_NOT_FOUND', async () => {
      const answer = await server.call('CatalogService', 'GetOffering', { code: 'NO-SUCH-S' }, acme.token);
      expect(answer.status).toBe(404);
      expect(reasonOf(answer.body)).toBe('OFFERING_NOT_FOUND');
      expect(answer.body.details[0].debug.metadata.code).toBe('NO-SUCH-S');
    });

    it('lists offerings by code, page by page, filtered by kind', async () => {
      const first = await server.call('CatalogService', 'ListOfferings', { pageSize: 2, kind: 'OFFERING_KIND_SETUP' }, acme.token);
      const second = await server.call('CatalogService', 'ListOfferings', { pageSize: 2, kind: 'OFFERING_KIND_SETUP', pageToken: first.body.nextPageToken }, acme.token);
      const codes = [...first.body.offerings, ...second.body.offerings].map((o: any) => o.code);
      expect(codes).toEqual([...codes].sort());
      expect(new Set(codes).size).toBe(4);
      expect([...first.body.offerings, ...second.body.offerings].every((o: any) => o.kind === 'OFFERING_KIND_SETUP')).toBe(true);
    });
  });

  describe('staff maintain the catalog (UpsertOffering, UpsertSmartphone, RetireOffering)', () => {
    it('UpsertOffering creates a new code, then updates it (etag checked)', async () => {
      const created = await server.call('CatalogService', 'UpsertOffering', offeringBody('MO-TEST-UPSERT'), server.adminToken);
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(created.body).toMatchObject({ created: true, offering: { code: 'MO-TEST-UPSERT', billingPeriod: 'BILLING_PERIOD_ONE_TIME', etag: 'v1' } });
      const updated = await server.call('CatalogService', 'UpsertOffering',
        offeringBody('MO-TEST-UPSERT', { name: 'Renamed', price: { amountMinor: '2500', currency: 'EUR' }, etag: 'v1' }), server.adminToken);
      expect(updated.body).toMatchObject({ created: false, offering: { name: 'Renamed', price: { amountMinor: '2500' }, etag: 'v2' } });
      const stale = await server.call('CatalogService', 'UpsertOffering', offeringBody('MO-TEST-UPSERT', { etag: 'v1' }), server.adminToken);
      expect(stale.status).toBe(409);
      expect(reasonOf(stale.body)).toBe('ETAG_MISMATCH');
    });

    it('UpsertOffering with create_only creates a new code but leaves an existing one as it is (409 OFFERING_CODE_EXISTS)', async () => {
      const created = await server.call('CatalogService', 'UpsertOffering', offeringBody('MO-TEST-CREATE-ONLY', { createOnly: true }), server.adminToken);
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(created.body).toMatchObject({ created: true, offering: { code: 'MO-TEST-CREATE-ONLY', etag: 'v1' } });
      const again = await server.call('CatalogService', 'UpsertOffering', offeringBody('MO-TEST-CREATE-ONLY', { name: 'Overwritten', createOnly: true }), server.adminToken);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('already_exists');
      expect(again.body.message).toContain('offering MO-TEST-CREATE-ONLY already exists');
      expect(again.body.details[0].debug).toMatchObject({ reason: 'OFFERING_CODE_EXISTS', metadata: { code: 'MO-TEST-CREATE-ONLY' }, fieldViolations: [{ field: 'code', description: 'is taken by an existing offering' }] });
      const stored = await server.call('CatalogService', 'GetOffering', { code: 'MO-TEST-CREATE-ONLY' }, server.adminToken);
      expect(stored.body.offering).toMatchObject({ name: 'Offering MO-TEST-CREATE-ONLY', etag: 'v1' });
    });

    it('a subscription defaults to a monthly price', async () => {
      const answer = await server.call('CatalogService', 'UpsertOffering', offeringBody('SUB-TEST-DEFAULT', { kind: 'OFFERING_KIND_SUBSCRIPTION' }), server.adminToken);
      expect(answer.body.offering.billingPeriod).toBe('BILLING_PERIOD_MONTHLY');
    });

    it('the long description is sanitised on the way in: no script, no event handler, no javascript: link', async () => {
      const dirty = '<p onclick="steal()">Hello <strong>world</strong><script>alert(1)</script>'
        + '<a href="javascript:alert(1)">bad</a> <a href="https://example.com/doc">doc</a><img src=x onerror="alert(1)"><style>p{}</style></p>';
      const answer = await server.call('CatalogService', 'UpsertOffering', offeringBody('MO-TEST-HTML', { longDescription: dirty }), server.adminToken);
      const html: string = answer.body.offering.longDescription;
      expect(html).toContain('<strong>world</strong>');
      expect(html).toContain('href="https://example.com/doc"');
      for (const bad of ['<script', 'alert', 'onclick', 'onerror', 'javascript:', '<img', '<style']) expect(html).not.toContain(bad);
      const read = await server.call('CatalogService', 'GetOffering', { code: 'MO-TEST-HTML' }, acme.token);
      expect(read.body.offering.longDescription).toBe(html);
    });

    it('associated codes must exist and not be the offering itself', async () => {
      const unknown = await server.call('CatalogService', 'UpsertOffering', offeringBody('MO-TEST-ASSOC', { associatedCodes: ['IN-BTQZ-AMM', 'NO-SUCH-AMM'] }), server.adminToken);
      expect(unknown.status).toBe(400);
      expect(reasonOf(unknown.body)).toBe('UNKNOWN_OFFERING_CODE');
      expect(unknown.body.message).toContain('NO-SUCH-AMM');
      expect(unknown.body.details[0].debug.fieldViolations[0].field).toBe('associatedCodes[1]');
      const self = await server.call('CatalogService', 'UpsertOffering', offeringBody('MO-TEST-ASSOC', { associatedCodes: ['MO-TEST-ASSOC'] }), server.adminToken);
      expect(self.status).toBe(400);
      expect(self.body.details[0].debug.fieldViolations[0]).toMatchObject({ field: 'associatedCodes[0]', reason: 'SELF_REFERENCE' });
    });

    it('invalid offerings answer 400 with every field violation', async () => {
      const answer = await server.call('CatalogService', 'UpsertOffering',
        { code: 'bad code', name: '', price: { amountMinor: '-1', currency: 'euro' } }, server.adminToken);
      expect(answer.status).toBe(400);
      expect(answer.body.details[0].debug.fieldViolations.map((v: any) => v.field))
        .toEqual(['code', 'name', 'price.amountMinor', 'price.currency', 'kind']);
    });

    it('RetireOffering: a retired offering stays readable, leaves the default list, and keeps its first retirement time', async () => {
      await server.call('CatalogService', 'UpsertOffering', offeringBody('MO-TEST-RETIRE'), server.adminToken);
      const retired = await server.call('CatalogService', 'RetireOffering', { code: 'MO-TEST-RETIRE' }, server.adminToken);
      expect(retired.status).toBe(200);
      expect(retired.body.offering.retired).toBe(true);
      const time = retired.body.offering.retireTime;
      expect(Date.parse(time)).not.toBeNaN();
      const read = await server.call('CatalogService', 'GetOffering', { code: 'MO-TEST-RETIRE' }, acme.token);
      expect(read.body.offering).toMatchObject({ retired: true, retireTime: time });
      const listed = await server.call('CatalogService', 'ListOfferings', { pageSize: 200 }, acme.token);
      expect(listed.body.offerings.map((o: any) => o.code)).not.toContain('MO-TEST-RETIRE');
      const all = await server.call('CatalogService', 'ListOfferings', { pageSize: 200, includeRetired: true }, acme.token);
      expect(all.body.offerings.map((o: any) => o.code)).toContain('MO-TEST-RETIRE');
      server.clock.advance(1000);
      const again = await server.call('CatalogService', 'RetireOffering', { code: 'MO-TEST-RETIRE' }, server.adminToken);
      expect(again.body.offering.retireTime).toBe(time);
    });

    it.each([
      ['UpsertOffering', () => offeringBody('MO-TEST-DENIED')],
      ['UpsertSmartphone', () => ({ sku: 'X-DENIED', brand: 'X', model: 'Y', colour: 'Red', storageGb: 64, price: { amountMinor: '100', currency: 'EUR' }, availability: 'SMARTPHONE_AVAILABILITY_IN_STOCK' })],
      ['RetireOffering', () => ({ code: 'IN-BTQST-S' })],
    ])('%s: a reseller\'s credential answers 403 STAFF_ONLY, the support role 403 READ_ONLY_ROLE', async (method, body) => {
      const reseller = await server.call('CatalogService', method, body(), acme.token);
      expect(reseller.status).toBe(403);
      expect(reseller.body.code).toBe('permission_denied');
      expect(reasonOf(reseller.body)).toBe('STAFF_ONLY');
      const readOnly = await server.call('CatalogService', method, body(), support);
      expect(readOnly.status).toBe(403);
      expect(reasonOf(readOnly.body)).toBe('READ_ONLY_ROLE');
      const stillOnSale = await server.call('CatalogService', 'GetOffering', { code: 'IN-BTQST-S' }, acme.token);
      expect(stillOnSale.body.offering.retired).toBe(false);
    });

    it.each(['ListOfferings', 'ListSmartphones'])('%s: the support role may read', async (method) => {
      const answer = await server.call('CatalogService', method, {}, support);
      expect(answer.status).toBe(200);
    });
  });

  describe('smartphones (seed 000 list and detail)', () => {
    it('lists the demo smartphones by SKU with brand, model, price, storage, colour and availability', async () => {
      const answer = await server.call('CatalogService', 'ListSmartphones', { pageSize: 200 }, acme.token);
      expect(answer.status).toBe(200);
      expect(answer.body.smartphones.length).toBeGreaterThanOrEqual(5);
      const skus = answer.body.smartphones.map((s: any) => s.sku);
      expect(skus).toEqual([...skus].sort());
      expect(answer.body.smartphones[0]).toEqual(expect.objectContaining({
        smartphoneId: expect.stringMatching(/^[0-9a-f-]{36}$/), brand: expect.any(String), model: expect.any(String),
        price: { amountMinor: expect.any(String), currency: 'EUR' }, storageGb: expect.any(Number), colour: expect.any(String),
        availability: expect.stringMatching(/^SMARTPHONE_AVAILABILITY_/),
      }));
      const availabilities = new Set(answer.body.smartphones.map((s: any) => s.availability));
      expect(availabilities).toEqual(new Set(['SMARTPHONE_AVAILABILITY_IN_STOCK', 'SMARTPHONE_AVAILABILITY_OUT_OF_STOCK', 'SMARTPHONE_AVAILABILITY_DISCONTINUED']));
    });

    it('filters by brand (any case), availability and text, page by page', async () => {
      const apple = await server.call('CatalogService', 'ListSmartphones', { brand: 'APPLE' }, acme.token);
      expect(apple.body.smartphones.length).toBeGreaterThan(0);
      expect(apple.body.smartphones.every((s: any) => s.brand === 'Apple')).toBe(true);
      const inStock = await server.call('CatalogService', 'ListSmartphones', { availability: 'SMARTPHONE_AVAILABILITY_IN_STOCK' }, acme.token);
      expect(inStock.body.smartphones.every((s: any) => s.availability === 'SMARTPHONE_AVAILABILITY_IN_STOCK')).toBe(true);
      const galaxy = await server.call('CatalogService', 'ListSmartphones', { query: 'galaxy' }, acme.token);
      expect(galaxy.body.smartphones.every((s: any) => s.model.includes('Galaxy'))).toBe(true);
      const first = await server.call('CatalogService', 'ListSmartphones', { pageSize: 3 }, acme.token);
      const second = await server.call('CatalogService', 'ListSmartphones', { pageSize: 3, pageToken: first.body.nextPageToken }, acme.token);
      expect(first.body.smartphones).toHaveLength(3);
      expect(second.body.smartphones[0].sku > first.body.smartphones[2].sku).toBe(true);
    });

    it('UpsertSmartphone with create_only leaves an existing SKU as it is (409 SMARTPHONE_SKU_EXISTS)', async () => {
      const body = { sku: 'TEST-PHONE-CREATE-ONLY', brand: 'Testphone', model: 'T2', colour: 'Blue', storageGb: 128, price: { amountMinor: '29900', currency: 'EUR' }, availability: 'SMARTPHONE_AVAILABILITY_IN_STOCK', createOnly: true };
      const created = await server.call('CatalogService', 'UpsertSmartphone', body, server.adminToken);
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(created.body.created).toBe(true);
      const again = await server.call('CatalogService', 'UpsertSmartphone', { ...body, model: 'Overwritten' }, server.adminToken);
      expect(again.status).toBe(409);
      expect(again.body.details[0].debug).toMatchObject({ reason: 'SMARTPHONE_SKU_EXISTS', fieldViolations: [{ field: 'sku', description: 'is taken by an existing smartphone' }] });
      const stored = await server.call('CatalogService', 'GetSmartphone', { smartphoneId: created.body.smartphone.smartphoneId }, server.adminToken);
      expect(stored.body.smartphone).toMatchObject({ model: 'T2', etag: 'v1' });
    });

    it('UpsertSmartphone creates a SKU, then updates it', async () => {
      const body = { sku: 'TEST-PHONE-64-RED', brand: 'Testphone', model: 'T1', colour: 'Red', storageGb: 64, price: { amountMinor: '19900', currency: 'EUR' }, availability: 'SMARTPHONE_AVAILABILITY_IN_STOCK' };
      const created = await server.call('CatalogService', 'UpsertSmartphone', body, server.adminToken);
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(created.body.created).toBe(true);
      const updated = await server.call('CatalogService', 'UpsertSmartphone', { ...body, availability: 'SMARTPHONE_AVAILABILITY_DISCONTINUED' }, server.adminToken);
      expect(updated.body).toMatchObject({ created: false, smartphone: { smartphoneId: created.body.smartphone.smartphoneId, availability: 'SMARTPHONE_AVAILABILITY_DISCONTINUED' } });
      const invalid = await server.call('CatalogService', 'UpsertSmartphone', { sku: 'X', storageGb: 0 }, server.adminToken);
      expect(invalid.status).toBe(400);
      expect(invalid.body.details[0].debug.fieldViolations.map((v: any) => v.field))
        .toEqual(['sku', 'brand', 'model', 'colour', 'price', 'storageGb', 'availability']);
    });

    describe('seed 000 order of checks: method (405), token (401), existence (404), then 200', () => {
      let smartphoneId: string;
      beforeAll(async () => {
        smartphoneId = (await server.call('CatalogService', 'ListSmartphones', { pageSize: 1 }, acme.token)).body.smartphones[0].smartphoneId;
      });

      it.each(['ListSmartphones', 'GetSmartphone'])('%s: a wrong HTTP method answers 405, even without a token', async (method) => {
        for (const verb of ['PUT', 'DELETE', 'PATCH']) {
          const response = await fetch(`${server.url}/reseller.v1.CatalogService/${method}`, { method: verb });
          expect(response.status).toBe(405);
        }
      });

      it.each(['ListSmartphones', 'GetSmartphone'])('%s: no token, a bad token or an expired token answers 401, even for an unknown smartphone', async (method) => {
        // ListSmartphones has no smartphone_id (unknown JSON fields are refused with 400).
        const body = method === 'GetSmartphone' ? { smartphoneId: UNKNOWN } : {};
        expect(reasonOf((await server.call('CatalogService', method, body)).body)).toBe('TOKEN_MISSING');
        const bad = await server.call('CatalogService', method, body, 'not-a-token');
        expect(bad.status).toBe(401);
        expect(reasonOf(bad.body)).toBe('TOKEN_INVALID');
        const token = (await server.call('AuthService', 'CreateToken', { clientId: acme.clientId, clientSecret: acme.clientSecret })).body.accessToken;
        server.clock.advance(3601 * 1000);
        try {
          const expired = await server.call('CatalogService', method, body, token);
          expect(expired.status).toBe(401);
          expect(reasonOf(expired.body)).toBe('TOKEN_EXPIRED');
        } finally {
          server.clock.advance(-3601 * 1000);
        }
      });

      it('GetSmartphone: an unknown smartphone answers 404 SMARTPHONE_NOT_FOUND, a malformed id 400', async () => {
        const unknown = await server.call('CatalogService', 'GetSmartphone', { smartphoneId: UNKNOWN }, acme.token);
        expect(unknown.status).toBe(404);
        expect(reasonOf(unknown.body)).toBe('SMARTPHONE_NOT_FOUND');
        const malformed = await server.call('CatalogService', 'GetSmartphone', { smartphoneId: '42' }, acme.token);
        expect(malformed.status).toBe(400);
      });

      it('GetSmartphone: a known smartphone answers 200 with its detail, over POST and GET', async () => {
        const posted = await server.call('CatalogService', 'GetSmartphone', { smartphoneId }, acme.token);
        expect(posted.status).toBe(200);
        expect(posted.body.smartphone.smartphoneId).toBe(smartphoneId);
        const message = encodeURIComponent(JSON.stringify({ smartphoneId }));
        const got = await fetch(`${server.url}/reseller.v1.CatalogService/GetSmartphone?encoding=json&message=${message}`,
          { headers: { authorization: `Bearer ${acme.token}` } });
        expect(got.status).toBe(200);
      });
    });
  });

  describe('generated clients', () => {
    it.each(['connect', 'grpc', 'grpc-web'] as const)('reads the catalog over %s', async (protocol) => {
      const catalog = server.client(CatalogService, acme.token, protocol);
      const { offerings } = await catalog.listOfferings({ kind: OfferingKind.SUBSCRIPTION, pageSize: 200 });
      const seat = offerings.find((o) => o.code === 'UC-SOFTPHONE-SEAT');
      expect(seat?.price?.amountMinor).toBeTypeOf('bigint');
      const { smartphones } = await catalog.listSmartphones({ pageSize: 1 });
      const { smartphone } = await catalog.getSmartphone({ smartphoneId: smartphones[0]!.smartphoneId });
      expect(smartphone?.sku).toBe(smartphones[0]!.sku);
    });
  });
});
