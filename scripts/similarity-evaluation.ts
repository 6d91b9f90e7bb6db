// Prints the tables of docs/similarity-evaluation.md: our engine and PostgreSQL's pg_trgm
// (in PGlite) on the labeled pairs. Usage: node scripts/similarity-evaluation.ts
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'kysely';
import { openPglite } from '../src/db/database.ts';
import { EVAL_PAIRS, type EvalCategory, type EvalPair } from '../src/domain/similarity/eval-pairs.ts';
import { bestThreshold, engineScores, metricsAt, trigramText, type Metrics, type Scored } from '../src/domain/similarity/evaluation.ts';
import { SIMILARITY_THRESHOLD, SimilarityIndex } from '../src/domain/similarity/index.ts';

type Row = Scored & { pair: EvalPair };
const SPLITS = ['tune', 'test', 'all'] as const;
const pick = (rows: readonly Row[], split: (typeof SPLITS)[number]) => (split === 'all' ? rows : rows.filter((r) => r.pair.split === split));
const cell = (m: Metrics) => `${m.precision.toFixed(3)} / ${m.recall.toFixed(3)} / ${m.f1.toFixed(3)}`;

function prTable(title: string, rows: readonly Row[], thresholds: readonly number[]): void {
  console.log(`\n#### ${title}\n`);
  console.log('| threshold | tuning half P / R / F1 | held-out half P / R / F1 | whole set P / R / F1 |');
  console.log('|---|---|---|---|');
  const tuned = bestThreshold(pick(rows, 'tune')).threshold;
  for (const threshold of [...new Set([...thresholds, tuned])].sort((a, b) => a - b)) {
    const mark = threshold === tuned ? ' (best on tuning half)' : '';
    console.log(`| ${threshold.toFixed(2)}${mark} | ${SPLITS.map((split) => cell(metricsAt(pick(rows, split), threshold))).join(' | ')} |`);
  }
  console.log(`\nBest on the whole set (oracle): ${cell(bestThreshold(rows))} at ${bestThreshold(rows).threshold.toFixed(2)}`);
}

function categoryTable(engines: readonly [string, readonly Row[], number][]): void {
  console.log('| category | pairs | ' + engines.map(([name, , threshold]) => `${name} @${threshold.toFixed(2)} flagged`).join(' | ') + ' |');
  console.log('|---|---|' + engines.map(() => '---|').join(''));
  const categories: EvalCategory[] = ['easy-positive', 'hard-positive', 'hard-negative', 'easy-negative'];
  for (const category of categories) {
    const count = EVAL_PAIRS.filter((p) => p.category === category).length;
    const flagged = engines.map(([, rows, threshold]) => rows.filter((r) => r.pair.category === category && r.score >= threshold).length);
    console.log(`| ${category} | ${count} | ${flagged.map((n) => `${n} (${((100 * n) / count).toFixed(0)}%)`).join(' | ')} |`);
  }
}

const catalog = engineScores(EVAL_PAIRS, 'catalog');
const background = engineScores(EVAL_PAIRS, 'background');

const database = await openPglite(undefined, { pg_trgm });
await sql`create extension if not exists pg_trgm`.execute(database.db);
async function trigramRows(text: (side: EvalPair['a']) => string): Promise<Row[]> {
  const { rows } = await sql<{ score: number }>`
    select similarity(a, b) as score
    from unnest(${EVAL_PAIRS.map((p) => text(p.a))}::text[], ${EVAL_PAIRS.map((p) => text(p.b))}::text[]) with ordinality as p(a, b, n)
    order by n`.execute(database.db);
  return EVAL_PAIRS.map((pair, i) => ({ pair, overlapping: pair.overlapping, score: Number(rows[i]!.score) }));
}
const trigram = await trigramRows(trigramText);
const trigramNames = await trigramRows((side) => side.name);
await database.close();

console.log('### Composition\n');
console.log('| category | label | tuning half | held-out half |');
console.log('|---|---|---|---|');
for (const category of ['easy-positive', 'hard-positive', 'hard-negative', 'easy-negative'] as const) {
  const rows = EVAL_PAIRS.filter((p) => p.category === category);
  console.log(`| ${category} | ${rows[0]!.overlapping ? 'overlapping' : 'distinct'} | ${rows.filter((p) => p.split === 'tune').length} | ${rows.filter((p) => p.split === 'test').length} |`);
}

const ours = [0.2, 0.25, 0.3, 0.33, 0.35, 0.4, 0.45, 0.5];
prTable('Our engine, catalog IDF (index of the set\'s descriptions)', catalog, ours);
prTable('Our engine, background IDF only (no catalog)', background, ours);
const trigrams = [0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3];
prTable('pg_trgm similarity(), name + purpose', trigram, trigrams);
prTable('pg_trgm similarity(), name only', trigramNames, trigrams);

console.log('\n### By category\n');
categoryTable([
  ['engine (catalog IDF)', catalog, SIMILARITY_THRESHOLD],
  ['pg_trgm', trigram, bestThreshold(pick(trigram, 'tune')).threshold],
]);

console.log('\n### Our errors at the threshold (catalog IDF)\n');
const index = new SimilarityIndex();
for (const pair of EVAL_PAIRS) for (const text of [pair.a, pair.b]) index.add({ id: `${text.name}\n${text.purpose}`, kind: 'system', name: text.name, description: text.purpose });
for (const row of [...catalog].sort((a, b) => b.score - a.score)) {
  if (row.score >= SIMILARITY_THRESHOLD === row.overlapping) continue;
  const { overlap } = index.similarity({ name: row.pair.a.name, description: row.pair.a.purpose }, { name: row.pair.b.name, description: row.pair.b.purpose });
  const terms = overlap.slice(0, 4).map((t) => `${t.term} ${t.contribution.toFixed(2)}`).join(', ');
  console.log(`| ${row.overlapping ? 'missed' : 'false alarm'} | ${row.pair.id} (${row.pair.split}) | ${row.pair.a.name} ~ ${row.pair.b.name} | ${row.score.toFixed(3)} | ${terms} |`);
}
