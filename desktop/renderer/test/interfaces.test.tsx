// The interface order form: the catalog's ordering rules (seed 003) are
// checked before anything is sent — exactly one setup offering, an offering
// with associated offerings needs one of them in the same order, retired
// offerings are not offered — and the server's field violations on the
// contact land next to their fields.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import { CatalogService, OfferingKind, OfferingSchema } from '@gen/reseller/v1/catalog_pb.js';
import { InterfaceSchema, InterfaceService, InterfaceStatus, type CreateInterfaceRequest } from '@gen/reseller/v1/interfaces_pb.js';
import { OrderInterfaceDialog } from '../src/screens/interfaces/InterfaceForms.tsx';
import { orderProblems } from '../src/screens/interfaces/rules.ts';
import { apiError, errorNextTo, renderWithApi } from './render.tsx';

const RESELLER = '01890000-0000-7000-8000-00000000000a';
const eur = (amountMinor: bigint) => ({ amountMinor, currency: 'EUR' });
const catalog = [
  create(OfferingSchema, { code: 'IN-BTQST-S', name: 'Boutique Standard', kind: OfferingKind.SETUP, price: eur(49000n), associatedCodes: ['IN-BTQZ-AMM', 'IN-BTQZ-AMA'] }),
  create(OfferingSchema, { code: 'IN-VITR-S', name: 'Site vitrine', kind: OfferingKind.SETUP, price: eur(29000n) }),
  create(OfferingSchema, { code: 'IN-BTQZ-AMM', name: 'Abonnement mensuel', kind: OfferingKind.SUBSCRIPTION, price: eur(4900n), associatedCodes: ['IN-BTQST-S'] }),
  create(OfferingSchema, { code: 'IN-BTQZ-AMA', name: 'Abonnement annuel', kind: OfferingKind.SUBSCRIPTION, price: eur(49000n), associatedCodes: ['IN-BTQST-S'] }),
  create(OfferingSchema, { code: 'MO-NEWSLETTER-AMM', name: 'Newsletter', kind: OfferingKind.OPTION, price: eur(990n) }),
  create(OfferingSchema, { code: 'MO-OLD-S', name: 'Old module', kind: OfferingKind.OPTION, price: eur(100n), retired: true }),
];

function orderDialog(createInterface: (req: CreateInterfaceRequest) => unknown) {
  const ordered: string[] = [];
  renderWithApi(<OrderInterfaceDialog resellerId={RESELLER} onClose={() => undefined} onOrdered={(a) => ordered.push(a.key)} />, (router) => {
    router.service(AccessService, { listResellers: () => ({ resellers: [{ resellerId: RESELLER, name: 'Acme Telecom' }] }) });
    router.service(CatalogService, { listOfferings: () => ({ offerings: catalog }) });
    router.service(InterfaceService, { createInterface: (req) => createInterface(req) as never });
  });
  return ordered;
}

async function fillContact(dialog: HTMLElement) {
  await userEvent.type(within(dialog).getByLabelText(/^Your reference/), 'bm-shop-1');
  const fields: [RegExp, string][] = [
    [/^Last name/, 'Martin'], [/^First name/, 'Claire'], [/^Company/, 'Boulangerie Martin'], [/^Address/, '12 rue des Lilas'],
    [/^Postal code/, '69003'], [/^City/, 'Lyon'], [/^Phone/, '+33 4 72 00 00 00'], [/^Email/, 'claire@boulangerie-martin.fr'],
  ];
  for (const [label, value] of fields) await userEvent.type(within(dialog).getByLabelText(label), value);
}

const tick = (dialog: HTMLElement, code: string) => userEvent.click(within(dialog).getByRole('checkbox', { name: new RegExp(`^${code} `) }));

