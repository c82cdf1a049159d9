// The catalog forms (admin only): create or edit an offering, create or edit
// a smartphone. Both calls are upserts that replace every field, so a form
// always sends them all; an edit sends the etag it read, so a change made
// meanwhile by someone else is refused (aborted) instead of overwritten, and
// a new one is sent with create_only, so a code or SKU that exists is refused
// (already exists) instead of replaced.
import { useMutation } from '@connectrpc/connect-query';
import {
  CatalogService, type BillingPeriod, type Offering, type OfferingKind, type Smartphone, type SmartphoneAvailability,
} from '@gen/reseller/v1/catalog_pb.js';
import { decimalMoney, minorUnits } from '../../api/format.ts';
import { useInvalidate } from '../../api/lists.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Form, ReloadLatestButton, SelectField, TextAreaField, TextField, useForm } from '../../ui/form.tsx';
import { availabilityChoices, billingChoices, offeringKindChoices } from './labels.ts';

const CODE_HINT = 'Upper-case letters, digits and single dashes, starting with a letter, for example MO-NEWSLETTER-AMM. It cannot change later.';
const PRICE_HINT = 'Excluding VAT, for example 49.90.';
const CURRENCY_HINT = 'Three capital letters (ISO 4217), for example EUR.';
const WHOLE_NUMBER = /^\d+$/;

type PriceFields = { 'price.amountMinor': string; 'price.currency': string };

/** The price as sent: minor units in the currency typed (the form's check made sure it parses). */
function priceOf(v: PriceFields) {
  const currency = v['price.currency'].trim();
  return { amountMinor: minorUnits(v['price.amountMinor'], currency)!, currency };
}

function priceProblem(v: PriceFields): string | undefined {
  const amount = v['price.amountMinor'];
  if (amount.trim() === '' || minorUnits(amount, v['price.currency']) !== undefined) return undefined;
  return 'Price must be a plain amount, such as 49.90';
}

