import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimilarityIndex, similarity, termWeights, type SimilarityDocument } from './index.ts';

const CATALOG: SimilarityDocument[] = [
  { id: 'system:1', kind: 'system', name: '社会保障卡管理系统', description: '社会保障卡的申领、制卡、发放和挂失管理' },
  { id: 'system:2', kind: 'system', name: '社保基金监管系统', description: '社会保险基金收支运行监督' },
  { id: 'system:3', kind: 'system', name: '不动产登记信息管理平台', description: '统一管理不动产登记簿和登记业务办理' },
  { id: 'system:4', kind: 'system', name: '电子证照共享服务系统', description: '汇聚各部门签发的电子证照并提供共享核验' },
  { id: 'system:5', kind: 'system', name: '市场主体登记管理平台', description: '市场主体设立、变更和注销登记的网上办理' },
  { id: 'project:1', kind: 'project', name: '社保卡一卡通建设项目', description: '拓展社会保障卡在交通、文旅等领域的应用' },
  { id: 'dataItem:1', kind: 'dataItem', name: '公民身份号码', description: '居民身份证上的18位号码' },
  { id: 'dataItem:2', kind: 'dataItem', name: '联系电话', description: '申请人的手机号码' },
];

function indexOf(documents: readonly SimilarityDocument[]): SimilarityIndex {
  const index = new SimilarityIndex();
  for (const document of documents) index.add(document);
  return index;
}

describe('similarity (pairwise)', () => {
  it('第十条: two framework parts with the same contents in other words are flagged, with the shared terms', () => {
    const result = similarity(
      { name: '企业登记注册系统', description: '办理企业设立、变更、注销登记' },
      { name: '市场主体登记管理平台', description: '市场主体设立、变更和注销登记的网上办理' },
    );
    expect(result.similarity).toBeGreaterThan(0.5);
    const terms = result.overlap.map((term) => term.term);
    expect(terms).toEqual(expect.arrayContaining(['企业', '登记', '设立', '变更', '注销']));
    const sum = result.overlap.reduce((total, term) => total + term.contribution, 0);
    expect(sum).toBeCloseTo(result.similarity, 10);
  });

  it('separates the same department\'s different functions (社保卡 vs 社保基金)', () => {
    const card = { name: '社会保障卡管理系统', description: '社会保障卡的申领、制卡、发放和挂失管理' };
    const fund = { name: '社保基金监管系统', description: '社会保险基金收支运行监督' };
    const cardAgain = { name: '社保卡服务管理平台', description: '提供社保卡申领、补换、挂失等服务' };
    expect(similarity(card, fund).similarity).toBeLessThan(0.2);
    expect(similarity(card, cardAgain).similarity).toBeGreaterThan(0.6);
  });

  it('treats an abbreviation and its full form as the same words', () => {
    expect(similarity({ name: '人社公共服务平台' }, { name: '人力资源和社会保障公共服务平台' }).similarity).toBeCloseTo(1, 10);
    expect(similarity({ name: '身份证号' }, { name: '公民身份号码' }).similarity).toBeCloseTo(1, 10);
  });

  it('第二十八条: the same data item under other names is a duplicate collection', () => {
    expect(similarity({ name: '身份证号码' }, { name: '公民身份号码' }).similarity).toBeCloseTo(1, 10);
    expect(similarity({ name: '手机号' }, { name: '联系电话' }).similarity).toBeCloseTo(1, 10);
    expect(similarity({ name: '公民身份号码' }, { name: '联系电话' }).similarity).toBe(0);
  });

  it('is 0 when either side has no terms: empty text, punctuation, only stop words', () => {
    const some = { name: '电子证照库' };
    for (const none of [{ name: '' }, { name: '、。()' }, { name: '的和及与等', description: '进行' }]) {
      expect(similarity(none, some)).toEqual({ similarity: 0, overlap: [] });
      expect(similarity(none, none)).toEqual({ similarity: 0, overlap: [] });
    }
  });

  it('handles very long text within bounds', () => {
    const long = { name: '电子证照共享服务系统', description: '汇聚各部门签发的电子证照并提供跨地区共享核验。'.repeat(400) };
    const started = performance.now();
    const result = similarity(long, { name: '电子证照库', description: '归集电子证照数据' });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.similarity).toBeGreaterThan(0);
    expect(result.similarity).toBeLessThanOrEqual(1);
    expect(similarity(long, long).similarity).toBeCloseTo(1, 10);
  });
});

