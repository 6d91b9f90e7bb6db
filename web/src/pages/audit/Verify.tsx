import { useState } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, Descriptions, Result, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { FlagOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { Checkpoint, VerifyProblem, VerifyResult } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';

export default function Verify() {
  const t = useT();
  const can = useCan();
  const { message, modal } = App.useApp();
  const { showError } = useApiFeedback();
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [checkpoint, setCheckpoint] = useState<Checkpoint | null>(null);
  const [creating, setCreating] = useState(false);

  const verify = async () => {
    setVerifying(true);
    try {
      setResult(await api.audit.verify());
    } catch (error) {
      showError(error);
    } finally {
      setVerifying(false);
    }
  };

  const createCheckpoint = () => {
    modal.confirm({
      title: t('verify.checkpoint'),
      content: t('verify.checkpoint.confirm'),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setCreating(true);
        try {
          const created = await api.audit.checkpoint();
          setCheckpoint(created);
          void message.success(t('verify.checkpoint.created'));
        } catch (error) {
          showError(error);
        } finally {
          setCreating(false);
        }
      },
    });
  };

  const stats = result && (
    <Row gutter={16} className="verify-stats">
      <Col xs={12} md={8} xl={4}>
        <Statistic title={t('verify.eventsChecked')} value={result.eventsChecked} />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Statistic title={t('verify.chainsChecked')} value={result.chainsChecked} />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Statistic title={t('verify.checkpointsChecked')} value={result.checkpointsChecked} />
      </Col>
      <Col xs={12} md={12} xl={7}>
        <Statistic title={t('verify.lastCheckpointAt')} value={result.lastCheckpointAt ? formatDateTime(result.lastCheckpointAt) : '—'} />
      </Col>
      <Col xs={12} md={12} xl={5}>
        <Statistic title={t('verify.duration')} value={t('verify.durationMs', { ms: result.durationMs })} />
      </Col>
    </Row>
  );

  return (
    <PageContainer
      content={t('verify.desc')}
      extra={[
        result === null ? null : <Button key="verify" type="primary" icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void verify()}>
          {verifying ? t('verify.running') : t('verify.run')}
        </Button>,
        can('audit:checkpoint:create') ? (
          <Button key="checkpoint" icon={<FlagOutlined />} loading={creating} onClick={createCheckpoint}>
            {t('verify.checkpoint')}
          </Button>
        ) : null,
      ]}
    >
      <Space direction="vertical" size={16} className="full-width">
        <Card>
          {!result ? (
            <Result
              icon={<SafetyCertificateOutlined className="verify-idle-icon" />}
              title={t('verify.notRun')}
              subTitle={t('verify.notRun.desc')}
              extra={
                <Button type="primary" size="large" loading={verifying} onClick={() => void verify()}>
                  {t('verify.run')}
                </Button>
              }
            />
          ) : result.status === 'intact' ? (
            <Result status="success" title={t('verify.intact')} subTitle={t('verify.intact.desc')}>
              {stats}
            </Result>
          ) : (
            <Result status="error" title={t('verify.broken')} subTitle={t('verify.broken.desc', { count: result.problems.length })}>
              {stats}
            </Result>
          )}
        </Card>

        {result && result.problems.length > 0 && (
          <Card title={t('verify.problems')}>
            <Table<VerifyProblem & { index: number }>
              rowKey="index"
              size="small"
              bordered
              pagination={result.problems.length > 20 ? { pageSize: 20 } : false}
              dataSource={result.problems.map((problem, index) => ({ ...problem, index }))}
              scroll={{ x: 900 }}
              columns={[
                { title: t('verify.problem.kind'), dataIndex: 'kind', width: 160, render: (kind: string) => <Tag color="red">{kind}</Tag> },
                { title: t('verify.problem.message'), dataIndex: 'message' },
                { title: t('verify.problem.chainId'), dataIndex: 'chainId', width: 140, render: (v?: string) => <span className="mono">{v ?? '—'}</span> },
                { title: t('verify.problem.seq'), dataIndex: 'seq', width: 80, render: (v?: number | string) => v ?? '—' },
                { title: t('verify.problem.eventId'), dataIndex: 'eventId', width: 160, render: (v?: string) => <span className="mono">{v ?? '—'}</span> },
                { title: t('verify.problem.checkpointId'), dataIndex: 'checkpointId', width: 160, render: (v?: string) => <span className="mono">{v ?? '—'}</span> },
              ]}
            />
          </Card>
        )}

        {checkpoint && (
          <Card title={t('verify.checkpoint.last')}>
            <Descriptions bordered column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} size="small">
              <Descriptions.Item label={t('verify.checkpoint.id')}>
                <Typography.Text copyable={!!checkpoint.id} className="mono">
                  {checkpoint.id ?? '—'}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.checkpoint.createdAt')}>{formatDateTime(checkpoint.createdAt) || '—'}</Descriptions.Item>
              {checkpoint.chainCount !== undefined && (
                <Descriptions.Item label={t('verify.checkpoint.chainCount')}>{checkpoint.chainCount}</Descriptions.Item>
              )}
              <Descriptions.Item label={t('verify.checkpoint.eventCount')}>{checkpoint.eventCount ?? checkpoint.entryCount ?? '—'}</Descriptions.Item>
            </Descriptions>
          </Card>
        )}
      </Space>
    </PageContainer>
  );
}
