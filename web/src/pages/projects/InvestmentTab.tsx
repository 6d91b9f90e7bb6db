// 投资与调整 (第二十二条–第二十四条): the approved 概算 and what was released and spent, the
// releases, payments and early investments with their forms, and the adjustments with a live
// meter of the cumulative share against the threshold (第二十三条), the route shown before filing.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert, Button, Card, Descriptions, Drawer, Form, Input, InputNumber, Modal, Progress, Radio, Select, Space, Statistic, Switch, Table, Tag, Typography,
} from 'antd';
import { DownloadOutlined, LockOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { ApiError, download, request } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { Project } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { groupThousands, normalizeAmountInput } from '../../utils/money';

type Localized = { zh: string; en: string };
/** A rule problem: localized by the server in a problem+json, both languages in a dry run. */
interface RuleProblem { code: string; article: string | null; message: string | Localized }
interface EarlyInvestment {
  id: string; lines: Array<{ purpose: string; purposeName: Localized; amount: string }>; total: string; justification: string;
  status: 'pending' | 'approved' | 'refused'; released: string; appliedBy: string; appliedAt: string; decidedBy: string | null;
  decidedAt: string | null; opinion: string | null; signed: boolean;
}
interface Investment {
  stages: { feasibilityApproved: boolean; designApproved: boolean };
  approvedBudget: string | null; released: string; spent: string; releasable: string | null; spendable: string; surplus: string | null;
  suspendedSince: string | null; completedOn: string | null;
  sanctions: { investmentDeferredSince: string | null; constructionSuspendedSince: string | null; terminatedSince: string | null } | null;
  releases: Array<{ id: string; planYear: number; amount: string; source: string; documentNo: string | null; releasedOn: string; earlyInvestmentId: string | null; note: string | null; releasedBy: string }>;
  spending: Array<{ id: string; spentOn: string; amount: string; payee: string; purpose: string; recordedBy: string }>;
  earlyInvestments: EarlyInvestment[];
}
interface Adjustment {
  id: string; seq: number; lines: Array<{ content: string; change: string }>; reason: string; reasonName: Localized; goalsUnchanged: boolean;
  description: string; amount: string; cumulative: string; approvedTotal: string; totalAfter: string; sharePercent: string; thresholdPercent: string;
  route: 'selfFile' | 'reapproval'; reapprovalReasons: RuleProblem[]; status: 'filed' | 'pending' | 'approved' | 'refused';
  createdBy: string; createdAt: string; decidedBy: string | null; opinion: string | null; signed: boolean;
}
interface Adjustments { approvedTotal: string | null; currentTotal: string | null; cumulative: string; sharePercent: string | null; thresholdPercent: string; items: Adjustment[] }
interface Evaluation {
  route: 'selfFile' | 'reapproval' | 'invalid'; problems: RuleProblem[]; reapprovalReasons: RuleProblem[];
  figures: null | { approvedTotal: string; totalBefore: string; amount: string; priorCumulative: string; cumulative: string; totalAfter: string;
    sharePercent: string; shareExact: boolean; thresholdPercent: string; limit: string; headroom: string };
}

const SOURCES = ['central_budget', 'central_fiscal', 'local_fiscal', 'self_raised', 'other'] as const;
const PURPOSES = ['requirementsAnalysis', 'feasibilityAndDesignPreparation', 'landPurchase', 'demolition'] as const;
const REASONS = ['centralDeployment', 'technicalOptimization', 'businessNeeds', 'other'] as const;
const AMOUNT = /^\d{1,13}(\.\d{1,6})?$/;
const CHANGE = /^-?\d{1,13}(\.\d{1,6})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function Wan({ value }: { value: string | null }) {
  const t = useT();
  if (value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return <span className="amount nowrap">{groupThousands(value)} {t('project.unit.wan')}</span>;
}

/** 第二十三条: the cumulative share against the threshold; red past it (display only, the decision is the server's). */
export function ShareMeter({ share, threshold, className }: { share: string; threshold: string; className?: string }) {
  const t = useT();
  const s = Number(share);
  const th = Number(threshold);
  const over = s > th;
  const percent = th > 0 ? Math.min(100, (s / th) * 100) : 100;
  return (
    <div className={`share-meter ${className ?? ''}`} data-over={over ? 'true' : 'false'} style={{ width: '100%', minWidth: 280, maxWidth: 560 }}>
      <Progress percent={percent} status={over ? 'exception' : 'normal'} showInfo={false}
        strokeColor={over ? '#cf1322' : percent >= 80 ? '#d48806' : '#389e0d'} />
      <Typography.Text strong type={over ? 'danger' : undefined} className="share-meter-text">
        {t('money.meter.text', { share, threshold })}
      </Typography.Text>
    </div>
  );
}

function Problems({ items }: { items: RuleProblem[] }) {
  const { locale } = useLocale();
  if (items.length === 0) return null;
  return (
    <ul className="money-problems">
      {items.map((p, i) => <li key={i}>{typeof p.message === 'string' ? p.message : locale === 'en-US' ? p.message.en : p.message.zh}{p.article && <Tag className="article-tag">{p.article}</Tag>}</li>)}
    </ul>
  );
}

/** A signed decision: outcome, opinion and a fresh TOTP code (SPEC §10). */
function DecisionModal({ open, title, onClose, onSubmit }: {
  open: boolean; title: string; onClose: () => void; onSubmit: (v: { outcome: 'approve' | 'refuse'; opinion: string; totp: string }) => Promise<void>;
}) {
  const t = useT();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open={open} title={title} onCancel={onClose} destroyOnHidden okText={t('money.decide.submit')} confirmLoading={busy}
      className="money-decision-modal" onOk={() => void form.validateFields().then(async (v) => {
        setBusy(true);
        try {
          await onSubmit(v);
          form.resetFields();
        } catch (error) {
          if (error instanceof ApiError && error.code?.startsWith('auth.totp')) form.setFields([{ name: 'totp', value: '', errors: [error.userMessage ?? ''] }]);
          else throw error;
        } finally {
          setBusy(false);
        }
      })}>
      <Form form={form} layout="vertical" initialValues={{ outcome: 'approve' }}>
        <Form.Item name="outcome" label={t('money.decide.outcome')}>
          <Radio.Group optionType="button" options={[{ value: 'approve', label: t('money.decide.approve') }, { value: 'refuse', label: t('money.decide.refuse') }]} />
        </Form.Item>
        <Form.Item name="opinion" label={t('money.decide.opinion')} rules={[{ required: true, whitespace: true, message: t('money.decide.opinion') }]}>
          <Input.TextArea rows={3} maxLength={2000} className="money-decision-opinion" />
        </Form.Item>
        <Form.Item name="totp" label={<><LockOutlined /> {t('approval.totp')}</>} rules={[{ required: true, pattern: /^\d{6}$/, message: t('approval.totp.required') }]}>
          <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" className="money-decision-totp" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function InvestmentTab({ project }: { project: Project }) {
  const t = useT();
  const { locale } = useLocale();
  const can = useCan();
  const { showError } = useApiFeedback();
  const base = `/projects/${encodeURIComponent(project.id)}`;
  const [inv, setInv] = useState<Investment | null>(null);
  const [adj, setAdj] = useState<Adjustments | null>(null);
  const [modal, setModal] = useState<null | 'release' | 'spend' | 'early' | 'adjust'>(null);
  const [deciding, setDeciding] = useState<null | { kind: 'early' | 'adjustment'; id: string }>(null);
  const [blocked, setBlocked] = useState<RuleProblem[]>([]);

  const load = useCallback(async () => {
    try {
      const [i, a] = await Promise.all([request<Investment>('GET', `${base}/investment`), request<Adjustments>('GET', `${base}/adjustments`)]);
      setInv(i);
      setAdj(a);
    } catch (error) {
      showError(error);
    }
  }, [base, showError]);
  useEffect(() => void load(), [load]);

  /** Sends a write; a refusal with rules shows them in the open form. */
  const write = async (path: string, body: unknown) => {
    setBlocked([]);
    try {
      await request('POST', path, { body: body as Record<string, unknown> });
      setModal(null);
      setDeciding(null);
      await load();
    } catch (error) {
      if (error instanceof ApiError && error.problems.length > 0) setBlocked(error.problems);
      else if (error instanceof ApiError && error.code?.startsWith('auth.totp')) throw error;
      else showError(error);
    }
  };
  const name = (l: Localized) => (locale === 'en-US' ? l.en : l.zh);
  const exportList = (list: string, file: string) => void download(`${base}/${list}/export`, {}, file).catch(showError);

  if (!inv || !adj) return <Card loading />;
  const statusTag = (status: string) => (
    <Tag color={{ pending: 'blue', approved: 'green', refused: 'red', filed: 'green' }[status]}>{t(`money.status.${status}` as MessageKey)}</Tag>
  );

  return (
    <Space direction="vertical" size={16} className="full-width investment-tab">
      {inv.suspendedSince && <Alert type="error" showIcon message={t('money.suspended', { since: inv.suspendedSince.slice(0, 10) })} />}
      <Card title={t('money.summary')} size="small">
        <Space wrap size={[32, 12]}>
          <Statistic title={t('money.approvedBudget')} value={inv.approvedBudget ? groupThousands(inv.approvedBudget) : '—'} suffix={t('project.unit.wan')} />
          <Statistic title={t('money.released')} value={groupThousands(inv.released)} suffix={t('project.unit.wan')} />
          <Statistic title={t('money.spent')} value={groupThousands(inv.spent)} suffix={t('project.unit.wan')} />
          <Statistic title={t('money.releasable')} value={inv.releasable ? groupThousands(inv.releasable) : '—'} suffix={t('project.unit.wan')} />
          <Statistic title={t('money.spendable')} value={groupThousands(inv.spendable)} suffix={t('project.unit.wan')} />
          {inv.surplus !== null && <Statistic title={t('money.surplus')} value={groupThousands(inv.surplus)} suffix={t('project.unit.wan')} />}
        </Space>
        {!inv.stages.designApproved && <Alert className="detail-alert" type="info" showIcon message={t('money.article24')} />}
      </Card>

      <Card size="small" title={t('money.releases')} className="money-releases" extra={<Space>
        {can('investment:release') && !inv.sanctions?.investmentDeferredSince && !inv.sanctions?.terminatedSince && <Button type="primary" className="money-release-add" onClick={() => { setBlocked([]); setModal('release'); }}>{t('money.release.add')}</Button>}
        <Button icon={<DownloadOutlined />} onClick={() => exportList('investment/releases', 'releases.xlsx')}>{t('common.export')}</Button>
      </Space>}>
        <Table size="small" rowKey="id" pagination={false} dataSource={inv.releases} scroll={{ x: 800 }} columns={[
          { title: t('money.planYear'), dataIndex: 'planYear', width: 90 },
          { title: t('money.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Wan value={v} /> },
          { title: t('money.source'), dataIndex: 'source', render: (v: string) => t(`money.source.${v}` as MessageKey) },
          { title: t('money.documentNo'), dataIndex: 'documentNo' },
          { title: t('money.releasedOn'), dataIndex: 'releasedOn' },
          { title: t('money.early'), dataIndex: 'earlyInvestmentId', render: (v: string | null) => (v ? <Tag color="purple">{t('money.early.tag')}</Tag> : null) },
          { title: t('money.by'), dataIndex: 'releasedBy' },
        ]} />
      </Card>

      <Card size="small" title={t('money.spending')} className="money-spending" extra={<Space>
        {can('investment:record') && !inv.sanctions?.constructionSuspendedSince && !inv.sanctions?.terminatedSince && <Button type="primary" className="money-spend-add" onClick={() => { setBlocked([]); setModal('spend'); }}>{t('money.spend.add')}</Button>}
        <Button icon={<DownloadOutlined />} onClick={() => exportList('investment/spending', 'spending.xlsx')}>{t('common.export')}</Button>
      </Space>}>
        <Table size="small" rowKey="id" pagination={false} dataSource={inv.spending} scroll={{ x: 700 }} columns={[
          { title: t('money.spentOn'), dataIndex: 'spentOn', width: 110 },
          { title: t('money.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Wan value={v} /> },
          { title: t('money.payee'), dataIndex: 'payee' },
          { title: t('money.purpose'), dataIndex: 'purpose' },
          { title: t('money.by'), dataIndex: 'recordedBy' },
        ]} />
      </Card>

      <Card size="small" title={t('money.earlyInvestments')} className="money-early" extra={<Space>
        {can('investment:record') && inv.stages.feasibilityApproved && !inv.stages.designApproved &&
          <Button type="primary" onClick={() => { setBlocked([]); setModal('early'); }}>{t('money.early.apply')}</Button>}
        <Button icon={<DownloadOutlined />} onClick={() => exportList('investment/early', 'early-investments.xlsx')}>{t('common.export')}</Button>
      </Space>}>
        <Table size="small" rowKey="id" pagination={false} dataSource={inv.earlyInvestments} scroll={{ x: 800 }} columns={[
          { title: t('money.early.lines'), dataIndex: 'lines', render: (ls: EarlyInvestment['lines']) => ls.map((l) => `${name(l.purposeName)} ${groupThousands(l.amount)}`).join('；') },
          { title: t('money.total'), dataIndex: 'total', align: 'right', render: (v: string) => <Wan value={v} /> },
          { title: t('money.status'), dataIndex: 'status', render: statusTag },
          { title: t('money.released'), dataIndex: 'released', align: 'right', render: (v: string) => <Wan value={v} /> },
          { title: t('money.decide.opinion'), dataIndex: 'opinion' },
          { title: t('common.actions'), key: 'a', render: (_: unknown, r: EarlyInvestment) => r.status === 'pending' && can('investment:decide')
            ? <Button size="small" onClick={() => setDeciding({ kind: 'early', id: r.id })}>{t('money.decide')}</Button> : null },
        ]} />
      </Card>

      <Card size="small" title={t('money.adjustments')} className="money-adjustments" extra={<Space>
        {can('adjustment:file') && inv.stages.designApproved &&
          <Button type="primary" className="money-adjust-add" onClick={() => { setBlocked([]); setModal('adjust'); }}>{t('money.adjust.add')}</Button>}
        <Button icon={<DownloadOutlined />} onClick={() => exportList('adjustments', 'adjustments.xlsx')}>{t('common.export')}</Button>
      </Space>}>
        {adj.sharePercent !== null && (
          <Descriptions size="small" column={{ xs: 1, md: 3 }} className="money-adjust-summary">
            <Descriptions.Item label={t('money.approvedBudget')}><Wan value={adj.approvedTotal} /></Descriptions.Item>
            <Descriptions.Item label={t('money.adjust.cumulative')}><Wan value={adj.cumulative} /></Descriptions.Item>
            <Descriptions.Item label={t('money.adjust.currentTotal')}><Wan value={adj.currentTotal} /></Descriptions.Item>
            <Descriptions.Item label={t('money.adjust.meter')} span={3}>
              <ShareMeter share={adj.sharePercent} threshold={adj.thresholdPercent} className="money-current-meter" />
            </Descriptions.Item>
          </Descriptions>
        )}
        <Table size="small" rowKey="id" pagination={false} dataSource={adj.items} scroll={{ x: 1000 }} className="money-adjust-table" columns={[
          { title: '#', dataIndex: 'seq', width: 50, render: (_: unknown, __: Adjustment, i: number) => i + 1 },
          { title: t('money.adjust.lines'), dataIndex: 'lines', render: (ls: Adjustment['lines']) => ls.map((l) => `${l.content} ${l.change}`).join('；') },
          { title: t('money.adjust.reason'), dataIndex: 'reasonName', render: (v: Localized) => name(v) },
          { title: t('money.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Wan value={v} /> },
          { title: t('money.adjust.share'), dataIndex: 'sharePercent', render: (v: string, r: Adjustment) => `${v}% / ${r.thresholdPercent}%` },
          { title: t('money.adjust.route'), dataIndex: 'route', render: (v: string) => <Tag color={v === 'selfFile' ? 'green' : 'orange'}>{t(`money.route.${v}` as MessageKey)}</Tag> },
          { title: t('money.status'), dataIndex: 'status', render: statusTag },
          { title: t('money.decide.opinion'), dataIndex: 'opinion' },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
          { title: t('common.actions'), key: 'a', render: (_: unknown, r: Adjustment) => r.status === 'pending' && can('adjustment:decide')
            ? <Button size="small" className="money-adjust-decide" onClick={() => setDeciding({ kind: 'adjustment', id: r.id })}>{t('money.decide')}</Button> : null },
        ]} />
      </Card>

      <ReleaseModal open={modal === 'release'} inv={inv} blocked={blocked} onClose={() => setModal(null)}
        onSubmit={(v) => write(`${base}/investment/releases`, v)} />
      <SpendModal open={modal === 'spend'} blocked={blocked} onClose={() => setModal(null)} onSubmit={(v) => write(`${base}/investment/spending`, v)} />
      <EarlyModal open={modal === 'early'} blocked={blocked} onClose={() => setModal(null)} onSubmit={(v) => write(`${base}/investment/early`, v)} />
      <AdjustDrawer open={modal === 'adjust'} base={base} blocked={blocked} onClose={() => setModal(null)}
        onSubmit={(v) => write(`${base}/adjustments`, v)} />
      <DecisionModal open={deciding !== null} onClose={() => setDeciding(null)}
        title={deciding?.kind === 'early' ? t('money.decide.early') : t('money.decide.adjustment')}
        onSubmit={async (v) => {
          if (!deciding) return;
          const path = deciding.kind === 'early' ? `${base}/investment/early/${deciding.id}/decision` : `${base}/adjustments/${deciding.id}/decision`;
          await write(path, v);
        }} />
      {deciding && blocked.length > 0 && <Alert type="error" showIcon message={<Problems items={blocked} />} />}
    </Space>
  );
}

function ReleaseModal({ open, inv, blocked, onClose, onSubmit }: { open: boolean; inv: Investment; blocked: RuleProblem[]; onClose: () => void; onSubmit: (v: unknown) => Promise<void> }) {
  const t = useT();
  const [form] = Form.useForm();
  const approvedEarly = inv.earlyInvestments.filter((e) => e.status === 'approved');
  return (
    <Modal open={open} title={t('money.release.add')} onCancel={onClose} destroyOnHidden className="money-release-modal"
      onOk={() => void form.validateFields().then((v) => onSubmit({ ...v, amount: normalizeAmountInput(v.amount), earlyInvestmentId: v.earlyInvestmentId ?? null }))}>
      <Form form={form} layout="vertical" initialValues={{ planYear: new Date().getFullYear(), source: 'central_budget' }}>
        <Form.Item name="planYear" label={t('money.planYear')} rules={[{ required: true }]}><InputNumber min={2000} max={2100} precision={0} /></Form.Item>
        <Form.Item name="amount" label={t('money.amountWan')} rules={[{ required: true, pattern: AMOUNT, message: t('money.amount.invalid') }]}><Input className="money-amount" /></Form.Item>
        <Form.Item name="source" label={t('money.source')} rules={[{ required: true }]}>
          <Select options={SOURCES.map((s) => ({ value: s, label: t(`money.source.${s}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="documentNo" label={t('money.documentNo')}><Input maxLength={100} /></Form.Item>
        <Form.Item name="releasedOn" label={t('money.releasedOn')} rules={[{ required: true, pattern: DATE, message: 'YYYY-MM-DD' }]}><Input placeholder="YYYY-MM-DD" className="money-date" /></Form.Item>
        {approvedEarly.length > 0 && (
          <Form.Item name="earlyInvestmentId" label={t('money.early')}>
            <Select allowClear options={approvedEarly.map((e) => ({ value: e.id, label: `${groupThousands(e.total)} ${t('project.unit.wan')}（${t('money.released')} ${e.released}）` }))} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('money.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
      </Form>
      <Problems items={blocked} />
    </Modal>
  );
}

function SpendModal({ open, blocked, onClose, onSubmit }: { open: boolean; blocked: RuleProblem[]; onClose: () => void; onSubmit: (v: unknown) => Promise<void> }) {
  const t = useT();
  const [form] = Form.useForm();
  return (
    <Modal open={open} title={t('money.spend.add')} onCancel={onClose} destroyOnHidden className="money-spend-modal"
      onOk={() => void form.validateFields().then((v) => onSubmit({ ...v, amount: normalizeAmountInput(v.amount) }))}>
      <Form form={form} layout="vertical">
        <Form.Item name="spentOn" label={t('money.spentOn')} rules={[{ required: true, pattern: DATE, message: 'YYYY-MM-DD' }]}><Input placeholder="YYYY-MM-DD" /></Form.Item>
        <Form.Item name="amount" label={t('money.amountWan')} rules={[{ required: true, pattern: AMOUNT, message: t('money.amount.invalid') }]}><Input /></Form.Item>
        <Form.Item name="payee" label={t('money.payee')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="purpose" label={t('money.purpose')} rules={[{ required: true, whitespace: true }]}><Input maxLength={500} /></Form.Item>
      </Form>
      <Problems items={blocked} />
    </Modal>
  );
}

function EarlyModal({ open, blocked, onClose, onSubmit }: { open: boolean; blocked: RuleProblem[]; onClose: () => void; onSubmit: (v: unknown) => Promise<void> }) {
  const t = useT();
  const [form] = Form.useForm();
  return (
    <Modal open={open} title={t('money.early.apply')} onCancel={onClose} destroyOnHidden width={640}
      onOk={() => void form.validateFields().then((v: { lines: Array<{ purpose: string; amount: string }>; justification: string }) =>
        onSubmit({ ...v, lines: v.lines.map((l) => ({ ...l, amount: normalizeAmountInput(l.amount) })) }))}>
      <Alert type="info" showIcon message={t('money.early.help')} className="detail-alert" />
      <Form form={form} layout="vertical" initialValues={{ lines: [{ purpose: 'requirementsAnalysis' }] }}>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'purpose']} rules={[{ required: true }]}>
                    <Select style={{ width: 260 }} options={PURPOSES.map((p) => ({ value: p, label: t(`money.purpose.${p}` as MessageKey) }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'amount']} rules={[{ required: true, pattern: AMOUNT, message: t('money.amount.invalid') }]}>
                    <Input placeholder={t('money.amountWan')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ purpose: 'landPurchase' })}>{t('money.line.add')}</Button>
            </>
          )}
        </Form.List>
        <Form.Item name="justification" label={t('money.early.justification')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </Form>
      <Problems items={blocked} />
    </Modal>
  );
}

interface AdjustValues { lines?: Array<{ content?: string; change?: string }>; reason?: string; goalsUnchanged?: boolean; description?: string }

/** 第二十三条: the adjustment form with the live meter; the route is shown before filing. */
function AdjustDrawer({ open, base, blocked, onClose, onSubmit }: {
  open: boolean; base: string; blocked: RuleProblem[]; onClose: () => void; onSubmit: (v: unknown) => Promise<void>;
}) {
  const t = useT();
  const [form] = Form.useForm<AdjustValues>();
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const timer = useRef<number | undefined>(undefined);

  const bodyOf = (v: AdjustValues) => ({
    lines: (v.lines ?? []).filter((l) => l?.content?.trim() && CHANGE.test(normalizeAmountInput(l.change)))
      .map((l) => ({ content: l.content!.trim(), change: normalizeAmountInput(l.change) })),
    reason: v.reason ?? 'businessNeeds', goalsUnchanged: v.goalsUnchanged ?? true, description: v.description ?? '',
  });
  const evaluate = useCallback((v: AdjustValues) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const body = bodyOf(v);
      if (body.lines.length === 0) {
        setEvaluation(null);
        return;
      }
      const mine = ++seq.current;
      void request<Evaluation>('POST', `${base}/adjustments/evaluate`, { body }).then((e) => {
        if (mine === seq.current) setEvaluation(e);
      }).catch(() => undefined);
    }, 250);
  }, [base]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const f = evaluation?.figures;
  const submit = async () => {
    const v = await form.validateFields();
    if (!f) return;
    setBusy(true);
    try {
      await onSubmit({ ...bodyOf(v), amount: f.amount, totalAfter: f.totalAfter });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer open={open} onClose={onClose} width={720} destroyOnHidden title={t('money.adjust.add')} className="money-adjust-drawer"
      afterOpenChange={(o) => { if (!o) setEvaluation(null); }}
      extra={<Button type="primary" loading={busy} disabled={!f || evaluation?.route === 'invalid'} onClick={() => void submit()} className="money-adjust-submit">
        {evaluation?.route === 'reapproval' ? t('money.adjust.submitReapproval') : t('money.adjust.submitSelfFile')}
      </Button>}>
      <Form form={form} layout="vertical" initialValues={{ lines: [{}, {}], reason: 'businessNeeds', goalsUnchanged: true }}
        onValuesChange={(_, all) => evaluate(all)}>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((fl, i) => (
                <Space key={fl.key} align="baseline" className={`money-adjust-line money-adjust-line-${i}`}>
                  <Form.Item name={[fl.name, 'content']} rules={[{ required: true, whitespace: true, message: t('money.adjust.content') }]}>
                    <Input placeholder={t('money.adjust.content')} style={{ width: 320 }} className="money-line-content" />
                  </Form.Item>
                  <Form.Item name={[fl.name, 'change']} rules={[{ required: true, pattern: CHANGE, message: t('money.amount.invalid') }]}>
                    <Input placeholder={t('money.adjust.change')} style={{ width: 180 }} className="money-line-change" />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => { remove(fl.name); evaluate(form.getFieldsValue()); }} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>{t('money.line.add')}</Button>
            </>
          )}
        </Form.List>
        <Form.Item name="reason" label={t('money.adjust.reason')} className="money-adjust-reason">
          <Select options={REASONS.map((r) => ({ value: r, label: t(`money.reason.${r}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="goalsUnchanged" label={t('money.adjust.goalsUnchanged')} valuePropName="checked"><Switch /></Form.Item>
        <Form.Item name="description" label={t('money.adjust.description')}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>
      </Form>
      <Card size="small" title={t('money.adjust.meter')} className="money-live">
        {f ? (
          <Space direction="vertical" className="full-width">
            <ShareMeter share={f.sharePercent} threshold={f.thresholdPercent} className="money-live-meter" />
            <Descriptions size="small" column={2} className="money-live-figures">
              <Descriptions.Item label={t('money.approvedBudget')}><Wan value={f.approvedTotal} /></Descriptions.Item>
              <Descriptions.Item label={t('money.adjust.prior')}><Wan value={f.priorCumulative} /></Descriptions.Item>
              <Descriptions.Item label={t('money.adjust.this')}><Wan value={f.amount} /></Descriptions.Item>
              <Descriptions.Item label={t('money.adjust.after')}><Wan value={f.cumulative} /></Descriptions.Item>
              <Descriptions.Item label={t('money.adjust.share')}>{f.sharePercent}%{f.shareExact ? '' : t('money.adjust.roundedUp')}</Descriptions.Item>
              <Descriptions.Item label={t('money.adjust.threshold')}>{f.thresholdPercent}%</Descriptions.Item>
              <Descriptions.Item label={t('money.adjust.headroom')}><Wan value={f.headroom} /></Descriptions.Item>
              <Descriptions.Item label={t('money.adjust.totalAfter')}><Wan value={f.totalAfter} /></Descriptions.Item>
            </Descriptions>
            <Alert className="money-live-route" showIcon type={evaluation!.route === 'selfFile' ? 'success' : evaluation!.route === 'reapproval' ? 'warning' : 'error'}
              message={t(`money.route.${evaluation!.route}.long` as MessageKey)}
              description={<Problems items={[...evaluation!.problems, ...evaluation!.reapprovalReasons]} />} />
          </Space>
        ) : <Typography.Text type="secondary">{t('money.adjust.meterEmpty')}</Typography.Text>}
        <Problems items={blocked} />
      </Card>
    </Drawer>
  );
}
