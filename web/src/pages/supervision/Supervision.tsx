// 第三十条 监督检查与整改 and 第三十三条 责任追究: the rectification orders the caller can see (the
// issuer's escalation-due ones first to hand), each with its finding, the unit's answers and the
// issuer's verification, and the escalation panel: the ladder in force, the steps taken, the next
// allowed step and the signed decision that takes it (fresh TOTP code); the documents (整改通知,
// 通报/决定) as .docx or PDF; the accountability records. Lists export to .xlsx.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Modal, Segmented, Space, Steps, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, LockOutlined } from '@ant-design/icons';
import { useApiFeedback } from '../../api/feedback';
import { useT, useLocale, type MessageKey } from '../../i18n';
import { supervisionApi, type Accountability, type Rectification, type RectificationDetail, type Step } from './supervisionApi';

const STATUS_COLOR: Record<string, string> = { open: 'blue', answered: 'gold', passed: 'green', failed: 'red' };

function StatusTag({ r }: { r: Rectification }) {
  const t = useT();
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLOR[r.status]}>{t(`supervision.status.${r.status}` as MessageKey)}</Tag>
      {r.escalationDue && <Tag color="red" data-testid="escalation-due">{t(`supervision.due.${r.escalationDue}` as MessageKey)}</Tag>}
      {r.escalationStep && <Tag color="volcano">{t(`supervision.step.${r.escalationStep}` as MessageKey)}</Tag>}
    </Space>
  );
}

