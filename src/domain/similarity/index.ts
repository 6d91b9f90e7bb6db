// Overlap and duplicate detection (第十条 framework participants, 第二十八条 duplicate
// construction and duplicate data collection; SPEC §3, §5): a Chinese text-similarity engine
// over system names and purposes, project contents and data items. Pure: the only I/O is
// reading jieba's dictionary and IDF table, once, on first use.
//
// Model. Words, not characters: jieba segmentation with a curated government-IT dictionary,
// synonyms and abbreviations folded to one spelling, stop words dropped, boilerplate (系统,
// 平台, 建设, 项目 …) kept at a low prior weight (analysis.ts). Each document is a vector of
// BM25 term weights — field-weighted term frequency (name 2, purpose 1), saturated with
// k1 = 1.2, times the term's prior, times IDF — and two documents are compared by the cosine
// of their vectors. The cosine is symmetric, is 1 for identical term sets and lies in [0, 1]
// because all weights are positive, so one threshold serves search hits and pairwise checks
// alike; the raw BM25 score (query terms' IDF × the document's weight) is reported beside it.
// IDF comes from the index's own corpus, blended with jieba's general-corpus table while the
// corpus is small (BACKGROUND_PSEUDO_DOCUMENTS), so a framework plan of five parts and a
// catalog of 300,000 systems are both weighed sensibly.
//
// Why BM25 and not MinHash/LSH: names and purposes are 5–40 characters, 3–15 terms. MinHash
// estimates unweighted Jaccard, and at that size its estimate is coarse (each permutation
// adds ±1/|union|) and blind to which terms matter — 社会保障卡 and 系统 would count the same,
// which is exactly the hard negative (社保卡管理系统 vs 社保基金监管系统) we must separate.
// LSH buys sub-linear candidate search at a recall cost we need not pay: the postings of a
// query's few rare terms already bound the work, and the boilerplate terms that have long
// postings weigh little. Measured on the 203-pair evaluation set (docs/similarity-evaluation.md)
// at SIMILARITY_THRESHOLD 0.33 with the catalog's IDF: precision 0.956, recall 0.945, F1 0.950
// (held-out half 0.957 / 0.978 / 0.967); with jieba's IDF only 0.902 / 0.912 / 0.907.
// PostgreSQL's pg_trgm similarity() on the same pairs, at its own best threshold (0.07): P 0.664,
// R 0.868, F1 0.752 — it flags half the hard negatives, which share characters, not functions.
//
// Memory and time (for the 300,000-system catalog; measured with a synthetic catalog of 300,000
// names and purposes, `node scripts/similarity-footprint.ts`, figures in
// docs/similarity-evaluation.md). A document's own terms and weights live in two pooled typed
// arrays shared by all documents, not in per-document arrays (a small typed array costs ~430
// bytes of backing store and bookkeeping, which alone came to 260 MB); postings are per-term
// typed arrays grown by doubling. A removed document is only marked: its postings entries are
// skipped by searches and purged, and its slot freed, in one pass when enough have piled up,
// so removing a document never scans a long posting list.
//
// Search is exact top-k by cosine with MaxScore-style pruning, term at a time: query terms are
// read heaviest first and each document is scored exactly (over its own terms) the first time
// one of its terms is reached. A document first reached at query term k holds none of the
// earlier terms, so its cosine is bounded by its own normalized weight for term k plus the
// rest of the query's norm times what is left of its unit vector (Cauchy–Schwarz), or plus the
// per-term maxima of the later terms (MaxScore); below the floor — the minimum similarity, and
// once `limit` hits are held the last one's — it is not scored, and once no unseen document can
// reach the floor no further postings are read. So the minimum prunes the boilerplate 系统,
// 平台, 管理 whose postings hold most of the catalog, and top-k prunes the long tail of weak
// matches. The hits are exactly those of the exhaustive ranking (`prune: false`; tested with
// fast-check). At 300,000 synthetic systems (scripts/similarity-topk.ts): top-200 at the
// threshold p50 4.1 → 3.6 ms, p95 14.1 → 7.0 ms; top-10 p50 4.0 → 1.3 ms; top-10 with no
// minimum 100 → 1.2 ms. Norms and maxima depend on IDF, which moves with every add or remove,
// so they are recomputed in one pass before the next search.
import { termWeights, type TextFields } from './analysis.ts';
import { BACKGROUND_IDF, type IdfSource } from './idf.ts';

