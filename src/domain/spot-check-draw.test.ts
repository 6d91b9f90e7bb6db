import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sm3Hex } from '../crypto/sm3.ts';
import {
  DRAW_ALGORITHM, DrawRefused, DrawStream, canonicalText, compareWithPublished, draw, drawDigests, drawProblems, inConflict,
  type DrawInput, type DrawInspector, type DrawTarget,
} from './spot-check-draw.ts';

// A small organization forest: roots r0..r2, each with children c0..c2, each with grandchildren g0..g1.
const ORGS: string[][] = [];
for (let r = 0; r < 3; r += 1) {
  ORGS.push([`r${r}`]);
  for (let c = 0; c < 3; c += 1) {
    ORGS.push([`r${r}`, `r${r}c${c}`]);
    for (let g = 0; g < 2; g += 1) ORGS.push([`r${r}`, `r${r}c${c}`, `r${r}c${c}g${g}`]);
  }
}

const target = (i: number, path: string[]): DrawTarget => ({
  ref: `T${String(i + 1).padStart(3, '0')}`, kind: i % 2 ? 'system' : 'project', id: `t-${i}`, code: `code-${i}`, name: `目标${i}`,
  organizationId: path.at(-1)!, organizationName: path.at(-1)!, organizationPath: path,
});
const inspector = (i: number, path: string[]): DrawInspector => ({
  ref: `J${String(i + 1).padStart(3, '0')}`, organizationId: path.at(-1)!, organizationName: path.at(-1)!, organizationPath: path,
});

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const inputArb: fc.Arbitrary<DrawInput> = fc.record({
  seed: seedArb,
  targetPaths: fc.array(fc.constantFrom(...ORGS), { minLength: 1, maxLength: 12 }),
  inspectorPaths: fc.array(fc.constantFrom(...ORGS), { minLength: 2, maxLength: 14 }),
  perTarget: fc.integer({ min: 2, max: 4 }),
  countFraction: fc.double({ min: 0, max: 1, noNaN: true }),
}).map(({ seed, targetPaths, inspectorPaths, perTarget, countFraction }) => ({
  algorithm: DRAW_ALGORITHM,
  seed,
  rules: { targetCount: Math.max(1, Math.ceil(countFraction * targetPaths.length)), inspectorsPerTarget: perTarget },
  targets: targetPaths.map((p, i) => target(i, p)),
  inspectors: inspectorPaths.map((p, i) => inspector(i, p)),
}));
const drawable = inputArb.filter((i) => drawProblems(i).length === 0);

