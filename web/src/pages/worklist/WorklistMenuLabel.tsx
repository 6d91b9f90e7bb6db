import type { ReactNode } from 'react';
import { Badge } from 'antd';
import { useFrameCounts } from '../notifications/counts';

/** The 我的待办 menu entry with the number of items waiting (hidden at zero or when unknown). */
export default function WorklistMenuLabel({ children }: { children: ReactNode }) {
  const { worklist } = useFrameCounts();
  return (
    <span className="menu-item-with-badge">
      {children}
      {worklist ? <Badge count={worklist} size="small" overflowCount={99} className="menu-item-badge" /> : null}
    </span>
  );
}