export { normalizeText, segment, termWeights, type TextFields } from './analysis.ts';
export { BACKGROUND_IDF, type IdfSource } from './idf.ts';

/**
 * The similarity at or above which two descriptions are shown as a possible duplicate.
 * Chosen on the tuning half of the evaluation set (best F1), reported on both halves in
 * docs/similarity-evaluation.md.
 */
export const SIMILARITY_THRESHOLD = 0.33;

/**
 * Until the corpus has this many documents its own IDF is unreliable; IDF is the mean of the
 * corpus IDF (weight N) and the background IDF (weight this many pseudo-documents).
 */
export const BACKGROUND_PSEUDO_DOCUMENTS = 100;

export type DocumentKind = 'system' | 'project' | 'dataItem';
const KINDS: readonly DocumentKind[] = ['system', 'project', 'dataItem'];

/** A system (name + purpose), a project (name + main contents) or a data item (name + description). */
export interface SimilarityDocument extends TextFields {
  /** The caller's id, unique in the index (e.g. `system:42`). */
  id: string;
  kind: DocumentKind;
  /**
   * The caller's revision of the document (e.g. its row version), kept beside it so a caller
   * that syncs the index with a database can tell a changed row from one it already holds.
   */
  revision?: number | undefined;
}

/** A shared term and how much of the similarity it accounts for. */
export interface OverlapTerm {
  /** The canonical term (社保 is reported as 社会保险). */
  term: string;
  /** This term's part of the cosine; the parts of all shared terms sum to the similarity. */
  contribution: number;
}

export interface PairSimilarity {
  /** Cosine of the two BM25-weighted term vectors, in [0, 1]. */
  similarity: number;
  /** Shared terms, largest contribution first (ties by term). */
  overlap: OverlapTerm[];
}

export interface SearchHit extends PairSimilarity {
  id: string;
  kind: DocumentKind;
  /** BM25 of the query against this document (b = 0), unbounded; for ranking diagnostics. */
  score: number;
}

export interface SearchOptions {
  /** How many hits at most (default 10). */
  limit?: number;
  /** Only these kinds (default all). */
  kinds?: readonly DocumentKind[];
  /** Leave out hits below this similarity (default 0: every document sharing a term). */
  minSimilarity?: number;
  /** Leave out this id (the document being checked, when it is already indexed). */
  excludeId?: string;
  /**
   * Skip documents that cannot reach the top `limit` (default true). False scores every document
   * sharing a query term: the same hits, slower; the reference the pruning is tested against.
   */
  prune?: boolean;
}

type Vector = Map<string, number>;

/**
 * A query as the index searches it: its terms' corpus-independent weights (`termWeights`) and
 * each term's background IDF (jieba's table). Computed where jieba and the table are loaded (the
 * primary index, src/usecases/similarity.ts) so that a replica in a worker thread searches
 * without either (about 120 MiB less per replica; docs/benchmarks.md, "Memory per app process").
 */
export interface AnalysedQuery {
  terms: string[];
  weights: number[];
  background: number[];
}

function weighted(weights: Map<string, number>, idf: IdfSource): Vector {
  const vector: Vector = new Map();
  for (const [term, weight] of weights) vector.set(term, weight * idf.idf(term));
  return vector;
}

function norm(vector: Vector): number {
  let sum = 0;
  for (const value of vector.values()) sum += value * value;
  return Math.sqrt(sum);
}

