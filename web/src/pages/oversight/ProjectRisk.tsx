// 风险评级 of one project (SPEC §8): the planned / projected / actual triple of its end date and cost,
// the schedule and cost variance against the baseline in force and against the original one (a
// re-baseline cannot hide variance, I-73), the band with every reason, the re-baselines and the
// history of ratings with their dates and narratives. The construction unit records a projection;
// the approval department re-baselines.
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, Modal, Row, Space, Spin, Table, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useApiFeedback } from '../../api/feedback';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT } from '../../i18n';
import { oversightApi, type ProjectRisk as Risk, type RiskReason } from './oversightApi';
import { BandTag } from './RiskUi';
import './oversight.css';

function Reasons({ reasons }: { reasons: RiskReason[] }) {
  const { locale } = useLocale();
  return <ul className="oversight-reasons">{reasons.map((r, i) => <li key={i}>{locale === 'zh-CN' ? r.zh : r.en}</li>)}</ul>;
}

const signed = (v: string) => (v.startsWith('-') || v === '0.00' ? `${v}%` : `+${v}%`);

export default function ProjectRisk() {
  const { id = '' } = useParams();
  const t = useT();
  const can = useCan();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [risk, setRisk] = useState<Risk | null>(null);
  const [dialog, setDialog] = useState<'assess' | 'rebaseline' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm();

  const load = useCallback(() => {
    oversightApi.risk(id).then(setRisk).catch(showError);
  }, [id, showError]);
  useEffect(load, [load]);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const date = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD');
      if (dialog === 'assess') await oversightApi.assess(id, { projectedEnd: date(v.projectedEnd), projectedCost: String(v.projectedCost).trim(), narrative: v.narrative });
      else await oversightApi.rebaseline(id, { plannedStart: date(v.plannedStart), plannedEnd: date(v.plannedEnd), plannedCost: String(v.plannedCost).trim(), reason: v.reason });
      void message.success(t('oversight.risk.saved'));
      setDialog(null);
      form.resetFields();
      load();
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };

  if (!risk) return <PageContainer title={t('oversight.risk.title')}><Spin /></PageContainer>;
  const r = risk.rating;
  const triples = [
    { key: 'end', what: t('oversight.risk.end'), planned: risk.planned.plannedEnd, original: risk.original.plannedEnd, projected: risk.projected?.end ?? '—', actual: risk.actual.end ?? '—', variance: signed(r.scheduleVariance), originalVariance: signed(r.originalScheduleVariance) },
    { key: 'cost', what: t('oversight.risk.cost'), planned: risk.planned.plannedCost, original: risk.original.plannedCost, projected: risk.projected?.cost ?? '—', actual: risk.actual.cost, variance: signed(r.costVariance), originalVariance: signed(r.originalCostVariance) },
  ];
  return (
    <PageContainer
      title={t('oversight.risk.title')}
      subTitle={<Link to={`/projects/${risk.projectId}`}>{risk.projectName}</Link>}
      onBack={() => window.history.back()}
      extra={risk.rated ? [
        can('construction:record') && <Button key="a" type="primary" onClick={() => setDialog('assess')}>{t('oversight.risk.assess')}</Button>,
        can('construction:order') && <Button key="b" onClick={() => setDialog('rebaseline')}>{t('oversight.risk.rebaseline')}</Button>,
      ].filter(Boolean) : []}
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {!risk.rated && <Alert type="info" showIcon message={t('oversight.risk.notRated')} />}
        <Card title={<Space>{t('oversight.risk.rating')}<BandTag band={r.band} /></Space>} className="oversight-risk-rating">
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={14}>
              <Table
                size="small" pagination={false} rowKey="key" className="oversight-triples" scroll={{ x: 640 }} dataSource={triples}
                columns={[
                  { title: '', dataIndex: 'what', width: 80 },
                  { title: risk.planned.rebaselined ? t('oversight.risk.plannedRebaselined') : t('oversight.risk.planned'), dataIndex: 'planned' },
                  { title: t('oversight.risk.projected'), dataIndex: 'projected' },
                  { title: t('oversight.risk.actual'), dataIndex: 'actual' },
                  { title: t('oversight.risk.variance'), dataIndex: 'variance' },
                  ...(risk.planned.rebaselined ? [
                    { title: t('oversight.risk.original'), dataIndex: 'original' },
                    { title: t('oversight.risk.originalVariance'), dataIndex: 'originalVariance' },
                  ] : []),
                ]}
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {t('oversight.risk.thresholds', { amber: risk.thresholds['risk.amberPercent'] ?? '', red: risk.thresholds['risk.redPercent'] ?? '' })}
              </Typography.Paragraph>
            </Col>
            <Col xs={24} lg={10}>
              <Typography.Text strong>{t('oversight.risk.reasons')}</Typography.Text>
              <Reasons reasons={r.reasons} />
              <Typography.Paragraph type="secondary">
                {t('oversight.risk.counts', { overdue: risk.overdueObligations, open: risk.openRectifications })}
              </Typography.Paragraph>
            </Col>
          </Row>
        </Card>
        {risk.baselines.length > 0 && (
          <Card title={t('oversight.risk.baselines')} className="oversight-risk-baselines">
            <Table size="small" rowKey="id" pagination={false} dataSource={risk.baselines} scroll={{ x: 640 }}
              columns={[
                { title: t('oversight.risk.recordedAt'), dataIndex: 'recordedAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD'), width: 110 },
                { title: t('oversight.risk.planned'), key: 'p', render: (_, b) => `${b.plannedStart} ~ ${b.plannedEnd}，${b.plannedCost} ${t('oversight.wan')}` },
                { title: t('oversight.risk.reason'), dataIndex: 'reason' },
                { title: t('oversight.risk.by'), dataIndex: 'recordedByName', width: 90 },
              ]} />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t('oversight.risk.originalNote', { start: risk.original.plannedStart, end: risk.original.plannedEnd, cost: risk.original.plannedCost })}
            </Typography.Paragraph>
          </Card>
        )}
        <Card title={t('oversight.risk.history')} className="oversight-risk-history">
          {risk.history.length === 0 ? <Empty description={t('oversight.risk.noHistory')} /> : (
            <Timeline items={risk.history.map((h) => ({
              color: h.band === 'green' ? 'green' : h.band === 'amber' ? 'orange' : 'red',
              children: (
                <div>
                  <Space wrap><strong>{h.assessedOn}</strong><BandTag band={h.band} />{h.rebaselined && <Typography.Text type="secondary">{t('oversight.risk.afterRebaseline')}</Typography.Text>}<Typography.Text type="secondary">{h.recordedByName}</Typography.Text></Space>
                  <div>{h.narrative}</div>
                  <Typography.Text type="secondary" className="small">
                    {t('oversight.risk.historyLine', { end: h.projectedEnd, cost: h.projectedCost, sv: signed(h.scheduleVariance), cv: signed(h.costVariance), osv: signed(h.originalScheduleVariance), ocv: signed(h.originalCostVariance) })}
                  </Typography.Text>
                </div>
              ),
            }))} />
          )}
        </Card>
      </Space>
      <Modal
        open={dialog !== null} title={dialog === 'assess' ? t('oversight.risk.assess') : t('oversight.risk.rebaseline')}
        onCancel={() => setDialog(null)} onOk={() => void submit()} confirmLoading={saving} destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {dialog === 'assess' ? (
            <>
              <Form.Item name="projectedEnd" label={t('oversight.risk.projectedEnd')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
              <Form.Item name="projectedCost" label={t('oversight.risk.projectedCost')} rules={[{ required: true, pattern: /^\d{1,13}(\.\d{1,2})?$/ }]}><Input suffix={t('oversight.wan')} /></Form.Item>
              <Form.Item name="narrative" label={t('oversight.risk.narrative')} rules={[{ required: true, max: 4000 }]}><Input.TextArea rows={3} /></Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="plannedStart" label={t('oversight.risk.plannedStart')} rules={[{ required: true }]} initialValue={dayjs(risk.planned.plannedStart)}><DatePicker style={{ width: '100%' }} /></Form.Item>
              <Form.Item name="plannedEnd" label={t('oversight.risk.plannedEnd')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
              <Form.Item name="plannedCost" label={t('oversight.risk.plannedCost')} rules={[{ required: true, pattern: /^\d{1,13}(\.\d{1,2})?$/ }]}><Input suffix={t('oversight.wan')} /></Form.Item>
              <Form.Item name="reason" label={t('oversight.risk.reason')} rules={[{ required: true, max: 2000 }]}><Input.TextArea rows={3} /></Form.Item>
              <Alert type="warning" showIcon message={t('oversight.risk.rebaselineNote')} />
            </>
          )}
        </Form>
      </Modal>
    </PageContainer>
  );
}
