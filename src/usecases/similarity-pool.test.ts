// The search pool (similarity-pool.ts): replicas in worker threads give exactly the primary's
// hits, after any sequence of adds, replacements and removes (including the bulk purge of
// removed documents), and a replica that dies hands its searches back to the primary.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SimilarityIndex, type SearchOptions } from '../domain/similarity/index.ts';
import { SearchPool } from './similarity-pool.ts';
import { SimilarityCatalog } from './similarity.ts';

const WORDS = ['社会保障卡', '社保', '基金', '监管', '不动产', '登记', '电子证照', '共享', '市场主体', '注销', '医疗', '保险',
  '结算', '系统', '平台', '管理', '信息', '公民身份号码', '联系电话', '数据', '交换', '审批', '办理', '网上', '养老', '待遇'];
const text = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 10 }).map((parts) => parts.join(''));
const kind = fc.constantFrom('system' as const, 'project' as const);
const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('put' as const), n: fc.nat(60), kind, name: text, description: text, revision: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), n: fc.nat(60) }) },
);
const options: fc.Arbitrary<SearchOptions> = fc.record({
  limit: fc.integer({ min: 1, max: 30 }), minSimilarity: fc.constantFrom(0, 0.1, 0.33),
  kinds: fc.option(fc.constantFrom(['system' as const], ['project' as const]), { nil: undefined }),
}, { requiredKeys: ['limit', 'minSimilarity'] });

const open: SimilarityCatalog[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

describe('similarity search pool (worker-thread replicas)', () => {
  it('gives the primary\'s hits after any sequence of adds, replacements and removes', async () => {
    // One catalog for all runs (a worker takes seconds to start): each run's changes follow the last's.
    const catalog = new SimilarityCatalog({ workers: 2, poolMinDocuments: 1 });
    open.push(catalog);
    await fc.assert(fc.asyncProperty(
      fc.array(op, { minLength: 1, maxLength: 120 }), fc.array(fc.tuple(text, text, options), { minLength: 1, maxLength: 6 }),
      async (ops, queries) => {
        for (const o of ops) {
          if (o.op === 'put') catalog.put({ id: `${o.kind}:${o.n}`, kind: o.kind, revision: o.revision, name: o.name, description: o.description });
          else { catalog.drop(`system:${o.n}`); catalog.drop(`project:${o.n}`); }
          // The pool starts part-way through the first run: replicas begin from an export, then follow changes.
          if (catalog.replicas === 0 && catalog.index.size > 0) {
            await catalog.search({ name: WORDS[0]! }, { limit: 1 });
            await catalog.poolReady();
          }
        }
        for (const [name, description, opts] of queries) {
          const query = { name, description };
          expect(await catalog.search(query, opts)).toEqual(catalog.index.search(query, opts));
        }
      },
    ), { numRuns: 40 });
    expect(catalog.replicas).toBe(2);
    expect(catalog.poolStats.replica).toBeGreaterThan(40);
    expect(catalog.poolStats.failedOver).toBe(0);
  }, 120_000);

  it('starts only at poolMinDocuments, and a search is answered by a replica from then on', async () => {
    const catalog = new SimilarityCatalog({ workers: 1, poolMinDocuments: 3 });
    open.push(catalog);
    catalog.put({ id: 'system:1', kind: 'system', name: '社会保障卡管理系统', description: '社会保障卡的申领和挂失' });
    catalog.put({ id: 'system:2', kind: 'system', name: '社保基金监管系统', description: '社会保险基金监督' });
    await catalog.search({ name: '社会保障卡' }, {});
    expect(catalog.replicas).toBe(0);
    catalog.put({ id: 'system:3', kind: 'system', name: '不动产登记信息管理平台', description: '不动产登记簿' });
    // Started by this search, answered by the primary while the replica loads its dictionary.
    await catalog.search({ name: '社会保障卡' }, {});
    expect(catalog.poolStats.replica).toBe(0);
    await catalog.poolReady();
    const hits = await catalog.search({ name: '社会保障卡应用系统' }, { limit: 5 });
    expect(catalog.replicas).toBe(1);
    expect(catalog.poolStats.replica).toBe(1);
    expect(hits.map((h) => h.id)[0]).toBe('system:1');
    // Removed on the primary: gone from the replica's next answer too.
    catalog.drop('system:1');
    expect((await catalog.search({ name: '社会保障卡应用系统' }, { limit: 5 })).map((h) => h.id)).not.toContain('system:1');
  });

  it('a replica that stops answers its searches in flight from the primary, and leaves the pool', async () => {
    const index = new SimilarityIndex();
    for (let i = 0; i < 200; i++) index.add({ id: `system:${i}`, kind: 'system', name: `${WORDS[i % WORDS.length]}${WORDS[(i * 7) % WORDS.length]}系统`, description: WORDS[(i * 3) % WORDS.length]! });
    const pool = new SearchPool(index, 1);
    await pool.ready();
    const query = { name: '社保基金监管', description: '医疗保险结算' };
    const pending = pool.search(query, { limit: 10 });
    await pool.close(); // the worker exits before (or after) it answers: either way the same hits
    expect(await pending).toEqual(index.search(query, { limit: 10 }));
    expect(pool.size).toBe(0);
    expect(await pool.search(query, { limit: 10 })).toEqual(index.search(query, { limit: 10 }));
  });
});