function overlapOf(a: Vector, b: Vector, denominator: number): OverlapTerm[] {
  const overlap: OverlapTerm[] = [];
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [term, value] of small) {
    const other = large.get(term);
    if (other !== undefined) overlap.push({ term, contribution: (value * other) / denominator });
  }
  return overlap.sort((x, y) => y.contribution - x.contribution || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
}

function compare(a: Vector, b: Vector): PairSimilarity {
  const denominator = norm(a) * norm(b);
  if (denominator === 0) return { similarity: 0, overlap: [] };
  const overlap = overlapOf(a, b, denominator);
  const similarity = overlap.reduce((sum, term) => sum + term.contribution, 0);
  return { similarity: Math.min(1, similarity), overlap };
}

/**
 * Pairwise similarity of two descriptions (e.g. two participants' parts of a framework plan,
 * 第十条). Symmetric, in [0, 1], 1 for the same text; 0 when either has no terms (empty, or
 * only stop words and punctuation). IDF from `idf`: the catalog's index when there is one,
 * jieba's general table otherwise.
 */
export function similarity(a: TextFields, b: TextFields, idf: IdfSource = BACKGROUND_IDF): PairSimilarity {
  return compare(weighted(termWeights(a), idf), weighted(termWeights(b), idf));
}

// Growable typed arrays for one term's postings.
interface Postings {
  slots: Int32Array;
  weights: Float32Array;
  length: number;
}

function grow<T extends Int32Array | Float32Array | Float64Array | Uint8Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let size = Math.max(8, array.length);
  while (size < needed) size *= 2;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

/** `kinds[slot]` of a removed document whose slot still appears in postings. */
const DEAD = 255;
/** Postings are purged of removed documents once this many (and a quarter of the live ones) piled up. */
const PURGE_MIN = 1024;
/** Adds between two searches from which the next search trims the arrays' slack (with an eighth of the index). */
const BULK_ADDS = 4096;
/** Pruning keeps a margin, so rounding never drops a document exactly at the minimum similarity. */
const PRUNE_MARGIN = 1 - 1e-9;

/**
 * An in-memory inverted index of systems, projects and data items, with top-k search by
 * cosine similarity. Deterministic: the same documents give the same hits in the same order
 * (ties by id), whatever order they were added or removed in.
 */
export class SimilarityIndex implements IdfSource {
  #termIds = new Map<string, number>();
  #termText: string[] = [];
  #documentFrequency = new Int32Array(0);
  /** Per term: its background IDF, looked up once when the term first appears (or given by the primary). */
  #background = new Float64Array(0);
  #postings: Postings[] = [];

  #slotOf = new Map<string, number>();
  #ids: (string | undefined)[] = [];
  #kinds = new Uint8Array(0);
  #revisions = new Float64Array(0);
  // A document's terms and weights: pool[start .. start + length), in term order.
  #start = new Int32Array(0);
  #length = new Int32Array(0);
  #poolTerms = new Int32Array(0);
  #poolWeights = new Float32Array(0);
  #poolUsed = 0;
  #poolGarbage = 0;
  /** Slots no posting refers to: reusable. */
  #freeSlots: number[] = [];
  /** Slots of removed documents still in postings until the next purge. */
  #deadSlots: number[] = [];

  /** Documents added since the last search: many (a build, an import) make the next search trim the arrays. */
  #addsSinceRefresh = 0;

  // Derived from IDF; recomputed before a search when documents changed.
  #stale = true;
  #termIdf = new Float64Array(0);
  #norms = new Float64Array(0);
  /** Per term: the largest normalized weight (w·idf / |d|) any document gives it (MaxScore bound). */
  #maxNormalized = new Float64Array(0);
  // Search scratch, reused: candidate marks by slot, query weights by term id.
  #seen = new Uint8Array(0);
  #queryWeights = new Float64Array(0);

  /** Number of documents. */
  get size(): number {
    return this.#slotOf.size;
  }

