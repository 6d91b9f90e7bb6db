// Text → weighted terms: normalization, jieba segmentation with the government-IT user
// dictionary, stop words, synonyms and the low weight of boilerplate. Pure apart from loading
// jieba's dictionary once, on first use (about 5 MB; nothing is loaded by importing this file).
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';
import { BOILERPLATE, STOP_WORDS, SYNONYMS, USER_WORDS } from './lexicon.ts';

/** The weights of the analysis; one place, cited by docs/similarity-evaluation.md. */
export const ANALYSIS = {
  /** Relative weight of an occurrence in the name and in the purpose / contents. */
  nameWeight: 2,
  descriptionWeight: 1,
  /** Prior weight of a boilerplate word (系统, 平台, 建设, 项目 …) against a content word. */
  boilerplateWeight: 0.2,
  /** Prior weight of a lone CJK character that is not a stop word (卡, 网, 库). */
  singleCharWeight: 0.3,
  /** Occurrence weight of a dictionary part of a long token (不动产登记 → 不动产, 登记). */
  subwordWeight: 0.5,
  /** BM25 term-frequency saturation. */
  k1: 1.2,
} as const;

// The user words' frequency: high enough to beat the general dictionary's splits (市场/监管局
// → 市场监管/局), low enough not to swallow neighbours (个人社保 stays 个人/社保).
const USER_WORD_FREQUENCY = 20000;

let segmenter: Jieba | undefined;

function jieba(): Jieba {
  if (!segmenter) {
    const require = createRequire(import.meta.url);
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
    const instance = JiebaClass.withDict(dict);
    instance.loadDict(Buffer.from(USER_WORDS.map((word) => `${word} ${USER_WORD_FREQUENCY} n`).join('\n'), 'utf8'));
    segmenter = instance;
  }
  return segmenter;
}

/**
 * Canonical surface text: NFKC (full-width letters, digits and spaces → half-width), lower
 * case, every punctuation mark or symbol of any script (、,。《》「」【】〔〕() + / …) → one
 * space, runs of white space collapsed.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
}

const CJK = /\p{Script=Han}/u;

/** The jieba tokens of normalized text, in order (precise mode, no HMM: deterministic words). */
export function segment(text: string): string[] {
  const normalized = normalizeText(text);
  if (normalized === '') return [];
  return jieba()
    .cut(normalized, false)
    .filter((token) => token.trim() !== '');
}

function priorWeight(term: string): number {
  if (BOILERPLATE.has(term)) return ANALYSIS.boilerplateWeight;
  if (term.length === 1 && CJK.test(term)) return ANALYSIS.singleCharWeight;
  return 1;
}

/**
 * The parts of a token of four or more characters: its best split into dictionary words
 * other than itself — fewest pieces, then the longest shortest piece, then the longest last
 * piece — and, recursively, the parts of those pieces; single characters are not parts.
 * 城乡居民 → 城乡, 居民 (never the overlapping artefact 乡居 that jieba's full mode also
 * lists); 一体化在线政务服务平台 → 一体化, 在线, 政务服务平台, 政务服务, 平台, 政务, 服务.
 * Three-character words stay whole: their only splits are a word and a character, and the
 * word is as often a false friend (不动产 → 动产) as a part (社保卡 → 社保).
 */
function subwords(token: string): string[] {
  const parts = new Set<string>();
  const visit = (word: string) => {
    for (const piece of split(word)) {
      if (piece.length >= 2 && !parts.has(piece)) {
        parts.add(piece);
        visit(piece);
      }
    }
  };
  visit(token);
  return [...parts].sort();
}

// Splits are pure functions of the word; the cache only bounds repeated jieba calls.
const splitCache = new Map<string, readonly string[]>();
const SPLIT_CACHE_LIMIT = 100_000;
const MIN_SPLIT_LENGTH = 4;

