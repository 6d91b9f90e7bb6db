// Searches of the similarity index off the request's event loop (issue 4: "top-10 similar
// systems at p95 < 100 ms with 10 connections"). One search of the 300,000-system catalog costs a
// few milliseconds of CPU; on the event loop that serves every request, ten requests in flight
// queue behind each other's searches, so the check's throughput was bound by one core while the
// other idled. The pool holds REPLICAS of the process's index in worker threads: the primary
// (src/usecases/similarity.ts, SimilarityCatalog) still does every database sync and analyses
// every changed row once; each change goes to every replica as an operation (add with the terms
// already weighed, or remove), and a search goes to the least busy replica.
//
// Consistency: messages to one worker arrive in the order they were sent, and the pending
// operations are flushed to every replica before a search is posted, so a search sees every
// change the primary had applied when it was asked — the same hits as the primary's own search
// (the same adds and removes in the same order leave two indexes identical; tested in
// similarity-pool.test.ts on both backends' catalogs and with fast-check).
//
// The pool is an accelerator, never a dependency: a replica that fails (an exception, an exit)
// fails its pending searches over to the primary's own search and leaves the pool, and the
// primary answers alone when the pool is empty. Below POOL_MIN_DOCUMENTS a search takes well
// under a millisecond and a round trip to a worker costs more than it saves, so the pool starts
// only once the index is that large (fed from `exportWeighted`, in batches).
//
// Memory: each replica holds the index again (docs/benchmarks.md, "Memory per app process"), but
// neither jieba's dictionary (~50 MiB) nor its IDF table: the primary analyses each query
// (`SimilarityIndex.analyse`) and sends its terms, weights and background IDF, and every add carries
// its terms' background IDF, so a replica never segments or looks up a word.
// GOVPROJ_SIMILARITY_WORKERS sets how many (default: the cores but one from 4 cores up, since the
// event loop keeps one busy; none below 4 cores, where a replica costs memory and adds no
// throughput; 0 turns the pool off).
import { Worker } from 'node:worker_threads';
import type { AnalysedQuery, DocumentKind, SearchHit, SearchOptions, SimilarityIndex, TextFields } from '../domain/similarity/index.ts';

/** Index size from which searches go to the pool. */
export const POOL_MIN_DOCUMENTS = 20_000;
/** Operations sent to the replicas in one message. */
const OPS_BATCH = 2_000;

/** A change to the index, as sent to a replica: terms and weights already computed by the primary. */
export type IndexOp =
  | { op: 'add'; id: string; kind: DocumentKind; revision: number | undefined; terms: string[]; weights: number[]; background: number[] }
  | { op: 'remove'; id: string };

export type ToWorker =
  | { type: 'ops'; ops: IndexOp[] }
  | { type: 'search'; id: number; query: AnalysedQuery; options: SearchOptions };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'hits'; id: number; hits: SearchHit[] }
  | { type: 'error'; id: number; message: string };

interface Replica {
  worker: Worker;
  inFlight: Map<number, { query: AnalysedQuery; options: SearchOptions; resolve: (hits: SearchHit[]) => void; reject: (err: unknown) => void }>;
  alive: boolean;
  /** Its thread started: until then the primary answers. */
  ready: boolean;
}

/** `background`: the terms' background IDF in the order of `weights` (`SimilarityIndex.backgroundOf`). */
export function addOp(
  document: { id: string; kind: DocumentKind; revision?: number | undefined }, weights: ReadonlyMap<string, number>, background: number[],
): IndexOp {
  return { op: 'add', id: document.id, kind: document.kind, revision: document.revision, terms: [...weights.keys()], weights: [...weights.values()], background };
}

/** Replicas of `primary` in worker threads, kept in step by `record`. */
export class SearchPool {
  readonly #primary: SimilarityIndex;
  readonly #replicas: Replica[] = [];
  #pending: IndexOp[] = [];
  #nextId = 1;
  #readyWaiters: Array<() => void> = [];
  /** Searches answered by a replica, and by the primary after a replica failed. */
  readonly stats = { replica: 0, failedOver: 0 };

