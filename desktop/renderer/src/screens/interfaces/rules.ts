// The catalog's ordering rules (seed 003), checked in the console before an
// order is sent: exactly one setup offering in a new order, none when adding
// to an interface; an offering with associated offerings needs one of them in
// the same order (or, when adding, already live on the interface); retired
// offerings are not on sale. The server checks them again. Each problem is a
// message key and its values, translated where it is shown.
import { OfferingKind, type Offering } from '@gen/reseller/v1/catalog_pb.js';
import type { MessageKey } from '../../i18n/keys.ts';

export interface OrderProblem {
  key: MessageKey;
  values?: Record<string, string>;
}

export function orderProblems(codes: readonly string[], catalog: readonly Offering[], { adding = false, live = [] as readonly string[] } = {}): OrderProblem[] {
  const byCode = new Map(catalog.map((o) => [o.code, o]));
  const problems: OrderProblem[] = [];
  if (codes.length === 0) return [{ key: 'interfaces.rules.none' }];
  for (const code of codes) {
    const offering = byCode.get(code);
    if (!offering) problems.push({ key: 'interfaces.rules.notInCatalog', values: { code } });
    else if (offering.retired) problems.push({ key: 'interfaces.rules.retired', values: { code } });
  }
  const setups = codes.filter((c) => byCode.get(c)?.kind === OfferingKind.SETUP);
  if (adding && setups.length > 0) problems.push({ key: 'interfaces.rules.setupNotAllowed', values: { codes: setups.join(', ') } });
  if (!adding && setups.length === 0) problems.push({ key: 'interfaces.rules.noSetup' });
  if (!adding && setups.length > 1) problems.push({ key: 'interfaces.rules.severalSetups', values: { codes: setups.join(', ') } });
  const present = new Set([...codes, ...live]);
  for (const code of new Set(codes)) {
    const needs = byCode.get(code)?.associatedCodes ?? [];
    if (needs.length > 0 && !needs.some((n) => present.has(n))) {
      problems.push({ key: 'interfaces.rules.needsOneOf', values: { code, needs: needs.join(', ') } });
    }
  }
  return problems;
}
