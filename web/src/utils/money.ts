// 万元 amounts travel as decimal strings (the server keeps them exact). The UI never turns
// them into JS numbers: formatting is string manipulation only.

/** 万元 with at most two decimals, as the server accepts them (SPEC §2). */
export const WAN_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;

/** A decimal value (indicator baselines and targets), as the server accepts it. */
export const DECIMAL_PATTERN = /^-?\d{1,15}(\.\d{1,6})?$/;

/** Drops grouping separators and spaces a user may type or paste ("1,234.50" → "1234.50"). */
export function normalizeAmountInput(value: unknown): string {
  return typeof value === 'string' ? value.replace(/[\s,，]/g, '') : '';
}

/** "12580.50" → "12,580.50"; anything that is not a plain decimal is returned unchanged. */
export function groupThousands(amount: string | null | undefined): string {
  if (amount === null || amount === undefined) return '';
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(amount.trim());
  if (!match) return amount;
  const [, sign = '', whole = '', fraction = ''] = match;
  const trimmed = whole.replace(/^0+(?=\d)/, '');
  return `${sign}${trimmed.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}