  /** Starts `size` replicas of `primary` as it is now; later changes must be passed to `record`. */
  constructor(primary: SimilarityIndex, size: number) {
    this.#primary = primary;
    for (let i = 0; i < size; i++) this.#replicas.push(this.#spawn());
    for (const doc of primary.exportWeighted()) this.record(addOp(doc, doc.weights, doc.background));
    this.flush();
  }

  /** Replicas still serving. */
  get size(): number {
    return this.#replicas.filter((r) => r.alive).length;
  }

  /** Resolves when every live replica is ready (or has failed). */
  async ready(): Promise<void> {
    while (this.#replicas.some((r) => r.alive && !r.ready)) await new Promise<void>((wake) => this.#readyWaiters.push(wake));
  }

  #spawn(): Replica {
    const worker = new Worker(new URL('./similarity-worker.ts', import.meta.url));
    const replica: Replica = { worker, inFlight: new Map(), alive: true, ready: false };
    worker.unref(); // an idle pool never keeps the process alive
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        replica.ready = true;
        for (const wake of this.#readyWaiters.splice(0)) wake();
        return;
      }
      const waiting = replica.inFlight.get(message.id);
      if (!waiting) return;
      replica.inFlight.delete(message.id);
      if (replica.inFlight.size === 0) worker.unref();
      if (message.type === 'hits') {
        this.stats.replica++;
        waiting.resolve(message.hits);
      } else {
        // A search the replica could not answer is answered by the primary (same index).
        this.stats.failedOver++;
        try {
          waiting.resolve(this.#primary.searchAnalysed(waiting.query, waiting.options));
        } catch (err) {
          waiting.reject(err);
        }
      }
    });
    const fail = () => {
      if (!replica.alive) return;
      replica.alive = false;
      for (const wake of this.#readyWaiters.splice(0)) wake();
      // The primary answers what the replica had not: same index, same hits.
      for (const waiting of replica.inFlight.values()) {
        this.stats.failedOver++;
        try {
          waiting.resolve(this.#primary.searchAnalysed(waiting.query, waiting.options));
        } catch (err) {
          waiting.reject(err);
        }
      }
      replica.inFlight.clear();
      void worker.terminate();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    return replica;
  }

  /** A change the primary has just applied. */
  record(op: IndexOp): void {
    this.#pending.push(op);
    if (this.#pending.length >= OPS_BATCH) this.flush();
  }

  /** Sends the pending changes to every replica. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const message: ToWorker = { type: 'ops', ops: this.#pending };
    this.#pending = [];
    for (const r of this.#replicas) if (r.alive) r.worker.postMessage(message);
  }

  /**
   * The primary's hits for `query`, computed by the least busy replica after every change
   * recorded so far; by the primary itself when no replica is ready (starting) or left (failed).
   */
  search(text: TextFields, options: SearchOptions): Promise<SearchHit[]> {
    this.flush();
    let best: Replica | undefined;
    for (const r of this.#replicas) if (r.alive && r.ready && (!best || r.inFlight.size < best.inFlight.size)) best = r;
    if (!best) return Promise.resolve(this.#primary.search(text, options));
    const query = this.#primary.analyse(text);
    const replica = best;
    const id = this.#nextId++;
    return new Promise<SearchHit[]>((resolve, reject) => {
      replica.inFlight.set(id, { query, options, resolve, reject });
      replica.worker.ref(); // a search in flight keeps the process alive until it is answered
      const message: ToWorker = { type: 'search', id, query, options };
      replica.worker.postMessage(message);
    });
  }

  /** Stops the replicas (searches in flight are answered by the primary). */
  async close(): Promise<void> {
    await Promise.all(this.#replicas.map((r) => r.worker.terminate()));
  }
}
