import { Empty, Table, Typography } from 'antd';
import { useT } from '../i18n';
import type { AuditEvent } from '../api/types';

interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  hasBefore: boolean;
  hasAfter: boolean;
  changed: boolean;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function Value({ value, present }: { value: unknown; present: boolean }) {
  if (!present) return <Typography.Text type="secondary">—</Typography.Text>;
  if (value === null) return <Typography.Text type="secondary" italic>null</Typography.Text>;
  if (typeof value === 'object') return <pre className="diff-json">{JSON.stringify(value, null, 2)}</pre>;
  return <span className="diff-value">{String(value)}</span>;
}

/** The before/after of an audit event as a field-by-field two-column table. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export default function DiffTable({ diff }: { diff: AuditEvent['diff'] }) {
  const t = useT();
  // The server sends {before?, after?}; anything else is shown verbatim rather than lost.
  if (diff !== null && diff !== undefined && (!isRecord(diff) || (!('before' in diff) && !('after' in diff)))) {
    return <pre className="diff-json">{JSON.stringify(diff, null, 2)}</pre>;
  }
  const before = isRecord(diff?.before) ? diff.before : {};
  const after = isRecord(diff?.after) ? diff.after : {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (!diff || fields.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.diff.none')} />;

  const rows: DiffRow[] = fields.map((field) => {
    const hasBefore = Object.prototype.hasOwnProperty.call(before, field);
    const hasAfter = Object.prototype.hasOwnProperty.call(after, field);
    return {
      field,
      before: before[field],
      after: after[field],
      hasBefore,
      hasAfter,
      changed: hasBefore !== hasAfter || !same(before[field], after[field]),
    };
  });

  return (
    <Table<DiffRow>
      className="diff-table"
      rowKey="field"
      size="small"
      bordered
      pagination={false}
      dataSource={rows}
      rowClassName={(row) => (row.changed ? 'diff-row-changed' : '')}
      columns={[
        { title: t('audit.diff.field'), dataIndex: 'field', width: 180, render: (field: string) => <span className="mono">{field}</span> },
        { title: t('audit.diff.before'), key: 'before', render: (_, row) => <Value value={row.before} present={row.hasBefore} /> },
        { title: t('audit.diff.after'), key: 'after', render: (_, row) => <Value value={row.after} present={row.hasAfter} /> },
      ]}
    />
  );
}
