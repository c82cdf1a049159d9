// The ordering rules of seed 003, shared by CreateInterface and
// AddInterfaceOfferings. Checked in this order, each failure naming the codes
// at fault: every code exists; none is retired; the setup rule (exactly one on
// a new interface, none when adding); and the association rule. Its mirror,
// for CancelInterfaceOffering, is checkCancellation.
import { Code } from '@connectrpc/connect';
import type { Offering } from '../catalog/catalog.entity.ts';
import type { InterfaceOfferingLine } from './interfaces.entity.ts';
import { apiError, failedPrecondition } from '../platform/rpc/errors.ts';

export interface Order {
  /** The requested codes, normalised, in the request's order (repeats allowed). */
  codes: string[];
  /** The catalog's offerings for those codes. */
  offerings: Map<string, Offering>;
  /** 'create': a new interface; 'add': more offerings for an existing one. */
  mode: 'create' | 'add';
  /** Codes already live (not cancelled) on the interface; empty for a new one. */
  live: Set<string>;
}

const FIELD = 'offeringCodes';

function violationsFor(codes: string[], wanted: Set<string>, description: (code: string) => string, reason: string) {
  return codes.flatMap((code, i) => (wanted.has(code) ? [{ field: `${FIELD}[${i}]`, description: description(code), reason }] : []));
}

export function checkOrder({ codes, offerings, mode, live }: Order): void {
  const unknown = new Set(codes.filter((c) => !offerings.has(c)));
  if (unknown.size > 0) {
    const list = [...unknown].join(', ');
    throw apiError(Code.InvalidArgument, 'UNKNOWN_OFFERING_CODE', `invalid request: no offering has the code ${list}: see CatalogService.ListOfferings`, {
      metadata: { codes: [...unknown].join(',') },
      violations: violationsFor(codes, unknown, (c) => `${c} is not an offering code`, 'UNKNOWN_OFFERING_CODE'),
    });
  }

  const retired = new Set(codes.filter((c) => offerings.get(c)!.retiredAt));
  if (retired.size > 0) {
    throw failedPrecondition('OFFERING_RETIRED', `offering ${[...retired].join(', ')} was withdrawn from sale and can no longer be ordered`, {
      metadata: { codes: [...retired].join(',') },
    });
  }

  const setups = codes.filter((c) => offerings.get(c)!.kind === 'setup');
  if (mode === 'add' && setups.length > 0) {
    throw apiError(Code.InvalidArgument, 'SETUP_OFFERING_NOT_ALLOWED',
      `invalid request: ${setups.join(', ')} is a setup offering: an existing interface cannot be set up again`, {
        metadata: { codes: [...new Set(setups)].join(',') },
        violations: violationsFor(codes, new Set(setups), (c) => `${c} is a setup offering`, 'SETUP_OFFERING_NOT_ALLOWED'),
      });
  }
  if (mode === 'create' && setups.length === 0) {
    throw apiError(Code.InvalidArgument, 'SETUP_OFFERING_REQUIRED',
      'invalid request: an interface order needs exactly one setup offering (kind OFFERING_KIND_SETUP, codes like IN-XXX-S), and has none', {
        violations: [{ field: FIELD, description: 'has no setup offering', reason: 'SETUP_OFFERING_REQUIRED' }],
      });
  }
  if (mode === 'create' && setups.length > 1) {
    throw apiError(Code.InvalidArgument, 'MULTIPLE_SETUP_OFFERINGS',
      `invalid request: an interface order needs exactly one setup offering, and has ${setups.length}: ${setups.join(', ')}`, {
        metadata: { codes: setups.join(','), count: String(setups.length) },
        violations: violationsFor(codes, new Set(setups), (c) => `${c} is one of ${setups.length} setup offerings`, 'MULTIPLE_SETUP_OFFERINGS'),
      });
  }

  // An offering with associated offerings cannot be ordered alone: one of them
  // must be in the same order, or (when adding) already live on the interface.
  const present = new Set([...codes, ...live]);
  const alone = [...new Set(codes)].filter((c) => {
    const associated = offerings.get(c)!.associatedCodes;
    return associated.length > 0 && !associated.some((a) => present.has(a));
  });
  if (alone.length > 0) {
    const needs = alone.map((c) => `${c} needs one of ${offerings.get(c)!.associatedCodes.join(', ')}`).join('; ');
    throw apiError(Code.InvalidArgument, 'ASSOCIATED_OFFERING_REQUIRED',
      `invalid request: ${needs} ${mode === 'add' ? 'in the same request or already on the interface' : 'in the same order'}`, {
        metadata: Object.fromEntries([['codes', alone.join(',')], ...alone.map((c) => [c, offerings.get(c)!.associatedCodes.join(',')])]),
        violations: violationsFor(codes, new Set(alone), (c) => `needs one of ${offerings.get(c)!.associatedCodes.join(', ')}`, 'ASSOCIATED_OFFERING_REQUIRED'),
      });
  }
}

export interface Cancellation {
  /** The interface's lines not cancelled yet. */
  live: InterfaceOfferingLine[];
  /** The lines this request cancels (all of them live). */
  cancelled: Set<InterfaceOfferingLine>;
}

/**
 * The association rule's mirror: an option that stays live keeps one of its
 * associated offerings live. Cancelling the last live line of the offering an
 * option needs is refused, unless the option is cancelled in the same request.
 * Only options count: a setup is delivered once, and the subscription it was
 * ordered with is not held back by it (ending both is DeleteInterface).
 */
export function checkCancellation({ live, cancelled }: Cancellation): void {
  const before = new Set(live.map((l) => l.offering.code));
  const after = new Set(live.filter((l) => !cancelled.has(l)).map((l) => l.offering.code));
  const stranded = new Map<string, string[]>();
  for (const line of live) {
    if (cancelled.has(line) || line.offering.kind !== 'option') continue;
    const associated = line.offering.associatedCodes;
    if (associated.length === 0 || associated.some((c) => after.has(c)) || !associated.some((c) => before.has(c))) continue;
    stranded.set(line.offering.code, associated.filter((c) => before.has(c) && !after.has(c)));
  }
  if (stranded.size === 0) return;
  const needed = [...new Set([...stranded.values()].flat())];
  const options = [...stranded.keys()];
  throw failedPrecondition('OFFERING_NEEDED_BY_OPTION',
    `${needed.join(', ')} cannot be cancelled while ${options.join(', ')} ${options.length > 1 ? 'need' : 'needs'} it: ` +
    `cancel ${options.length > 1 ? 'those options' : 'that option'} in the same request (alsoCancel) or first`,
    { metadata: { codes: needed.join(','), neededBy: options.join(',') } });
}
