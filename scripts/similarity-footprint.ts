// Memory and time of the similarity index at catalog scale (docs/similarity-evaluation.md,
// "Cost at catalog scale"). Builds an index of N synthetic systems — the evaluation set's 384
// descriptions, each under 20 place names and numbered phases, so most words recur as in a
// real catalog — and measures the build, the memory it holds, and searches as
// src/usecases/similarity.ts runs them (top 200 at SIMILARITY_THRESHOLD) and without pruning.
// Usage: node --expose-gc scripts/similarity-footprint.ts [N=300000]
import { EVAL_PAIRS } from '../src/domain/similarity/eval-pairs.ts';
import { SIMILARITY_THRESHOLD, SimilarityIndex, termWeights } from '../src/domain/similarity/index.ts';

const N = Number(process.argv[2] ?? 300_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const texts = EVAL_PAIRS.flatMap((p) => [p.a, p.b]);
const PLACES = ['北京市', '江苏省', '南京市', '苏州市', '四川省', '成都市', '广东省', '深圳市', '浙江省', '杭州市',
  '武侯区', '海淀区', '朝阳区', '山东省', '济南市', '青岛市', '湖北省', '武汉市', '河南省', '郑州市'];
const documentOf = (i: number) => {
  const base = texts[i % texts.length]!;
  const place = PLACES[Math.floor(i / texts.length) % PLACES.length]!;
  const phase = Math.floor(i / (texts.length * PLACES.length));
  return { name: `${place}${base.name}${phase ? `${phase}期` : ''}`, description: base.purpose };
};
// Ids as the service writes them: `system:` + a UUID (deterministic here).
const idOf = (i: number) => `system:${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(i * 7919).toString(16).padStart(12, '0').slice(-12)}`;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const memory = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers, rss: m.rss };
};

termWeights({ name: '社会保障卡' }); // load jieba and its dictionaries before measuring
const ids = Array.from({ length: N }, (_, i) => idOf(i));
const before = memory();
const index = new SimilarityIndex();
let t = performance.now();
for (let i = 0; i < N; i++) index.add({ id: ids[i]!, kind: 'system', revision: 1, ...documentOf(i) });
const buildMs = performance.now() - t;
t = performance.now();
index.search({ name: '社会保障卡' }, { minSimilarity: SIMILARITY_THRESHOLD });
const refreshMs = performance.now() - t;
const after = memory();

console.log(`| documents | ${N.toLocaleString('en')} |`);
console.log('|---|---|');
console.log(`| build (analysis + add) | ${(buildMs / 1000).toFixed(1)} s, ${(buildMs * 1000 / N).toFixed(0)} µs per document |`);
console.log(`| index memory: JS heap + typed arrays | ${mb(after.heap - before.heap)} + ${mb(after.buffers - before.buffers)} (RSS +${mb(after.rss - before.rss)}) |`);
const f = index.footprint();
console.log(`| terms, (document, term) entries | ${f.terms.toLocaleString('en')}, ${f.entries.toLocaleString('en')} |`);
console.log(`| typed arrays: pool, postings, per slot and term | ${mb(f.poolBytes)}, ${mb(f.postingsBytes)}, ${mb(f.otherBytes)} |`);
console.log(`| first search after a change (IDF and norms recomputed) | ${refreshMs.toFixed(0)} ms |`);

const QUERIES = [
  { name: '社会保障卡管理系统', description: '社保卡申领、制卡和挂失' },
  { name: '不动产登记信息平台' },
  { name: '全国一体化在线政务服务平台建设项目', description: '统一身份认证、电子证照、好差评系统' },
  { name: '管理信息系统', description: '业务管理' },
];
const timed = (run: () => number) => {
  run();
  const start = performance.now();
  let hits = 0;
  for (let k = 0; k < 10; k++) hits = run();
  return { ms: (performance.now() - start) / 10, hits };
};
console.log('\n| query | pruned (top 200 ≥ threshold) | hits | full scan (no minimum) |');
console.log('|---|---|---|---|');
for (const query of QUERIES) {
  const pruned = timed(() => index.search(query, { limit: 200, minSimilarity: SIMILARITY_THRESHOLD }).length);
  const full = timed(() => index.search(query, { limit: 200 }).length);
  console.log(`| ${query.name} | ${pruned.ms.toFixed(1)} ms | ${pruned.hits} | ${full.ms.toFixed(1)} ms |`);
}
t = performance.now();
index.add({ id: idOf(N), kind: 'system', revision: 1, name: '测试系统', description: '测试' });
index.search(QUERIES[0]!, { limit: 200, minSimilarity: SIMILARITY_THRESHOLD });
console.log(`\nOne document changed, then a search: ${(performance.now() - t).toFixed(0)} ms`);
