// 双随机、一公开 (SPEC §9; 第二十九条 监督检查, 第三十条): the draw of inspection targets and
// inspectors from published pools with a published seed. Pure: the same input always gives the
// same draw, so anyone holding the published package can re-draw it (docs/spot-check-draw.md is
// the byte-level description; `govproj spot-check redraw` and the public page both run this code).
import { sm3, sm3Hex } from '../crypto/sm3.ts';

export const DRAW_ALGORITHM = 'govproj-spot-check-draw-v1';

/** One entry of the target pool: a project or a system, with its organization's path in the tree. */
export interface DrawTarget {
  /** Stable pool reference (T001…), the order of the frozen pool. */
  ref: string;
  kind: 'project' | 'system';
  id: string;
  /** 项目代码, or the system's id for systems (which have no code). */
  code: string;
  name: string;
  organizationId: string;
  organizationName: string;
  /** Organization ids from the root down to organizationId (inclusive). */
  organizationPath: string[];
}

/**
 * One entry of the inspector pool. The person is not published (personal data, I-63): the public
 * sees the pseudonymous ref and the organization the inspector belongs to.
 */
export interface DrawInspector {
  ref: string;
  organizationId: string;
  organizationName: string;
  organizationPath: string[];
}

export interface DrawRules {
  targetCount: number;
  /** At least 2 (双随机: every target is checked by two or more inspectors). */
  inspectorsPerTarget: number;
}

export interface DrawInput {
  algorithm: typeof DRAW_ALGORITHM;
  /** 32 bytes as 64 lower-case hex digits. */
  seed: string;
  rules: DrawRules;
  targets: DrawTarget[];
  inspectors: DrawInspector[];
}

export interface DrawAssignment {
  targetRef: string;
  inspectorRefs: string[];
}

export interface DrawDigests {
  seed: string;
  rules: string;
  targets: string;
  inspectors: string;
  /** SM3 over the four digests above: one number that names the whole input. */
  input: string;
}

export interface DrawOutcome {
  digests: DrawDigests;
  assignments: DrawAssignment[];
  /** SM3 of the canonical assignments text. */
  resultDigest: string;
}

export interface DrawProblem {
  code: 'seed_format' | 'too_few_inspectors_per_target' | 'target_count' | 'duplicate_ref' | 'organization_path' | 'target_short_of_inspectors';
  ref?: string;
}

export const SEED_PATTERN = /^[0-9a-f]{64}$/;

