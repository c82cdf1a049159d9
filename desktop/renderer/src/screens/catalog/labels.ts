// Offering kinds, billing periods and smartphone availability in words.
import { BillingPeriod, OfferingKind, SmartphoneAvailability } from '@gen/reseller/v1/catalog_pb.js';
import type { Option } from '../../ui/form.tsx';

export const offeringKindLabels: Record<OfferingKind, string> = {
  [OfferingKind.UNSPECIFIED]: 'Unknown',
  [OfferingKind.SETUP]: 'Setup',
  [OfferingKind.SUBSCRIPTION]: 'Subscription',
  [OfferingKind.OPTION]: 'Option',
};

export const offeringKindOptions: Option[] = [
  { value: '', label: 'Any kind' },
  ...[OfferingKind.SETUP, OfferingKind.SUBSCRIPTION, OfferingKind.OPTION].map((k) => ({ value: String(k), label: offeringKindLabels[k] })),
];

export const billingLabels: Record<BillingPeriod, string> = {
  [BillingPeriod.UNSPECIFIED]: '',
  [BillingPeriod.ONE_TIME]: 'once',
  [BillingPeriod.MONTHLY]: 'per month',
  [BillingPeriod.YEARLY]: 'per year',
};

export const availabilityLabels: Record<SmartphoneAvailability, string> = {
  [SmartphoneAvailability.UNSPECIFIED]: 'Unknown',
  [SmartphoneAvailability.IN_STOCK]: 'In stock',
  [SmartphoneAvailability.OUT_OF_STOCK]: 'Out of stock',
  [SmartphoneAvailability.DISCONTINUED]: 'Discontinued',
};

export const availabilityOptions: Option[] = [
  { value: '', label: 'Any availability' },
  ...[SmartphoneAvailability.IN_STOCK, SmartphoneAvailability.OUT_OF_STOCK, SmartphoneAvailability.DISCONTINUED]
    .map((a) => ({ value: String(a), label: availabilityLabels[a] })),
];
