import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FEN_PER_WAN, formatWan, parseWan, percentage, wanDecimals, withinShare } from './money.ts';

describe('money in 万元, exact to the fen (SPEC §2)', () => {
  it('parses decimal 万元 strings into fen', () => {
    expect(parseWan('1')).toBe(FEN_PER_WAN);
    expect(parseWan('1234.56')).toBe(1_234_560_000n);
    expect(parseWan('0.000001')).toBe(1n);
    expect(parseWan(' 0.10 ')).toBe(100_000n);
    expect(parseWan('-2.5')).toBe(-2_500_000n);
    expect(parseWan('9999999999999.999999')).toBe(9_999_999_999_999_999_999n);
  });

  it('refuses what is not an exact decimal amount', () => {
    for (const bad of ['', ' ', '1e3', '1,000', '0.0000001', '.5', '5.', 'NaN', '0x10', '1 000', '+1', '１２']) {
      expect(parseWan(bad), bad).toBeNull();
    }
  });

  it('counts decimals for the two-places rule', () => {
    expect(wanDecimals('12')).toBe(0);
    expect(wanDecimals('12.3')).toBe(1);
    expect(wanDecimals('12.34')).toBe(2);
    expect(wanDecimals('12.345')).toBe(3);
  });

  it('formats with at least two decimals and never loses a fen', () => {
    expect(formatWan(1_234_560_000n)).toBe('1234.56');
    expect(formatWan(0n)).toBe('0.00');
    expect(formatWan(1n)).toBe('0.000001');
    expect(formatWan(-2_500_000n)).toBe('-2.50');
  });

  it('property: format and parse are inverse', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (fen) => {
      expect(parseWan(formatWan(fen))).toBe(fen);
    }));
  });

  it('0.1 + 0.2 is exactly 0.3 (no binary floats)', () => {
    expect(formatWan(parseWan('0.1')! + parseWan('0.2')!)).toBe('0.30');
  });

  it('shares: exactly 15% is within 15%, one fen more is not', () => {
    const total = parseWan('1000.00')!;
    expect(withinShare(parseWan('150.00')!, total, 15n)).toBe(true);
    expect(withinShare(parseWan('150.000001')!, total, 15n)).toBe(false);
    expect(percentage(parseWan('150.00')!, total)).toBe('15.00');
    expect(percentage(parseWan('150.05')!, total)).toBe('15.01');
    expect(percentage(1n, 3n)).toBe('33.33');
    expect(percentage(2n, 3n)).toBe('66.67');
    expect(() => percentage(1n, 0n)).toThrow(RangeError);
  });
});