  has(id: string): boolean {
    return this.#slotOf.has(id);
  }

  /** The ids of the documents, in no particular order (a snapshot: safe to add and remove while iterating). */
  ids(): string[] {
    return [...this.#slotOf.keys()];
  }

  /** The revision the document was added with; undefined when absent or added without one. */
  revisionOf(id: string): number | undefined {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return undefined;
    const revision = this.#revisions[slot]!;
    return Number.isNaN(revision) ? undefined : revision;
  }

  /** Adds a document, replacing any with the same id. */
  add(document: SimilarityDocument): void {
    this.addWeighted(document, termWeights(document));
  }

  /**
   * Adds a document already analysed (its `termWeights`), replacing any with the same id: how a
   * replica of this index (src/usecases/similarity-pool.ts) applies what its primary analysed,
   * without segmenting the text again. The same adds and removes in the same order leave two
   * indexes identical, slots and purges included.
   */
  addWeighted(
    document: Omit<SimilarityDocument, 'name' | 'description'>, weights: ReadonlyMap<string, number>, background?: readonly number[],
  ): void {
    this.remove(document.id);
    const slot = this.#freeSlots.pop() ?? this.#ids.length;
    this.#ids[slot] = document.id;
    this.#kinds = grow(this.#kinds, slot + 1);
    this.#kinds[slot] = KINDS.indexOf(document.kind);
    this.#revisions = grow(this.#revisions, slot + 1);
    this.#revisions[slot] = document.revision ?? NaN;
    this.#start = grow(this.#start, slot + 1);
    this.#length = grow(this.#length, slot + 1);
    const start = this.#reserve(weights.size);
    let i = start;
    let k = 0;
    for (const [term, weight] of weights) {
      const id = this.#termId(term, background?.[k++]);
      this.#poolTerms[i] = id;
      this.#poolWeights[i] = weight;
      i++;
      const postings = this.#postings[id]!;
      postings.slots = grow(postings.slots, postings.length + 1);
      postings.weights = grow(postings.weights, postings.length + 1);
      postings.slots[postings.length] = slot;
      postings.weights[postings.length] = weight;
      postings.length++;
      this.#documentFrequency[id]!++;
    }
    this.#start[slot] = start;
    this.#length[slot] = weights.size;
    this.#slotOf.set(document.id, slot);
    this.#addsSinceRefresh++;
    this.#stale = true;
  }

  /**
   * Every document with its analysed terms (for `addWeighted` on a replica), in slot order.
   * Yields one at a time: a replica is fed in batches, never from a copy of the whole index.
   */
  *exportWeighted(): Generator<{ id: string; kind: DocumentKind; revision: number | undefined; weights: Map<string, number>; background: number[] }> {
    for (let slot = 0; slot < this.#ids.length; slot++) {
      const id = this.#ids[slot];
      if (id === undefined) continue;
      const weights = new Map<string, number>();
      const background: number[] = [];
      const start = this.#start[slot]!;
      for (let i = start; i < start + this.#length[slot]!; i++) {
        weights.set(this.#termText[this.#poolTerms[i]!]!, this.#poolWeights[i]!);
        background.push(this.#background[this.#poolTerms[i]!]!);
      }
      const revision = this.#revisions[slot]!;
      yield { id, kind: KINDS[this.#kinds[slot]!]!, revision: Number.isNaN(revision) ? undefined : revision, weights, background };
    }
  }

  /**
   * What the index holds, for the benchmarks (docs/benchmarks.md, "Memory per app process"):
   * documents, distinct terms, (document, term) entries, and the bytes of its typed arrays
   * (allocated, slack included) — the pool of documents' terms, the postings, the per-slot and
   * per-term arrays.
   */
  footprint(): { documents: number; terms: number; entries: number; poolBytes: number; postingsBytes: number; otherBytes: number } {
    let postingsBytes = 0;
    for (const postings of this.#postings) postingsBytes += postings.slots.byteLength + postings.weights.byteLength;
    const other = [this.#kinds, this.#revisions, this.#start, this.#length, this.#documentFrequency, this.#background, this.#termIdf,
      this.#norms, this.#maxNormalized, this.#seen, this.#queryWeights].reduce((sum, array) => sum + array.byteLength, 0);
    return {
      documents: this.size, terms: this.#termText.length, entries: this.#poolUsed - this.#poolGarbage,
      poolBytes: this.#poolTerms.byteLength + this.#poolWeights.byteLength, postingsBytes, otherBytes: other,
    };
  }

  /** Removes a document; false when there was none with this id. */
  remove(id: string): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    const start = this.#start[slot]!;
    const length = this.#length[slot]!;
    for (let i = start; i < start + length; i++) this.#documentFrequency[this.#poolTerms[i]!]!--;
    this.#poolGarbage += length;
    this.#length[slot] = 0;
    this.#slotOf.delete(id);
    this.#ids[slot] = undefined;
    this.#kinds[slot] = DEAD;
    this.#deadSlots.push(slot);
    if (this.#deadSlots.length >= PURGE_MIN && this.#deadSlots.length * 4 >= this.size) this.#purge();
    this.#stale = true;
    return true;
  }

  /** IDF of a term in this corpus, blended with the background table while the corpus is small. */
  idf(term: string): number {
    const id = this.#termIds.get(term);
    return id === undefined ? this.#blendedIdf(0, BACKGROUND_IDF.idf(term)) : this.#blendedIdf(this.#documentFrequency[id]!, this.#background[id]!);
  }

  /** The background IDF of each term, as `addWeighted` and `AnalysedQuery` carry it to a replica. */
  backgroundOf(terms: Iterable<string>): number[] {
    const out: number[] = [];
    for (const term of terms) {
      const id = this.#termIds.get(term);
      out.push(id === undefined ? BACKGROUND_IDF.idf(term) : this.#background[id]!);
    }
    return out;
  }

  /** `query` analysed for `searchAnalysed` (jieba and the background table are used here, not there). */
  analyse(query: TextFields): AnalysedQuery {
    const weights = termWeights(query);
    return { terms: [...weights.keys()], weights: [...weights.values()], background: this.backgroundOf(weights.keys()) };
  }

  /** Pairwise similarity weighed by this corpus's IDF. */
  similarity(a: TextFields, b: TextFields): PairSimilarity {
    return similarity(a, b, this);
  }

  /**
   * The documents most similar to `query`, best first (similarity, then id), each with its
   * similarity, BM25 score and the shared terms. With `minSimilarity` above 0 the lightest query
   * terms are not scanned (see the header): the hits are the same, found faster.
   */
  search(query: TextFields, options: SearchOptions = {}): SearchHit[] {
    return this.searchAnalysed(this.analyse(query), options);
  }

  /** `search` of a query analysed by `analyse` (possibly by another copy of this index). */
  searchAnalysed(query: AnalysedQuery, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 10;
    const minSimilarity = options.minSimilarity ?? 0;
    const kinds = options.kinds ? new Set(options.kinds.map((kind) => KINDS.indexOf(kind))) : undefined;
    const excludeSlot = options.excludeId === undefined ? undefined : this.#slotOf.get(options.excludeId);
    if (limit <= 0) return [];
    this.#refresh();

    const queryVector: Vector = new Map();
    for (let i = 0; i < query.terms.length; i++) {
      const id = this.#termIds.get(query.terms[i]!);
      queryVector.set(query.terms[i]!, query.weights[i]! * this.#blendedIdf(id === undefined ? 0 : this.#documentFrequency[id]!, query.background[i]!));
    }
    const queryNorm = norm(queryVector);
    if (queryNorm === 0) return [];

    // The query's terms that some document has, heaviest first (ties by term id: deterministic).
    const known: { termId: number; value: number }[] = [];
    for (const [term, value] of queryVector) {
      const termId = this.#termIds.get(term);
      if (termId !== undefined && this.#documentFrequency[termId]! > 0) known.push({ termId, value });
    }
    known.sort((a, b) => b.value - a.value || a.termId - b.termId);
    const n = known.length;
    // Suffix sums over the query terms k..n-1: Σ q_j² (for the Cauchy–Schwarz bound) and
    // Σ q_j · max_d(d̂_j) (the per-term maximum of a document's normalized weight, MaxScore).
    const restSquares = new Float64Array(n + 1);
    const restMax = new Float64Array(n + 1);
    for (let k = n - 1; k >= 0; k--) {
      const { termId, value } = known[k]!;
      restSquares[k] = restSquares[k + 1]! + value * value;
      restMax[k] = restMax[k + 1]! + value * this.#maxNormalized[termId]!;
    }

    const queryWeights = this.#queryWeights;
    for (const { termId, value } of known) queryWeights[termId] = value;
    const termIdf = this.#termIdf;
    const poolTerms = this.#poolTerms;
    const poolWeights = this.#poolWeights;
    const norms = this.#norms;
    const docKinds = this.#kinds;
    const starts = this.#start;
    const lengths = this.#length;

    // Bounded selection of the best `limit`, ordered by similarity desc, then id asc.
    const best: { slot: number; similarity: number; score: number; id: string }[] = [];
    const better = (s: number, id: string, than: { similarity: number; id: string }) =>
      s > than.similarity || (s === than.similarity && id < than.id);
    // What a document must reach (in cosine × |q|, with the margin) to be kept: the minimum
    // similarity, and once `limit` are held, the last one's similarity (a tie may still enter
    // on its id, so only a bound strictly below it excludes).
    const prune = options.prune ?? true;
    let floor = prune ? minSimilarity * queryNorm * PRUNE_MARGIN : -Infinity;

    // Term at a time, heaviest query term first, each document scored exactly (over its own
    // terms) the first time one of its terms is reached, then never again. A document first
    // reached at term k holds none of terms 0..k-1, so its cosine is at most
    //   (q_k·d̂_k + min(|q_{>k}|·√(1 − d̂_k²), Σ_{j>k} q_j·max d̂_j)) / |q|
    // (Cauchy–Schwarz on its unit vector; MaxScore's per-term maxima): below the floor it is
    // passed over unscored. Once even an unseen document's best case, min(|q_{≥k}|,
    // Σ_{j≥k} q_j·max d̂_j), is below the floor, no further postings are read. Every document
    // left out has a cosine below the final top-k's last one (or the minimum), so the hits are
    // exactly the exhaustive ranking's first `limit` (tested against it with fast-check).
    const seen = this.#seen;
    const touched: number[] = [];
    for (let k = 0; k < n; k++) {
      if (Math.min(Math.sqrt(restSquares[k]!), restMax[k]!) < floor) break;
      const { termId, value: q } = known[k]!;
      const idf = termIdf[termId]!;
      const rest = Math.sqrt(restSquares[k + 1]!);
      const restBound = restMax[k + 1]!;
      const postings = this.#postings[termId]!;
      const slots = postings.slots;
      const weights = postings.weights;
      for (let i = 0; i < postings.length; i++) {
        const slot = slots[i]!;
        if (seen[slot] !== 0) continue;
        seen[slot] = 1;
        touched.push(slot);
        const kind = docKinds[slot]!;
        if (kind === DEAD || slot === excludeSlot || (kinds && !kinds.has(kind))) continue;
        const normalized = (weights[i]! * idf) / norms[slot]!;
        const others = rest * Math.sqrt(Math.max(0, 1 - normalized * normalized));
        if (q * normalized + (others < restBound ? others : restBound) < floor) continue;
        // Exact score over the document's own terms, in term order (as the query's).
        let dot = 0;
        let bm25 = 0;
        const end = starts[slot]! + lengths[slot]!;
        for (let j = starts[slot]!; j < end; j++) {
          const t = poolTerms[j]!;
          const value = queryWeights[t]!;
          if (value === 0) continue;
          dot += value * (poolWeights[j]! * termIdf[t]!);
          bm25 += termIdf[t]! * poolWeights[j]!;
        }
        const value = Math.min(1, dot / (queryNorm * norms[slot]!));
        if (value < minSimilarity) continue;
        const id = this.#ids[slot]!;
        if (best.length === limit && !better(value, id, best[limit - 1]!)) continue;
        let at = best.length === limit ? limit - 1 : best.length;
        while (at > 0 && better(value, id, best[at - 1]!)) at--;
        best.splice(at, 0, { slot, similarity: value, score: bm25, id });
        if (best.length > limit) best.pop();
        if (prune && best.length === limit) floor = Math.max(floor, best[limit - 1]!.similarity * queryNorm * PRUNE_MARGIN);
      }
    }
    for (const slot of touched) seen[slot] = 0;

    const hits = best.map(({ slot, similarity: value, score, id }) => {
      const denominator = queryNorm * this.#norms[slot]!;
      const overlap: OverlapTerm[] = [];
      const end = this.#start[slot]! + this.#length[slot]!;
      for (let i = this.#start[slot]!; i < end; i++) {
        const termId = poolTerms[i]!;
        const q = queryWeights[termId]!;
        if (q !== 0) overlap.push({ term: this.#termText[termId]!, contribution: (q * (poolWeights[i]! * termIdf[termId]!)) / denominator });
      }
      overlap.sort((x, y) => y.contribution - x.contribution || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
      return { id, kind: KINDS[this.#kinds[slot]!]!, score, similarity: value, overlap };
    });
    for (const { termId } of known) queryWeights[termId] = 0;
    return hits;
  }

  #termId(term: string, background: number | undefined): number {
    let id = this.#termIds.get(term);
    if (id === undefined) {
      id = this.#termText.length;
      this.#termIds.set(term, id);
      this.#termText.push(term);
      this.#documentFrequency = grow(this.#documentFrequency, id + 1);
      this.#background = grow(this.#background, id + 1);
      this.#background[id] = background ?? BACKGROUND_IDF.idf(term);
      this.#postings.push({ slots: new Int32Array(4), weights: new Float32Array(4), length: 0 });
    }
    return id;
  }

  /** Room for `length` pooled entries; returns where they start. Compacts first when half is garbage. */
  #reserve(length: number): number {
    if (this.#poolUsed + length > this.#poolTerms.length) {
      const live = this.#poolUsed - this.#poolGarbage;
      if (this.#poolGarbage > live) {
        this.#compactPool(Math.max(1024, Math.ceil((live + length) * 1.5)));
      } else {
        // ×1.5 rather than ×2: the pool is the index's largest allocation.
        const size = Math.max(1024, Math.ceil((this.#poolUsed + length) * 1.5));
        const terms = new Int32Array(size);
        const weights = new Float32Array(size);
        terms.set(this.#poolTerms.subarray(0, this.#poolUsed));
        weights.set(this.#poolWeights.subarray(0, this.#poolUsed));
        this.#poolTerms = terms;
        this.#poolWeights = weights;
      }
    }
    const start = this.#poolUsed;
    this.#poolUsed += length;
    return start;
  }

  #compactPool(capacity: number): void {
    const terms = new Int32Array(capacity);
    const weights = new Float32Array(terms.length);
    let at = 0;
    for (let slot = 0; slot < this.#ids.length; slot++) {
      const length = this.#length[slot]!;
      if (length === 0) continue;
      const start = this.#start[slot]!;
      terms.set(this.#poolTerms.subarray(start, start + length), at);
      weights.set(this.#poolWeights.subarray(start, start + length), at);
      this.#start[slot] = at;
      at += length;
    }
    this.#poolTerms = terms;
    this.#poolWeights = weights;
    this.#poolUsed = at;
    this.#poolGarbage = 0;
  }

  /** Drops removed documents from every posting list; their slots become reusable. */
  #purge(): void {
    const dead = new Uint8Array(this.#ids.length);
    for (const slot of this.#deadSlots) dead[slot] = 1;
    for (const postings of this.#postings) {
      let kept = 0;
      for (let i = 0; i < postings.length; i++) {
        const slot = postings.slots[i]!;
        if (dead[slot]) continue;
        postings.slots[kept] = slot;
        postings.weights[kept] = postings.weights[i]!;
        kept++;
      }
      postings.length = kept;
    }
    for (const slot of this.#deadSlots) this.#freeSlots.push(slot);
    this.#deadSlots = [];
  }

  #blendedIdf(documentFrequency: number, background: number): number {
    const n = this.size;
    const corpus = Math.log(1 + (n - documentFrequency + 0.5) / (documentFrequency + 0.5));
    return (n * corpus + BACKGROUND_PSEUDO_DOCUMENTS * background) / (n + BACKGROUND_PSEUDO_DOCUMENTS);
  }

  /**
   * After a bulk load, the slack of growth — up to half of each posting list (grown by doubling)
   * and a third of the pool (×1.5) — is given back: the arrays are cut to what they hold. Only
   * then: after a trickle of single changes this would copy a long posting list or the whole
   * pool back and forth per search.
   */
  #trim(): void {
    if (this.#addsSinceRefresh < Math.max(BULK_ADDS, this.size >> 3)) return;
    for (const postings of this.#postings) {
      if (postings.slots.length === postings.length) continue;
      postings.slots = postings.slots.slice(0, postings.length);
      postings.weights = postings.weights.slice(0, postings.length);
    }
    if (this.#poolGarbage > 0) this.#compactPool(this.#poolUsed - this.#poolGarbage);
    else if (this.#poolTerms.length > this.#poolUsed) {
      this.#poolTerms = this.#poolTerms.slice(0, this.#poolUsed);
      this.#poolWeights = this.#poolWeights.slice(0, this.#poolUsed);
    }
  }

  #refresh(): void {
    if (!this.#stale) return;
    this.#trim();
    this.#addsSinceRefresh = 0;
    const terms = this.#termText.length;
    if (this.#termIdf.length !== terms) this.#termIdf = new Float64Array(terms);
    for (let id = 0; id < terms; id++) this.#termIdf[id] = this.#blendedIdf(this.#documentFrequency[id]!, this.#background[id]!);
    const slots = this.#ids.length;
    if (this.#norms.length < slots) this.#norms = new Float64Array(Math.ceil(slots * 1.25));
    for (let slot = 0; slot < slots; slot++) {
      const start = this.#start[slot]!;
      const end = start + this.#length[slot]!;
      let sum = 0;
      for (let i = start; i < end; i++) {
        const value = this.#poolWeights[i]! * this.#termIdf[this.#poolTerms[i]!]!;
        sum += value * value;
      }
      this.#norms[slot] = Math.sqrt(sum);
    }
    if (this.#maxNormalized.length !== terms) this.#maxNormalized = new Float64Array(terms);
    else this.#maxNormalized.fill(0);
    for (let slot = 0; slot < slots; slot++) {
      const start = this.#start[slot]!;
      const end = start + this.#length[slot]!;
      const documentNorm = this.#norms[slot]!;
      for (let i = start; i < end; i++) {
        const termId = this.#poolTerms[i]!;
        const value = (this.#poolWeights[i]! * this.#termIdf[termId]!) / documentNorm;
        if (value > this.#maxNormalized[termId]!) this.#maxNormalized[termId] = value;
      }
    }
    this.#seen = grow(this.#seen, slots);
    this.#queryWeights = grow(this.#queryWeights, terms);
    this.#stale = false;
  }
}
