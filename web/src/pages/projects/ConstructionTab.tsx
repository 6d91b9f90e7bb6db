// 建设实施 (第十三条, 第十九条–第二十二条): the project's implementing agency, lead and 监理单位,
// procurement and contracts, annual performance reports with indicator actuals, major problems
// with the approval department's orders, and the declaration of completion with its checklist.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Alert, App, Button, Card, Checkbox, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Modal, Select, Space, Spin, Switch, Table, Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError } from '../../api/client';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import {
  constructionApi, DELIVERY_MODELS, indicatorMet, PROCUREMENT_METHODS, PUBLIC_ANNOUNCEMENT_METHODS,
  type AnnualReport, type Construction, type ConstructionOrder, type ConstructionProblem, type Contract, type DeliveryModel, type Procurement, type ReportYear,
} from '../../api/construction';
import type { Project } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { afterShanghaiToday, formatDateTime } from '../../utils/format';
import { groupThousands } from '../../utils/money';

const WAN = /^\d{1,13}(\.\d{1,2})?$/;
const day = (d: Dayjs | undefined | null) => (d ? d.format('YYYY-MM-DD') : null);
function Wan({ value }: { value: string | null }) {
  return value === null ? <>—</> : <span className="amount nowrap">{groupThousands(value)}</span>;
}

/** Whether the construction data says a write would be refused (so the buttons are not offered). */
function closed(c: Construction) {
  return !c.started || c.suspendedSince !== null || c.completedOn !== null
    || c.sanctions?.constructionSuspendedSince != null || c.sanctions?.terminatedSince != null;
}

/**
 * Banners across the project page while construction is suspended (第二十一条) or an escalation
 * decision stands against the project (第三十条: 暂缓安排投资计划, 暂停项目建设, 终止项目).
 */
export function SuspensionBanner({ projectId }: { projectId: string }) {
  const t = useT();
  const [c, setC] = useState<Pick<Construction, 'suspendedSince' | 'sanctions'> | null>(null);
  useEffect(() => {
    let live = true;
    constructionApi.get(projectId).then((v) => live && setC(v)).catch(() => undefined);
    return () => { live = false; };
  }, [projectId]);
  if (!c) return null;
  const s = c.sanctions;
  return (
    <>
      {s?.terminatedSince && (
        <Alert type="error" showIcon banner className="detail-alert construction-sanction-banner" data-sanction="terminated"
          message={t('construction.sanction.terminated', { since: s.terminatedSince })} description={t('construction.sanction.terminated.desc')} />
      )}
      {s?.constructionSuspendedSince && !s.terminatedSince && (
        <Alert type="error" showIcon banner className="detail-alert construction-sanction-banner" data-sanction="suspended"
          message={t('construction.sanction.suspended', { since: s.constructionSuspendedSince })} description={t('construction.sanction.suspended.desc')} />
      )}
      {s?.investmentDeferredSince && !s.terminatedSince && (
        <Alert type="warning" showIcon banner className="detail-alert construction-sanction-banner" data-sanction="deferred"
          message={t('construction.sanction.deferred', { since: s.investmentDeferredSince })} description={t('construction.sanction.deferred.desc')} />
      )}
      {c.suspendedSince && (
        <Alert type="error" showIcon banner className="detail-alert construction-suspended-banner"
          message={t('construction.suspended.banner', { since: formatDateTime(c.suspendedSince, 'YYYY-MM-DD') })}
          description={t('construction.suspended.desc')} />
      )}
    </>
  );
}

/** A modal form that submits, maps field errors and closes on success. */
function FormModal<V extends object>({ open, title, onClose, onSubmit, children, initialValues, okText, width }: {
  open: boolean; title: ReactNode; onClose: () => void; onSubmit: (values: V) => Promise<void>; children: ReactNode;
  initialValues?: Partial<V>; okText?: string; width?: number;
}) {
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const { showError } = useApiFeedback();
  useEffect(() => { if (open) { form.resetFields(); if (initialValues) form.setFieldsValue(initialValues as never); } }, [open]); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await onSubmit(values);
      onClose();
    } catch (error) {
      showError(error);
      const fields = fieldErrorsOf(error);
      if (fields.length) form.setFields(fields as never);
      if (error instanceof ApiError && (error.code === 'auth.totp_invalid' || error.code === 'auth.totp_required')) {
        form.setFields([{ name: 'totp' as never, value: '', errors: [error.userMessage ?? ''] }]);
      }
      if (error instanceof ApiError && error.problems.length) {
        Modal.error({ title: error.userMessage, content: <ul>{error.problems.map((p) => <li key={p.code + p.message}>{p.message}</li>)}</ul> });
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={title} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={okText} width={width ?? 640} destroyOnHidden>
      <Form<V> form={form} layout="vertical" className="action-form">{children}</Form>
    </Modal>
  );
}

