// Precision, recall and threshold choice over a labeled pair set, for any scorer: our engine
// (evaluation.test.ts) and PostgreSQL's pg_trgm (test/db/similarity-pg-trgm.test.ts); the
// tables of docs/similarity-evaluation.md come from scripts/similarity-evaluation.ts.
import { EVAL_PAIRS, type EvalPair, type EvalText } from './eval-pairs.ts';
import { SimilarityIndex, similarity, type TextFields } from './index.ts';

export interface Scored {
  score: number;
  /** The label: true when the pair overlaps. */
  overlapping: boolean;
}

export interface Metrics {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** TP / (TP + FP); 0 when nothing is predicted. */
  precision: number;
  /** TP / (TP + FN); 0 when nothing is labeled overlapping. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/** Metrics when a pair scoring at or above `threshold` is predicted overlapping. */
export function metricsAt(scored: readonly Scored[], threshold: number): Metrics {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let trueNegatives = 0;
  for (const { score, overlapping } of scored) {
    const predicted = score >= threshold;
    if (predicted && overlapping) truePositives++;
    else if (predicted) falsePositives++;
    else if (overlapping) falseNegatives++;
    else trueNegatives++;
  }
  const precision = truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? 0 : truePositives / (truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { threshold, truePositives, falsePositives, falseNegatives, trueNegatives, precision, recall, f1 };
}

/**
 * The threshold with the best F1 on `scored`, searched on a grid of `step` (default 0.01)
 * over [0, 1]; ties go to the higher threshold (fewer false alarms for the same F1).
 */
export function bestThreshold(scored: readonly Scored[], step = 0.01): Metrics {
  let best = metricsAt(scored, 0);
  const steps = Math.round(1 / step);
  for (let i = 1; i <= steps; i++) {
    const candidate = metricsAt(scored, Math.round(i * step * 1e6) / 1e6);
    if (candidate.f1 >= best.f1) best = candidate;
  }
  return best;
}

/**
 * How the engine weighs terms in the evaluation. `catalog`: IDF of an index holding every
 * description of the set, as the master catalog supplies it in production (search and the
 * framework check both run against it). `background`: jieba's general IDF only, the fallback
 * when no catalog is at hand.
 */
export type IdfMode = 'catalog' | 'background';

function fieldsOf(text: EvalText): TextFields {
  return { name: text.name, description: text.purpose };
}

/** The engine's similarity for every pair of `pairs`, in order. */
export function engineScores(pairs: readonly EvalPair[] = EVAL_PAIRS, mode: IdfMode = 'catalog'): (Scored & { pair: EvalPair })[] {
  let index: SimilarityIndex | undefined;
  if (mode === 'catalog') {
    index = new SimilarityIndex();
    for (const pair of pairs) {
      for (const text of [pair.a, pair.b]) index.add({ id: `${text.name}\n${text.purpose}`, kind: 'system', ...fieldsOf(text) });
    }
  }
  return pairs.map((pair) => ({
    pair,
    overlapping: pair.overlapping,
    score: (index ? index.similarity(fieldsOf(pair.a), fieldsOf(pair.b)) : similarity(fieldsOf(pair.a), fieldsOf(pair.b))).similarity,
  }));
}

/** What pg_trgm compares for one side of a pair: the name and the purpose, space-separated. */
export function trigramText(text: EvalText): string {
  return `${text.name} ${text.purpose}`;
}
