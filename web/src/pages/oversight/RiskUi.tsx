// The risk band as a coloured tag (SPEC §8): 绿色 / 黄色 / 红色.
import { Tag } from 'antd';
import { useT } from '../../i18n';

const COLOR: Record<string, string> = { green: 'success', amber: 'warning', red: 'error' };

export function BandTag({ band }: { band: 'green' | 'amber' | 'red' | string }) {
  const t = useT();
  const key = band === 'green' ? 'oversight.band.green' : band === 'amber' ? 'oversight.band.amber' : 'oversight.band.red';
  return <Tag color={COLOR[band] ?? 'default'} className={`risk-band risk-band-${band}`}>{t(key)}</Tag>;
}
