// The catalog screens: offerings with their price from minor units, kind,
// associated offerings and whether retired (the retired ones only when asked
// for); an offering's sanitised long description rendered as HTML;
// smartphones with their availability. Changing the catalog (admin): the
// offering form sends every field of UpsertOffering (the etag it read when
// editing), retiring asks first, the server's refusals are shown in its
// words, and a support session is offered none of it.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import { Role } from '@gen/reseller/v1/access_pb.js';
import {
  BillingPeriod, CatalogService, OfferingKind, OfferingSchema, SmartphoneAvailability, SmartphoneSchema,
  type ListOfferingsRequest, type Offering, type Smartphone, type UpsertOfferingRequest, type UpsertSmartphoneRequest,
} from '@gen/reseller/v1/catalog_pb.js';
import { OfferingDialog } from '../src/screens/catalog/CatalogForms.tsx';
import { AuditAction, AuditEventSchema, AuditService, type ListAuditEventsRequest } from '@gen/reseller/v1/audit_pb.js';
import { OfferingDetailScreen } from '../src/screens/catalog/OfferingDetailScreen.tsx';
import { OfferingsScreen } from '../src/screens/catalog/OfferingsScreen.tsx';
import { SmartphonesScreen } from '../src/screens/catalog/SmartphonesScreen.tsx';
import { apiError, errorNextTo, renderWithApi } from './render.tsx';

const eur = (amountMinor: bigint) => ({ amountMinor, currency: 'EUR' });
const setup = create(OfferingSchema, {
  code: 'IN-BTQST-S', name: 'Boutique Standard', kind: OfferingKind.SETUP, billingPeriod: BillingPeriod.ONE_TIME, price: eur(49000n),
  associatedCodes: ['IN-BTQZ-AMM', 'IN-BTQZ-AMA'], longDescription: '<p>La mise en service comprend :</p><ul><li>l\'installation</li></ul><p>Un <strong>abonnement</strong> est requis.</p>',
});
const retired = create(OfferingSchema, { code: 'MO-OLD-S', name: 'Old module', kind: OfferingKind.OPTION, price: eur(100n), retired: true });

