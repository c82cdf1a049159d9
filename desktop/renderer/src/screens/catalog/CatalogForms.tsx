// The catalog forms (admin only): create or edit an offering, create or edit
// a smartphone. Both calls are upserts that replace every field, so a form
// always sends them all; an edit sends the etag it read, so a change made
// meanwhile by someone else is refused (aborted) instead of overwritten, and
// a new one is sent with create_only, so a code or SKU that exists is refused
// (already exists) instead of replaced.
import { useMutation } from '@connectrpc/connect-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  CatalogService, type BillingPeriod, type Offering, type OfferingKind, type Smartphone, type SmartphoneAvailability,
} from '@gen/reseller/v1/catalog_pb.js';
import { decimalMoney, minorUnits } from '../../api/format.ts';
import { useInvalidate } from '../../api/lists.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Form, ReloadLatestButton, SelectField, TextAreaField, TextField, useForm } from '../../ui/form.tsx';
import { useNotify } from '../../ui/Notifications.tsx';
import { availabilityChoices, billingChoices, offeringKindChoices } from './labels.ts';

const WHOLE_NUMBER = /^\d+$/;

type PriceFields = { 'price.amountMinor': string; 'price.currency': string };

/** The price as sent: minor units in the currency typed (the form's check made sure it parses). */
function priceOf(v: PriceFields) {
  const currency = v['price.currency'].trim();
  return { amountMinor: minorUnits(v['price.amountMinor'], currency)!, currency };
}

function priceProblem(t: TFunction, v: PriceFields): string | undefined {
  const amount = v['price.amountMinor'];
  if (amount.trim() === '' || minorUnits(amount, v['price.currency']) !== undefined) return undefined;
  return t('catalog.fields.priceInvalid');
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
  const { t } = useTranslation();
  const notify = useNotify();
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
      code: t('catalog.columns.code'), name: t('catalog.columns.name'), shortDescription: t('catalog.fields.shortDescription'),
      longDescription: t('catalog.fields.longDescription'), 'price.amountMinor': t('catalog.columns.price'), 'price.currency': t('catalog.columns.currency'),
      kind: t('catalog.columns.kind'), billingPeriod: t('catalog.columns.billing'), associatedCodes: t('catalog.columns.needsOneOf'),
      projectForm: t('catalog.fields.projectForm'), includedQuantity: t('catalog.fields.includedQuantity'),
    },
    required: ['code', 'name', 'price.amountMinor', 'price.currency', 'kind'],
    check: (v) => ({
      'price.amountMinor': priceProblem(t, v),
      includedQuantity: v.includedQuantity.trim() === '' || WHOLE_NUMBER.test(v.includedQuantity.trim()) ? undefined : t('catalog.fields.includedQuantityInvalid'),
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
      notify({ message: offering ? t('catalog.offerings.notify.saved', { code: answer.offering!.code }) : t('catalog.offerings.notify.created', { code: answer.offering!.code }) });
      onSaved(answer.offering!);
    },
  });
  return (
    <Dialog title={offering ? t('catalog.offerings.editTitle', { name: offering.name }) : t('catalog.offerings.new')} onClose={onClose} wide>
      <Form form={form} submitLabel={offering ? t('common.saveChanges') : t('catalog.offerings.create')} onCancel={onClose}
        extraActions={onReload && <ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        {offering
          ? <p className="field-static"><span className="label">{t('catalog.columns.code')}</span> <code>{offering.code}</code></p>
          : <TextField name="code" mono autoFocus hint={t('catalog.fields.codeHint')} />}
        <TextField name="name" autoFocus={Boolean(offering)} />
        <SelectField name="kind" options={offeringKindChoices(t)} hint={t('catalog.fields.kindHint')} />
        <TextField name="price.amountMinor" hint={t('catalog.fields.priceHint')} />
        <TextField name="price.currency" mono hint={t('catalog.fields.currencyHint')} />
        <SelectField name="billingPeriod" options={billingChoices(t)} />
        <TextField name="shortDescription" hint={t('catalog.fields.shortDescriptionHint')} />
        <TextAreaField name="longDescription" mono hint={t('catalog.fields.longDescriptionHint')} />
        <TextField name="associatedCodes" mono hint={t('catalog.fields.associatedCodesHint')} />
        <SelectField name="projectForm" options={[{ value: '', label: t('common.no') }, { value: 'yes', label: t('catalog.fields.projectFormYes') }]} />
        <TextField name="includedQuantity" hint={t('catalog.fields.includedQuantityHint')} />
      </Form>
    </Dialog>
  );
}

/** New smartphone (no `smartphone`), or edit that one with its SKU fixed. */
export function SmartphoneDialog({ smartphone, onClose, onReload }: { smartphone?: Smartphone; onClose: () => void; onReload?: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
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
      sku: t('catalog.phones.sku'), brand: t('catalog.phones.brand'), model: t('catalog.phones.model'), storageGb: t('catalog.phones.storageGb'),
      colour: t('catalog.phones.colour'), 'price.amountMinor': t('catalog.columns.price'), 'price.currency': t('catalog.columns.currency'),
      availability: t('catalog.phones.availability'),
    },
    required: ['sku', 'brand', 'model', 'storageGb', 'colour', 'price.amountMinor', 'price.currency', 'availability'],
    check: (v) => ({
      'price.amountMinor': priceProblem(t, v),
      storageGb: WHOLE_NUMBER.test(v.storageGb.trim()) ? undefined : t('catalog.phones.storageInvalid'),
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
      notify({ message: smartphone ? t('catalog.phones.notify.saved', { name: `${v.brand} ${v.model}` }) : t('catalog.phones.notify.created', { name: `${v.brand} ${v.model}` }) });
      onClose();
    },
  });
  return (
    <Dialog title={smartphone ? t('catalog.phones.editTitle', { name: `${smartphone.brand} ${smartphone.model}` }) : t('catalog.phones.new')} onClose={onClose} wide>
      <Form form={form} submitLabel={smartphone ? t('common.saveChanges') : t('catalog.phones.create')} onCancel={onClose}
        extraActions={onReload && <ReloadLatestButton problem={form.problem} onReload={onReload} />}>
        {smartphone
          ? <p className="field-static"><span className="label">{t('catalog.phones.sku')}</span> <code>{smartphone.sku}</code></p>
          : <TextField name="sku" mono autoFocus hint={t('catalog.phones.skuHint')} />}
        <TextField name="brand" autoFocus={Boolean(smartphone)} />
        <TextField name="model" />
        <TextField name="storageGb" hint={t('catalog.phones.storageHint')} />
        <TextField name="colour" />
        <TextField name="price.amountMinor" hint={t('catalog.fields.priceHint')} />
        <TextField name="price.currency" mono hint={t('catalog.fields.currencyHint')} />
        <SelectField name="availability" options={availabilityChoices(t)} />
      </Form>
    </Dialog>
  );
}
