import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isProjectCodeShape } from './identifiers.ts';
import { hasPlatformCheckDigit, issueProjectCode, luhnCheckDigit } from './project-code.ts';

describe('项目代码 (GB/T 40058 shape)', () => {
  it('uses the Shanghai calendar month: 2026-11-30 20:00 UTC is already December there', () => {
    const code = issueProjectCode({ issuedAt: new Date('2026-11-30T20:00:00Z'), divisionCode: '320100', track: 'approval', random5: '48392' });
    expect(code.startsWith('2612-320100-00-01-48392')).toBe(true);
    expect(isProjectCodeShape(code)).toBe(true);
  });

  it('central organs get 000000, the filing track 03', () => {
    const code = issueProjectCode({ issuedAt: new Date('2026-01-15T00:00:00Z'), divisionCode: null, track: 'filing', random5: '00001' });
    expect(code.slice(0, 19)).toBe('2601-000000-00-03-0');
  });

  it('the Luhn digit matches known values', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(luhnCheckDigit('0')).toBe('0');
  });

  it('property: every issued code has the shape and a valid check digit; any one-digit change is caught', () => {
    fc.assert(fc.property(
      fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
      fc.stringMatching(/^\d{5}$/), fc.option(fc.stringMatching(/^\d{6}$/)), fc.constantFrom('approval', 'filing' as const),
      fc.nat(20), fc.integer({ min: 1, max: 9 }),
      (issuedAt, random5, divisionCode, track, position, delta) => {
        const code = issueProjectCode({ issuedAt, random5, divisionCode, track });
        expect(isProjectCodeShape(code)).toBe(true);
        expect(hasPlatformCheckDigit(code)).toBe(true);
        const digitIndexes = [...code].flatMap((c, i) => (c === '-' ? [] : [i]));
        const at = digitIndexes[position % digitIndexes.length]!;
        const changed = code.slice(0, at) + String((Number(code[at]) + delta) % 10) + code.slice(at + 1);
        expect(hasPlatformCheckDigit(changed)).toBe(false);
      },
    ));
  });

  it('refuses a malformed shape', () => {
    expect(hasPlatformCheckDigit('2509-320193-89-01-54406')).toBe(false);
    expect(() => issueProjectCode({ issuedAt: new Date(), divisionCode: '32', track: 'approval', random5: '12345' })).toThrow(RangeError);
  });
});
