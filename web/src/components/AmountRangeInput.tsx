import { Input, Space } from 'antd';
import { useT } from '../i18n';
import { normalizeAmountInput } from '../utils/money';

/** [minimum, maximum] in 万元 as decimal strings; either end may be left open. */
export type AmountRange = [string | undefined, string | undefined];

/** Two 万元 inputs side by side, for a search form (the value stays text, never a number). */
export default function AmountRangeInput({ value, onChange }: { value?: AmountRange; onChange?: (value: AmountRange) => void }) {
  const t = useT();
  const [min, max] = value ?? [undefined, undefined];
  const set = (index: 0 | 1, text: string) => {
    const next: AmountRange = [min, max];
    next[index] = normalizeAmountInput(text) || undefined;
    onChange?.(next);
  };
  return (
    <Space.Compact className="full-width amount-range">
      <Input
        value={min ?? ''}
        onChange={(event) => set(0, event.target.value)}
        placeholder={t('project.filter.minInvestment')}
        inputMode="decimal"
        allowClear
        aria-label={t('project.filter.minInvestment')}
      />
      <Input className="amount-range-separator" placeholder="~" disabled tabIndex={-1} />
      <Input
        value={max ?? ''}
        onChange={(event) => set(1, event.target.value)}
        placeholder={t('project.filter.maxInvestment')}
        inputMode="decimal"
        allowClear
        aria-label={t('project.filter.maxInvestment')}
      />
    </Space.Compact>
  );
}