// Text drawn from domain words, stop words, boilerplate, single characters, digits, Latin
// letters and punctuation, so properties meet synonyms, sub-words and empty results.
const WORDS = [
  '社保', '社会保障卡', '人社', '电子证照', '不动产登记', '政务云', '电子政务云', '市场监管', '系统', '平台',
  '建设', '项目', '的', '和', '提供', '卡', '网', '12345', 'ETC', 'ＯＡ', '城乡居民', '预警系统', '、', '(', ' ',
  '登记', '监测', '数据共享交换平台', '一体化在线政务服务平台', '公民身份号码', '身份证号', '医保', '结算',
];
const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((parts) => parts.join(''));
const fields = fc.record({ name: text, description: fc.option(text, { nil: undefined }) });
const anyText = fc.record({ name: fc.string({ maxLength: 30 }), description: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }) });

describe('similarity properties', () => {
  it('similarity(a, a) = 1 for every text with at least one term', () => {
    fc.assert(
      fc.property(fields, (a) => {
        fc.pre(termWeights(a).size > 0);
        expect(similarity(a, a).similarity).toBeCloseTo(1, 10);
      }),
    );
  });

  it('is symmetric and in [0, 1]', () => {
    for (const arbitrary of [fields, anyText]) {
      fc.assert(
        fc.property(arbitrary, arbitrary, (a, b) => {
          const ab = similarity(a, b).similarity;
          const ba = similarity(b, a).similarity;
          expect(ab).toBe(ba);
          expect(ab).toBeGreaterThanOrEqual(0);
          expect(ab).toBeLessThanOrEqual(1);
        }),
      );
    }
  });

  it('is deterministic: the same inputs give the same result, overlap order included', () => {
    fc.assert(
      fc.property(fields, fields, (a, b) => {
        expect(similarity(a, b)).toEqual(similarity(a, b));
      }),
    );
  });
});