describe('interface order form', () => {
  it('does not offer retired offerings', async () => {
    orderDialog(() => ({}));
    const dialog = await screen.findByRole('dialog', { name: 'Order interface' });
    await within(dialog).findByRole('checkbox', { name: /^IN-BTQST-S / });
    expect(within(dialog).queryByRole('checkbox', { name: /^MO-OLD-S / })).toBeNull();
  });

  it('refuses two setup offerings before sending (exactly one setup offering)', async () => {
    const sent: CreateInterfaceRequest[] = [];
    orderDialog((req) => { sent.push(req); return {}; });
    const dialog = await screen.findByRole('dialog', { name: 'Order interface' });
    await within(dialog).findByRole('checkbox', { name: /^IN-BTQST-S / });
    await fillContact(dialog);
    await tick(dialog, 'IN-BTQST-S');
    await tick(dialog, 'IN-VITR-S');
    await tick(dialog, 'IN-BTQZ-AMM');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Order interface' }));
    const problems = await within(dialog).findByTestId('offering-problems');
    expect(problems.textContent).toContain('Choose exactly one setup offering: IN-BTQST-S, IN-VITR-S are chosen.');
    expect(sent).toEqual([]);
  });

  it('refuses a subscription without its associated offering before sending (associated offering required)', async () => {
    const sent: CreateInterfaceRequest[] = [];
    orderDialog((req) => { sent.push(req); return {}; });
    const dialog = await screen.findByRole('dialog', { name: 'Order interface' });
    await within(dialog).findByRole('checkbox', { name: /^IN-BTQST-S / });
    await fillContact(dialog);
    await tick(dialog, 'IN-VITR-S');
    await tick(dialog, 'IN-BTQZ-AMM');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Order interface' }));
    const problems = await within(dialog).findByTestId('offering-problems');
    expect(problems.textContent).toContain('IN-BTQZ-AMM needs one of IN-BTQST-S in the same order.');
    expect(sent).toEqual([]);
  });

  it('sends a valid order with the contact and one request id', async () => {
    const sent: CreateInterfaceRequest[] = [];
    const ordered = orderDialog((req) => {
      sent.push(req);
      return { key: 'k1', interface: create(InterfaceSchema, { key: 'k1', guid: req.guid, status: InterfaceStatus.PENDING }) };
    });
    const dialog = await screen.findByRole('dialog', { name: 'Order interface' });
    await within(dialog).findByRole('checkbox', { name: /^IN-BTQST-S / });
    await fillContact(dialog);
    await tick(dialog, 'IN-BTQST-S');
    await tick(dialog, 'IN-BTQZ-AMM');
    await tick(dialog, 'MO-NEWSLETTER-AMM');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Order interface' }));
    await waitFor(() => expect(ordered).toEqual(['k1']));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ resellerId: RESELLER, guid: 'bm-shop-1', offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM', 'MO-NEWSLETTER-AMM'] });
    expect(sent[0]!.contact).toMatchObject({ lastName: 'Martin', firstName: 'Claire', postalCode: '69003', country: 'FR', email: 'claire@boulangerie-martin.fr' });
    expect(sent[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows the server\'s field violations on the contact next to their fields', async () => {
    orderDialog(() => {
      throw apiError(Code.InvalidArgument, 'INVALID_ARGUMENT', 'invalid request: contact.postalCode must be five digits in France', [
        { field: 'contact.postalCode', description: 'must be five digits in France', reason: 'INVALID_POSTAL_CODE' },
        { field: 'contact.phone', description: 'must be a phone number such as +33 1 23 45 67 89 or 01 23 45 67 89', reason: 'INVALID_PHONE' },
      ]);
    });
    const dialog = await screen.findByRole('dialog', { name: 'Order interface' });
    await within(dialog).findByRole('checkbox', { name: /^IN-BTQST-S / });
    await fillContact(dialog);
    await tick(dialog, 'IN-BTQST-S');
    await tick(dialog, 'IN-BTQZ-AMA');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Order interface' }));
    await within(dialog).findByRole('alert');
    expect(errorNextTo(within(dialog).getByLabelText(/^Postal code/))).toBe('Postal code must be five digits in France');
    expect(errorNextTo(within(dialog).getByLabelText(/^Phone/))).toBe('Phone must be a phone number such as +33 1 23 45 67 89 or 01 23 45 67 89');
  });
});

describe('ordering rules', () => {
  it('adding: refuses a setup offering, accepts an option whose associate is live on the interface', () => {
    expect(orderProblems(['IN-BTQST-S'], catalog, { adding: true })[0]).toEqual({ key: 'interfaces.rules.setupNotAllowed', values: { codes: 'IN-BTQST-S' } });
    expect(orderProblems(['IN-BTQZ-AMA'], catalog, { adding: true, live: ['IN-BTQST-S'] })).toEqual([]);
    expect(orderProblems(['MO-OLD-S'], catalog, { adding: true })).toEqual([{ key: 'interfaces.rules.retired', values: { code: 'MO-OLD-S' } }]);
  });
});
