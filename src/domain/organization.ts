// Organizations (SPEC §1): the kinds of the organization tree and the rules on its shape.
import { isDivisionCode, validateUniformSocialCreditCode } from './identifiers.ts';

export const ORG_KINDS = [
  'state_council_office', 'ndrc', 'mof', 'cac', 'audit_office', 'ministry', 'bureau',
  'province', 'city', 'county', 'assessor', 'supervisor', 'evaluator', 'construction_unit',
] as const;

export type OrgKind = (typeof ORG_KINDS)[number];

/** Field problems of an organization's identifiers, as stable field codes. */
export function organizationIdentifierProblems(input: { creditCode?: string; divisionCode?: string | null }) {
  const problems: Array<{ path: string; code: 'invalid_credit_code' | 'invalid_division_code' }> = [];
  if (input.creditCode !== undefined && !validateUniformSocialCreditCode(input.creditCode).ok) {
    problems.push({ path: 'creditCode', code: 'invalid_credit_code' });
  }
  if (input.divisionCode != null && !isDivisionCode(input.divisionCode)) {
    problems.push({ path: 'divisionCode', code: 'invalid_division_code' });
  }
  return problems;
}

/**
 * Whether moving `id` under `newParentId` would make the tree a cycle. `parentOf` gives the
 * current parent of any organization (null at a root).
 */
export function wouldCreateCycle(id: string, newParentId: string | null, parentOf: (id: string) => string | null | undefined): boolean {
  const seen = new Set<string>();
  for (let p: string | null | undefined = newParentId; p !== null && p !== undefined; p = parentOf(p)) {
    if (p === id || seen.has(p)) return true;
    seen.add(p);
  }
  return false;
}
