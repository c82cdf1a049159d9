// What a softphone seat costs and how many each client gets included: read from
// the catalog (the seat offering), never from constants in code.
import { Offering } from '../catalog/catalog.entity.ts';
import type { Em } from '../platform/data/database.ts';

export const SEAT_OFFERING_CODE = 'UC-SOFTPHONE-SEAT';

export interface SeatPricing {
  offeringCode: string;
  priceMinor: number;
  currency: string;
  /** Seats each client has at no charge. */
  includedPerClient: number;
}

/** The seat offering's terms, or null when the catalog sells no seats (then seats cost nothing). */
export async function seatPricing(em: Em): Promise<SeatPricing | null> {
  const offering = await em.findOne(Offering, { code: SEAT_OFFERING_CODE, retiredAt: null });
  if (!offering) return null;
  return {
    offeringCode: offering.code, priceMinor: offering.priceMinor, currency: offering.currency, includedPerClient: offering.includedQuantity,
  };
}
