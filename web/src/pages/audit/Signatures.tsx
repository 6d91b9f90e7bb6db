// 第三十一条: every signed decision on the platform (lifecycle decisions, 孤网 exceptions, framework
// plans, investment, construction orders, acceptance…), its SM2 signature verified by the server on
// this request against the stored text and the signer's registered key: who signed what, and when.
import { useRef, useState } from 'react';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Badge, Button, Descriptions, Drawer, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { SIGNED_KINDS, type SignatureVerdict, type SignedKind, type SignedRecord, type SignedRecordQuery } from '../../api/types';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { formatDateTime } from '../../utils/format';

const VERDICT_STATUS: Record<SignatureVerdict, 'success' | 'error' | 'warning'> = {
  valid: 'success', invalid: 'error', key_mismatch: 'error', signer_unknown: 'warning',
};

function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

interface SearchParams { kind?: SignedKind; objectId?: string; signer?: string; from?: string; to?: string }

export default function Signatures() {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const lastQuery = useRef<SignedRecordQuery>({});
  const [exporting, setExporting] = useState(false);
  const [open, setOpen] = useState<SignedRecord | null>(null);
  const [detail, setDetail] = useState<(SignedRecord & { payload: string }) | null>(null);

  const verdict = (v: SignatureVerdict) => <Badge status={VERDICT_STATUS[v]} text={t(`signatures.verdict.${v}` as MessageKey)} />;
  const kindLabel = (k: SignedKind) => t(`signatures.kind.${k}` as MessageKey);

  const show = async (record: SignedRecord) => {
    setOpen(record);
    setDetail(null);
    try {
      setDetail(await api.audit.signedRecord(record.kind, record.id));
    } catch (error) {
      showError(error);
    }
  };

  const columns: ProColumns<SignedRecord>[] = [
    {
      title: t('signatures.kind'), dataIndex: 'kind', valueType: 'select', width: 190,
      valueEnum: Object.fromEntries(SIGNED_KINDS.map((k) => [k, { text: kindLabel(k) }])),
      render: (_, r) => <Tag bordered={false}>{kindLabel(r.kind)}</Tag>,
    },
    { title: t('signatures.action'), dataIndex: 'action', search: false, width: 110, render: (_, r) => <span className="mono">{r.action}</span> },
    {
      title: t('signatures.object'), dataIndex: 'objectId', width: 220, ellipsis: true, fieldProps: { placeholder: t('signatures.object.placeholder') },
      render: (_, r) => (
        <Tooltip title={r.objectId}>
          <span>{r.objectLabel ?? <span className="mono small">{r.objectId.slice(0, 12)}</span>}</span>
        </Tooltip>
      ),
    },
    {
      title: t('signatures.signer'), dataIndex: 'signer', width: 170, fieldProps: { placeholder: t('audit.actor.placeholder') },
      render: (_, r) => (
        <Space size={4} wrap>
          <span>{r.signer.displayName ?? '—'}</span>
          {r.signer.username && <Typography.Text type="secondary">{r.signer.username}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('signatures.signedAt'), dataIndex: 'signedAt', search: false, width: 170, render: (_, r) => <span className="nowrap">{formatDateTime(r.signedAt)}</span> },
    {
      title: t('audit.dateRange'), dataIndex: 'dateRange', valueType: 'dateRange', hideInTable: true,
      search: { transform: (value: [string, string]) => ({ from: value?.[0], to: value?.[1] }) },
    },
    { title: t('signatures.verdict'), dataIndex: 'verdict', search: false, width: 150, render: (_, r) => <span data-testid={`verdict-${r.id}`}>{verdict(r.verdict)}</span> },
    {
      title: t('common.actions'), valueType: 'option', width: 90, fixed: 'right',
      render: (_, r) => <a onClick={() => void show(r)}><SafetyCertificateOutlined /> {t('signatures.verify')}</a>,
    },
  ];

  const exportAll = async () => {
    setExporting(true);
    try {
      await api.audit.exportSignedRecords(lastQuery.current);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <PageContainer content={t('signatures.intro')}>
      <ProTable<SignedRecord, SearchParams>
        rowKey={(r) => `${r.kind}:${r.id}`}
        columns={columns}
        headerTitle={t('signatures.title')}
        scroll={{ x: 1200 }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        dateFormatter="string"
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        request={async (params) => {
          const query: SignedRecordQuery = {
            kind: params.kind || undefined, objectId: params.objectId?.trim() || undefined, signer: params.signer?.trim() || undefined,
            from: params.from || undefined, to: params.to || undefined,
          };
          lastQuery.current = query;
          try {
            const result = await api.audit.signedRecords({ ...query, page: params.current ?? 1, pageSize: params.pageSize ?? 20 });
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          <Button key="export" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportAll()}>
            {exporting ? t('common.exporting') : t('common.export')}
          </Button>,
        ]}
      />
      <Drawer open={open !== null} onClose={() => setOpen(null)} title={t('signatures.detail')} width={760}>
        {open && !detail && <Spin />}
        {detail && (
          <Space direction="vertical" size={16} className="full-width">
            <Alert
              type={detail.verdict === 'valid' ? 'success' : 'error'} showIcon data-testid="signature-verdict"
              message={t(`signatures.verdict.${detail.verdict}` as MessageKey)}
              description={t('signatures.verdict.detail', {
                who: `${detail.signer.displayName ?? '—'} (${detail.signer.username ?? '—'})`, when: formatDateTime(detail.signedAt), what: kindLabel(detail.kind),
              })}
            />
            <Descriptions bordered column={1} size="small">
              <Descriptions.Item label={t('signatures.kind')}>{kindLabel(detail.kind)}</Descriptions.Item>
              <Descriptions.Item label={t('signatures.action')}><span className="mono">{detail.action}</span></Descriptions.Item>
              <Descriptions.Item label={t('signatures.object')}>{detail.objectLabel ?? '—'} <Typography.Text className="mono small" copyable>{detail.objectId}</Typography.Text></Descriptions.Item>
              <Descriptions.Item label={t('signatures.withSignerKey')}>{detail.validWithSignerKey ? t('common.yes') : t('common.no')}</Descriptions.Item>
              <Descriptions.Item label={t('signatures.withStoredKey')}>
                {detail.validWithStoredKey === null ? t('signatures.noStoredKey') : detail.validWithStoredKey ? t('common.yes') : t('common.no')}
              </Descriptions.Item>
              <Descriptions.Item label={t('signatures.payloadSm3')}><Typography.Text className="mono small" copyable>{detail.payloadSm3}</Typography.Text></Descriptions.Item>
              <Descriptions.Item label={t('signatures.signature')}><Typography.Text className="mono small" copyable style={{ wordBreak: 'break-all' }}>{detail.signature}</Typography.Text></Descriptions.Item>
              <Descriptions.Item label={t('signatures.signerKey')}><Typography.Text className="mono small" copyable style={{ wordBreak: 'break-all' }}>{detail.signerPublicKey ?? '—'}</Typography.Text></Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5}>{t('signatures.payload')}</Typography.Title>
            <pre className="mono small" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 420, overflow: 'auto', background: 'rgba(0,0,0,0.03)', padding: 12 }}>{pretty(detail.payload)}</pre>
          </Space>
        )}
      </Drawer>
    </PageContainer>
  );
}