function DecisionModal({ order, mode, step, onClose, onDone }: {
  order: RectificationDetail; mode: 'escalations' | 'lifts'; step: Step; onClose: () => void; onDone: (d: RectificationDetail) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string; totp: string }>();
  const { showError } = useApiFeedback();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      onDone(await supervisionApi.escalate(order.id, mode, { step, reason: values.reason, totp: values.totp }));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t(mode === 'lifts' ? 'supervision.lift.title' : 'supervision.escalate.title', { step: t(`supervision.step.${step}` as MessageKey) })}
      onCancel={onClose} onOk={submit} confirmLoading={busy} okText={t('supervision.sign')} destroyOnHidden>
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t(`supervision.effect.${step}` as MessageKey)} />
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t('supervision.reason')} rules={[{ required: true, whitespace: true, message: t('supervision.reason') }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="totp" label={<span><LockOutlined /> {t('approval.totp')}</span>} rules={[{ required: true, pattern: /^\d{6}$/, message: t('approval.totp') }]}>
          <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Detail({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [order, setOrder] = useState<RectificationDetail | null>(null);
  const [text, setText] = useState('');
  const [modal, setModal] = useState<{ mode: 'escalations' | 'lifts'; step: Step } | null>(null);
  useEffect(() => { supervisionApi.get(id).then(setOrder, showError); }, [id, showError]);
  const update = (d: RectificationDetail) => { setOrder(d); setText(''); onChanged(); void message.success(t('supervision.saved')); };
  const run = async (fn: () => Promise<RectificationDetail>) => { try { update(await fn()); } catch (error) { showError(error); } };
  if (!order) return <Drawer open onClose={onClose} loading width={720} />;
  const name = (x: { zh: string; en: string }) => (locale === 'en-US' ? x.en : x.zh);
  const current = order.ladder.filter((s) => order.taken.includes(s)).length;
  return (
    <Drawer open onClose={onClose} width={760} title={`${order.title}（${order.subjectName}）`} data-testid="rectification-detail">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('supervision.category')}>{name(order.categoryName)}</Descriptions.Item>
        <Descriptions.Item label={t('supervision.subject')}>
          {order.projectId ? <Link to={`/projects/${order.projectId}`}>{order.subjectName}</Link> : order.subjectName}{order.projectCode ? `（${order.projectCode}）` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('supervision.unit')}>{order.unitName}</Descriptions.Item>
        <Descriptions.Item label={t('supervision.issuer')}>{order.issuerName}（{order.issuedBy}，{order.foundOn}）</Descriptions.Item>
        <Descriptions.Item label={t('supervision.description')}>{order.description}</Descriptions.Item>
        <Descriptions.Item label={t('supervision.requirements')}><span style={{ whiteSpace: 'pre-wrap' }}>{order.requirements}</span></Descriptions.Item>
        <Descriptions.Item label={t('supervision.dueOn')}>{order.dueOn}</Descriptions.Item>
        <Descriptions.Item label={t('supervision.statusLabel')}><StatusTag r={order} /></Descriptions.Item>
      </Descriptions>
      <Space style={{ margin: '12px 0' }} wrap>
        <Button icon={<DownloadOutlined />} onClick={() => supervisionApi.notice(order.id, 'docx').catch(showError)}>{t('supervision.notice')} .docx</Button>
        <Button icon={<DownloadOutlined />} onClick={() => supervisionApi.notice(order.id, 'pdf').catch(showError)}>{t('supervision.notice')} PDF</Button>
      </Space>

      <Typography.Title level={5}>{t('supervision.answers')}</Typography.Title>
      {order.answers.length === 0 && <Typography.Paragraph type="secondary">{t('supervision.noAnswer')}</Typography.Paragraph>}
      {order.answers.map((a) => (
        <Alert key={a.id} style={{ marginBottom: 8 }} type={a.result === 'passed' ? 'success' : a.result === 'failed' ? 'error' : 'info'}
          message={`${a.answeredBy} ${a.answeredAt.slice(0, 10)}：${a.evidence}`}
          description={a.result ? `${t(`supervision.result.${a.result}` as MessageKey)}（${a.verifiedBy}）：${a.opinion ?? ''}` : t('supervision.awaitingVerification')} />
      ))}
      {(order.can.answer || order.can.verify) && (
        <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
          <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} rows={2} placeholder={t(order.can.answer ? 'supervision.answer.placeholder' : 'supervision.verify.placeholder')} />
        </Space.Compact>
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        {order.can.answer && <Button type="primary" disabled={!text.trim()} onClick={() => run(() => supervisionApi.answer(order.id, text))}>{t('supervision.answer')}</Button>}
        {order.can.verify && <Button type="primary" disabled={!text.trim()} onClick={() => run(() => supervisionApi.verify(order.id, 'passed', text))}>{t('supervision.verify.passed')}</Button>}
        {order.can.verify && <Button danger disabled={!text.trim()} onClick={() => run(() => supervisionApi.verify(order.id, 'failed', text))}>{t('supervision.verify.failed')}</Button>}
      </Space>

      <Typography.Title level={5}>{t('supervision.ladder')}</Typography.Title>
      <Steps size="small" current={current} data-testid="escalation-ladder" responsive
        items={order.ladder.map((s) => ({
          title: t(`supervision.step.${s}` as MessageKey),
          status: order.taken.includes(s) ? 'finish' : s === order.nextStep ? 'process' : 'wait',
          description: order.standing.includes(s) ? t('supervision.standing') : undefined,
        }))} />
      <div style={{ margin: '12px 0' }}>
        {order.nextStep && order.can.escalate
          ? <Button type="primary" danger data-testid="next-step" onClick={() => setModal({ mode: 'escalations', step: order.nextStep! })}>
              {t('supervision.take', { step: t(`supervision.step.${order.nextStep}` as MessageKey) })}
            </Button>
          : <Typography.Text type="secondary">{order.nextStepBlockedBy ? t(`supervision.blocked.${order.nextStepBlockedBy.replace('escalation.', '')}` as MessageKey) : t('supervision.noNextStep')}</Typography.Text>}
        {order.can.escalate && order.status === 'passed' && order.standing.filter((s) => s !== 'terminate').map((s) => (
          <Button key={s} style={{ marginLeft: 8 }} onClick={() => setModal({ mode: 'lifts', step: s })}>{t('supervision.liftStep', { step: t(`supervision.step.${s}` as MessageKey) })}</Button>
        ))}
      </div>
      {order.projectSanctions && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} message={[
          order.projectSanctions.investmentDeferredSince && t('supervision.sanction.deferred', { since: order.projectSanctions.investmentDeferredSince }),
          order.projectSanctions.constructionSuspendedSince && t('supervision.sanction.suspended', { since: order.projectSanctions.constructionSuspendedSince }),
          order.projectSanctions.terminatedSince && t('supervision.sanction.terminated', { since: order.projectSanctions.terminatedSince }),
        ].filter(Boolean).join('；')} />
      )}
      <Table size="small" rowKey="id" pagination={false} dataSource={order.decisions} scroll={{ x: 600 }} columns={[
        { title: t('supervision.decision'), render: (_, d) => `${d.action === 'lift' ? t('supervision.lifted') : ''}${name(d.stepName)}` },
        { title: t('supervision.reason'), dataIndex: 'reason' },
        { title: t('supervision.decidedBy'), render: (_, d) => `${d.actorName} ${d.createdAt.slice(0, 10)}` },
        { title: t('supervision.signature'), render: (_, d) => <Tag color={d.signatureValid ? 'green' : 'red'}>{t(d.signatureValid ? 'supervision.signature.valid' : 'supervision.signature.invalid')}</Tag> },
        { title: '', render: (_, d) => (
          <Space size={4}>
            <Button size="small" onClick={() => supervisionApi.decisionDocument(order.id, d.id, 'docx').catch(showError)}>.docx</Button>
            <Button size="small" onClick={() => supervisionApi.decisionDocument(order.id, d.id, 'pdf').catch(showError)}>PDF</Button>
          </Space>
        ) },
      ]} />
      {modal && <DecisionModal order={order} mode={modal.mode} step={modal.step} onClose={() => setModal(null)} onDone={(d) => { setModal(null); update(d); }} />}
    </Drawer>
  );
}

export default function Supervision() {
  const t = useT();
  const { locale } = useLocale();
  const { showError } = useApiFeedback();
  const [filter, setFilter] = useState<'all' | 'due' | 'open'>('all');
  const [rows, setRows] = useState<Rectification[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [records, setRecords] = useState<Accountability[]>([]);
  const load = useCallback(() => {
    setLoading(true);
    const query = filter === 'due' ? { escalationDue: 'true' } : filter === 'open' ? { escalationDue: 'false' } : {};
    supervisionApi.list({ ...query, pageSize: 200 }).then((r) => setRows(r.items), showError).finally(() => setLoading(false));
  }, [filter, showError]);
  useEffect(load, [load]);
  useEffect(() => { supervisionApi.accountability().then((r) => setRecords(r.items), showError); }, [showError]);
  return (
    <PageContainer title={t('menu.supervision')} content={t('supervision.intro')}>
      <Tabs items={[
        {
          key: 'orders', label: t('supervision.tab.orders'),
          children: (
            <>
              <Space style={{ marginBottom: 12 }} wrap>
                <Segmented value={filter} onChange={(v) => setFilter(v as typeof filter)} options={[
                  { value: 'all', label: t('supervision.filter.all') }, { value: 'due', label: t('supervision.filter.due') }, { value: 'open', label: t('supervision.filter.notDue') },
                ]} />
                <Button icon={<DownloadOutlined />} onClick={() => supervisionApi.export().catch(showError)}>{t('common.export')}</Button>
              </Space>
              <Table rowKey="id" loading={loading} dataSource={rows} scroll={{ x: 900 }} data-testid="rectification-list"
                onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
                columns={[
                  { title: t('supervision.title'), dataIndex: 'title', render: (v: string, r) => <Typography.Link>{v}{r.subjectType === 'system' ? `（${t('supervision.system')}）` : ''}</Typography.Link> },
                  { title: t('supervision.subject'), dataIndex: 'subjectName' },
                  { title: t('supervision.category'), render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{locale === 'en-US' ? r.categoryName.en : r.categoryName.zh}</span> },
                  { title: t('supervision.unit'), dataIndex: 'unitName', responsive: ['md'] },
                  { title: t('supervision.issuer'), dataIndex: 'issuerName', responsive: ['lg'] },
                  { title: t('supervision.dueOn'), dataIndex: 'dueOn', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
                  { title: t('supervision.statusLabel'), render: (_, r) => <StatusTag r={r} /> },
                ]} />
            </>
          ),
        },
        {
          key: 'accountability', label: t('supervision.tab.accountability'),
          children: (
            <>
              <Button icon={<DownloadOutlined />} style={{ marginBottom: 12 }} onClick={() => supervisionApi.exportAccountability().catch(showError)}>{t('common.export')}</Button>
              <Table rowKey="id" dataSource={records} scroll={{ x: 900 }} columns={[
                { title: t('supervision.unit'), dataIndex: 'unitName' },
                { title: t('supervision.subject'), dataIndex: 'projectName' },
                { title: t('accountability.person'), dataIndex: 'subject' },
                { title: t('accountability.violation'), dataIndex: 'violation' },
                { title: t('accountability.basis'), dataIndex: 'basisArticle' },
                { title: t('accountability.decision'), dataIndex: 'decision' },
                { title: t('accountability.decidedOn'), dataIndex: 'decidedOn' },
              ]} />
            </>
          ),
        },
      ]} />
      {open && <Detail id={open} onClose={() => setOpen(null)} onChanged={load} />}
    </PageContainer>
  );
}