function split(word: string): readonly string[] {
  const cached = splitCache.get(word);
  if (cached) return cached;
  const chars = [...word];
  let result: readonly string[] = [];
  if (chars.length >= MIN_SPLIT_LENGTH && CJK.test(word)) {
    const known = new Set(jieba().cutAll(word));
    known.delete(word);
    // best[i]: the best split of chars[0..i), compared by (pieces asc, shortest piece desc).
    const best: { pieces: string[]; shortest: number }[] = [{ pieces: [], shortest: Infinity }];
    for (let end = 1; end <= chars.length; end++) {
      let choice: { pieces: string[]; shortest: number } | undefined;
      for (let start = 0; start < end; start++) {
        const piece = chars.slice(start, end).join('');
        if (end - start > 1 && !known.has(piece)) continue;
        const before = best[start]!;
        const candidate = { pieces: [...before.pieces, piece], shortest: Math.min(before.shortest, end - start) };
        if (
          !choice ||
          candidate.pieces.length < choice.pieces.length ||
          (candidate.pieces.length === choice.pieces.length && candidate.shortest > choice.shortest)
        ) {
          choice = candidate;
        }
      }
      best[end] = choice!;
    }
    result = best[chars.length]!.pieces;
  }
  if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
  splitCache.set(word, result);
  return result;
}

/**
 * A token that is a content word glued to a boilerplate suffix (预警系统, 监测平台) is the
 * content word plus the boilerplate: otherwise 预警系统 would match at full weight.
 */
function detachBoilerplate(token: string): readonly string[] {
  for (const suffix of BOILERPLATE_SUFFIXES) {
    if (token.length > suffix.length + 1 && token.endsWith(suffix) && !BOILERPLATE.has(token)) {
      return [token.slice(0, -suffix.length), suffix];
    }
  }
  return [token];
}

const BOILERPLATE_SUFFIXES = ['系统', '平台', '工程', '项目'];

function canonical(token: string): readonly string[] {
  return SYNONYMS[token] ?? [token];
}

/**
 * The terms of one text with their occurrence weight: each token after stop words and
 * synonyms counts 1, each dictionary sub-word of a long token ANALYSIS.subwordWeight.
 */
export function termOccurrences(text: string): Map<string, number> {
  const occurrences = new Map<string, number>();
  const add = (term: string, weight: number) => {
    if (STOP_WORDS.has(term)) return;
    occurrences.set(term, (occurrences.get(term) ?? 0) + weight);
  };
  for (const token of segment(text).flatMap(detachBoilerplate)) {
    if (STOP_WORDS.has(token)) continue;
    for (const term of canonical(token)) {
      add(term, 1);
      for (const part of subwords(term)) {
        for (const partTerm of canonical(part)) add(partTerm, ANALYSIS.subwordWeight);
      }
    }
  }
  return occurrences;
}

/** What the engine compares: a name and, optionally, a purpose or contents sentence. */
export interface TextFields {
  name: string;
  /** A system's purpose (建设目的/主要功能), a project's main contents, a data item's description. */
  description?: string;
}

/**
 * Corpus-independent term weights of a document: BM25F term frequency (occurrences weighted
 * by field, name above description), saturated with k1, times the term's prior weight. The
 * index multiplies these by IDF. No length normalization (BM25 b = 0): the cosine that
 * compares two vectors already removes length, and a second penalty would punish the long
 * purposes of large projects twice.
 */
export function termWeights(fields: TextFields): Map<string, number> {
  const frequency = new Map<string, number>();
  const addField = (text: string | undefined, fieldWeight: number) => {
    if (!text) return;
    for (const [term, count] of termOccurrences(text)) {
      frequency.set(term, (frequency.get(term) ?? 0) + fieldWeight * count);
    }
  };
  addField(fields.name, ANALYSIS.nameWeight);
  addField(fields.description, ANALYSIS.descriptionWeight);
  const weights = new Map<string, number>();
  const k1 = ANALYSIS.k1;
  for (const term of [...frequency.keys()].sort()) {
    const tf = frequency.get(term)!;
    weights.set(term, priorWeight(term) * ((tf * (k1 + 1)) / (tf + k1)));
  }
  return weights;
}
