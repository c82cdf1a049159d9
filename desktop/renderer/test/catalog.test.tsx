// The catalog screens: offerings with their price from minor units, kind,
// associated offerings and whether retired (the retired ones only when asked
// for); an offering's sanitised long description rendered as HTML;
// smartphones with their availability.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import {
  BillingPeriod, CatalogService, OfferingKind, OfferingSchema, SmartphoneAvailability, SmartphoneSchema, type ListOfferingsRequest,
} from '@gen/reseller/v1/catalog_pb.js';
import { formatMoney } from '../src/api/format.ts';
import { OfferingDetailScreen } from '../src/screens/catalog/OfferingDetailScreen.tsx';
import { OfferingsScreen } from '../src/screens/catalog/OfferingsScreen.tsx';
import { SmartphonesScreen } from '../src/screens/catalog/SmartphonesScreen.tsx';
import { renderWithApi } from './render.tsx';

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
    expect(row.textContent).toContain(formatMoney(eur(49000n)));
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
    expect(row.textContent).toContain(formatMoney(eur(39900n)));
    expect(row.textContent).toContain('In stock');
  });
});