/** JSON with object keys sorted at every depth, no whitespace: the canonical text of a pool. */
export function canonicalText(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The SM3 digests of the published inputs (docs/spot-check-draw.md §2). */
export function drawDigests(input: DrawInput): DrawDigests {
  const seed = sm3Hex(input.seed);
  const rules = sm3Hex(canonicalText({ algorithm: input.algorithm, inspectorsPerTarget: input.rules.inspectorsPerTarget, targetCount: input.rules.targetCount }));
  const targets = sm3Hex(canonicalText(input.targets));
  const inspectors = sm3Hex(canonicalText(input.inspectors));
  const all = sm3Hex(canonicalText({ inspectors, rules, seed, targets }));
  return { seed, rules, targets, inspectors, input: all };
}

/**
 * Conflict of interest (SPEC §9, I-61): an inspector never checks its own organization, nor one
 * above it or below it in the organization tree.
 */
export function inConflict(inspector: Pick<DrawInspector, 'organizationId' | 'organizationPath'>, target: Pick<DrawTarget, 'organizationId' | 'organizationPath'>): boolean {
  return inspector.organizationPath.includes(target.organizationId) || target.organizationPath.includes(inspector.organizationId);
}

/** Everything that makes the pools unable to give a fair draw; empty when the draw can run. */
export function drawProblems(input: DrawInput): DrawProblem[] {
  const problems: DrawProblem[] = [];
  if (!SEED_PATTERN.test(input.seed)) problems.push({ code: 'seed_format' });
  if (!Number.isInteger(input.rules.inspectorsPerTarget) || input.rules.inspectorsPerTarget < 2) problems.push({ code: 'too_few_inspectors_per_target' });
  if (!Number.isInteger(input.rules.targetCount) || input.rules.targetCount < 1 || input.rules.targetCount > input.targets.length) {
    problems.push({ code: 'target_count' });
  }
  const refs = new Set<string>();
  for (const e of [...input.targets, ...input.inspectors]) {
    if (refs.has(e.ref)) problems.push({ code: 'duplicate_ref', ref: e.ref });
    refs.add(e.ref);
    if (e.organizationPath.at(-1) !== e.organizationId) problems.push({ code: 'organization_path', ref: e.ref });
  }
  // Every target of the pool must be checkable, so that which targets are drawn never depends on
  // who happens to be in conflict (a target is never skipped for lack of inspectors).
  const k = Math.max(2, input.rules.inspectorsPerTarget);
  for (const t of input.targets) {
    if (input.inspectors.filter((i) => !inConflict(i, t)).length < k) problems.push({ code: 'target_short_of_inspectors', ref: t.ref });
  }
  return problems;
}

const PREFIX = new TextEncoder().encode(`${DRAW_ALGORITHM}\u0000`);

/** The SM3 counter-mode generator: 32-bit big-endian words of SM3(prefix ‖ seed ‖ counter). */
export class DrawStream {
  private readonly seed: Uint8Array;
  private counter = 0;
  private block: Uint8Array = new Uint8Array(0);
  private offset = 0;

  constructor(seedHex: string) {
    this.seed = Uint8Array.from(seedHex.match(/../g)!.map((h) => parseInt(h, 16)));
  }

  nextWord(): number {
    if (this.offset + 4 > this.block.length) {
      const message = new Uint8Array(PREFIX.length + this.seed.length + 4);
      message.set(PREFIX, 0);
      message.set(this.seed, PREFIX.length);
      new DataView(message.buffer).setUint32(PREFIX.length + this.seed.length, this.counter);
      this.block = sm3(message);
      this.counter += 1;
      this.offset = 0;
    }
    const w = new DataView(this.block.buffer, this.block.byteOffset, this.block.length).getUint32(this.offset);
    this.offset += 4;
    return w;
  }

  /** A uniform integer in [0, n) by rejection sampling: words ≥ the largest multiple of n are redrawn. */
  uniform(n: number): number {
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const w = this.nextWord();
      if (w < limit) return w % n;
    }
  }

  /** Fisher–Yates, from the last position down to 1, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i >= 1; i -= 1) {
      const j = this.uniform(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

export class DrawRefused extends Error {
  readonly problems: DrawProblem[];
  constructor(problems: DrawProblem[]) {
    super(`draw refused: ${problems.map((p) => p.code + (p.ref ? `(${p.ref})` : '')).join(', ')}`);
    this.problems = problems;
  }
}

/**
 * The draw (docs/spot-check-draw.md §3): shuffle the target pool and take the first targetCount;
 * for each drawn target in that order, shuffle the inspectors not in conflict with it, stable-sort
 * them by how many targets each already has (spreads the work), and take inspectorsPerTarget.
 */
export function draw(input: DrawInput): DrawOutcome {
  const problems = drawProblems(input);
  if (problems.length > 0) throw new DrawRefused(problems);
  const stream = new DrawStream(input.seed);
  const order = stream.shuffle(input.targets.map((_, i) => i)).slice(0, input.rules.targetCount);
  const load = new Map(input.inspectors.map((i) => [i.ref, 0]));
  const assignments: DrawAssignment[] = [];
  for (const index of order) {
    const target = input.targets[index]!;
    const eligible = stream.shuffle(input.inspectors.filter((i) => !inConflict(i, target)));
    const chosen = eligible
      .map((inspector, position) => ({ inspector, position }))
      .sort((a, b) => load.get(a.inspector.ref)! - load.get(b.inspector.ref)! || a.position - b.position)
      .slice(0, input.rules.inspectorsPerTarget)
      .map((c) => c.inspector.ref);
    for (const ref of chosen) load.set(ref, load.get(ref)! + 1);
    assignments.push({ targetRef: target.ref, inspectorRefs: chosen });
  }
  return { digests: drawDigests(input), assignments, resultDigest: sm3Hex(canonicalText(assignments)) };
}

export interface DrawComparison {
  /** The inputs' digests that differ from the published ones (empty: same inputs). */
  differingDigests: Array<keyof DrawDigests>;
  sameResult: boolean;
  outcome: DrawOutcome | null;
  problems: DrawProblem[];
}

/** Re-draws `input` and compares with what was published. */
export function compareWithPublished(input: DrawInput, published: { digests: DrawDigests; resultDigest: string }): DrawComparison {
  const digests = drawDigests(input);
  const differingDigests = (['seed', 'rules', 'targets', 'inspectors', 'input'] as const).filter((k) => digests[k] !== published.digests[k]);
  const problems = drawProblems(input);
  if (problems.length > 0) return { differingDigests, sameResult: false, outcome: null, problems };
  const outcome = draw(input);
  return { differingDigests, sameResult: outcome.resultDigest === published.resultDigest, outcome, problems };
}