function TotpItem() {
  const t = useT();
  return (
    <Form.Item name="totp" label={<span><LockOutlined /> {t('approval.totp')}</span>} extra={t('approval.totp.help')}
      rules={[{ required: true, pattern: /^\d{6}$/, message: t('approval.totp.required') }]}>
      <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" className="totp-input" />
    </Form.Item>
  );
}

const required = (t: ReturnType<typeof useT>, key: MessageKey) => [{ required: true, whitespace: true, message: t('common.required', { field: t(key) }) }];
const wanRule = (t: ReturnType<typeof useT>, key: MessageKey, need = true) => [
  ...(need ? [{ required: true, message: t('common.required', { field: t(key) }) }] : []),
  { pattern: WAN, message: t('project.amount.invalid') },
];

function ReportStatusTag({ year, report }: { year: ReportYear; report: AnnualReport | undefined }) {
  const t = useT();
  if (report) return report.late ? <Tag color="orange">{t('construction.report.status.late')}</Tag> : <Tag color="green">{t('construction.report.status.submitted')}</Tag>;
  const s = year.state;
  if (!s) return null;
  if (s.status === 'overdue') return <Tag color="red">{t('construction.report.status.overdue', { days: -s.daysLeft })}</Tag>;
  if (s.status === 'dueToday') return <Tag color="volcano">{t('construction.report.status.dueToday')}</Tag>;
  if (s.status === 'dueSoon') return <Tag color="gold">{t('construction.report.status.dueSoon', { days: s.daysLeft })}</Tag>;
  return <Tag color="blue">{t('construction.report.status.notDue')}</Tag>;
}

function MetTag({ met }: { met: boolean | null }) {
  const t = useT();
  if (met === null) return <Tag>{t('construction.report.noTarget')}</Tag>;
  return met ? <Tag color="green" icon={<CheckCircleFilled />}>{t('construction.report.met')}</Tag>
    : <Tag color="red" icon={<CloseCircleFilled />}>{t('construction.report.notMet')}</Tag>;
}

function OrderStatusTag({ order }: { order: ConstructionOrder }) {
  const t = useT();
  if (order.kind === 'suspension') return order.standing ? <Tag color="red">{t('construction.order.status.standing')}</Tag> : <Tag>{t('construction.order.status.lifted')}</Tag>;
  const s = order.rectificationStatus!;
  const color = { open: 'blue', overdue: 'red', done: 'green', doneLate: 'orange' }[s];
  return <Tag color={color}>{t(`construction.order.status.${s}`)}</Tag>;
}

type Dialog = null | 'record' | 'procurement' | 'contract' | 'report' | 'problem' | 'rectification' | 'suspension' | 'completion'
  | { rectified: ConstructionOrder } | { lift: ConstructionOrder };

