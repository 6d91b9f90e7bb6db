// A replica of the process's similarity index in a worker thread (src/usecases/similarity-pool.ts):
// applies the primary's changes in the order they were sent and answers searches. It never loads
// jieba or its IDF table: queries arrive analysed, and every add carries its terms' background IDF.
import { parentPort } from 'node:worker_threads';
import { SimilarityIndex } from '../domain/similarity/index.ts';
import type { FromWorker, ToWorker } from './similarity-pool.ts';

const index = new SimilarityIndex();
const port = parentPort;
if (!port) throw new Error('similarity-worker.ts runs as a worker thread');

port.on('message', (message: ToWorker) => {
  if (message.type === 'ops') {
    for (const op of message.ops) {
      if (op.op === 'remove') index.remove(op.id);
      else index.addWeighted({ id: op.id, kind: op.kind, revision: op.revision }, new Map(op.terms.map((t, i) => [t, op.weights[i]!])), op.background);
    }
    return;
  }
  let reply: FromWorker;
  try {
    reply = { type: 'hits', id: message.id, hits: index.searchAnalysed(message.query, message.options) };
  } catch (err) {
    reply = { type: 'error', id: message.id, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});

port.postMessage({ type: 'ready' } satisfies FromWorker);
