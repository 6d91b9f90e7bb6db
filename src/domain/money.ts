// Money (SPEC §2): exact decimals, never binary floats. Amounts are written in 万元 (ten
// thousand yuan) as decimal strings and held as a bigint count of 分 (fen, 0.01 yuan):
// 1 万元 = 1,000,000 分, so every amount to the fen is an integer and sums are exact.

/** An amount of money as an integer number of 分. */
export type Fen = bigint;

export const FEN_PER_WAN = 1_000_000n;

const WAN_PATTERN = /^(-)?(\d{1,13})(?:\.(\d{1,6}))?$/;

/**
 * Parses an amount in 万元 ("1234.56", up to six decimals = to the fen). Returns null for
 * anything else: exponents, commas, blanks, more decimals than a fen.
 */
export function parseWan(text: string): Fen | null {
  const m = WAN_PATTERN.exec(text.trim());
  if (!m) return null;
  const [, sign, whole, frac = ''] = m;
  const fen = BigInt(whole!) * FEN_PER_WAN + BigInt(frac.padEnd(6, '0'));
  return sign ? -fen : fen;
}

/** How many decimals a 万元 string carries (for rules such as "two places"). */
export function wanDecimals(text: string): number {
  return /\.(\d+)$/.exec(text.trim())?.[1]?.length ?? 0;
}

/** The exact 万元 string of an amount, without trailing zeros beyond two places ("12.50", "0.000001"). */
export function formatWan(fen: Fen): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = abs / FEN_PER_WAN;
  let frac = (abs % FEN_PER_WAN).toString().padStart(6, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** A share a/b as an exact percentage with `places` decimals, rounded half up (for display). */
export function percentage(part: Fen, whole: Fen, places = 2): string {
  if (whole === 0n) throw new RangeError('percentage of zero');
  const scale = 10n ** BigInt(places);
  const num = part * 100n * scale;
  let q = num / whole;
  const r = num % whole;
  if (r * 2n >= whole) q += 1n;
  const s = q.toString().padStart(places + 1, '0');
  return places === 0 ? s : `${s.slice(0, -places)}.${s.slice(-places)}`;
}

/** part / whole ≤ limitPercent / 100, exactly (no rounding): the form every threshold rule uses. */
export function withinShare(part: Fen, whole: Fen, limitPercent: bigint): boolean {
  return part * 100n <= whole * limitPercent;
}