describe('双随机 draw (SPEC §9, 第二十九条)', () => {
  it('same seed and pools give the same draw', () => {
    fc.assert(fc.property(drawable, (input) => {
      const copy = JSON.parse(JSON.stringify(input)) as DrawInput;
      expect(draw(copy)).toEqual(draw(input));
    }), { numRuns: 300 });
  });

  it('never draws an inspector of the target\'s own organization, or one above or below it (I-61)', () => {
    fc.assert(fc.property(drawable, (input) => {
      const { assignments } = draw(input);
      for (const a of assignments) {
        const t = input.targets.find((x) => x.ref === a.targetRef)!;
        for (const ref of a.inspectorRefs) {
          const i = input.inspectors.find((x) => x.ref === ref)!;
          expect(i.organizationPath).not.toContain(t.organizationId);
          expect(t.organizationPath).not.toContain(i.organizationId);
        }
      }
    }), { numRuns: 300 });
  });

  it('draws exactly targetCount distinct targets, each with inspectorsPerTarget (≥ 2) distinct inspectors', () => {
    fc.assert(fc.property(drawable, (input) => {
      const { assignments } = draw(input);
      expect(assignments).toHaveLength(input.rules.targetCount);
      expect(new Set(assignments.map((a) => a.targetRef)).size).toBe(assignments.length);
      for (const a of assignments) {
        expect(a.inspectorRefs.length).toBe(input.rules.inspectorsPerTarget);
        expect(a.inspectorRefs.length).toBeGreaterThanOrEqual(2);
        expect(new Set(a.inspectorRefs).size).toBe(a.inspectorRefs.length);
      }
    }), { numRuns: 300 });
  });

  it('a changed seed or pool changes the input digest and names the digest that differs', () => {
    fc.assert(fc.property(drawable, seedArb, fc.nat(), (input, otherSeed, n) => {
      const published = draw(input);
      if (otherSeed !== input.seed) {
        const c = compareWithPublished({ ...input, seed: otherSeed }, published);
        expect(c.differingDigests).toEqual(['seed', 'input']);
      }
      const dropped = { ...input, targets: input.targets.filter((_, i) => i !== n % input.targets.length) };
      const c2 = compareWithPublished(dropped, published);
      expect(c2.differingDigests).toEqual(['targets', 'input']);
      const renamed = { ...input, inspectors: input.inspectors.map((i, k) => (k === n % input.inspectors.length ? { ...i, organizationName: `${i.organizationName}x` } : i)) };
      expect(compareWithPublished(renamed, published).differingDigests).toEqual(['inspectors', 'input']);
      const same = compareWithPublished(JSON.parse(JSON.stringify(input)) as DrawInput, published);
      expect(same.differingDigests).toEqual([]);
      expect(same.sameResult).toBe(true);
    }), { numRuns: 200 });
  });

  it('spreads the work: no inspector gets two more targets than another eligible one could have taken', () => {
    // With no conflicts at all, loads differ by at most one.
    const input: DrawInput = {
      algorithm: DRAW_ALGORITHM, seed: '11'.repeat(32), rules: { targetCount: 10, inspectorsPerTarget: 2 },
      targets: Array.from({ length: 10 }, (_, i) => target(i, ['r0'])),
      inspectors: Array.from({ length: 6 }, (_, i) => inspector(i, ['r1'])),
    };
    const loads = new Map<string, number>();
    for (const a of draw(input).assignments) for (const r of a.inspectorRefs) loads.set(r, (loads.get(r) ?? 0) + 1);
    expect(Math.max(...loads.values()) - Math.min(...loads.values())).toBeLessThanOrEqual(1);
  });

  it('refuses pools that cannot give every target two inspectors without conflicts, naming the target', () => {
    const input: DrawInput = {
      algorithm: DRAW_ALGORITHM, seed: '00'.repeat(32), rules: { targetCount: 1, inspectorsPerTarget: 2 },
      targets: [target(0, ['r0', 'r0c0'])],
      // r0 is above the target, r0c0g1 below it: only one inspector is free of conflict.
      inspectors: [inspector(0, ['r0']), inspector(1, ['r0', 'r0c0', 'r0c0g1']), inspector(2, ['r1'])],
    };
    expect(drawProblems(input)).toEqual([{ code: 'target_short_of_inspectors', ref: 'T001' }]);
    expect(() => draw(input)).toThrow(DrawRefused);
    expect(drawProblems({ ...input, rules: { targetCount: 1, inspectorsPerTarget: 1 } }).map((p) => p.code)).toContain('too_few_inspectors_per_target');
    expect(drawProblems({ ...input, rules: { targetCount: 2, inspectorsPerTarget: 2 } }).map((p) => p.code)).toContain('target_count');
    expect(drawProblems({ ...input, seed: 'xyz' }).map((p) => p.code)).toContain('seed_format');
  });

  it('conflict is symmetric over the tree: own, ancestor and descendant; siblings and cousins are free', () => {
    expect(inConflict({ organizationId: 'r0c0', organizationPath: ['r0', 'r0c0'] }, { organizationId: 'r0c0', organizationPath: ['r0', 'r0c0'] })).toBe(true);
    expect(inConflict({ organizationId: 'r0', organizationPath: ['r0'] }, { organizationId: 'r0c0g0', organizationPath: ['r0', 'r0c0', 'r0c0g0'] })).toBe(true);
    expect(inConflict({ organizationId: 'r0c0g0', organizationPath: ['r0', 'r0c0', 'r0c0g0'] }, { organizationId: 'r0', organizationPath: ['r0'] })).toBe(true);
    expect(inConflict({ organizationId: 'r0c1', organizationPath: ['r0', 'r0c1'] }, { organizationId: 'r0c0', organizationPath: ['r0', 'r0c0'] })).toBe(false);
    expect(inConflict({ organizationId: 'r1', organizationPath: ['r1'] }, { organizationId: 'r0', organizationPath: ['r0'] })).toBe(false);
  });

  it('the generator is the documented byte-level construction (docs/spot-check-draw.md)', () => {
    const seed = '0123456789abcdef'.repeat(4);
    const block0 = sm3Hex(Buffer.concat([Buffer.from(`${DRAW_ALGORITHM}\0`), Buffer.from(seed, 'hex'), Buffer.from([0, 0, 0, 0])]));
    const block1 = sm3Hex(Buffer.concat([Buffer.from(`${DRAW_ALGORITHM}\0`), Buffer.from(seed, 'hex'), Buffer.from([0, 0, 0, 1])]));
    const s = new DrawStream(seed);
    const words = Array.from({ length: 9 }, () => s.nextWord());
    expect(words.slice(0, 8)).toEqual(Array.from({ length: 8 }, (_, i) => parseInt(block0.slice(i * 8, i * 8 + 8), 16)));
    expect(words[8]).toBe(parseInt(block1.slice(0, 8), 16));
    // Rejection sampling: uniform(3) rejects words ≥ 4294967295 − (2^32 mod 3) + 1.
    const u = new DrawStream(seed);
    for (let i = 0; i < 1000; i += 1) expect(u.uniform(7)).toBeLessThan(7);
  });

  it('digests are SM3 of the canonical texts', () => {
    const input: DrawInput = {
      algorithm: DRAW_ALGORITHM, seed: 'ab'.repeat(32), rules: { targetCount: 1, inspectorsPerTarget: 2 },
      targets: [target(0, ['r0'])], inspectors: [inspector(0, ['r1']), inspector(1, ['r2'])],
    };
    const d = drawDigests(input);
    expect(d.seed).toBe(sm3Hex('ab'.repeat(32)));
    expect(d.targets).toBe(sm3Hex(canonicalText(input.targets)));
    expect(canonicalText({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});
