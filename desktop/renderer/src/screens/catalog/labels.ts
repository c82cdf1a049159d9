// Offering kinds, billing periods and smartphone availability, as message
// keys, for the lists' filters and the catalog forms.
import { BillingPeriod, OfferingKind, SmartphoneAvailability } from '@gen/reseller/v1/catalog_pb.js';
import type { TFunction } from 'i18next';
import { tr, type MessageKey } from '../../i18n/keys.ts';
import type { Option } from '../../ui/form.tsx';

export const offeringKindLabels: Record<OfferingKind, MessageKey> = {
  [OfferingKind.UNSPECIFIED]: 'catalog.kinds.unknown',
  [OfferingKind.SETUP]: 'catalog.kinds.setup',
  [OfferingKind.SUBSCRIPTION]: 'catalog.kinds.subscription',
  [OfferingKind.OPTION]: 'catalog.kinds.option',
};

const kinds = [OfferingKind.SETUP, OfferingKind.SUBSCRIPTION, OfferingKind.OPTION];

export function offeringKindOptions(t: TFunction): Option[] {
  return [{ value: '', label: t('catalog.kinds.any') }, ...kinds.map((k) => ({ value: String(k), label: tr(t, offeringKindLabels[k]) }))];
}

export function offeringKindChoices(t: TFunction): Option[] {
  return [{ value: '', label: t('catalog.kinds.choose') }, ...kinds.map((k) => ({ value: String(k), label: tr(t, offeringKindLabels[k]) }))];
}

export const billingLabels: Record<BillingPeriod, MessageKey> = {
  [BillingPeriod.UNSPECIFIED]: 'catalog.billing.unspecified',
  [BillingPeriod.ONE_TIME]: 'catalog.billing.once',
  [BillingPeriod.MONTHLY]: 'catalog.billing.monthly',
  [BillingPeriod.YEARLY]: 'catalog.billing.yearly',
};

/** Unspecified asks the server for the kind's usual period. */
export function billingChoices(t: TFunction): Option[] {
  return [
    { value: '', label: t('catalog.billing.usual') },
    { value: String(BillingPeriod.ONE_TIME), label: t('catalog.billing.choiceOnce') },
    { value: String(BillingPeriod.MONTHLY), label: t('catalog.billing.choiceMonthly') },
    { value: String(BillingPeriod.YEARLY), label: t('catalog.billing.choiceYearly') },
  ];
}

export const availabilityLabels: Record<SmartphoneAvailability, MessageKey> = {
  [SmartphoneAvailability.UNSPECIFIED]: 'catalog.availability.unknown',
  [SmartphoneAvailability.IN_STOCK]: 'catalog.availability.inStock',
  [SmartphoneAvailability.OUT_OF_STOCK]: 'catalog.availability.outOfStock',
  [SmartphoneAvailability.DISCONTINUED]: 'catalog.availability.discontinued',
};

const availabilities = [SmartphoneAvailability.IN_STOCK, SmartphoneAvailability.OUT_OF_STOCK, SmartphoneAvailability.DISCONTINUED];

export function availabilityOptions(t: TFunction): Option[] {
  return [{ value: '', label: t('catalog.availability.any') }, ...availabilities.map((a) => ({ value: String(a), label: tr(t, availabilityLabels[a]) }))];
}

export function availabilityChoices(t: TFunction): Option[] {
  return [{ value: '', label: t('catalog.availability.choose') }, ...availabilities.map((a) => ({ value: String(a), label: tr(t, availabilityLabels[a]) }))];
}
