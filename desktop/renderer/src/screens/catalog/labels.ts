// Offering kinds, billing periods and smartphone availability in words, for
// the lists' filters and the catalog forms.
import { BillingPeriod, OfferingKind, SmartphoneAvailability } from '@gen/reseller/v1/catalog_pb.js';
import type { Option } from '../../ui/form.tsx';

export const offeringKindLabels: Record<OfferingKind, string> = {
  [OfferingKind.UNSPECIFIED]: 'Unknown',
  [OfferingKind.SETUP]: 'Setup',
  [OfferingKind.SUBSCRIPTION]: 'Subscription',
  [OfferingKind.OPTION]: 'Option',
};

const kinds = [OfferingKind.SETUP, OfferingKind.SUBSCRIPTION, OfferingKind.OPTION];

export const offeringKindOptions: Option[] = [
  { value: '', label: 'Any kind' },
  ...kinds.map((k) => ({ value: String(k), label: offeringKindLabels[k] })),
];

export const offeringKindChoices: Option[] = [
  { value: '', label: 'Choose a kind…' },
  ...kinds.map((k) => ({ value: String(k), label: offeringKindLabels[k] })),
];

export const billingLabels: Record<BillingPeriod, string> = {
  [BillingPeriod.UNSPECIFIED]: '',
  [BillingPeriod.ONE_TIME]: 'once',
  [BillingPeriod.MONTHLY]: 'per month',
  [BillingPeriod.YEARLY]: 'per year',
};

/** Unspecified asks the server for the kind's usual period. */
export const billingChoices: Option[] = [
  { value: '', label: 'The kind\'s usual: monthly for a subscription, once otherwise' },
  { value: String(BillingPeriod.ONE_TIME), label: 'Once' },
  { value: String(BillingPeriod.MONTHLY), label: 'Every month' },
  { value: String(BillingPeriod.YEARLY), label: 'Every year' },
];

export const availabilityLabels: Record<SmartphoneAvailability, string> = {
  [SmartphoneAvailability.UNSPECIFIED]: 'Unknown',
  [SmartphoneAvailability.IN_STOCK]: 'In stock',
  [SmartphoneAvailability.OUT_OF_STOCK]: 'Out of stock',
  [SmartphoneAvailability.DISCONTINUED]: 'Discontinued',
};

const availabilities = [SmartphoneAvailability.IN_STOCK, SmartphoneAvailability.OUT_OF_STOCK, SmartphoneAvailability.DISCONTINUED];

export const availabilityOptions: Option[] = [
  { value: '', label: 'Any availability' },
  ...availabilities.map((a) => ({ value: String(a), label: availabilityLabels[a] })),
];

export const availabilityChoices: Option[] = [
  { value: '', label: 'Choose an availability…' },
  ...availabilities.map((a) => ({ value: String(a), label: availabilityLabels[a] })),
];