export default function ConstructionTab({ project, onChanged }: { project: Project; onChanged?: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const can = useCan();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [data, setData] = useState<Construction | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const load = useCallback(async () => {
    try {
      setData(await constructionApi.get(project.id));
    } catch (error) {
      showError(error);
    }
  }, [project.id, showError]);
  useEffect(() => { void load(); }, [load]);
  const zh = locale === 'zh-CN';

  const reportsByYear = useMemo(() => new Map((data?.annualReports.reports ?? []).map((r) => [r.year, r])), [data]);
  if (!data) return <Spin className="tab-spin" />;
  const canRecord = can('construction:record') && !closed(data);
  const canOrder = can('construction:order') && data.started && data.completedOn === null;
  const done = async (next: Construction | null, note: MessageKey) => {
    if (next) setData(next); else await load();
    void message.success(t(note));
    onChanged?.();
  };
  const exportButton = (list: 'procurements' | 'contracts' | 'annual-reports' | 'orders') => (
    <Button key="export" size="small" icon={<DownloadOutlined />} onClick={() => constructionApi.export(project.id, list).catch(showError)}>{t('common.export')}</Button>
  );

  if (!data.started) return <Card size="small" className="detail-card"><Empty description={t('construction.notStarted')} /></Card>;
  const record = data.record;
  const openRectifications = data.orders.filter((o) => o.kind === 'rectification' && o.rectifiedOn === null).length;
  const problemText = (id: string | null) => {
    const p = id ? data.problems.find((x) => x.id === id) : null;
    return p ? `${zh ? p.kindName.zh : p.kindName.en}：${p.description}` : '—';
  };

  const procurementColumns: ColumnsType<Procurement> = [
    { title: t('construction.procurement.subject'), dataIndex: 'subject', render: (v: string, r) => <Space wrap>{v}{r.secretRelated && <Tag color="red" icon={<LockOutlined />}>{t('construction.procurement.secretTag')}</Tag>}</Space> },
    { title: t('construction.procurement.method'), dataIndex: 'method', render: (m: Procurement['method']) => t(`construction.method.${m}`) },
    { title: t('construction.procurement.procuredOn'), dataIndex: 'procuredOn', className: 'nowrap' },
    { title: t('construction.procurement.winner'), dataIndex: 'winner' },
    { title: t('construction.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Wan value={v} /> },
  ];
  const contractColumns: ColumnsType<Contract> = [
    { title: t('construction.contract.title'), dataIndex: 'title' },
    { title: t('construction.contract.counterparty'), dataIndex: 'counterparty' },
    { title: t('construction.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Wan value={v} /> },
    { title: t('construction.contract.signedOn'), dataIndex: 'signedOn', className: 'nowrap' },
    { title: t('construction.contract.procurement'), dataIndex: 'procurementSubject', render: (v: string | null) => v ?? '—' },
  ];
  const yearColumns: ColumnsType<ReportYear> = [
    { title: t('construction.report.year'), dataIndex: 'year' },
    { title: t('construction.report.dueOn'), dataIndex: 'dueOn', className: 'nowrap' },
    { title: t('construction.report.status'), key: 'status', render: (_, y) => <ReportStatusTag year={y} report={reportsByYear.get(y.year)} /> },
    { title: t('construction.report.submittedOn'), key: 'on', render: (_, y) => reportsByYear.get(y.year)?.submittedOn ?? '—' },
    { title: t('construction.report.completedInvestment'), key: 'inv', align: 'right', render: (_, y) => <Wan value={reportsByYear.get(y.year)?.completedInvestment ?? null} /> },
  ];
  const problemColumns: ColumnsType<ConstructionProblem> = [
    { title: t('construction.problem.kind'), dataIndex: 'kind', render: (k: ConstructionProblem['kind']) => <Tag color="orange">{t(`construction.problem.kind.${k}`)}</Tag> },
    { title: t('construction.problem.description'), dataIndex: 'description' },
    { title: `${t('construction.problem.delayDays')} / ${t('construction.problem.lossAmount')}`, key: 'fig', render: (_, p) => (p.delayDays !== null ? p.delayDays : <Wan value={p.lossAmount} />) },
    { title: t('construction.problem.reportedAt'), dataIndex: 'reportedAt', render: (v: string) => formatDateTime(v, 'YYYY-MM-DD HH:mm') },
  ];
  const orderColumns: ColumnsType<ConstructionOrder> = [
    { title: t('construction.order.kind'), dataIndex: 'kind', render: (k: ConstructionOrder['kind'], o) => (
      <Space direction="vertical" size={0}>
        <Typography.Text strong>{t(k === 'rectification' ? 'construction.order.rectification' : 'construction.order.suspension')}</Typography.Text>
        {o.signatureValid && <Typography.Text type="secondary" className="small-text"><LockOutlined /> {t('construction.order.signed')}</Typography.Text>}
      </Space>
    ) },
    { title: t('construction.order.problem'), key: 'problem', render: (_, o) => problemText(o.problemId) },
    { title: t('construction.order.opinion'), dataIndex: 'opinion' },
    { title: t('construction.order.dueOn'), dataIndex: 'dueOn', className: 'nowrap', render: (v: string | null) => v ?? '—' },
    { title: t('construction.order.status'), key: 'status', render: (_, o) => (
      <Space direction="vertical" size={0}>
        <OrderStatusTag order={o} />
        {o.rectifiedOn && <span className="small-text">{o.rectifiedOn}：{o.rectificationReport}</span>}
        {o.liftReason && <span className="small-text">{o.liftReason}</span>}
      </Space>
    ) },
    { title: t('common.actions'), key: 'actions', render: (_, o) => (
      <Space wrap>
        {o.kind === 'rectification' && o.rectifiedOn === null && can('construction:record') && data.completedOn === null && (
          <Button size="small" onClick={() => setDialog({ rectified: o })}>{t('construction.rectified.report')}</Button>
        )}
        {o.standing && can('construction:order') && <Button size="small" danger onClick={() => setDialog({ lift: o })}>{t('construction.lift')}</Button>}
      </Space>
    ) },
  ];

  const checks: Array<[boolean, MessageKey]> = [
    [!!record?.supervisorName, 'construction.completion.check.supervisor'],
    [openRectifications === 0, 'construction.completion.check.rectification'],
    [data.suspendedSince === null, 'construction.completion.check.notSuspended'],
  ];

  return (
    <Space direction="vertical" size={16} className="full-width construction-tab">
      {data.completedOn && <Alert type="success" showIcon message={t('construction.completed.banner', { date: data.completedOn })} />}

      <Card size="small" className="detail-card" title={t('construction.record')}
        extra={canRecord && <Button size="small" onClick={() => setDialog('record')}>{t('construction.record.edit')}</Button>}>
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('construction.implementingAgency')}>{record?.implementingAgency ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('construction.projectLead')}>{record?.projectLead ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('construction.supervisorName')}>
            {record?.supervisorName ?? <Tag color="orange">{t('construction.supervisor.missing')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('construction.supervisorContractNo')}>{record?.supervisorContractNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('construction.supervisorContractAmount')}><Wan value={record?.supervisorContractAmount ?? null} /></Descriptions.Item>
          <Descriptions.Item label={t('construction.supervisorContractSignedOn')}>{record?.supervisorContractSignedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('construction.buildModel')}>{record?.buildModel ? t(`construction.buildModel.${record.buildModel}`) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('construction.omModel')}>{record?.omModel ? t(`construction.omModel.${record.omModel}`) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('construction.deliveryNote')} span={2}>{record?.deliveryNote ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>

      <Card size="small" className="detail-card" title={t('construction.procurements')}
        extra={<Space>{canRecord && <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setDialog('procurement')}>{t('construction.procurement.add')}</Button>}{exportButton('procurements')}</Space>}>
        <Table<Procurement> rowKey="id" size="small" columns={procurementColumns} dataSource={data.procurements} pagination={false} scroll={{ x: 720 }} />
      </Card>

      <Card size="small" className="detail-card" title={t('construction.contracts')}
        extra={<Space>{canRecord && <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setDialog('contract')}>{t('construction.contract.add')}</Button>}{exportButton('contracts')}</Space>}>
        <Table<Contract> rowKey="id" size="small" columns={contractColumns} dataSource={data.contracts} pagination={false} scroll={{ x: 720 }} />
      </Card>

      <Card size="small" className="detail-card construction-reports" title={t('construction.reports')}
        extra={<Space>{canRecord && data.annualReports.years.some((y) => !y.submitted) && <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setDialog('report')}>{t('construction.report.submit')}</Button>}{exportButton('annual-reports')}</Space>}>
        {data.annualReports.constructionStartedOn && (
          <Typography.Paragraph type="secondary">
            {t('construction.reports.help', { monthDay: data.annualReports.dueMonthDay ?? '12-31', from: data.annualReports.constructionStartedOn })}
          </Typography.Paragraph>
        )}
        <Table<ReportYear> rowKey="year" size="small" columns={yearColumns} dataSource={data.annualReports.years} pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('construction.reports.none')} /> }}
          expandable={{
            rowExpandable: (y) => reportsByYear.has(y.year),
            expandedRowRender: (y) => {
              const r = reportsByYear.get(y.year)!;
              return (
                <Descriptions size="small" column={1} bordered>
                  <Descriptions.Item label={t('construction.report.progress')}>{r.progress}</Descriptions.Item>
                  <Descriptions.Item label={t('construction.report.investmentExecution')}>
                    {r.investmentExecution}（{t('construction.report.plannedInvestment')} <Wan value={r.plannedInvestment} />，{t('construction.report.completedInvestment')} <Wan value={r.completedInvestment} />）
                  </Descriptions.Item>
                  <Descriptions.Item label={t('construction.report.indicators')}>
                    <Space direction="vertical">
                      {r.indicatorActuals.map((a) => (
                        <Space key={a.indicator} wrap>
                          <span>{a.indicator}：{a.actual}{a.unit}（{t('construction.report.target')} {a.target ?? '—'}）</span><MetTag met={a.met} />
                        </Space>
                      ))}
                    </Space>
                  </Descriptions.Item>
                  {r.trialOperation && <Descriptions.Item label={t('construction.report.trialEffects')}>{r.trialEffects ?? '—'}</Descriptions.Item>}
                  <Descriptions.Item label={t('construction.report.problems')}>{r.problems ?? '—'}</Descriptions.Item>
                </Descriptions>
              );
            },
          }} />
      </Card>

      <Card size="small" className="detail-card" title={t('construction.problemsAndOrders')}
        extra={<Space wrap>
          {canRecord && <Button size="small" onClick={() => setDialog('problem')}>{t('construction.problem.report')}</Button>}
          {canOrder && <Button size="small" onClick={() => setDialog('rectification')}>{t('construction.order.rectification')}</Button>}
          {canOrder && data.suspendedSince === null && <Button size="small" danger onClick={() => setDialog('suspension')}>{t('construction.order.suspension')}</Button>}
          {exportButton('orders')}
        </Space>}>
        <Table<ConstructionProblem> rowKey="id" size="small" columns={problemColumns} dataSource={data.problems} pagination={false} scroll={{ x: 720 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('construction.problem.none')} /> }} />
        <Table<ConstructionOrder> rowKey="id" size="small" columns={orderColumns} dataSource={data.orders} pagination={false} scroll={{ x: 900 }}
          className="construction-orders" rowClassName={(o) => (o.rectificationStatus === 'overdue' || o.standing ? 'row-alert' : '')}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('construction.order.none')} /> }} />
      </Card>

      <Card size="small" className="detail-card" title={t('construction.completion')}
        extra={canRecord && <Button size="small" type="primary" disabled={!checks.every(([ok]) => ok)} onClick={() => setDialog('completion')}>{t('construction.completion.declare')}</Button>}>
        {data.completion ? (
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('construction.completion.completedOn')}>{data.completion.completedOn}</Descriptions.Item>
            <Descriptions.Item label={t('construction.completion.finalAccounts')}><Wan value={data.completion.finalAccountsAmount} /></Descriptions.Item>
            <Descriptions.Item label={t('construction.completion.surplus')}><Wan value={data.completion.surplusAmount} /></Descriptions.Item>
            <Descriptions.Item label={t('construction.completion.surplusOn')}>{data.completion.surplusReturnedOn ?? '—'}</Descriptions.Item>
          </Descriptions>
        ) : (
          <Space direction="vertical" className="completion-checklist">
            <Typography.Text strong>{t('construction.completion.checklist')}</Typography.Text>
            {checks.map(([ok, key]) => (
              <span key={key}>{ok ? <CheckCircleFilled className="check-ok" style={{ color: '#52c41a' }} /> : <CloseCircleFilled className="check-missing" style={{ color: '#ff4d4f' }} />} {t(key)}</span>
            ))}
          </Space>
        )}
      </Card>

      {/* ——— dialogs ——— */}
      <FormModal<Record<string, string | Dayjs | null>> open={dialog === 'record'} title={t('construction.record.title')} onClose={() => setDialog(null)}
        initialValues={{
          implementingAgency: record?.implementingAgency ?? '', projectLead: record?.projectLead ?? '', supervisorName: record?.supervisorName ?? '',
          supervisorContractNo: record?.supervisorContractNo ?? '', supervisorContractAmount: record?.supervisorContractAmount ?? '',
          supervisorContractSignedOn: record?.supervisorContractSignedOn ? dayjs(record.supervisorContractSignedOn) : null,
          buildModel: record?.buildModel ?? null, omModel: record?.omModel ?? null, deliveryNote: record?.deliveryNote ?? '',
        }}
        onSubmit={async (v) => {
          const text = (k: string) => (typeof v[k] === 'string' && (v[k] as string).trim() !== '' ? (v[k] as string).trim() : null);
          await done(await constructionApi.updateRecord(project.id, {
            implementingAgency: text('implementingAgency'), projectLead: text('projectLead'), supervisorName: text('supervisorName'),
            supervisorContractNo: text('supervisorContractNo'), supervisorContractAmount: text('supervisorContractAmount'),
            supervisorContractSignedOn: day(v.supervisorContractSignedOn as Dayjs | null),
            buildModel: (v.buildModel as DeliveryModel | null) ?? null, omModel: (v.omModel as DeliveryModel | null) ?? null, deliveryNote: text('deliveryNote'),
          }), 'construction.saved');
        }}>
        <Form.Item name="implementingAgency" label={t('construction.implementingAgency')}><Input maxLength={200} /></Form.Item>
        <Form.Item name="projectLead" label={t('construction.projectLead')}><Input maxLength={100} /></Form.Item>
        <Form.Item name="supervisorName" label={t('construction.supervisorName')} extra={t('construction.supervisor.missing')}><Input maxLength={200} /></Form.Item>
        <Space wrap>
          <Form.Item name="supervisorContractNo" label={t('construction.supervisorContractNo')}><Input maxLength={100} /></Form.Item>
          <Form.Item name="supervisorContractAmount" label={t('construction.supervisorContractAmount')} rules={wanRule(t, 'construction.supervisorContractAmount', false)}><Input inputMode="decimal" /></Form.Item>
          <Form.Item name="supervisorContractSignedOn" label={t('construction.supervisorContractSignedOn')}><DatePicker disabledDate={afterShanghaiToday} /></Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="buildModel" label={t('construction.buildModel')}>
            <Select allowClear className="build-model-select" style={{ minWidth: 200 }}
              options={DELIVERY_MODELS.map((m) => ({ value: m, label: t(`construction.buildModel.${m}`) }))} />
          </Form.Item>
          <Form.Item name="omModel" label={t('construction.omModel')}>
            <Select allowClear className="om-model-select" style={{ minWidth: 200 }}
              options={DELIVERY_MODELS.map((m) => ({ value: m, label: t(`construction.omModel.${m}`) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="deliveryNote" label={t('construction.deliveryNote')} extra={t('construction.deliveryNote.help')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </FormModal>

      <FormModal<{ subject: string; method: Procurement['method']; secretRelated: boolean; procuredOn: Dayjs; winner: string; amount: string }>
        open={dialog === 'procurement'} title={t('construction.procurement.add')} onClose={() => setDialog(null)}
        initialValues={{ secretRelated: project.involvesSecrets }}
        onSubmit={async (v) => {
          await constructionApi.addProcurement(project.id, { ...v, procuredOn: day(v.procuredOn)!, secretRelated: !!v.secretRelated });
          await done(null, 'construction.saved');
        }}>
        <Form.Item name="subject" label={t('construction.procurement.subject')} rules={required(t, 'construction.procurement.subject')}><Input maxLength={200} /></Form.Item>
        <Form.Item name="secretRelated" valuePropName="checked" extra={t('construction.procurement.secretHelp')}>
          <Checkbox><LockOutlined /> {t('construction.procurement.secret')}</Checkbox>
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.secretRelated !== b.secretRelated}>
          {({ getFieldValue }) => (
            <Form.Item name="method" label={t('construction.procurement.method')} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('construction.procurement.method') }) }]}>
              <Select options={PROCUREMENT_METHODS.map((m) => ({
                value: m, label: t(`construction.method.${m}`), disabled: !!getFieldValue('secretRelated') && PUBLIC_ANNOUNCEMENT_METHODS.includes(m),
              }))} />
            </Form.Item>
          )}
        </Form.Item>
        <Space wrap>
          <Form.Item name="procuredOn" label={t('construction.procurement.procuredOn')} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('construction.procurement.procuredOn') }) }]}>
            <DatePicker disabledDate={afterShanghaiToday} />
          </Form.Item>
          <Form.Item name="amount" label={t('construction.amount')} rules={wanRule(t, 'construction.amount')}><Input inputMode="decimal" /></Form.Item>
        </Space>
        <Form.Item name="winner" label={t('construction.procurement.winner')} rules={required(t, 'construction.procurement.winner')}><Input maxLength={200} /></Form.Item>
      </FormModal>

      <FormModal<{ title: string; counterparty: string; amount: string; signedOn: Dayjs; procurementId?: string }>
        open={dialog === 'contract'} title={t('construction.contract.add')} onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          await constructionApi.addContract(project.id, { title: v.title, counterparty: v.counterparty, amount: v.amount, signedOn: day(v.signedOn)!, procurementId: v.procurementId ?? null });
          await done(null, 'construction.saved');
        }}>
        <Form.Item name="title" label={t('construction.contract.title')} rules={required(t, 'construction.contract.title')}><Input maxLength={200} /></Form.Item>
        <Form.Item name="counterparty" label={t('construction.contract.counterparty')} rules={required(t, 'construction.contract.counterparty')}><Input maxLength={200} /></Form.Item>
        <Space wrap>
          <Form.Item name="amount" label={t('construction.amount')} rules={wanRule(t, 'construction.amount')}><Input inputMode="decimal" /></Form.Item>
          <Form.Item name="signedOn" label={t('construction.contract.signedOn')} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('construction.contract.signedOn') }) }]}>
            <DatePicker disabledDate={afterShanghaiToday} />
          </Form.Item>
        </Space>
        <Form.Item name="procurementId" label={t('construction.contract.procurement')}>
          <Select allowClear options={data.procurements.map((p) => ({ value: p.id, label: `${p.subject}（${p.winner}）` }))} />
        </Form.Item>
      </FormModal>

      <FormModal<{ year: number; progress: string; investmentExecution: string; plannedInvestment: string; completedInvestment: string; actuals?: Record<string, string>; trialOperation?: boolean; trialEffects?: string; problems?: string }>
        open={dialog === 'report'} title={t('construction.report.submit')} onClose={() => setDialog(null)} width={760}
        initialValues={{ year: data.annualReports.years.find((y) => !y.submitted)?.year }}
        onSubmit={async (v) => {
          await done(await constructionApi.submitReport(project.id, {
            year: v.year, progress: v.progress, investmentExecution: v.investmentExecution, plannedInvestment: v.plannedInvestment,
            completedInvestment: v.completedInvestment,
            indicatorActuals: Object.entries(v.actuals ?? {}).filter(([, a]) => a !== undefined && a !== null && String(a).trim() !== '').map(([indicator, actual]) => ({ indicator, actual: String(actual).trim() })),
            trialOperation: !!v.trialOperation, trialEffects: v.trialEffects?.trim() || null, problems: v.problems?.trim() || null,
          }), 'construction.report.submitted');
        }}>
        <Form.Item name="year" label={t('construction.report.year')} rules={[{ required: true }]}>
          <Select options={data.annualReports.years.filter((y) => !y.submitted).map((y) => ({ value: y.year, label: `${y.year}（${t('construction.report.dueOn')} ${y.dueOn}）` }))} />
        </Form.Item>
        <Form.Item name="progress" label={t('construction.report.progress')} rules={required(t, 'construction.report.progress')}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
        <Form.Item name="investmentExecution" label={t('construction.report.investmentExecution')} rules={required(t, 'construction.report.investmentExecution')}><Input.TextArea rows={2} maxLength={4000} /></Form.Item>
        <Space wrap>
          <Form.Item name="plannedInvestment" label={t('construction.report.plannedInvestment')} rules={wanRule(t, 'construction.report.plannedInvestment')}><Input inputMode="decimal" /></Form.Item>
          <Form.Item name="completedInvestment" label={t('construction.report.completedInvestment')} rules={wanRule(t, 'construction.report.completedInvestment')}><Input inputMode="decimal" /></Form.Item>
        </Space>
        <Form.Item noStyle shouldUpdate>
          {({ getFieldValue }) => {
            const year = getFieldValue('year') as number | undefined;
            return (
              <Form.Item label={t('construction.report.indicators')}>
                <Space direction="vertical" className="full-width">
                  {data.indicators.map((ind) => {
                    const target = ind.targets.find((x) => x.year === year)?.value ?? null;
                    const actual = getFieldValue(['actuals', ind.indicator]) as string | undefined;
                    return (
                      <Space key={ind.indicator} wrap align="baseline" className="indicator-actual">
                        <span>{ind.indicator}（{t('construction.report.target')} {target ?? '—'}{ind.unit}，{t(`project.indicator.direction.${ind.direction}`)}）</span>
                        <Form.Item name={['actuals', ind.indicator]} noStyle rules={target !== null ? [{ required: true, pattern: /^-?\d{1,15}(\.\d{1,6})?$/, message: t('construction.report.actual') }] : []}>
                          <Input placeholder={t('construction.report.actual')} style={{ width: 140 }} inputMode="decimal" addonAfter={ind.unit} />
                        </Form.Item>
                        {actual ? <MetTag met={indicatorMet(ind.direction, target, actual)} /> : null}
                      </Space>
                    );
                  })}
                </Space>
              </Form.Item>
            );
          }}
        </Form.Item>
        <Form.Item name="trialOperation" label={t('construction.report.trialOperation')} valuePropName="checked"><Switch /></Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.trialOperation !== b.trialOperation}>
          {({ getFieldValue }) => getFieldValue('trialOperation') && (
            <Form.Item name="trialEffects" label={t('construction.report.trialEffects')} rules={required(t, 'construction.report.trialEffects')}><Input.TextArea rows={2} maxLength={4000} /></Form.Item>
          )}
        </Form.Item>
        <Form.Item name="problems" label={t('construction.report.problems')}><Input.TextArea rows={2} maxLength={4000} /></Form.Item>
      </FormModal>

      <FormModal<{ kind: ConstructionProblem['kind']; description: string; delayDays?: number; lossAmount?: string }>
        open={dialog === 'problem'} title={t('construction.problem.report')} onClose={() => setDialog(null)} initialValues={{ kind: 'serious_delay' }}
        onSubmit={async (v) => {
          await done(await constructionApi.reportProblem(project.id, {
            kind: v.kind, description: v.description, delayDays: v.kind === 'serious_delay' ? v.delayDays ?? null : null,
            lossAmount: v.kind === 'investment_loss' ? v.lossAmount ?? null : null,
          }), 'construction.problem.reported');
        }}>
        <Form.Item name="kind" label={t('construction.problem.kind')}>
          <Select options={(['serious_delay', 'investment_loss'] as const).map((k) => ({ value: k, label: t(`construction.problem.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="description" label={t('construction.problem.description')} rules={required(t, 'construction.problem.description')}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
          {({ getFieldValue }) => getFieldValue('kind') === 'serious_delay'
            ? <Form.Item name="delayDays" label={t('construction.problem.delayDays')} rules={[{ required: true, message: t('common.required', { field: t('construction.problem.delayDays') }) }]}><InputNumber min={1} precision={0} /></Form.Item>
            : <Form.Item name="lossAmount" label={t('construction.problem.lossAmount')} rules={wanRule(t, 'construction.problem.lossAmount')}><Input inputMode="decimal" /></Form.Item>}
        </Form.Item>
      </FormModal>

      {(['rectification', 'suspension'] as const).map((kind) => (
        <FormModal<{ problemId?: string; opinion: string; dueOn?: Dayjs; totp: string }> key={kind}
          open={dialog === kind} title={t(kind === 'rectification' ? 'construction.order.rectification' : 'construction.order.suspension')} onClose={() => setDialog(null)}
          onSubmit={async (v) => {
            await done(await constructionApi.order(project.id, { kind, problemId: v.problemId ?? null, opinion: v.opinion, dueOn: kind === 'rectification' ? day(v.dueOn) : null, totp: v.totp }), 'construction.order.done');
          }}>
          <Form.Item name="problemId" label={t('construction.order.problem')}>
            <Select allowClear options={data.problems.map((p) => ({ value: p.id, label: `${t(`construction.problem.kind.${p.kind}`)}：${p.description}` }))} />
          </Form.Item>
          <Form.Item name="opinion" label={t('construction.order.opinion')} rules={required(t, 'construction.order.opinion')}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
          {kind === 'rectification' && (
            <Form.Item name="dueOn" label={t('construction.order.dueOn')} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('construction.order.dueOn') }) }]}>
              <DatePicker disabledDate={(d) => !afterShanghaiToday(d)} />
            </Form.Item>
          )}
          <TotpItem />
        </FormModal>
      ))}

      <FormModal<{ rectifiedOn: Dayjs; report: string }> open={typeof dialog === 'object' && dialog !== null && 'rectified' in dialog}
        title={t('construction.rectified.report')} onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          if (typeof dialog !== 'object' || dialog === null || !('rectified' in dialog)) return;
          await done(await constructionApi.rectified(project.id, dialog.rectified.id, { rectifiedOn: day(v.rectifiedOn)!, report: v.report }), 'construction.rectified.done');
        }}>
        <Form.Item name="rectifiedOn" label={t('construction.rectified.on')} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('construction.rectified.on') }) }]}>
          <DatePicker disabledDate={afterShanghaiToday} />
        </Form.Item>
        <Form.Item name="report" label={t('construction.rectified.text')} rules={required(t, 'construction.rectified.text')}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
      </FormModal>

      <FormModal<{ reason: string; totp: string }> open={typeof dialog === 'object' && dialog !== null && 'lift' in dialog}
        title={t('construction.lift')} onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          if (typeof dialog !== 'object' || dialog === null || !('lift' in dialog)) return;
          await done(await constructionApi.lift(project.id, dialog.lift.id, { reason: v.reason, totp: v.totp }), 'construction.lift.done');
        }}>
        <Form.Item name="reason" label={t('construction.lift.reason')} rules={required(t, 'construction.lift.reason')}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        <TotpItem />
      </FormModal>

      <FormModal<{ completedOn: Dayjs; finalAccountsAmount: string; surplusAmount?: string; surplusReturnedOn?: Dayjs }>
        open={dialog === 'completion'} title={t('construction.completion.declare')} onClose={() => setDialog(null)} okText={t('construction.completion.declare')}
        initialValues={{ surplusAmount: '0' }}
        onSubmit={async (v) => {
          await done(await constructionApi.complete(project.id, {
            completedOn: day(v.completedOn)!, finalAccountsAmount: v.finalAccountsAmount, surplusAmount: v.surplusAmount?.trim() || '0',
            surplusReturnedOn: day(v.surplusReturnedOn),
          }), 'construction.completion.done');
        }}>
        <Alert type="warning" showIcon message={t('construction.completion.confirm')} className="detail-alert" />
        <Form.Item name="completedOn" label={t('construction.completion.completedOn')} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('construction.completion.completedOn') }) }]}>
          <DatePicker disabledDate={afterShanghaiToday} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="finalAccountsAmount" label={t('construction.completion.finalAccounts')} rules={wanRule(t, 'construction.completion.finalAccounts')}><Input inputMode="decimal" /></Form.Item>
          <Form.Item name="surplusAmount" label={t('construction.completion.surplus')} rules={wanRule(t, 'construction.completion.surplus', false)}><Input inputMode="decimal" /></Form.Item>
          <Form.Item name="surplusReturnedOn" label={t('construction.completion.surplusOn')}><DatePicker disabledDate={afterShanghaiToday} /></Form.Item>
        </Space>
      </FormModal>
    </Space>
  );
}
