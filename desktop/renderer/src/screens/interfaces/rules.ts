// The catalog's ordering rules (seed 003), checked in the console before an
// order is sent: exactly one setup offering in a new order, none when adding
// to an interface; an offering with associated offerings needs one of them in
// the same order (or, when adding, already live on the interface); retired
// offerings are not on sale. The server checks them again.
import { OfferingKind, type Offering } from '@gen/reseller/v1/catalog_pb.js';

export function orderProblems(codes: readonly string[], catalog: readonly Offering[], { adding = false, live = [] as readonly string[] } = {}): string[] {
  const byCode = new Map(catalog.map((o) => [o.code, o]));
  const problems: string[] = [];
  if (codes.length === 0) return ['Choose at least one offering.'];
  for (const code of codes) {
    const offering = byCode.get(code);
    if (!offering) problems.push(`${code} is not in the catalog.`);
    else if (offering.retired) problems.push(`${code} was withdrawn from sale.`);
  }
  const setups = codes.filter((c) => byCode.get(c)?.kind === OfferingKind.SETUP);
  if (adding && setups.length > 0) problems.push(`A setup offering (${setups.join(', ')}) cannot be added to an existing interface.`);
  if (!adding && setups.length === 0) problems.push('Choose exactly one setup offering: none is chosen.');
  if (!adding && setups.length > 1) problems.push(`Choose exactly one setup offering: ${setups.join(', ')} are chosen.`);
  const present = new Set([...codes, ...live]);
  for (const code of new Set(codes)) {
    const needs = byCode.get(code)?.associatedCodes ?? [];
    if (needs.length > 0 && !needs.some((n) => present.has(n))) {
      problems.push(`${code} needs one of ${needs.join(', ')} in the same order.`);
    }
  }
  return problems;
}