/** "IN-BTQZ-AMM, IN-BTQZ-AMA" or one per line → the codes. */
function codesOf(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** New offering (no `offering`), or edit that one with its code fixed. */
export function OfferingDialog({ offering, onClose, onSaved, onReload }: {
  offering?: Offering;
  onClose: () => void;
  onSaved: (offering: Offering) => void;
  /** After a stale edit was refused: read the offering again (the dialog is keyed by its etag). */
  onReload?: () => void;
}) {
  const invalidate = useInvalidate(CatalogService);
  const upsert = useMutation(CatalogService.method.upsertOffering);
  const form = useForm({
    initial: {
      code: offering?.code ?? '',
      name: offering?.name ?? '',
      shortDescription: offering?.shortDescription ?? '',
      longDescription: offering?.longDescription ?? '',
      'price.amountMinor': decimalMoney(offering?.price),
      'price.currency': offering?.price?.currency ?? 'EUR',
      kind: offering ? String(offering.kind) : '',
      billingPeriod: offering ? String(offering.billingPeriod) : '',
      associatedCodes: offering?.associatedCodes.join(', ') ?? '',
      projectForm: offering?.projectForm ? 'yes' : '',
      includedQuantity: offering ? String(offering.includedQuantity) : '0',
    },
    labels: {
      code: 'Code', name: 'Name', shortDescription: 'Short description', longDescription: 'Long description',
      'price.amountMinor': 'Price', 'price.currency': 'Currency', kind: 'Kind', billingPeriod: 'Billing',
      associatedCodes: 'Needs one of', projectForm: 'Project form', includedQuantity: 'Included per client',
    },
    required: ['code', 'name', 'price.amountMinor', 'price.currency', 'kind'],
    check: (v) => ({
      'price.amountMinor': priceProblem(v),
      includedQuantity: v.includedQuantity.trim() === '' || WHOLE_NUMBER.test(v.includedQuantity.trim()) ? undefined : 'Included per client must be a whole number',
    }),
    reasonFields: { OFFERING_CODE_EXISTS: 'code', UNKNOWN_OFFERING_CODE: 'associatedCodes' },
    submit: async (v) => {
      const answer = await upsert.mutateAsync({
        code: v.code.trim(),
        name: v.name,
        shortDescription: v.shortDescription,
        longDescription: v.longDescription,
        price: priceOf(v),
        kind: Number(v.kind) as OfferingKind,
        billingPeriod: Number(v.billingPeriod) as BillingPeriod,
        associatedCodes: codesOf(v.associatedCodes),
        projectForm: v.projectForm === 'yes',
        includedQuantity: Number(v.includedQuantity.trim() || '0'),
        etag: offering?.etag ?? '',
        // A new offering on a code that exists is refused, not written over it.
        createOnly: !offering,
      });
      await invalidate();
      onSaved(answer.offering!);
    },
  });
  return (
    <Dialog title={offering ? `Edit ${offering.name}` : 'New offering'} onClose={onClose} wide>
      <Form form={form} submitLabel={offering ? 'Save changes' : 'Create offering'} onCancel={onClose}
        extraActions={onReload && <ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        {offering
          ? <p className="field-static"><span className="label">Code</span> <code>{offering.code}</code></p>
          : <TextField name="code" mono autoFocus hint={CODE_HINT} />}
        <TextField name="name" autoFocus={Boolean(offering)} />
        <SelectField name="kind" options={offeringKindChoices} hint="Setup: installs a new interface (an order has exactly one). Subscription: recurring. Option: an add-on." />
        <TextField name="price.amountMinor" hint={PRICE_HINT} />
        <TextField name="price.currency" mono hint={CURRENCY_HINT} />
        <SelectField name="billingPeriod" options={billingChoices} />
        <TextField name="shortDescription" hint="One line, at most 500 characters." />
        <TextAreaField name="longDescription" mono
          hint="HTML: paragraphs, lists, bold, links. The server sanitises it when it is saved: scripts, styles, event handlers and unsafe links are removed." />
        <TextField name="associatedCodes" mono
          hint="Codes of existing offerings, separated by commas or spaces. When set, this offering cannot be ordered alone: one of them must be in the same order." />
        <SelectField name="projectForm" options={[{ value: '', label: 'No' }, { value: 'yes', label: 'Yes: ordering it sends the customer a project creation form' }]} />
        <TextField name="includedQuantity" hint="How many each client has at no charge before it is charged (0 to 1000), for offerings counted per client such as softphone seats." />
      </Form>
    </Dialog>
  );
}

/** New smartphone (no `smartphone`), or edit that one with its SKU fixed. */
export function SmartphoneDialog({ smartphone, onClose, onReload }: { smartphone?: Smartphone; onClose: () => void; onReload?: () => void }) {
  const invalidate = useInvalidate(CatalogService);
  const upsert = useMutation(CatalogService.method.upsertSmartphone);
  const form = useForm({
    initial: {
      sku: smartphone?.sku ?? '',
      brand: smartphone?.brand ?? '',
      model: smartphone?.model ?? '',
      storageGb: smartphone ? String(smartphone.storageGb) : '',
      colour: smartphone?.colour ?? '',
      'price.amountMinor': decimalMoney(smartphone?.price),
      'price.currency': smartphone?.price?.currency ?? 'EUR',
      availability: smartphone ? String(smartphone.availability) : '',
    },
    labels: {
      sku: 'SKU', brand: 'Brand', model: 'Model', storageGb: 'Storage (GB)', colour: 'Colour',
      'price.amountMinor': 'Price', 'price.currency': 'Currency', availability: 'Availability',
    },
    required: ['sku', 'brand', 'model', 'storageGb', 'colour', 'price.amountMinor', 'price.currency', 'availability'],
    check: (v) => ({
      'price.amountMinor': priceProblem(v),
      storageGb: WHOLE_NUMBER.test(v.storageGb.trim()) ? undefined : 'Storage (GB) must be a whole number',
    }),
    reasonFields: { SMARTPHONE_SKU_EXISTS: 'sku' },
    submit: async (v) => {
      await upsert.mutateAsync({
        sku: v.sku.trim(),
        brand: v.brand,
        model: v.model,
        storageGb: Number(v.storageGb.trim()),
        colour: v.colour,
        price: priceOf(v),
        availability: Number(v.availability) as SmartphoneAvailability,
        etag: smartphone?.etag ?? '',
        createOnly: !smartphone,
      });
      await invalidate();
      onClose();
    },
  });
  return (
    <Dialog title={smartphone ? `Edit ${smartphone.brand} ${smartphone.model}` : 'New smartphone'} onClose={onClose} wide>
      <Form form={form} submitLabel={smartphone ? 'Save changes' : 'Create smartphone'} onCancel={onClose}
        extraActions={onReload && <ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        {smartphone
          ? <p className="field-static"><span className="label">SKU</span> <code>{smartphone.sku}</code></p>
          : <TextField name="sku" mono autoFocus
            hint="One brand, model, storage and colour, for example SAMSUNG-GALAXYA55-128-NAVY. A SKU already in the catalog is refused: edit that smartphone from its row." />}
        <TextField name="brand" autoFocus={Boolean(smartphone)} />
        <TextField name="model" />
        <TextField name="storageGb" hint="1 to 16384." />
        <TextField name="colour" />
        <TextField name="price.amountMinor" hint={PRICE_HINT} />
        <TextField name="price.currency" mono hint={CURRENCY_HINT} />
        <SelectField name="availability" options={availabilityChoices} />
      </Form>
    </Dialog>
  );
}
