// Inverse document frequency when there is no corpus, or too small a one: jieba's bundled IDF
// table (a general Chinese corpus), loaded once on first use. Words it does not know — most
// of the government-IT user dictionary — get its median, as jieba's own keyword extractor does.
//
// Memory: the table has 270,132 lines (6.2 MB of UTF-8, which jieba's dict.js module keeps in
// memory anyway). A Map of 270,000 strings held 24 MiB of heap and, with the garbage of
// parsing it, raised the process's RSS by ~68 MiB; here the table stays in those bytes: the
// lines' offsets sorted by their word's bytes (UTF-8 order), and the values parsed once, so a
// lookup is a binary search and the whole costs ~3 MiB (docs/benchmarks.md, "Memory per app process").
import { createRequire } from 'node:module';

/** Where the engine takes a term's IDF from. */
export interface IdfSource {
  idf(term: string): number;
}

interface Table {
  bytes: Uint8Array;
  /** Per entry, sorted by word: where its word starts and ends in `bytes`, and its value. */
  starts: Int32Array;
  ends: Int32Array;
  values: Float64Array;
  median: number;
}

let table: Table | undefined;

function compareBytes(bytes: Uint8Array, aStart: number, aEnd: number, other: Uint8Array, bStart: number, bEnd: number): number {
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < length; i++) {
    const d = bytes[aStart + i]! - other[bStart + i]!;
    if (d !== 0) return d;
  }
  return aEnd - aStart - (bEnd - bStart);
}

function load(): Table {
  if (!table) {
    const require = createRequire(import.meta.url);
    const { idf: bytes } = require('@node-rs/jieba/dict.js') as { idf: Uint8Array };
    const decoder = new TextDecoder();
    // Every line "word value" (the word may hold spaces: the value follows the last one).
    const lineStarts: number[] = [];
    const lineEnds: number[] = [];
    const lineValues: number[] = [];
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      let space = i - 1;
      while (space >= start && bytes[space] !== 0x20) space--;
      if (space > start) {
        const value = Number(decoder.decode(bytes.subarray(space + 1, i)));
        if (Number.isFinite(value)) {
          lineStarts.push(start);
          lineEnds.push(space);
          lineValues.push(value);
        }
      }
      start = i + 1;
    }
    // Sorted by word, a repeated word's lines in file order: the last one counts (as a Map would).
    const order = new Int32Array(lineStarts.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => compareBytes(bytes, lineStarts[a]!, lineEnds[a]!, bytes, lineStarts[b]!, lineEnds[b]!) || a - b);
    const kept: number[] = [];
    for (let k = 0; k < order.length; k++) {
      const line = order[k]!;
      const next = order[k + 1];
      if (next !== undefined && compareBytes(bytes, lineStarts[line]!, lineEnds[line]!, bytes, lineStarts[next]!, lineEnds[next]!) === 0) continue;
      kept.push(line);
    }
    const starts = Int32Array.from(kept, (line) => lineStarts[line]!);
    const ends = Int32Array.from(kept, (line) => lineEnds[line]!);
    const values = Float64Array.from(kept, (line) => lineValues[line]!);
    const sorted = Float64Array.from(values).sort();
    table = { bytes, starts, ends, values, median: sorted[sorted.length >> 1] ?? 1 };
  }
  return table;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

function lookup(term: string): number | undefined {
  const { bytes, starts, ends, values } = load();
  if (term.length * 3 > scratch.length) scratch = new Uint8Array(term.length * 3);
  const length = encoder.encodeInto(term, scratch).written;
  let low = 0;
  let high = starts.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const c = compareBytes(bytes, starts[mid]!, ends[mid]!, scratch, 0, length);
    if (c === 0) return values[mid];
    if (c < 0) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/** The background IDF: jieba's table, the median for unknown terms. */
export const BACKGROUND_IDF: IdfSource = {
  idf(term: string): number {
    return lookup(term) ?? load().median;
  },
};
