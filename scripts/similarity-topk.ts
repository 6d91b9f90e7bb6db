// Top-k search cost at catalog scale, without a database (issue 4 performance; docs/benchmarks.md):
// the synthetic catalog of bench/catalog.ts (generateSystems) in an in-memory index, and the
// bench's 200 project descriptions searched as src/usecases/similarity.ts asks (top 200 at the
// threshold), as top-10 systems, and exhaustively (no minimum). With --check, every pruned
// result is compared with the exhaustive ranking cut to the same length.
// Usage: node scripts/similarity-topk.ts [N=300000] [--check] [--profile]
import { SIMILARITY_THRESHOLD, SimilarityIndex, type SearchOptions } from '../src/domain/similarity/index.ts';
import { PROVINCES, Rng } from '../src/domain/synthetic-portfolio.ts';
import { generateSystems, syntheticProjectQueries, type SystemsUnit } from '../src/domain/synthetic-systems.ts';

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 300_000);
const check = process.argv.includes('--check');
const KEYS = ['hrss', 'police', 'edu', 'nr', 'env', 'transport', 'health', 'market', 'civil', 'housing', 'water', 'emergency', 'medical', 'finance', 'data'];
const places = ['全国', ...PROVINCES.map((p) => p.name), ...PROVINCES.flatMap((p) => p.cities.map((c) => c[1]))];
const units: SystemsUnit[] = [];
for (const [pi, place] of places.entries()) {
  for (const key of KEYS) units.push({ id: `u${pi}-${key}`, key: `p${pi}.${key}.ic`, place, filingDivision: '110000', weight: pi === 0 ? 3 : 1, projectIds: ['p'] });
}
const taken = new Set<string>();
const index = new SimilarityIndex();
let t = performance.now();
let i = 0;
for (const s of generateSystems(new Rng('bench-systems'), {
  units, firstSerial: 1, asOf: new Date('2026-11-01T00:00:00Z'),
  nameTaken: (o, n) => { const k = `${o}|${n}`; if (taken.has(k)) return true; taken.add(k); return false; },
}, N)) {
  index.add({ id: `system:${String(i++).padStart(8, '0')}`, kind: 'system', revision: 1, name: s.input.name, description: s.input.purpose });
}
console.log(`${N} systems indexed in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const queries = syntheticProjectQueries(new Rng('bench-queries'), places, 200);
index.search(queries[0]!, {});

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
function run(title: string, options: SearchOptions) {
  for (const q of queries.slice(0, 20)) index.search(q, options);
  const ms: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    index.search(q, options);
    ms.push(performance.now() - t0);
  }
  const s = [...ms].sort((a, b) => a - b);
  console.log(`${title}: p50 ${pct(s, 50).toFixed(2)} ms, p95 ${pct(s, 95).toFixed(2)} ms, mean ${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(2)} ms`);
}
run('top 200 ≥ threshold (the route)', { limit: 200, minSimilarity: SIMILARITY_THRESHOLD });
run('top 10 ≥ threshold', { limit: 10, minSimilarity: SIMILARITY_THRESHOLD });
run('top 10, no minimum', { limit: 10 });
run('top 200 ≥ threshold, exhaustive (prune: false)', { limit: 200, minSimilarity: SIMILARITY_THRESHOLD, prune: false });
if (check) {
  let bad = 0;
  for (const q of queries) {
    for (const [limit, minSimilarity] of [[200, SIMILARITY_THRESHOLD], [10, SIMILARITY_THRESHOLD], [10, 0]] as const) {
      const pruned = index.search(q, { limit, minSimilarity });
      const all = index.search(q, { limit, minSimilarity, prune: false });
      if (JSON.stringify(pruned) !== JSON.stringify(all)) bad++;
    }
  }
  console.log(`identical to exhaustive: ${bad === 0 ? 'yes' : `NO (${bad} differ)`}`);
}