describe('offerings', () => {
  it('lists price, kind, associations; retired offerings only when asked for', async () => {
    const sent: ListOfferingsRequest[] = [];
    renderWithApi(<OfferingsScreen />, (router) => {
      router.service(CatalogService, {
        listOfferings: (req) => { sent.push(req); return { offerings: req.includeRetired ? [setup, retired] : [setup] }; },
      });
    });
    const table = await screen.findByRole('table', { name: 'Offerings' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('€490.00');
    expect(row.textContent).toContain('Setup');
    expect(row.textContent).toContain('IN-BTQZ-AMM');
    expect(row.textContent).toContain('On sale');
    await userEvent.click(screen.getByLabelText('Include retired'));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Offerings' })).getAllByRole('row')).toHaveLength(3));
    expect(sent.at(-1)!.includeRetired).toBe(true);
    expect(within(screen.getByRole('table', { name: 'Offerings' })).getAllByRole('row')[2]!.textContent).toContain('Retired');
  });

  it('renders the server-sanitised long description as HTML', async () => {
    renderWithApi(<OfferingDetailScreen />, (router) => {
      router.service(CatalogService, { getOffering: (req) => ({ offering: req.code === setup.code ? setup : undefined }) });
    }, { path: '/offerings/IN-BTQST-S', route: '/offerings/:code' });
    const description = await screen.findByTestId('long-description');
    expect(within(description).getByRole('list')).toBeTruthy();
    expect(within(description).getByText('abonnement').tagName).toBe('STRONG');
    expect(description.textContent).not.toContain('<p>');
  });

  it('has a history tab: the audit events of the offering, asked for by its code', async () => {
    const sent: ListAuditEventsRequest[] = [];
    renderWithApi(<OfferingDetailScreen />, (router) => {
      router.service(CatalogService, { getOffering: () => ({ offering: setup }) });
      router.service(AuditService, {
        listAuditEvents: (req) => {
          sent.push(req);
          return { events: [create(AuditEventSchema, { eventId: 'e1', actorClientId: 'ck_a', actorDisplayName: 'Catalogue team', method: 'reseller.v1.CatalogService/UpsertOffering', objectType: 'Offering', objectId: 'o1', label: setup.code, action: AuditAction.UPDATE, changedFieldKeys: ['price'] })] };
        },
      });
    }, { path: '/offerings/IN-BTQST-S?tab=history', route: '/offerings/:code' });
    const table = await screen.findByRole('table', { name: 'History of IN-BTQST-S' });
    expect(sent[0]).toMatchObject({ objectType: 'Offering', objectId: 'IN-BTQST-S' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('Catalogue team');
    expect(row.textContent).toContain('Price');
  });
});

describe('smartphones', () => {
  it('lists them with price and availability', async () => {
    renderWithApi(<SmartphonesScreen />, (router) => {
      router.service(CatalogService, {
        listSmartphones: () => ({ smartphones: [create(SmartphoneSchema, { smartphoneId: 's1', sku: 'SM-A55', brand: 'Samsung', model: 'Galaxy A55', storageGb: 128, colour: 'Navy', price: eur(39900n), availability: SmartphoneAvailability.IN_STOCK })] }),
      });
    });
    const table = await screen.findByRole('table', { name: 'Smartphones' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('Galaxy A55');
    expect(row.textContent).toContain('€399.00');
    expect(row.textContent).toContain('In stock');
  });
});

const galaxy = create(SmartphoneSchema, {
  smartphoneId: 's1', sku: 'SAMSUNG-GALAXYA55-128-NAVY', brand: 'Samsung', model: 'Galaxy A55', storageGb: 128, colour: 'Navy',
  price: eur(39900n), availability: SmartphoneAvailability.IN_STOCK, etag: 'v2',
});
const field = (scope: HTMLElement, label: RegExp) => within(scope).getByLabelText(label) as HTMLInputElement;

describe('new offering form', () => {
  function newOfferingDialog(upsert: (req: UpsertOfferingRequest) => unknown, existing: Offering[] = []) {
    const calls: string[] = [];
    const saved: string[] = [];
    renderWithApi(<OfferingDialog onClose={() => undefined} onSaved={(o) => saved.push(o.code)} />, (router) => {
      router.service(CatalogService, {
        upsertOffering: (req) => {
          calls.push(`upsert ${req.code}`);
          // As the server answers create_only on a code that exists.
          if (req.createOnly && existing.some((o) => o.code === req.code)) {
            throw apiError(Code.AlreadyExists, 'OFFERING_CODE_EXISTS', `offering ${req.code} already exists (create_only was set): read it and send its etag without create_only to change it`, [
              { field: 'code', description: 'is taken by an existing offering', reason: 'OFFERING_CODE_EXISTS' },
            ]);
          }
          return upsert(req) as never;
        },
      });
    });
    return { calls, saved };
  }

  async function fillRequired(dialog: HTMLElement, code: string) {
    await userEvent.type(field(dialog, /^Code/), code);
    await userEvent.type(field(dialog, /^Name/), 'Statistiques');
    await userEvent.selectOptions(field(dialog, /^Kind/), 'Option');
    await userEvent.type(field(dialog, /^Price/), '19,90');
  }

  it('sends every field of UpsertOffering, the price in minor units and no etag, then hands over what the server stored', async () => {
    const sent: UpsertOfferingRequest[] = [];
    const { saved } = newOfferingDialog((req) => { sent.push(req); return { offering: create(OfferingSchema, { code: req.code, name: req.name }), created: true }; });
    const dialog = await screen.findByRole('dialog', { name: 'New offering' });
    await fillRequired(dialog, 'MO-STATS-AMM');
    expect(field(dialog, /^Currency/).value).toBe('EUR');
    await userEvent.selectOptions(field(dialog, /^Billing/), 'Every month');
    await userEvent.type(field(dialog, /^Short description/), 'Visits and sales, by month');
    await userEvent.click(field(dialog, /^Long description/));
    await userEvent.paste('<p>Des <strong>statistiques</strong> détaillées.</p>');
    expect(dialog.textContent).toContain('The server sanitises it');
    await userEvent.type(field(dialog, /^Needs one of/), 'IN-BTQZ-AMM, IN-BTQZ-AMA');
    await userEvent.selectOptions(field(dialog, /^Project form/), 'yes');
    await userEvent.clear(field(dialog, /^Included per client/));
    await userEvent.type(field(dialog, /^Included per client/), '3');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create offering' }));

    await waitFor(() => expect(saved).toEqual(['MO-STATS-AMM']));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      code: 'MO-STATS-AMM', name: 'Statistiques', shortDescription: 'Visits and sales, by month',
      longDescription: '<p>Des <strong>statistiques</strong> détaillées.</p>',
      price: { amountMinor: 1990n, currency: 'EUR' }, kind: OfferingKind.OPTION, billingPeriod: BillingPeriod.MONTHLY,
      associatedCodes: ['IN-BTQZ-AMM', 'IN-BTQZ-AMA'], projectForm: true, includedQuantity: 3, etag: '', createOnly: true,
    });
  });

  it('leaves the billing period unspecified unless chosen (the kind\'s usual one)', async () => {
    const sent: UpsertOfferingRequest[] = [];
    const { saved } = newOfferingDialog((req) => { sent.push(req); return { offering: create(OfferingSchema, { code: req.code }), created: true }; });
    const dialog = await screen.findByRole('dialog', { name: 'New offering' });
    await fillRequired(dialog, 'MO-STATS-AMM');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create offering' }));
    await waitFor(() => expect(saved).toEqual(['MO-STATS-AMM']));
    expect(sent[0]).toMatchObject({ billingPeriod: BillingPeriod.UNSPECIFIED, associatedCodes: [], projectForm: false, includedQuantity: 0, longDescription: '' });
  });

  it('checks the required fields and the amounts before sending anything', async () => {
    const { calls } = newOfferingDialog(() => ({}));
    const dialog = await screen.findByRole('dialog', { name: 'New offering' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create offering' }));
    expect(errorNextTo(field(dialog, /^Code/))).toBe('Code is required');
    expect(errorNextTo(field(dialog, /^Name/))).toBe('Name is required');
    expect(errorNextTo(field(dialog, /^Kind/))).toBe('Kind is required');
    expect(errorNextTo(field(dialog, /^Price/))).toBe('Price is required');

    await fillRequired(dialog, 'MO-STATS-AMM');
    await userEvent.type(field(dialog, /^Price/), '.5');
    await userEvent.clear(field(dialog, /^Included per client/));
    await userEvent.type(field(dialog, /^Included per client/), 'two');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create offering' }));
    expect(errorNextTo(field(dialog, /^Price/))).toBe('Price must be a plain amount, such as 49.90');
    expect(errorNextTo(field(dialog, /^Included per client/))).toBe('Included per client must be a whole number');
    expect(calls).toEqual([]);
  });

  it('sends create_only, so a code that exists is refused next to the code rather than that offering replaced', async () => {
    const { calls, saved } = newOfferingDialog(() => { throw new Error('the existing offering was replaced'); }, [setup]);
    const dialog = await screen.findByRole('dialog', { name: 'New offering' });
    await fillRequired(dialog, 'IN-BTQST-S');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create offering' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('offering IN-BTQST-S already exists');
    expect(errorNextTo(field(dialog, /^Code/))).toBe('Code is taken by an existing offering');
    expect(calls).toEqual(['upsert IN-BTQST-S']);
    expect(saved).toEqual([]);
  });

  it('puts the server\'s field violations next to their fields, one of the associated codes next to them', async () => {
    let answers = 0;
    newOfferingDialog(() => {
      answers++;
      if (answers === 1) {
        throw apiError(Code.InvalidArgument, 'INVALID_ARGUMENT', 'invalid request: code must be upper-case letters, digits and single dashes; price.currency must be a three-letter ISO 4217 code in capitals, such as EUR', [
          { field: 'code', description: 'must be upper-case letters, digits and single dashes, starting with a letter (like IN-BTQST-S)', reason: 'INVALID_FORMAT' },
          { field: 'price.currency', description: 'must be a three-letter ISO 4217 code in capitals, such as EUR', reason: 'INVALID_FORMAT' },
        ]);
      }
      throw apiError(Code.InvalidArgument, 'UNKNOWN_OFFERING_CODE', 'invalid request: associated offering IN-NOPE does not exist', [
        { field: 'associatedCodes[1]', description: 'offering IN-NOPE does not exist', reason: 'UNKNOWN_OFFERING_CODE' },
      ]);
    });
    const dialog = await screen.findByRole('dialog', { name: 'New offering' });
    await fillRequired(dialog, 'mo-stats');
    await userEvent.clear(field(dialog, /^Currency/));
    await userEvent.type(field(dialog, /^Currency/), 'eur');
    await userEvent.type(field(dialog, /^Needs one of/), 'IN-BTQZ-AMM IN-NOPE');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create offering' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('invalid request: code must be upper-case letters');
    expect(errorNextTo(field(dialog, /^Code/))).toBe('Code must be upper-case letters, digits and single dashes, starting with a letter (like IN-BTQST-S)');
    expect(errorNextTo(field(dialog, /^Currency/))).toBe('Currency must be a three-letter ISO 4217 code in capitals, such as EUR');
    expect(document.activeElement).toBe(field(dialog, /^Code/));

    await userEvent.click(within(dialog).getByRole('button', { name: 'Create offering' }));
    await waitFor(() => expect(within(dialog).getByTestId('error-reason').textContent).toBe('UNKNOWN_OFFERING_CODE'));
    expect(errorNextTo(field(dialog, /^Needs one of/))).toBe('Needs one of: offering IN-NOPE does not exist');
    expect(within(dialog).getByRole('alert').textContent).toContain('associated offering IN-NOPE does not exist');
  });
});

describe('offering page: edit and retire', () => {
  /** The offering page against a stand-in that keeps one offering, checks etags and retires. */
  function renderOffering({ refuseRetire }: { refuseRetire?: () => never } = {}) {
    const server = {
      offering: { ...setup, shortDescription: 'La boutique en ligne', etag: 'v3' } as Offering,
      upserts: [] as UpsertOfferingRequest[],
      retired: [] as string[],
    };
    renderWithApi(<OfferingDetailScreen />, (router) => {
      router.service(CatalogService, {
        getOffering: () => ({ offering: server.offering }),
        upsertOffering: (req) => {
          server.upserts.push(req);
          const current = server.offering;
          if (req.etag !== current.etag) {
            throw apiError(Code.Aborted, 'ETAG_MISMATCH', `offering 0189 changed since you read it (your etag ${req.etag}, now ${current.etag}): read it again and retry`);
          }
          server.offering = {
            ...current, name: req.name, shortDescription: req.shortDescription, longDescription: req.longDescription, price: req.price,
            kind: req.kind, billingPeriod: req.billingPeriod, associatedCodes: req.associatedCodes, projectForm: req.projectForm,
            includedQuantity: req.includedQuantity, etag: `v${Number(current.etag.slice(1)) + 1}`,
          };
          return { offering: server.offering, created: false };
        },
        retireOffering: (req) => {
          refuseRetire?.();
          server.retired.push(req.code);
          server.offering = { ...server.offering, retired: true };
          return { offering: server.offering };
        },
      });
    }, { path: '/offerings/IN-BTQST-S', route: '/offerings/:code' });
    return server;
  }

  it('edit: prefilled with the code fixed; sends every field with the etag it read; the page then shows what was saved', async () => {
    const server = renderOffering();
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit Boutique Standard' });
    expect(within(dialog).queryByLabelText(/^Code/)).toBeNull();
    expect(dialog.textContent).toContain('IN-BTQST-S');
    expect(field(dialog, /^Price/).value).toBe('490.00');
    expect(field(dialog, /^Needs one of/).value).toBe('IN-BTQZ-AMM, IN-BTQZ-AMA');
    expect(field(dialog, /^Long description/).value).toBe(setup.longDescription);
    await userEvent.clear(field(dialog, /^Name/));
    await userEvent.type(field(dialog, /^Name/), 'Boutique Standard 2026');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await screen.findByRole('heading', { name: 'Boutique Standard 2026', level: 1 });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.upserts).toHaveLength(1);
    expect(server.upserts[0]).toMatchObject({
      code: 'IN-BTQST-S', name: 'Boutique Standard 2026', shortDescription: 'La boutique en ligne', longDescription: setup.longDescription,
      price: { amountMinor: 49000n, currency: 'EUR' }, kind: OfferingKind.SETUP, billingPeriod: BillingPeriod.ONE_TIME,
      associatedCodes: ['IN-BTQZ-AMM', 'IN-BTQZ-AMA'], projectForm: false, includedQuantity: 0, etag: 'v3', createOnly: false,
    });
    // The version read is in the details corner, for the next edit.
    expect(screen.getByText('v4')).toBeTruthy();
  });

  it('edit: a change saved meanwhile is refused with the server\'s message; the latest version loads into the form and saves', async () => {
    const server = renderOffering();
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit Boutique Standard' });
    // Someone else saves first.
    server.offering = { ...server.offering, shortDescription: 'Changed meanwhile', etag: 'v4' };
    await userEvent.type(field(dialog, /^Name/), ' Plus');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('changed since you read it (your etag v3, now v4)');
    expect(within(alert).getByTestId('error-reason').textContent).toBe('ETAG_MISMATCH');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Load the latest version' }));
    await waitFor(() => expect(field(screen.getByRole('dialog'), /^Short description/).value).toBe('Changed meanwhile'));
    const latest = screen.getByRole('dialog');
    await userEvent.type(field(latest, /^Name/), ' Plus');
    await userEvent.click(within(latest).getByRole('button', { name: 'Save changes' }));
    await screen.findByRole('heading', { name: 'Boutique Standard Plus', level: 1 });
    expect(server.upserts.map((u) => u.etag)).toEqual(['v3', 'v4']);
    expect(server.offering.shortDescription).toBe('Changed meanwhile');
  });

  it('retire: asks first, and Cancel sends nothing; confirming retires it and the page says so', async () => {
    const server = renderOffering();
    await userEvent.click(await screen.findByRole('button', { name: 'Retire' }));
    let confirm = screen.getByRole('alertdialog', { name: 'Retire Boutique Standard?' });
    expect(confirm.textContent).toContain('can no longer be ordered');
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(server.retired).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Retire' }));
    confirm = screen.getByRole('alertdialog', { name: 'Retire Boutique Standard?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Retire offering' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Retire' })).toBeNull());
    expect(server.retired).toEqual(['IN-BTQST-S']);
    expect(screen.getByText('Retired', { selector: '.badge' })).toBeTruthy();
  });

  it('retire: a refusal keeps the confirmation open with the server\'s message and reason', async () => {
    const server = renderOffering({
      refuseRetire: () => { throw apiError(Code.PermissionDenied, 'STAFF_ONLY', 'RetireOffering changes the catalog: it is for staff (admin) credentials only'); },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Retire' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Retire Boutique Standard?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Retire offering' }));
    const alert = await within(confirm).findByRole('alert');
    expect(alert.textContent).toContain('RetireOffering changes the catalog: it is for staff (admin) credentials only');
    expect(within(alert).getByTestId('error-reason').textContent).toBe('STAFF_ONLY');
    expect(server.retired).toEqual([]);
    expect(screen.getByText('On sale', { selector: '.badge' })).toBeTruthy();
  });
});

describe('smartphone forms', () => {
  it('new, and edit on a row: send UpsertSmartphone (the edit with the etag it read); the list shows the result', async () => {
    let phones: Smartphone[] = [galaxy];
    const sent: UpsertSmartphoneRequest[] = [];
    renderWithApi(<SmartphonesScreen />, (router) => {
      router.service(CatalogService, {
        listSmartphones: () => ({ smartphones: phones }),
        upsertSmartphone: (req) => {
          sent.push(req);
          const before = phones.find((p) => p.sku === req.sku);
          const stored = create(SmartphoneSchema, {
            smartphoneId: before?.smartphoneId ?? `s${phones.length + 1}`, sku: req.sku, brand: req.brand, model: req.model, storageGb: req.storageGb,
            colour: req.colour, price: req.price, availability: req.availability, etag: before ? `v${Number(before.etag.slice(1)) + 1}` : 'v1',
          });
          phones = [...phones.filter((p) => p.sku !== req.sku), stored].sort((a, b) => a.sku.localeCompare(b.sku));
          return { smartphone: stored, created: !before };
        },
      });
    });
    const table = () => screen.getByRole('table', { name: 'Smartphones' });
    await screen.findByRole('table', { name: 'Smartphones' });

    await userEvent.click(screen.getByRole('button', { name: 'New smartphone' }));
    const dialog = screen.getByRole('dialog', { name: 'New smartphone' });
    for (const [label, value] of [[/^SKU/, 'FAIRPHONE-5-256-GREEN'], [/^Brand/, 'Fairphone'], [/^Model/, '5'], [/^Storage/, '256'], [/^Colour/, 'Green'], [/^Price/, '599']] as const) {
      await userEvent.type(field(dialog, label), value);
    }
    await userEvent.selectOptions(field(dialog, /^Availability/), 'In stock');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create smartphone' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(sent[0]).toMatchObject({
      sku: 'FAIRPHONE-5-256-GREEN', brand: 'Fairphone', model: '5', storageGb: 256, colour: 'Green',
      price: { amountMinor: 59900n, currency: 'EUR' }, availability: SmartphoneAvailability.IN_STOCK, etag: '', createOnly: true,
    });
    await screen.findByText('FAIRPHONE-5-256-GREEN');

    await userEvent.click(screen.getByRole('button', { name: 'Edit SAMSUNG-GALAXYA55-128-NAVY' }));
    const edit = screen.getByRole('dialog', { name: 'Edit Samsung Galaxy A55' });
    expect(within(edit).queryByLabelText(/^SKU/)).toBeNull();
    expect(field(edit, /^Price/).value).toBe('399.00');
    await userEvent.clear(field(edit, /^Price/));
    await userEvent.type(field(edit, /^Price/), '379');
    await userEvent.selectOptions(field(edit, /^Availability/), 'Out of stock');
    await userEvent.click(within(edit).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(sent[1]).toMatchObject({
      sku: 'SAMSUNG-GALAXYA55-128-NAVY', brand: 'Samsung', model: 'Galaxy A55', storageGb: 128, colour: 'Navy',
      price: { amountMinor: 37900n, currency: 'EUR' }, availability: SmartphoneAvailability.OUT_OF_STOCK, etag: 'v2', createOnly: false,
    });
    await waitFor(() => expect(within(table()).getByText('SAMSUNG-GALAXYA55-128-NAVY').closest('tr')!.textContent).toContain('Out of stock'));
  });
});

describe('who may change the catalog', () => {
  /** Which change actions the three catalog screens offer to a session of this role, once their data shows. */
  async function offered(role: Role): Promise<Record<string, boolean>> {
    const api: Parameters<typeof renderWithApi>[1] = (router) => {
      router.service(CatalogService, {
        listOfferings: () => ({ offerings: [setup] }),
        getOffering: () => ({ offering: setup }),
        listSmartphones: () => ({ smartphones: [galaxy] }),
      });
    };
    const shown = (name: string | RegExp, kind: 'button' | 'columnheader' = 'button') => screen.queryAllByRole(kind, { name }).length > 0;
    const result: Record<string, boolean> = {};

    let view = renderWithApi(<OfferingsScreen />, api, { role });
    await screen.findByRole('link', { name: 'IN-BTQST-S' });
    result['New offering'] = shown('New offering');
    view.unmount();

    view = renderWithApi(<OfferingDetailScreen />, api, { path: '/offerings/IN-BTQST-S', route: '/offerings/:code', role });
    await screen.findByRole('heading', { name: 'Boutique Standard', level: 1 });
    result.Edit = shown('Edit');
    result.Retire = shown('Retire');
    view.unmount();

    view = renderWithApi(<SmartphonesScreen />, api, { role });
    await screen.findByText('Galaxy A55');
    result['New smartphone'] = shown('New smartphone');
    result['Actions column'] = shown('Actions', 'columnheader');
    result['Edit a smartphone'] = shown(/^Edit/);
    view.unmount();
    return result;
  }

  it('an admin is offered new, edit and retire', async () => {
    expect(await offered(Role.ADMIN)).toEqual({
      'New offering': true, Edit: true, Retire: true, 'New smartphone': true, 'Actions column': true, 'Edit a smartphone': true,
    });
  });

  it('a support session reads the same catalog and is offered none of them', async () => {
    expect(await offered(Role.SUPPORT)).toEqual({
      'New offering': false, Edit: false, Retire: false, 'New smartphone': false, 'Actions column': false, 'Edit a smartphone': false,
    });
  });
});
