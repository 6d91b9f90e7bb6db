// 安全与资源 (第十四条–第十七条) and 运维经费资格 (第二十八条) on a system's page and on a project's
// 「安全与资源」 tab: the eligibility with every reason under its clause, the records (等保/分保备案,
// 测评, 风险评估, 密码应用方案, 密评, 重大安全隐患, 安全可靠产品, PUE, 云资源) with the form to add
// one and to resolve a hazard, and the 共享问题认定 that 国务院办公厅 / NDRC record (I-20).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert, App, Button, Card, Col, DatePicker, Descriptions, Drawer, Empty, Form, Grid, Input, InputNumber, List, Radio, Row, Select, Space, Spin,
  Switch, Table, Tag, Typography,
} from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, PlusOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ApiError, request } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useCan } from '../../auth/AuthContext';
import { useT, type MessageKey } from '../../i18n';
import { afterShanghaiToday, shanghaiDay, shanghaiToday } from '../../utils/format';
import { useLocalized } from '../catalog/catalogUi';
import type { GovernmentSystem } from '../catalog/catalogApi';
import {
  CONCLUDED_KINDS, PRODUCT_CATEGORIES, RECORD_KINDS, SYSTEM_REQUIRED_KINDS, securityApi,
  type EligibilityReason, type RecordDetails, type RecordKind, type SecurityRecord, type SharingFinding, type SystemEligibility,
} from './securityApi';
import './security.css';

const CLAUSE_COLORS: Record<string, string> = { 一: 'volcano', 二: 'orange', 三: 'red', 孤网: 'purple' };

/** The clause of 第二十八条 a reason falls under, as a coloured tag. */
export function ClauseTag({ reason }: { reason: Pick<EligibilityReason, 'clause'> }) {
  const t = useT();
  if (!reason.clause) return null;
  return (
    <Tag color={CLAUSE_COLORS[reason.clause]} className="clause-tag" data-clause={reason.clause}>
      {t(`eligibility.clause.${reason.clause}` as MessageKey)}
    </Tag>
  );
}

export function EligibleTag({ eligible }: { eligible: boolean }) {
  const t = useT();
  return eligible ? (
    <Tag color="success" icon={<CheckCircleOutlined />} className="eligible-tag" data-eligible="true">
      {t('eligibility.eligible')}
    </Tag>
  ) : (
    <Tag color="error" icon={<CloseCircleOutlined />} className="eligible-tag" data-eligible="false">
      {t('eligibility.ineligible')}
    </Tag>
  );
}

