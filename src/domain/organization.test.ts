import { describe, expect, it } from 'vitest';
import { organizationIdentifierProblems, wouldCreateCycle } from './organization.ts';

describe('organization tree', () => {
  const parents = new Map<string, string | null>([['root', null], ['a', 'root'], ['b', 'a'], ['c', 'b'], ['x', null]]);
  const parentOf = (id: string) => parents.get(id);
  it('refuses moving a node under itself or any descendant', () => {
    expect(wouldCreateCycle('a', 'a', parentOf)).toBe(true);
    expect(wouldCreateCycle('a', 'b', parentOf)).toBe(true);
    expect(wouldCreateCycle('a', 'c', parentOf)).toBe(true);
    expect(wouldCreateCycle('root', 'c', parentOf)).toBe(true);
  });
  it('allows moving under an unrelated node, an ancestor, or to the top', () => {
    expect(wouldCreateCycle('c', 'x', parentOf)).toBe(false);
    expect(wouldCreateCycle('c', 'root', parentOf)).toBe(false);
    expect(wouldCreateCycle('a', null, parentOf)).toBe(false);
  });
  it('terminates on a tree that already holds a cycle', () => {
    const looped = new Map([['p', 'q'], ['q', 'p']]);
    expect(wouldCreateCycle('z', 'p', (id) => looped.get(id))).toBe(true);
  });
  it('names the identifier fields that are wrong', () => {
    expect(organizationIdentifierProblems({ creditCode: '91350100M000100Y43', divisionCode: '350100' })).toEqual([]);
    expect(organizationIdentifierProblems({ creditCode: '91350100M000100Y44', divisionCode: '35010' })).toEqual([
      { path: 'creditCode', code: 'invalid_credit_code' },
      { path: 'divisionCode', code: 'invalid_division_code' },
    ]);
    expect(organizationIdentifierProblems({ divisionCode: null })).toEqual([]);
  });
});