describe('SimilarityIndex', () => {
  it('ranks an exact duplicate first, with similarity 1 and the overlapping terms', () => {
    const index = indexOf(CATALOG);
    const hits = index.search({ name: '不动产登记信息管理平台', description: '统一管理不动产登记簿和登记业务办理' });
    expect(hits[0]).toMatchObject({ id: 'system:3', kind: 'system' });
    expect(hits[0]!.similarity).toBeCloseTo(1, 5);
    expect(hits[0]!.overlap.map((term) => term.term)).toEqual(expect.arrayContaining(['不动产登记', '不动产', '登记']));
    expect(hits[0]!.score).toBeGreaterThan(0);
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.similarity).toBeLessThanOrEqual(hits[i - 1]!.similarity);
  });

  it('finds a differently worded duplicate above the unrelated systems (possible duplicate construction)', () => {
    const index = indexOf(CATALOG);
    const hits = index.search({ name: '企业登记注册系统', description: '办理企业设立、变更、注销登记' });
    expect(hits[0]!.id).toBe('system:5');
    expect(hits[0]!.overlap[0]!.contribution).toBeGreaterThan(0);
  });

  it('filters by kind, excludes an id, honours the limit and the minimum similarity', () => {
    const index = indexOf(CATALOG);
    const query = { name: '社会保障卡管理系统', description: '社会保障卡申领发放' };
    expect(index.search(query, { kinds: ['project'] }).map((hit) => hit.id)).toEqual(['project:1']);
    expect(index.search(query, { excludeId: 'system:1' }).some((hit) => hit.id === 'system:1')).toBe(false);
    expect(index.search(query, { limit: 1 })).toHaveLength(1);
    expect(index.search(query, { limit: 0 })).toEqual([]);
    for (const hit of index.search(query, { minSimilarity: 0.5 })) expect(hit.similarity).toBeGreaterThanOrEqual(0.5);
  });

  it('finds the same data item collected under another name (第二十八条 duplicate collection)', () => {
    const index = indexOf(CATALOG);
    const hits = index.search({ name: '身份证号' }, { kinds: ['dataItem'] });
    expect(hits[0]).toMatchObject({ id: 'dataItem:1' });
    expect(hits[0]!.overlap[0]!.term).toBe('公民身份号码');
  });

  it('returns nothing for a query without terms', () => {
    const index = indexOf(CATALOG);
    expect(index.search({ name: '' })).toEqual([]);
    expect(index.search({ name: '的和及', description: '、。' })).toEqual([]);
    expect(new SimilarityIndex().search({ name: '电子证照' })).toEqual([]);
  });

  it('removes and replaces documents', () => {
    const index = indexOf(CATALOG);
    expect(index.size).toBe(CATALOG.length);
    expect(index.remove('system:3')).toBe(true);
    expect(index.remove('system:3')).toBe(false);
    expect(index.has('system:3')).toBe(false);
    expect(index.search({ name: '不动产登记' }).some((hit) => hit.id === 'system:3')).toBe(false);
    index.add({ id: 'system:4', kind: 'system', name: '不动产登记系统' });
    expect(index.size).toBe(CATALOG.length - 1);
    expect(index.search({ name: '不动产登记' })[0]!.id).toBe('system:4');
    expect(index.search({ name: '电子证照' }).some((hit) => hit.id === 'system:4')).toBe(false);
  });

  it('gives the same hits whatever order the documents were added in (ties by id)', () => {
    const query = { name: '社保卡管理', description: '社会保障卡申领和发放' };
    const forward = indexOf(CATALOG).search(query);
    const reversed = indexOf([...CATALOG].reverse()).search(query);
    const twins = indexOf([
      { id: 'b', kind: 'system', name: '电子证照库' },
      { id: 'a', kind: 'system', name: '电子证照库' },
    ]).search({ name: '电子证照库' });
    expect(reversed).toEqual(forward);
    expect(twins.map((hit) => hit.id)).toEqual(['a', 'b']);
  });

  it('agrees with its pairwise similarity and finds every indexed document as its own best match', () => {
    const index = indexOf(CATALOG);
    for (const document of CATALOG) {
      const [hit] = index.search(document);
      expect(hit!.id).toBe(document.id);
      expect(hit!.similarity).toBeCloseTo(1, 5);
      for (const other of index.search(document, { limit: 20 })) {
        const target = CATALOG.find((candidate) => candidate.id === other.id)!;
        expect(other.similarity).toBeCloseTo(index.similarity(document, target).similarity, 5);
      }
    }
  });

  it('stays consistent through random adds and removes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 5 }), fields, fc.boolean()), { maxLength: 25 }), (operations) => {
        const index = new SimilarityIndex();
        const live = new Map<string, { name: string; description?: string }>();
        for (const [n, document, remove] of operations) {
          const id = `d${n}`;
          if (remove) {
            expect(index.remove(id)).toBe(live.delete(id));
          } else {
            index.add({ id, kind: 'system', ...document });
            live.set(id, document);
          }
        }
        expect(index.size).toBe(live.size);
        for (const [id, document] of live) {
          const hits = index.search(document, { limit: 10 });
          for (const hit of hits) {
            expect(live.has(hit.id)).toBe(true);
            expect(hit.similarity).toBeGreaterThan(0);
            expect(hit.similarity).toBeLessThanOrEqual(1);
          }
          if (termWeights(document).size > 0) expect(hits.find((hit) => hit.id === id)?.similarity).toBeCloseTo(1, 5);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a revision beside each document (what a database sync compares row versions with)', () => {
    const index = new SimilarityIndex();
    index.add({ id: 'system:a', kind: 'system', name: '电子证照库', revision: 3 });
    index.add({ id: 'system:b', kind: 'system', name: '电子证照库' });
    expect(index.revisionOf('system:a')).toBe(3);
    expect(index.revisionOf('system:b')).toBeUndefined();
    expect(index.revisionOf('system:c')).toBeUndefined();
    index.add({ id: 'system:a', kind: 'system', name: '电子证照共享库', revision: 4 });
    expect(index.revisionOf('system:a')).toBe(4);
    index.remove('system:a');
    expect(index.revisionOf('system:a')).toBeUndefined();
  });

  it('prunes light query terms without changing the hits (property: same as a full scan above the minimum)', () => {
    fc.assert(
      fc.property(fc.array(fields, { minLength: 1, maxLength: 30 }), fields, fc.double({ min: 0.01, max: 0.9, noNaN: true }), (documents, query, min) => {
        const index = indexOf(documents.map((document, i) => ({ id: `d${i}`, kind: 'system' as const, ...document })));
        const pruned = index.search(query, { limit: 50, minSimilarity: min });
        const full = index.search(query, { limit: 1000 }).filter((hit) => hit.similarity >= min).slice(0, 50);
        expect(pruned).toEqual(full);
      }),
      { numRuns: 150 },
    );
  });

  it('top-k pruning returns exactly the exhaustive ranking (property: random corpora, queries, limits, kinds, removals)', () => {
    const kind = fc.constantFrom('system' as const, 'project' as const, 'dataItem' as const);
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind, fields }), { minLength: 1, maxLength: 60 }),
        fields,
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(0, 0.05, 0.2, 0.33, 0.6),
        fc.option(fc.subarray(['system', 'project', 'dataItem'] as const, { minLength: 1 }), { nil: undefined }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (documents, query, limit, minSimilarity, kinds, removals) => {
          const index = indexOf(documents.map(({ kind: k, fields: f }, i) => ({ id: `d${String(i).padStart(2, '0')}`, kind: k, ...f })));
          for (const r of removals) index.remove(`d${String(r % documents.length).padStart(2, '0')}`);
          const excludeId = removals.length > 0 ? `d${String(removals[0]! % 7).padStart(2, '0')}` : undefined;
          const options = { limit, minSimilarity, ...(kinds ? { kinds } : {}), ...(excludeId ? { excludeId } : {}) };
          const pruned = index.search(query, options);
          // Exhaustive: every document sharing a term scored, then cut (prune: false), and the
          // whole ranking with no cut at all.
          expect(pruned).toEqual(index.search(query, { ...options, prune: false }));
          const everything = index.search(query, { ...options, limit: 10_000, prune: false });
          expect(pruned).toEqual(everything.slice(0, limit));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('top-k pruning on a corpus with heavy ties and shared boilerplate keeps the id order among equals', () => {
    const documents = Array.from({ length: 400 }, (_, i) => ({
      id: `s${String(i).padStart(3, '0')}`, kind: 'system' as const,
      name: ['社会保障卡管理系统', '不动产登记平台', '电子证照共享系统', '管理信息系统'][i % 4]!, description: i % 3 === 0 ? '业务办理' : undefined,
    }));
    const index = indexOf(documents);
    for (const query of [{ name: '社会保障卡管理系统' }, { name: '管理系统', description: '业务办理' }, { name: '电子证照系统' }]) {
      for (const limit of [1, 3, 10, 150]) {
        const pruned = index.search(query, { limit, minSimilarity: 0.1 });
        expect(pruned).toEqual(index.search(query, { limit, minSimilarity: 0.1, prune: false }));
        expect(pruned.length).toBe(Math.min(limit, index.search(query, { limit: 1000, minSimilarity: 0.1, prune: false }).length));
      }
    }
  });

  it('purges removed documents from the postings in bulk and reuses their slots, with unchanged results', () => {
    const names = ['社会保障卡', '不动产登记', '电子证照', '市场主体登记', '排污许可', '公积金', '低保', '医保结算'];
    const documents = Array.from({ length: 3000 }, (_, i) => ({
      id: `s${String(i).padStart(4, '0')}`, kind: 'system' as const,
      name: `${names[i % names.length]}管理系统${i % 13}`, description: `${names[(i * 7) % names.length]}业务办理`,
    }));
    const index = indexOf(documents);
    for (const document of documents.slice(0, 2200)) index.remove(document.id);
    const kept = documents.slice(2200);
    for (const document of kept.slice(0, 100)) index.add({ ...document, name: `${document.name}升级` });
    const fresh = indexOf([...kept.slice(0, 100).map((d) => ({ ...d, name: `${d.name}升级` })), ...kept.slice(100)]);
    expect(index.size).toBe(fresh.size);
    for (const query of [{ name: '社会保障卡管理' }, { name: '不动产登记系统', description: '电子证照' }, { name: '管理系统' }]) {
      const a = index.search(query, { limit: 30 });
      const b = fresh.search(query, { limit: 30 });
      expect(a.map((hit) => hit.id)).toEqual(b.map((hit) => hit.id));
      a.forEach((hit, i) => expect(hit.similarity).toBeCloseTo(b[i]!.similarity, 10));
    }
  });

  it('gives back the slack of a bulk load at the next search, and keeps the hits of an index that never trimmed', () => {
    const names = ['社会保障卡', '不动产登记', '电子证照', '市场主体登记', '排污许可', '公积金', '低保', '医保结算'];
    const documents = Array.from({ length: 6000 }, (_, i) => ({
      id: `s${String(i).padStart(4, '0')}`, kind: 'system' as const,
      name: `${names[i % names.length]}管理系统${i % 17}`, description: `${names[(i * 7) % names.length]}业务办理${i % 5}期`,
    }));
    const queries = [{ name: '社会保障卡管理' }, { name: '不动产登记系统', description: '电子证照' }, { name: '管理系统' }];
    // Bulk: 6,000 adds, then a search trims. Trickle: a search every 500 adds never does.
    const bulk = indexOf(documents);
    const trickle = new SimilarityIndex();
    documents.forEach((document, i) => {
      trickle.add(document);
      if (i % 500 === 0) trickle.search(queries[0]!);
    });
    const before = bulk.footprint();
    expect(before.postingsBytes).toBeGreaterThan(before.entries * 8);
    const compare = () => {
      for (const query of queries) {
        for (const options of [{ limit: 30 }, { limit: 200, minSimilarity: 0.33 }]) expect(bulk.search(query, options)).toEqual(trickle.search(query, options));
      }
    };
    compare();
    const after = bulk.footprint();
    expect(after.poolBytes).toBe(after.entries * 8);
    expect(after.postingsBytes).toBe(after.entries * 8);
    expect(trickle.footprint().postingsBytes).toBeGreaterThan(after.postingsBytes);
    // Growth from trimmed arrays: more adds, replacements and removals, the same hits.
    for (const index of [bulk, trickle]) {
      for (const document of documents.slice(0, 300)) index.add({ ...document, id: `n${document.id}`, name: `${document.name}二期` });
      for (const document of documents.slice(1000, 1400)) index.remove(document.id);
    }
    compare();
  });

  it('searches an analysed query (as a replica does) with the hits of the text, with the background IDF carried along', () => {
    const primary = indexOf(CATALOG);
    const replica = new SimilarityIndex();
    for (const document of primary.exportWeighted()) replica.addWeighted(document, document.weights, document.background);
    for (const query of [{ name: '社保卡管理', description: '申领和挂失' }, { name: '未登录的新词汇', description: '电子证照共享' }, { name: '' }]) {
      const analysed = primary.analyse(query);
      expect(replica.searchAnalysed(analysed, { limit: 5 })).toEqual(primary.search(query, { limit: 5 }));
    }
  });
});