/** Every reason with its clause, then the warnings (leads that decide nothing). */
export function ReasonList({ e, compact = false }: { e: Pick<SystemEligibility, 'reasons' | 'warnings'>; compact?: boolean }) {
  const local = useLocalized();
  return (
    <ul className={compact ? 'reason-list compact' : 'reason-list'}>
      {e.reasons.map((r, i) => (
        <li key={`${r.code}-${i}`} className="reason" data-code={r.code}>
          <ClauseTag reason={r} />
          <span>{local(r.message)}</span>
        </li>
      ))}
      {e.warnings.map((w, i) => (
        <li key={`w-${w.code}-${i}`} className="reason warning" data-code={w.code}>
          <WarningOutlined className="warning-icon" /> <Typography.Text type="secondary">{local(w.message)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

function EligibilityCard({ e, loading, onReload }: { e: SystemEligibility | null; loading: boolean; onReload: () => void }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  return (
    <Card
      size="small"
      className="detail-card eligibility-card"
      title={
        <Space wrap>
          <span>{t('eligibility.card.title')}</span>
          {e && <EligibleTag eligible={e.eligible} />}
        </Space>
      }
      extra={<Button size="small" icon={<ReloadOutlined />} onClick={onReload} aria-label={t('common.refresh')} />}
    >
      {loading && !e ? (
        <Spin />
      ) : e ? (
        <>
          {e.reasons.length === 0 && e.warnings.length === 0 ? (
            <Typography.Paragraph type="success">{t('eligibility.card.none')}</Typography.Paragraph>
          ) : (
            <ReasonList e={e} />
          )}
          <Descriptions size="small" column={screens.md ? 3 : 1} className="eligibility-facts">
            <Descriptions.Item label={t('eligibility.inOperationOn')}>{e.inOperationOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('eligibility.nextTest')}>{e.nextSecurityTestDue ?? t('eligibility.notPeriodic')}</Descriptions.Item>
            <Descriptions.Item label={t('eligibility.nextCrypto')}>{e.nextCryptoAssessmentDue ?? t('eligibility.notPeriodic')}</Descriptions.Item>
            <Descriptions.Item label={t('eligibility.mayRebuild')}>
              {e.mayRebuild ? <Tag color="green">{t('eligibility.mayRebuild.yes')}</Tag> : <Tag color="red">{t('eligibility.mayRebuild.no')}</Tag>}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" className="small">
            {t('eligibility.card.help')}
          </Typography.Paragraph>
        </>
      ) : null}
    </Card>
  );
}

/** The record's own fields as one line of text. */
function useDetailText() {
  const t = useT();
  return (r: SecurityRecord): string => {
    const d = r.details;
    const parts: string[] = [];
    if (d.scheme) parts.push(d.scheme === 'classified' ? t('security.scheme.classified') : t('security.scheme.mlps', { level: d.level ?? '' }));
    if (d.agency) parts.push(d.agency);
    if (d.score) parts.push(t('security.score', { score: d.score }));
    if (d.reviewed !== undefined) parts.push(d.reviewed ? t('security.reviewed.yes') : t('security.reviewed.no'));
    if (d.product) parts.push(`${d.product}（${d.vendor ?? ''}，${t(`security.category.${d.category ?? 'software'}` as MessageKey)}）`);
    if (d.dataCentre) parts.push(`${d.dataCentre} PUE ${d.pue ?? ''}`);
    if (d.provider) parts.push([d.provider, d.vcpu !== undefined ? `${d.vcpu} vCPU` : null, d.storageTb ? `${d.storageTb} TB` : null].filter(Boolean).join(' · '));
    if (d.findings) parts.push(d.findings);
    return parts.join('；');
  };
}

function RecordsTable({ records, showSystem, canRecord, onResolve }: {
  records: SecurityRecord[]; showSystem: boolean; canRecord: boolean; onResolve: (r: SecurityRecord) => void;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const detailText = useDetailText();
  const conclusion = (r: SecurityRecord) => {
    if (r.kind === 'hazard') {
      return r.resolvedOn ? <Tag color="green">{t('security.hazard.resolved', { date: r.resolvedOn })}</Tag> : <Tag color="red">{t('security.hazard.open')}</Tag>;
    }
    if (r.passed === null) return null;
    return r.passed ? <Tag color="green">{t('security.passed')}</Tag> : <Tag color="red">{t('security.failed')}</Tag>;
  };
  if (!screens.md) {
    return (
      <List
        size="small"
        dataSource={records}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('security.records.empty')} /> }}
        renderItem={(r) => (
          <List.Item key={r.id} extra={conclusion(r)}>
            <List.Item.Meta
              title={`${t(`security.kind.${r.kind}` as MessageKey)} · ${r.occurredOn}`}
              description={[showSystem ? r.systemName : null, r.reference, detailText(r)].filter(Boolean).join(' · ')}
            />
          </List.Item>
        )}
      />
    );
  }
  return (
    <Table<SecurityRecord>
      size="small"
      rowKey="id"
      className="security-records-table"
      dataSource={records}
      pagination={records.length > 10 ? { pageSize: 10 } : false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('security.records.empty')} /> }}
      columns={[
        { title: t('security.field.kind'), dataIndex: 'kind', width: 150, render: (k: RecordKind) => <Tag>{t(`security.kind.${k}` as MessageKey)}</Tag> },
        { title: t('security.field.occurredOn'), dataIndex: 'occurredOn', width: 110 },
        ...(showSystem ? [{ title: t('security.field.system'), dataIndex: 'systemName', width: 180, render: (v: string | null) => v ?? t('security.projectWide') }] : []),
        { title: t('security.field.reference'), dataIndex: 'reference', width: 160, render: (v: string | null) => (v ? <span className="mono small">{v}</span> : '—') },
        { title: t('security.field.details'), key: 'details', render: (_: unknown, r: SecurityRecord) => detailText(r) },
        { title: t('security.field.conclusion'), key: 'conclusion', width: 150, render: (_: unknown, r: SecurityRecord) => conclusion(r) },
        { title: t('security.field.recordedBy'), dataIndex: 'recordedByName', width: 90 },
        ...(canRecord
          ? [{
              title: t('common.actions'), key: 'actions', width: 100,
              render: (_: unknown, r: SecurityRecord) => r.kind === 'hazard' && !r.resolvedOn
                ? <Button size="small" type="link" onClick={() => onResolve(r)} className="hazard-resolve">{t('security.hazard.resolve')}</Button>
                : null,
            }]
          : []),
      ]}
    />
  );
}

interface RecordValues {
  kind: RecordKind;
  systemId?: string;
  occurredOn?: Dayjs;
  passed?: boolean;
  reference?: string;
  scheme?: 'mlps' | 'classified';
  level?: number;
  agency?: string;
  findings?: string;
  score?: string;
  reviewed?: boolean;
  product?: string;
  vendor?: string;
  category?: (typeof PRODUCT_CATEGORIES)[number];
  dataCentre?: string;
  pue?: string;
  provider?: string;
  vcpu?: number;
  storageTb?: string;
}

const DETAIL_FIELDS: Record<RecordKind, (keyof RecordDetails)[]> = {
  filing: ['scheme', 'level'], securityTest: ['agency', 'findings'], riskAssessment: ['agency', 'findings'], cryptoPlan: ['reviewed'],
  cryptoAssessment: ['agency', 'score', 'findings'], hazard: ['findings'], product: ['product', 'vendor', 'category'],
  energy: ['dataCentre', 'pue'], cloud: ['provider', 'vcpu', 'storageTb'],
};

function RecordDrawer({ open, onClose, onSaved, projectId, systems, fixedSystemId }: {
  open: boolean; onClose: () => void; onSaved: () => void; projectId: string | null;
  systems: Array<{ id: string; name: string }>; fixedSystemId: string | null;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<RecordValues>();
  const [saving, setSaving] = useState(false);
  const kind = Form.useWatch('kind', form) ?? 'securityTest';
  const scheme = Form.useWatch('scheme', form);
  const fields = DETAIL_FIELDS[kind];
  const required = (field: string) => [{ required: true, message: t('common.required', { field }) }];

  const submit = async () => {
    const v = await form.validateFields();
    const details: RecordDetails = {};
    for (const key of fields) {
      const value = v[key as keyof RecordValues];
      if (value !== undefined && value !== null && value !== '') (details as Record<string, unknown>)[key] = value;
    }
    setSaving(true);
    try {
      await securityApi.create({
        kind: v.kind, projectId, systemId: fixedSystemId ?? v.systemId ?? null, occurredOn: v.occurredOn!.format('YYYY-MM-DD'),
        passed: CONCLUDED_KINDS.includes(v.kind) ? (v.passed ?? null) : null, reference: v.reference?.trim() || null, details,
      });
      void message.success(t('security.saved'));
      form.resetFields();
      onSaved();
    } catch (error) {
      showError(error);
      if (error instanceof ApiError) {
        form.setFields(error.errors.map((p) => ({ name: p.path.replace(/^details\./, '') as keyof RecordValues, errors: [p.message] })));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={screens.md ? 560 : '100%'}
      title={t('security.add')}
      className="action-drawer security-record-drawer"
      footer={
        <Space className="drawer-footer">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void submit()} className="security-record-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<RecordValues> form={form} layout="vertical" name="security-record" initialValues={{ kind: 'securityTest', occurredOn: shanghaiToday() }}>
        <Form.Item name="kind" label={t('security.field.kind')} rules={required(t('security.field.kind'))}>
          <Select
            className="record-kind-select"
            options={RECORD_KINDS.map((k) => ({ value: k, label: t(`security.kind.${k}` as MessageKey) }))}
          />
        </Form.Item>
        {fixedSystemId === null && (
          <Form.Item
            name="systemId"
            label={t('security.field.system')}
            rules={SYSTEM_REQUIRED_KINDS.includes(kind) ? required(t('security.field.system')) : []}
            extra={SYSTEM_REQUIRED_KINDS.includes(kind) ? t('security.system.required') : t('security.system.optional')}
          >
            <Select allowClear options={systems.map((s) => ({ value: s.id, label: s.name }))} placeholder={t('security.projectWide')} />
          </Form.Item>
        )}
        <Form.Item name="occurredOn" label={t(`security.date.${kind}` as MessageKey)} rules={required(t('security.field.occurredOn'))}>
          <DatePicker className="full-width" disabledDate={afterShanghaiToday} maxDate={shanghaiDay()} />
        </Form.Item>
        {CONCLUDED_KINDS.includes(kind) && (
          <Form.Item name="passed" label={t('security.field.conclusion')} rules={required(t('security.field.conclusion'))}>
            <Radio.Group optionType="button" options={[{ value: true, label: t('security.passed') }, { value: false, label: t('security.failed') }]} />
          </Form.Item>
        )}
        {kind !== 'hazard' && kind !== 'energy' && kind !== 'cloud' && kind !== 'cryptoPlan' && (
          <Form.Item name="reference" label={t(kind === 'filing' ? 'security.field.filingNumber' : kind === 'product' ? 'security.field.certificate' : 'security.field.reportNumber')}
            rules={kind === 'filing' ? required(t('security.field.filingNumber')) : []}>
            <Input maxLength={100} />
          </Form.Item>
        )}
        {fields.includes('scheme') && (
          <Form.Item name="scheme" label={t('security.field.scheme')} rules={required(t('security.field.scheme'))}>
            <Radio.Group options={[{ value: 'mlps', label: t('security.scheme.mlpsName') }, { value: 'classified', label: t('security.scheme.classified') }]} />
          </Form.Item>
        )}
        {fields.includes('level') && scheme !== 'classified' && (
          <Form.Item name="level" label={t('security.field.level')} rules={required(t('security.field.level'))}>
            <Select options={[2, 3, 4, 5].map((l) => ({ value: l, label: t(`project.security.mlpsLevel.${l}` as MessageKey) }))} />
          </Form.Item>
        )}
        {fields.includes('agency') && (
          <Form.Item name="agency" label={t('security.field.agency')} rules={required(t('security.field.agency'))}>
            <Input maxLength={200} />
          </Form.Item>
        )}
        {fields.includes('score') && (
          <Form.Item name="score" label={t('security.field.score')}>
            <Input maxLength={8} placeholder="85.5" />
          </Form.Item>
        )}
        {fields.includes('reviewed') && (
          <Form.Item name="reviewed" label={t('security.field.reviewed')} valuePropName="checked" initialValue={false}>
            <Switch />
          </Form.Item>
        )}
        {fields.includes('product') && (
          <>
            <Form.Item name="product" label={t('security.field.product')} rules={required(t('security.field.product'))}><Input maxLength={200} /></Form.Item>
            <Form.Item name="vendor" label={t('security.field.vendor')} rules={required(t('security.field.vendor'))}><Input maxLength={200} /></Form.Item>
            <Form.Item name="category" label={t('security.field.category')} rules={required(t('security.field.category'))}>
              <Select options={PRODUCT_CATEGORIES.map((c) => ({ value: c, label: t(`security.category.${c}` as MessageKey) }))} />
            </Form.Item>
          </>
        )}
        {fields.includes('dataCentre') && (
          <>
            <Form.Item name="dataCentre" label={t('security.field.dataCentre')} rules={required(t('security.field.dataCentre'))}><Input maxLength={200} /></Form.Item>
            <Form.Item name="pue" label="PUE" rules={required('PUE')} extra={t('security.pue.help')}><Input maxLength={8} placeholder="1.35" /></Form.Item>
          </>
        )}
        {fields.includes('provider') && (
          <>
            <Form.Item name="provider" label={t('security.field.provider')} rules={required(t('security.field.provider'))}><Input maxLength={200} placeholder="国家政务云" /></Form.Item>
            <Form.Item name="vcpu" label="vCPU"><InputNumber min={0} precision={0} className="full-width" /></Form.Item>
            <Form.Item name="storageTb" label={t('security.field.storageTb')}><Input maxLength={12} /></Form.Item>
          </>
        )}
        {fields.includes('findings') && (
          <Form.Item name="findings" label={t(kind === 'hazard' ? 'security.field.hazard' : 'security.field.findings')} rules={kind === 'hazard' ? required(t('security.field.hazard')) : []}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}

/** The resolve form of a hazard or a finding. */
function ResolveDrawer({ title, open, onClose, onSubmit }: {
  title: string; open: boolean; onClose: () => void; onSubmit: (v: { resolvedOn: string; resolution: string }) => Promise<void>;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<{ resolvedOn: Dayjs; resolution: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await onSubmit({ resolvedOn: v.resolvedOn.format('YYYY-MM-DD'), resolution: v.resolution });
      form.resetFields();
    } finally {
      setSaving(false);
    }
  };
  return (
    <Drawer open={open} onClose={onClose} title={title} width={screens.md ? 480 : '100%'} className="action-drawer resolve-drawer"
      footer={<Space className="drawer-footer"><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" loading={saving} onClick={() => void submit()}>{t('common.save')}</Button></Space>}>
      <Form form={form} layout="vertical" initialValues={{ resolvedOn: shanghaiToday() }}>
        <Form.Item name="resolvedOn" label={t('security.field.resolvedOn')} rules={[{ required: true, message: t('common.required', { field: t('security.field.resolvedOn') }) }]}>
          <DatePicker className="full-width" disabledDate={afterShanghaiToday} />
        </Form.Item>
        <Form.Item name="resolution" label={t('security.field.resolution')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('security.field.resolution') }) }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function FindingsCard({ systemId, findings, onChanged }: { systemId: string; findings: SharingFinding[]; onChanged: () => void }) {
  const t = useT();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [adding, setAdding] = useState(false);
  const [resolving, setResolving] = useState<SharingFinding | null>(null);
  const [form] = Form.useForm<{ kind: SharingFinding['kind']; reference: string; description: string; foundOn: Dayjs }>();
  const mayRecord = can('sharing:finding');
  const add = async () => {
    const v = await form.validateFields();
    try {
      await securityApi.recordFinding(systemId, { kind: v.kind, reference: v.reference, description: v.description, foundOn: v.foundOn.format('YYYY-MM-DD') });
      void message.success(t('finding.saved'));
      form.resetFields();
      setAdding(false);
      onChanged();
    } catch (error) {
      showError(error);
    }
  };
  return (
    <Card size="small" className="detail-card findings-card" title={t('finding.title')}
      extra={mayRecord ? <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} className="finding-add">{t('finding.add')}</Button> : null}>
      <Typography.Paragraph type="secondary" className="small">{t('finding.help')}</Typography.Paragraph>
      <List
        size="small"
        dataSource={findings}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finding.empty')} /> }}
        renderItem={(f) => (
          <List.Item key={f.id} className="finding-item"
            extra={f.resolvedOn ? <Tag color="green">{t('security.hazard.resolved', { date: f.resolvedOn })}</Tag>
              : mayRecord ? <Button size="small" onClick={() => setResolving(f)}>{t('security.hazard.resolve')}</Button> : <Tag color="red">{t('finding.open')}</Tag>}>
            <List.Item.Meta
              title={<Space wrap size={4}><Tag color="volcano">{t(`finding.kind.${f.kind}` as MessageKey)}</Tag><span className="mono small">{f.reference}</span></Space>}
              description={`${f.description}（${f.organizationName} · ${f.foundOn}）${f.resolution ? ` → ${f.resolution}` : ''}`}
            />
          </List.Item>
        )}
      />
      <Drawer open={adding} onClose={() => setAdding(false)} title={t('finding.add')} width={screens.md ? 520 : '100%'} className="action-drawer finding-drawer"
        footer={<Space className="drawer-footer"><Button onClick={() => setAdding(false)}>{t('common.cancel')}</Button><Button type="primary" onClick={() => void add()}>{t('common.save')}</Button></Space>}>
        <Alert type="info" showIcon message={t('finding.article')} className="detail-alert" />
        <Form form={form} layout="vertical" initialValues={{ kind: 'notSharing', foundOn: shanghaiToday() }}>
          <Form.Item name="kind" label={t('finding.field.kind')}>
            <Radio.Group options={(['notSharing', 'duplicateCollection'] as const).map((k) => ({ value: k, label: t(`finding.kind.${k}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="reference" label={t('finding.field.reference')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('finding.field.reference') }) }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="foundOn" label={t('finding.field.foundOn')} rules={[{ required: true, message: t('common.required', { field: t('finding.field.foundOn') }) }]}>
            <DatePicker className="full-width" disabledDate={afterShanghaiToday} />
          </Form.Item>
          <Form.Item name="description" label={t('finding.field.description')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('finding.field.description') }) }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Drawer>
      <ResolveDrawer title={t('finding.resolve')} open={resolving !== null} onClose={() => setResolving(null)} onSubmit={async (v) => {
        try {
          await securityApi.resolveFinding(resolving!.id, v);
          setResolving(null);
          onChanged();
        } catch (error) {
          showError(error);
        }
      }} />
    </Card>
  );
}

/** The 安全与资源 section of a system's page. */
export function SystemSecuritySection({ system }: { system: Pick<GovernmentSystem, 'id' | 'ownerOrganizationId'> }) {
  const t = useT();
  const can = useCan();
  const { showError } = useApiFeedback();
  const [eligibility, setEligibility] = useState<SystemEligibility | null>(null);
  const [records, setRecords] = useState<SecurityRecord[]>([]);
  const [findings, setFindings] = useState<SharingFinding[]>([]);
  const [loading, setLoading] = useState(false);
  const [adding, setAdding] = useState(false);
  const [resolving, setResolving] = useState<SecurityRecord | null>(null);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [e, r, f] = await Promise.all([securityApi.eligibility(system.id), securityApi.systemRecords(system.id), securityApi.findings(system.id)]);
      setEligibility(e);
      setRecords(r.items);
      setFindings(f.items);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [system.id, showError]);
  useEffect(() => {
    void load();
  }, [load]);
  const canRecord = can('security:record');
  return (
    <Row gutter={[16, 16]} className="system-security-section">
      <Col span={24}>
        <Typography.Title level={5} className="section-title">{t('security.section')}</Typography.Title>
      </Col>
      <Col span={24}>
        <EligibilityCard e={eligibility} loading={loading} onReload={() => void load()} />
      </Col>
      <Col span={24}>
        <Card size="small" className="detail-card security-records-card" title={t('security.records.title', { count: records.length })}
          extra={canRecord ? <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} className="security-record-add">{t('security.add')}</Button> : null}>
          <RecordsTable records={records} showSystem={false} canRecord={canRecord} onResolve={setResolving} />
        </Card>
      </Col>
      <Col span={24}>
        <FindingsCard systemId={system.id} findings={findings} onChanged={() => void load()} />
      </Col>
      {canRecord && (
        <RecordDrawer open={adding} onClose={() => setAdding(false)} onSaved={() => { setAdding(false); void load(); }} projectId={null} systems={[]} fixedSystemId={system.id} />
      )}
      <HazardResolve record={resolving} onClose={() => setResolving(null)} onDone={() => { setResolving(null); void load(); }} />
    </Row>
  );
}

function HazardResolve({ record, onClose, onDone }: { record: SecurityRecord | null; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { showError } = useApiFeedback();
  return (
    <ResolveDrawer title={t('security.hazard.resolve')} open={record !== null} onClose={onClose} onSubmit={async (v) => {
      try {
        await securityApi.resolveHazard(record!.id, v);
        onDone();
      } catch (error) {
        showError(error);
      }
    }} />
  );
}

interface ProjectSystemRow {
  id: string;
  name: string;
  relation: 'new' | 'upgrade';
}

/**
 * The 「安全与资源」 tab of a project: the records made under it or about its systems, the
 * eligibility of each system it built or upgraded, the 改建/扩建 check (第二十八条), and the
 * declared systems the master catalog lacks ((二), I-51).
 */
export function ProjectSecurityTab({ project }: { project: { id: string; kind: string; systems: Array<{ name: string; action: string }> } }) {
  const t = useT();
  const can = useCan();
  const { showError } = useApiFeedback();
  const [records, setRecords] = useState<SecurityRecord[]>([]);
  const [systems, setSystems] = useState<ProjectSystemRow[]>([]);
  const [eligibility, setEligibility] = useState<Map<string, SystemEligibility>>(new Map());
  const [rebuild, setRebuild] = useState<Awaited<ReturnType<typeof securityApi.rebuildCheck>> | null>(null);
  const [loading, setLoading] = useState(false);
  const [adding, setAdding] = useState(false);
  const [resolving, setResolving] = useState<SecurityRecord | null>(null);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [r, s, check] = await Promise.all([
        securityApi.projectRecords(project.id),
        request<{ items: Array<{ id: string; name: string; projects: Array<{ projectId: string; relation: 'new' | 'upgrade' }> }> }>('GET', `/projects/${project.id}/systems`),
        securityApi.rebuildCheck(project.id),
      ]);
      setRecords(r.items);
      const rows = s.items.map((x) => ({ id: x.id, name: x.name, relation: x.projects.find((p) => p.projectId === project.id)?.relation ?? 'new' }));
      setSystems(rows);
      setRebuild(check);
      if (can('catalog:read')) {
        const judged = await Promise.all(rows.map((x) => securityApi.eligibility(x.id).catch(() => null)));
        setEligibility(new Map(judged.filter((e): e is SystemEligibility => e !== null).map((e) => [e.systemId, e])));
      }
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [project.id, showError, can]);
  useEffect(() => {
    void load();
  }, [load]);
  // (二), I-51: declared systems of which none is linked in the master catalog (names are not matched:
  // a catalog entry may be spelled otherwise than the declaration).
  const unlisted = useMemo(() => (loading || systems.length > 0 ? [] : project.systems), [loading, systems.length, project.systems]);
  const blocked = rebuild?.appliesTo ? rebuild.systems.filter((s) => !s.allowed) : [];
  const canRecord = can('security:record');
  return (
    <Space direction="vertical" size={16} className="full-width project-security-tab">
      {blocked.length > 0 && (
        <Alert type="error" showIcon className="rebuild-blocked" message={t('eligibility.rebuild.blocked')}
          description={<ul className="reason-list">{blocked.map((b) => <li key={b.systemId}><strong>{b.name}</strong>：{b.reasons.map((r) => r.message.zh).join('；')}</li>)}</ul>} />
      )}
      {unlisted.length > 0 && (
        <Alert type="warning" showIcon className="unlisted-systems" message={t('eligibility.unlisted', { names: unlisted.map((s) => s.name).join('、') })} />
      )}
      <Card size="small" className="detail-card" title={t('eligibility.project.systems', { count: systems.length })} loading={loading && systems.length === 0}>
        <List
          size="small"
          dataSource={systems}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('eligibility.project.noSystems')} /> }}
          renderItem={(s) => {
            const e = eligibility.get(s.id);
            return (
              <List.Item key={s.id} extra={e ? <EligibleTag eligible={e.eligible} /> : null}>
                <List.Item.Meta
                  title={<Space wrap size={4}>{can('catalog:read') ? <Link to={`/catalog/systems/${s.id}`}>{s.name}</Link> : s.name}<Tag>{t(`catalog.projectRelation.${s.relation}`)}</Tag></Space>}
                  description={e ? <ReasonList e={e} compact /> : null}
                />
              </List.Item>
            );
          }}
        />
      </Card>
      <Card size="small" className="detail-card security-records-card" title={t('security.records.title', { count: records.length })}
        extra={canRecord ? <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} className="security-record-add">{t('security.add')}</Button> : null}>
        <RecordsTable records={records} showSystem canRecord={canRecord} onResolve={setResolving} />
      </Card>
      {canRecord && (
        <RecordDrawer open={adding} onClose={() => setAdding(false)} onSaved={() => { setAdding(false); void load(); }} projectId={project.id}
          systems={systems.map((s) => ({ id: s.id, name: s.name }))} fixedSystemId={null} />
      )}
      <HazardResolve record={resolving} onClose={() => setResolving(null)} onDone={() => { setResolving(null); void load(); }} />
    </Space>
  );
}
