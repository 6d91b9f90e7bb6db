// Inverse document frequency when there is no corpus, or too small a one: jieba's bundled IDF
// table (a general Chinese corpus), loaded once on first use. Words it does not know — most
// of the government-IT user dictionary — get its median, as jieba's own keyword extractor does.
import { createRequire } from 'node:module';

/** Where the engine takes a term's IDF from. */
export interface IdfSource {
  idf(term: string): number;
}

let table: { values: Map<string, number>; median: number } | undefined;

function load(): { values: Map<string, number>; median: number } {
  if (!table) {
    const require = createRequire(import.meta.url);
    const { idf } = require('@node-rs/jieba/dict.js') as { idf: Uint8Array };
    const values = new Map<string, number>();
    for (const line of Buffer.from(idf).toString('utf8').split('\n')) {
      const space = line.lastIndexOf(' ');
      if (space <= 0) continue;
      const value = Number(line.slice(space + 1));
      if (Number.isFinite(value)) values.set(line.slice(0, space), value);
    }
    const sorted = [...values.values()].sort((a, b) => a - b);
    table = { values, median: sorted[sorted.length >> 1] ?? 1 };
  }
  return table;
}

/** The background IDF: jieba's table, the median for unknown terms. */
export const BACKGROUND_IDF: IdfSource = {
  idf(term: string): number {
    const { values, median } = load();
    return values.get(term) ?? median;
  },
};
