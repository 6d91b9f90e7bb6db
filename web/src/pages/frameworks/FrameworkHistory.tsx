// 办理记录 of a framework plan (第十条): every status action in order — 联合报送, 撤回, NDRC's 确定 and
// 退回 — with its reasons and, for NDRC's decisions, the SM2 signature over the whole plan as
// decided on: the server's verdict, a button to verify it again, and the signed canonical JSON,
// public key and signature for anyone who wants to check it elsewhere.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Collapse, Descriptions, Empty, Grid, Space, Spin, Tag, Timeline, Tooltip, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, ReloadOutlined, SafetyCertificateOutlined, WarningOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useLocale, useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { frameworksApi, type Framework, type FrameworkAction, type FrameworkActionRecord } from './frameworksApi';

const COLORS: Record<FrameworkAction, string> = { submit: 'blue', withdraw: 'orange', confirm: 'green', return: 'red' };

function Details({ record }: { record: FrameworkActionRecord }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const pretty = useMemo(() => {
    try {
      return JSON.stringify(JSON.parse(record.payload), null, 2);
    } catch {
      return record.payload;
    }
  }, [record.payload]);
  return (
    <Descriptions size="small" bordered column={1} layout={screens.md ? 'horizontal' : 'vertical'} className="signature-descriptions">
      <Descriptions.Item label={record.signature ? t('approval.history.payload') : t('approval.history.record')}>
        <Typography.Paragraph className="signature-payload" copyable={{ text: record.payload, tooltips: [t('approval.history.copyPayload'), t('common.copied')] }}>
          <pre className="signature-pre">{pretty}</pre>
        </Typography.Paragraph>
        {record.signature && <Typography.Text type="secondary" className="small">{t('approval.history.payloadNote')}</Typography.Text>}
      </Descriptions.Item>
      {record.publicKey && (
        <Descriptions.Item label={t('approval.history.publicKey')}>
          <Typography.Text className="mono small break-all" copyable>
            {record.publicKey}
          </Typography.Text>
        </Descriptions.Item>
      )}
      {record.signature && (
        <Descriptions.Item label={t('approval.history.signature')}>
          <Typography.Text className="mono small break-all" copyable>
            {record.signature}
          </Typography.Text>
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

export default function FrameworkHistory({ framework }: { framework: Framework }) {
  const t = useT();
  const { locale, tx } = useLocale();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [items, setItems] = useState<FrameworkActionRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [rechecks, setRechecks] = useState<Record<string, { valid: boolean; at: Date }>>({});
  const [checking, setChecking] = useState<string | null>(null);
  const local = (text: { zh: string; en: string }) => (locale === 'zh-CN' ? text.zh : text.en);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await frameworksApi.history(framework.id)).items);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [framework.id, showError]);

  useEffect(() => {
    void load();
  }, [load, framework.version]);

  const recheck = async (record: FrameworkActionRecord) => {
    if (!record.signature || !record.publicKey) return;
    setChecking(record.id);
    try {
      const { valid } = await api.lifecycle.verifySignature({ payload: record.payload, signature: record.signature, publicKey: record.publicKey });
      setRechecks((current) => ({ ...current, [record.id]: { valid, at: new Date() } }));
      if (valid) void message.success(t('approval.signature.recheck.ok'));
      else void message.error(t('approval.signature.recheck.failed'));
    } catch (error) {
      showError(error);
    } finally {
      setChecking(null);
    }
  };

  const signed = items.filter((item) => item.signature !== null);
  const invalid = signed.filter((item) => item.signatureValid === false).length;

  return (
    <Card
      size="small"
      className="detail-card history-card"
      title={t('framework.tab.history')}
      extra={
        <Tooltip title={t('common.refresh')}>
          <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('common.refresh')} />
        </Tooltip>
      }
    >
      {signed.length > 0 && (
        <Typography.Paragraph type={invalid > 0 ? 'danger' : 'secondary'} className="small history-summary">
          {invalid > 0
            ? t('approval.history.summary.invalid', { count: items.length, signed: signed.length, invalid })
            : t('approval.history.summary', { count: items.length, signed: signed.length })}
        </Typography.Paragraph>
      )}
      {loading && items.length === 0 ? (
        <div className="history-loading">
          <Spin />
        </div>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('framework.history.empty')} />
      ) : (
        <Timeline
          className="history-timeline"
          items={items.map((record) => {
            const again = rechecks[record.id];
            return {
              key: record.id,
              color: COLORS[record.action],
              children: (
                <div className="history-item" data-action={record.action}>
                  <div className="history-head">
                    <Tag color={COLORS[record.action]} className="history-action">
                      {local(record.actionName)}
                    </Tag>
                    <span className="history-states">
                      {tx(`framework.status.${record.from}`, record.from)} → {tx(`framework.status.${record.to}`, record.to)}
                    </span>
                  </div>
                  <Typography.Text type="secondary" className="small history-meta">
                    {record.actorName} · {tx(`approval.role.${record.role}`, record.role)} · {formatDateTime(record.createdAt)}
                  </Typography.Text>
                  {record.reasons && (
                    <div className="history-opinion">
                      <Typography.Text type="secondary">
                        {record.action === 'return' ? t('framework.decision.reasons.return') : t('framework.history.reasons')}
                        {t('common.colon')}
                      </Typography.Text>
                      <span className="pre-wrap">{record.reasons}</span>
                    </div>
                  )}
                  <Space wrap size={[8, 4]} className="history-signature">
                    {record.signatureValid === true && (
                      <Tag icon={<SafetyCertificateOutlined />} color="success" className="signature-tag">
                        {t('approval.signature.valid')}
                      </Tag>
                    )}
                    {record.signatureValid === false && (
                      <Tag icon={<WarningOutlined />} color="error" className="signature-tag">
                        {t('approval.signature.invalid')}
                      </Tag>
                    )}
                    {record.signature && (
                      <Tooltip title={t('approval.signature.recheck.help')}>
                        <Button size="small" loading={checking === record.id} onClick={() => void recheck(record)}>
                          {t('approval.signature.recheck')}
                        </Button>
                      </Tooltip>
                    )}
                    {again && (
                      <Typography.Text type={again.valid ? 'success' : 'danger'} className="small signature-recheck">
                        {again.valid ? <CheckCircleOutlined /> : <CloseCircleOutlined />}{' '}
                        {t(again.valid ? 'approval.signature.recheck.valid' : 'approval.signature.recheck.invalid', {
                          time: formatDateTime(again.at.toISOString()),
                        })}
                      </Typography.Text>
                    )}
                  </Space>
                  <Collapse
                    ghost
                    size="small"
                    className="signature-collapse"
                    items={[
                      {
                        key: 'details',
                        label: record.signature ? t('approval.history.details') : t('approval.history.recordDetails'),
                        children: <Details record={record} />,
                      },
                    ]}
                  />
                </div>
              ),
            };
          })}
        />
      )}
    </Card>
  );
}
