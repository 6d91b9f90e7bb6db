import { describe, expect, it } from 'vitest';
import { ANALYSIS, normalizeText, segment, termOccurrences, termWeights } from './analysis.ts';

describe('normalizeText', () => {
  it('turns full-width letters, digits and spaces into half-width and lower case', () => {
    expect(normalizeText('ＥＴＣ收费　１２３４５热线')).toBe('etc收费 12345热线');
    expect(normalizeText('OA办公')).toBe('oa办公');
  });

  it('turns Chinese, traditional and ASCII punctuation into single spaces', () => {
    expect(normalizeText('出口退(免)税')).toBe('出口退 免 税');
    expect(normalizeText('出口退（免）税')).toBe('出口退 免 税');
    expect(normalizeText('「电子证照」、『社保卡』《办法》【平台】〔2019〕')).toBe('电子证照 社保卡 办法 平台 2019');
    expect(normalizeText('互联网+监管,政务云。')).toBe('互联网 监管 政务云');
    expect(normalizeText('  \t\n ')).toBe('');
  });
});

describe('segment', () => {
  it('keeps the government-IT user dictionary words whole', () => {
    for (const word of ['电子证照', '一体化在线政务服务平台', '政务外网', '社会保障卡', '不动产登记', '营业执照', '统一身份认证', '数据共享交换平台']) {
      expect(segment(`建设${word}项目`)).toContain(word);
    }
  });

  it('segments abbreviations as words and does not glue them to neighbours', () => {
    expect(segment('人社部门')).toEqual(['人社', '部门']);
    expect(segment('市场监管局')).toEqual(['市场监管', '局']);
    expect(segment('个人社保缴费')).toEqual(['个人', '社保', '缴费']);
  });

  it('gives nothing for empty or punctuation-only text', () => {
    expect(segment('')).toEqual([]);
    expect(segment('、,。()')).toEqual([]);
  });
});

describe('termOccurrences', () => {
  it('drops stop words and the verbs of purpose sentences', () => {
    const terms = termOccurrences('为群众提供和实现社会保障卡的申领');
    for (const stop of ['为', '提供', '和', '实现', '的']) expect(terms.has(stop)).toBe(false);
    expect(terms.get('社会保障卡')).toBe(1);
  });

  it('gives no terms when the text is only stop words', () => {
    expect(termOccurrences('的和及与等').size).toBe(0);
  });

  it('folds abbreviations and synonyms into one canonical spelling', () => {
    const same = (a: string, b: string) => expect([...termOccurrences(a).keys()].sort()).toEqual([...termOccurrences(b).keys()].sort());
    same('人社', '人力资源和社会保障');
    same('发改', '发展改革');
    same('市场监管', '市场监督管理');
    same('政务云', '电子政务云');
    same('社保卡', '社会保障卡');
    same('身份证号', '公民身份号码');
    same('等保', '等级保护');
  });

  it('applies synonyms to tokens, not to text (个人社保 is not 个人力资源…)', () => {
    const terms = termOccurrences('个人社保缴费');
    expect(terms.has('个人')).toBe(true);
    expect(terms.has('社会保险')).toBe(true);
    expect(terms.has('人力资源')).toBe(false);
  });

  it('adds the dictionary parts of a long word at the sub-word weight, without overlapping artefacts', () => {
    const terms = termOccurrences('城乡居民');
    expect(terms.get('城乡居民')).toBe(1);
    expect(terms.get('城乡')).toBe(ANALYSIS.subwordWeight);
    expect(terms.get('居民')).toBe(ANALYSIS.subwordWeight);
    expect(terms.has('乡居')).toBe(false);
    expect(termOccurrences('不动产').has('动产')).toBe(false);
    const platform = termOccurrences('一体化在线政务服务平台');
    expect(platform.get('政务服务')).toBe(ANALYSIS.subwordWeight);
  });

  it('detaches a boilerplate suffix glued to a content word (预警系统 → 预警 + 系统)', () => {
    const terms = termOccurrences('监测预警系统');
    expect(terms.has('预警系统')).toBe(false);
    expect(terms.has('预警')).toBe(true);
    expect(terms.has('系统')).toBe(true);
  });
});

describe('termWeights', () => {
  it('weighs boilerplate low but keeps it, so a name made only of boilerplate still has terms', () => {
    const weights = termWeights({ name: '社会保障卡管理系统' });
    expect(weights.get('系统')!).toBeLessThan(weights.get('社会保障卡')! * 0.5);
    expect(termWeights({ name: '信息管理系统' }).size).toBeGreaterThan(0);
  });

  it('weighs the name above the purpose', () => {
    const weights = termWeights({ name: '电子证照', description: '不动产登记' });
    expect(weights.get('电子证照')!).toBeGreaterThan(weights.get('不动产登记')!);
  });

  it('saturates term frequency (BM25): ten mentions weigh less than ten times one', () => {
    const once = termWeights({ name: '', description: '电子证照' }).get('电子证照')!;
    const tenTimes = termWeights({ name: '', description: '电子证照 '.repeat(10) }).get('电子证照')!;
    expect(tenTimes).toBeGreaterThan(once);
    expect(tenTimes).toBeLessThan(ANALYSIS.k1 + 1);
  });
});
