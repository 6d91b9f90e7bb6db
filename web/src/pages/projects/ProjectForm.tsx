// 新建项目 / 编辑项目: one StepsForm wizard for both. Edit mode sends If-Match with the
// version the form was filled from; a 412 reloads the latest data into the form.
import { useCallback, useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { PageContainer, StepsForm } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import type { FormInstance, FormRule } from 'antd';
import { DeleteOutlined, LockOutlined, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError } from '../../api/client';
import { fieldErrorsOf, useApiFeedback, type FieldPath } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import {
  CRYPTO_ASSESSMENTS,
  CRYPTO_PLANS,
  FUNDING_CHANNELS,
  INDICATOR_CATEGORIES,
  INDICATOR_DIRECTIONS,
  PROJECT_KINDS,
  PROJECT_TRACKS,
  SYSTEM_ACTIONS,
  URGENT_REASON_CATEGORIES,
  type CryptoAssessment,
  type CryptoPlan,
  type FundingChannel,
  type IndicatorCategory,
  type IndicatorDirection,
  type Organization,
  type Plan,
  type Project,
  type ProjectInput,
  type ProjectKind,
  type ProjectTrack,
  type RuleProblem,
  type SystemAction,
  type UrgentReasonCategory,
} from '../../api/types';
import { useCan, useMe } from '../../auth/AuthContext';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { DECIMAL_PATTERN, normalizeAmountInput, WAN_PATTERN } from '../../utils/money';
import { orgTreeSelectData, type OrgTreeSelectNode } from '../../utils/orgTree';
import { shanghaiToday } from '../../utils/format';
import DuplicateWarnings, { useSimilarityCheck } from '../../components/DuplicateWarnings';
import RuleProblems from '../../components/RuleProblems';

/** The plan-task select's value for 未列入规划 (sent as planTaskId: null). */
const NOT_IN_PLAN = 'not-in-plan';
const DATE_FORMAT = 'YYYY-MM-DD';

interface IndicatorValues {
  indicator?: string;
  category?: IndicatorCategory;
  unit?: string;
  baseline?: string;
  targets?: { year?: number; value?: string }[];
  direction?: IndicatorDirection;
}

/** Everything the five steps hold (each step's form holds its own part). */
interface WizardValues {
  name?: string;
  constructionUnitId?: string;
  approvalDepartmentId?: string;
  track?: ProjectTrack;
  kind?: ProjectKind;
  planTaskId?: string;
  involvesSecrets?: boolean;
  crossEnabled?: boolean;
  crossDepartment?: { leadOrganizationId?: string; participantIds?: string[] };
  constructionStart?: string;
  constructionEnd?: string;
  totalInvestment?: string;
  oAndMFunds?: string;
  fundingChannel?: FundingChannel;
  performanceIndicators?: IndicatorValues[];
  systems?: { name?: string; action?: SystemAction }[];
  security?: { mlpsLevel?: number; cryptoPlan?: CryptoPlan; cryptoAssessment?: CryptoAssessment };
  newCivilConstruction?: boolean;
  highEnergyConsumption?: boolean;
  urgentEnabled?: boolean;
  urgent?: { reasonCategory?: UrgentReasonCategory; justification?: string; situationUrgent?: boolean; preparationAdequate?: boolean };
}

/** Which step holds a top-level field of the request body (for mapping server field errors). */
const STEP_OF_FIELD: Record<string, number> = {
  name: 0,
  constructionUnitId: 0,
  approvalDepartmentId: 0,
  track: 0,
  kind: 0,
  planTaskId: 0,
  involvesSecrets: 0,
  crossDepartment: 0,
  constructionStart: 1,
  constructionEnd: 1,
  totalInvestment: 1,
  oAndMFunds: 1,
  fundingChannel: 1,
  performanceIndicators: 2,
  systems: 3,
  security: 3,
  newCivilConstruction: 3,
  highEnergyConsumption: 3,
  urgent: 4,
};
const URGENT_STEP = 4;
const STEP_COUNT = 5;

function valuesFromProject(project: Project): WizardValues {
  return {
    name: project.name,
    constructionUnitId: project.constructionUnitId,
    approvalDepartmentId: project.approvalDepartmentId,
    track: project.track,
    kind: project.kind,
    planTaskId: project.planTaskId ?? NOT_IN_PLAN,
    involvesSecrets: project.involvesSecrets,
    crossEnabled: project.crossDepartment !== null,
    crossDepartment: project.crossDepartment ?? undefined,
    constructionStart: project.constructionStart,
    constructionEnd: project.constructionEnd,
    totalInvestment: project.totalInvestment,
    oAndMFunds: project.oAndMFunds,
    fundingChannel: project.fundingChannel,
    performanceIndicators: project.performanceIndicators,
    systems: project.systems,
    security: {
      mlpsLevel: project.security.mlpsLevel ?? undefined,
      cryptoPlan: project.security.cryptoPlan,
      cryptoAssessment: project.security.cryptoAssessment,
    },
    newCivilConstruction: project.newCivilConstruction,
    highEnergyConsumption: project.highEnergyConsumption,
    urgentEnabled: project.urgent !== null,
    urgent: project.urgent
      ? {
          reasonCategory: project.urgent.reasonCategory ?? undefined,
          justification: project.urgent.justification,
          situationUrgent: project.urgent.situationUrgent,
          preparationAdequate: project.urgent.preparationAdequate,
        }
      : undefined,
  };
}

function blankValues(defaultUnitId: string | undefined): WizardValues {
  return {
    constructionUnitId: defaultUnitId,
    track: 'approval',
    kind: 'new',
    planTaskId: NOT_IN_PLAN,
    involvesSecrets: false,
    crossEnabled: false,
    performanceIndicators: [],
    systems: [],
    security: { cryptoPlan: 'none', cryptoAssessment: 'not_started' },
    newCivilConstruction: false,
    highEnergyConsumption: false,
    urgentEnabled: false,
  };
}

/** The request body from the wizard's values; 涉密 decides the protection scheme. */
function toInput(values: WizardValues): ProjectInput {
  const classified = values.involvesSecrets === true;
  const track = values.track ?? 'approval';
  return {
    name: (values.name ?? '').trim(),
    constructionUnitId: values.constructionUnitId ?? '',
    approvalDepartmentId: values.approvalDepartmentId ?? '',
    track,
    kind: values.kind ?? 'new',
    planTaskId: values.planTaskId && values.planTaskId !== NOT_IN_PLAN ? values.planTaskId : null,
    involvesSecrets: classified,
    crossDepartment: values.crossEnabled
      ? {
          leadOrganizationId: values.crossDepartment?.leadOrganizationId ?? '',
          participantIds: values.crossDepartment?.participantIds ?? [],
        }
      : null,
    constructionStart: values.constructionStart ?? '',
    constructionEnd: values.constructionEnd ?? '',
    totalInvestment: values.totalInvestment ?? '',
    oAndMFunds: values.oAndMFunds ?? '',
    fundingChannel: values.fundingChannel ?? 'other',
    performanceIndicators: (values.performanceIndicators ?? []).map((item) => ({
      indicator: (item.indicator ?? '').trim(),
      category: item.category ?? 'output',
      unit: (item.unit ?? '').trim(),
      baseline: item.baseline ?? '',
      targets: (item.targets ?? []).map((target) => ({ year: target.year ?? 0, value: target.value ?? '' })),
      direction: item.direction ?? 'higher',
    })),
    systems: (values.systems ?? []).map((system) => ({ name: (system.name ?? '').trim(), action: system.action ?? 'new' })),
    security: {
      scheme: classified ? 'classified' : 'mlps',
      mlpsLevel: classified ? null : (values.security?.mlpsLevel ?? null),
      cryptoPlan: values.security?.cryptoPlan ?? 'none',
      cryptoAssessment: values.security?.cryptoAssessment ?? 'not_started',
    },
    newCivilConstruction: values.newCivilConstruction === true,
    highEnergyConsumption: values.highEnergyConsumption === true,
    urgent:
      track === 'approval' && values.urgentEnabled
        ? {
            reasonCategory: values.urgent?.reasonCategory ?? null,
            justification: values.urgent?.justification ?? '',
            situationUrgent: values.urgent?.situationUrgent === true,
            preparationAdequate: values.urgent?.preparationAdequate === true,
          }
        : null,
  };
}

/** A YYYY-MM-DD string in the form store, a dayjs in the picker. */
const dateValueProps = (value: unknown) => ({ value: typeof value === 'string' && value ? dayjs(value, DATE_FORMAT) : undefined });
const normalizeDate = (value: Dayjs | null | undefined) => (value ? value.format(DATE_FORMAT) : undefined);

function amountRules(t: Translate, field: string): FormRule[] {
  return [
    { required: true, message: t('common.required', { field }) },
    { pattern: WAN_PATTERN, message: t('project.amount.invalid') },
  ];
}

function decimalRules(t: Translate, field: string): FormRule[] {
  return [
    { required: true, message: t('common.required', { field }) },
    { pattern: DECIMAL_PATTERN, message: t('project.decimal.invalid') },
  ];
}

/** Adds organizations the project refers to but the caller's organization list lacks. */
function withKnownOrgs(tree: OrgTreeSelectNode[], items: Organization[], known: { id: string; name: string }[]): OrgTreeSelectNode[] {
  const ids = new Set(items.map((org) => org.id));
  const extra = known.filter((org, index) => org.id && !ids.has(org.id) && known.findIndex((other) => other.id === org.id) === index);
  return [...tree, ...extra.map((org) => ({ value: org.id, title: org.name }))];
}

/** The protection scheme, decided by 涉密 (shown, not chosen). */
function SchemeDisplay({ classified }: { classified: boolean }) {
  const t = useT();
  return classified ? (
    <Tag icon={<LockOutlined />} color="red" className="scheme-tag">
      {t('project.security.scheme.classified')}
    </Tag>
  ) : (
    <Tag icon={<SafetyCertificateOutlined />} color="blue" className="scheme-tag">
      {t('project.security.scheme.mlps')}
    </Tag>
  );
}

function ProjectWizard({ project, onStale }: { project: Project | null; onStale: () => Promise<void> }) {
  const t = useT();
  const me = useMe();
  const can = useCan();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const isEdit = project !== null;
  const organizations = useOrganizationList(can('system:org:read'));
  const [plans, setPlans] = useState<Plan[]>([]);
  const [plansLoading, setPlansLoading] = useState(true);
  const [current, setCurrent] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const formMapRef = useRef<MutableRefObject<FormInstance | undefined>[]>([]);
  // 第二十八条: what the project is compared by for possible duplicates — its name, and the names
  // of the systems it builds and of its indicators (as saved projects are compared).
  const [similarityText, setSimilarityText] = useState<{ name: string; description: string }>(() => ({
    name: project?.name ?? '',
    description: [...(project?.systems ?? []).map((s) => s.name), ...(project?.performanceIndicators ?? []).map((i) => i.indicator)].join('、'),
  }));

  const defaultUnitId = me.organizations.length === 1 ? me.organizations[0]?.id : undefined;
  const initial = useMemo(() => (project ? valuesFromProject(project) : blankValues(defaultUnitId)), [project, defaultUnitId]);
  const [track, setTrack] = useState<ProjectTrack>(initial.track ?? 'approval');
  const [classified, setClassified] = useState(initial.involvesSecrets === true);

  // GET /organizations answers the caller's own scope only (a preparer sees its unit); the
  // departments its projects already go to are known too, so they can be chosen again.
  const [projectOrgs, setProjectOrgs] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    if (!can('project:read')) return;
    let alive = true;
    api.projects
      .list({ page: 1, pageSize: 200 })
      .then((result) => {
        if (!alive) return;
        setProjectOrgs(
          result.items.flatMap((item) => [
            { id: item.approvalDepartmentId, name: item.approvalDepartmentName },
            { id: item.constructionUnitId, name: item.constructionUnitName },
          ]),
        );
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [can]);

  useEffect(() => {
    let alive = true;
    api.plans
      .list({ level: 'national', status: 'approved' })
      .then((result) => alive && setPlans(result.items))
      .catch((error: unknown) => alive && showError(error))
      .finally(() => alive && setPlansLoading(false));
    return () => {
      alive = false;
    };
  }, [showError]);

  const knownOrgs = useMemo(
    () => [
      ...me.organizations,
      ...(project
        ? [
            { id: project.constructionUnitId, name: project.constructionUnitName },
            { id: project.approvalDepartmentId, name: project.approvalDepartmentName },
          ]
        : []),
      ...projectOrgs,
    ],
    [me.organizations, project, projectOrgs],
  );
  const orgTree = useMemo(
    () => withKnownOrgs(orgTreeSelectData(organizations.items), organizations.items, knownOrgs),
    [organizations.items, knownOrgs],
  );
  /** Participants and the lead may be organizations outside the list: keep their ids selectable. */
  const crossTree = useMemo(() => {
    const listed = new Set([...organizations.items.map((org) => org.id), ...knownOrgs.map((org) => org.id)]);
    const ids = project?.crossDepartment ? [project.crossDepartment.leadOrganizationId, ...project.crossDepartment.participantIds] : [];
    const unknown = ids.filter((id) => !listed.has(id));
    return [...orgTree, ...unknown.map((id) => ({ value: id, title: t('project.org.outsideScope', { id: id.slice(0, 8) }) }))];
  }, [orgTree, organizations.items, knownOrgs, project, t]);

  const planTaskOptions = useMemo(() => {
    const groups = plans.map((plan) => ({
      label: plan.name,
      title: plan.name,
      options: plan.tasks
        .filter((task) => task.withdrawnInVersion === null)
        .map((task) => ({ value: task.id, label: `${task.code}　${task.title}` })),
    }));
    const listed = new Set(groups.flatMap((group) => group.options.map((option) => option.value)));
    const currentTask = project?.planTaskId;
    const stale = currentTask && !listed.has(currentTask) && !plansLoading ? [{ value: currentTask, label: t('project.planTask.notCurrent') }] : [];
    return [{ value: NOT_IN_PLAN, label: t('project.planTask.none') }, ...stale, ...groups];
  }, [plans, plansLoading, project, t]);

  const stepForm = useCallback((step: number) => formMapRef.current[step]?.current, []);

  const readSimilarityText = useCallback(() => {
    const name = (stepForm(0)?.getFieldValue('name') as string | undefined) ?? '';
    const systems = (stepForm(3)?.getFieldValue('systems') as WizardValues['systems']) ?? [];
    const indicators = (stepForm(2)?.getFieldValue('performanceIndicators') as WizardValues['performanceIndicators']) ?? [];
    const description = [...systems.map((s) => s?.name ?? ''), ...indicators.map((i) => i?.indicator ?? '')]
      .map((x) => x.trim())
      .filter(Boolean)
      .join('、');
    setSimilarityText((previous) => (previous.name === name && previous.description === description ? previous : { name, description }));
  }, [stepForm]);
  // Each step change re-reads the text (the later steps add systems and indicators).
  useEffect(() => {
    readSimilarityText();
  }, [current, readSimilarityText]);
  const similar = useSimilarityCheck({ ...similarityText, ...(project ? { projectId: project.id } : {}) });

  /** Marks the server's field errors on the step forms and opens the first step with one. */
  const showFieldErrors = (error: unknown): boolean => {
    const fields = fieldErrorsOf(error);
    let first: number | null = null;
    for (const { name, errors } of fields) {
      const top = String(name[0]);
      const step = STEP_OF_FIELD[top];
      if (step === undefined) continue;
      let path: FieldPath = name;
      // A reference problem of the whole cross-department block shows on its participants.
      if (top === 'crossDepartment' && name.length === 1) path = ['crossDepartment', 'participantIds'];
      if (top === 'urgent' && name.length === 1) path = ['urgent', 'justification'];
      stepForm(step)?.setFields([{ name: path, errors }]);
      first = first === null ? step : Math.min(first, step);
    }
    if (first !== null) setCurrent(first);
    return first !== null;
  };

  const submit = async (values: WizardValues): Promise<boolean> => {
    setProblems([]);
    setSubmitting(true);
    try {
      const input = toInput(values);
      if (project) {
        const saved = await api.projects.update(project.id, project.version, input);
        void message.success(t('common.saved'));
        navigate(`/projects/${saved.id}`, { replace: true });
      } else {
        const created = await api.projects.create(input);
        navigate(`/projects/${created.id}`, { replace: true, state: { created: true } });
      }
      return false;
    } catch (error) {
      if (error instanceof ApiError && error.isStale) {
        void message.warning(t('error.stale'));
        await onStale();
        return false;
      }
      showError(error);
      if (error instanceof ApiError && error.problems.length > 0) {
        setProblems(error.problems);
        if (error.problems.some((problem) => problem.code.startsWith('urgent.'))) setCurrent(URGENT_STEP);
      }
      showFieldErrors(error);
      return false;
    } finally {
      setSubmitting(false);
    }
  };

  const required = (field: string) => ({ required: true, message: t('common.required', { field }) });
  const pick = (field: string) => ({ required: true, message: t('common.pleaseSelect', { field }) });
  const startYear = () => {
    const start = stepForm(1)?.getFieldValue('constructionStart') as string | undefined;
    return start ? Number(start.slice(0, 4)) : shanghaiToday().year();
  };

  return (
    <Card className="project-wizard-card">
      {isEdit && (
        <Alert type="info" showIcon className="wizard-alert" message={t('project.edit.note', { version: project.version })} />
      )}
      <RuleProblems problems={problems} onClose={() => setProblems([])} />
      {/* 第二十八条: after the basic information, a reminder of similar projects and systems; it never blocks. */}
      {current > 0 && (
        <DuplicateWarnings list={similar.list} loading={similar.loading} help={t('duplicate.wizard.help')} className="wizard-duplicates" />
      )}
      <StepsForm<WizardValues>
        current={current}
        onCurrentChange={setCurrent}
        formMapRef={formMapRef}
        onFinish={submit}
        stepsProps={{ size: 'small', className: 'project-wizard-steps' }}
        submitter={{
          render: (props) => {
            const step = props.step;
            return (
              <div className="wizard-actions">
                <Button onClick={() => navigate(project ? `/projects/${project.id}` : '/projects')}>{t('common.cancel')}</Button>
                {step > 0 && <Button onClick={() => props.onPre()}>{t('project.wizard.prev')}</Button>}
                {step < STEP_COUNT - 1 ? (
                  <Button type="primary" onClick={() => props.onSubmit?.()}>
                    {t('project.wizard.next')}
                  </Button>
                ) : (
                  <Button type="primary" loading={submitting} onClick={() => props.onSubmit?.()}>
                    {isEdit ? t('project.wizard.save') : t('project.wizard.create')}
                  </Button>
                )}
              </div>
            );
          },
        }}
      >
        {/* ---- 1 基本信息 ---- */}
        <StepsForm.StepForm<WizardValues>
          name="basic"
          title={t('project.step.basic')}
          initialValues={initial}
          onValuesChange={(changed: WizardValues) => {
            if (changed.track) setTrack(changed.track);
            if (changed.name !== undefined) readSimilarityText();
            if (changed.involvesSecrets !== undefined) setClassified(changed.involvesSecrets);
          }}
        >
          <Row gutter={16}>
            <Col span={24}>
              <Form.Item name="name" label={t('project.name')} rules={[{ ...required(t('project.name')), whitespace: true }, { max: 200 }]}>
                <Input maxLength={200} showCount placeholder={t('project.name.placeholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="constructionUnitId" label={t('project.constructionUnit')} rules={[pick(t('project.constructionUnit'))]}>
                <TreeSelect treeData={orgTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll loading={organizations.loading} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="approvalDepartmentId"
                label={t('project.approvalDepartment')}
                rules={[pick(t('project.approvalDepartment'))]}
                extra={t('project.approvalDepartment.help')}
              >
                <TreeSelect treeData={orgTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll loading={organizations.loading} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="track"
                label={t('project.track')}
                rules={[pick(t('project.track'))]}
                extra={isEdit ? t('project.track.fixed') : t('project.track.help')}
              >
                <Radio.Group
                  disabled={isEdit}
                  optionType="button"
                  buttonStyle="solid"
                  options={PROJECT_TRACKS.map((value) => ({ value, label: t(`project.track.${value}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="kind" label={t('project.kind')} rules={[pick(t('project.kind'))]}>
                <Select options={PROJECT_KINDS.map((value) => ({ value, label: t(`project.kind.${value}`) }))} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="planTaskId" label={t('project.planTask')} extra={t('project.planTask.help')} rules={[pick(t('project.planTask'))]}>
                <Select options={planTaskOptions} loading={plansLoading} showSearch optionFilterProp="label" popupMatchSelectWidth={false} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="involvesSecrets" label={t('project.involvesSecrets')} valuePropName="checked" extra={t('project.involvesSecrets.help')}>
                <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="crossEnabled" label={t('project.crossDepartment')} valuePropName="checked" extra={t('project.crossDepartment.help')}>
                <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />
              </Form.Item>
            </Col>
            <Form.Item noStyle dependencies={['crossEnabled']}>
              {({ getFieldValue }) =>
                getFieldValue('crossEnabled') ? (
                  <>
                    <Col xs={24} md={12}>
                      <Form.Item
                        name={['crossDepartment', 'leadOrganizationId']}
                        label={t('project.crossDepartment.lead')}
                        rules={[pick(t('project.crossDepartment.lead'))]}
                      >
                        <TreeSelect treeData={crossTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item
                        name={['crossDepartment', 'participantIds']}
                        label={t('project.crossDepartment.participants')}
                        dependencies={[['crossDepartment', 'leadOrganizationId']]}
                        rules={[
                          pick(t('project.crossDepartment.participants')),
                          ({ getFieldValue: get }) => ({
                            validator: async (_: unknown, value: string[] | undefined) => {
                              const lead = get(['crossDepartment', 'leadOrganizationId']) as string | undefined;
                              if (lead && value?.includes(lead)) throw new Error(t('project.crossDepartment.leadInParticipants'));
                            },
                          }),
                        ]}
                      >
                        <TreeSelect
                          treeData={crossTree}
                          multiple
                          showSearch
                          allowClear
                          treeNodeFilterProp="title"
                          treeDefaultExpandAll
                          maxTagCount="responsive"
                        />
                      </Form.Item>
                    </Col>
                  </>
                ) : null
              }
            </Form.Item>
          </Row>
        </StepsForm.StepForm>

        {/* ---- 2 投资与期限 ---- */}
        <StepsForm.StepForm<WizardValues> name="investment" title={t('project.step.investment')} initialValues={initial}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="constructionStart"
                label={t('project.constructionStart')}
                rules={[pick(t('project.constructionStart'))]}
                getValueProps={dateValueProps}
                normalize={normalizeDate}
              >
                <DatePicker className="full-width" format={DATE_FORMAT} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="constructionEnd"
                label={t('project.constructionEnd')}
                dependencies={['constructionStart']}
                getValueProps={dateValueProps}
                normalize={normalizeDate}
                rules={[
                  pick(t('project.constructionEnd')),
                  ({ getFieldValue }) => ({
                    validator: async (_: unknown, value: string | undefined) => {
                      const start = getFieldValue('constructionStart') as string | undefined;
                      // YYYY-MM-DD strings compare in calendar order
                      if (start && value && value < start) throw new Error(t('project.constructionEnd.beforeStart'));
                    },
                  }),
                ]}
              >
                <DatePicker className="full-width" format={DATE_FORMAT} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="totalInvestment"
                label={t('project.totalInvestment')}
                normalize={normalizeAmountInput}
                rules={amountRules(t, t('project.totalInvestment'))}
                extra={t('project.amount.help')}
              >
                <Input suffix={t('project.unit.wan')} inputMode="decimal" placeholder="0.00" className="amount-input" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="oAndMFunds"
                label={t('project.oAndMFunds')}
                normalize={normalizeAmountInput}
                rules={amountRules(t, t('project.oAndMFunds'))}
                extra={t('project.oAndMFunds.help')}
              >
                <Input suffix={t('project.unit.wan')} inputMode="decimal" placeholder="0.00" className="amount-input" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="fundingChannel" label={t('project.fundingChannel')} rules={[pick(t('project.fundingChannel'))]}>
                <Select options={FUNDING_CHANNELS.map((value) => ({ value, label: t(`project.fundingChannel.${value}`) }))} />
              </Form.Item>
            </Col>
          </Row>
        </StepsForm.StepForm>

        {/* ---- 3 绩效目标 ---- */}
        <StepsForm.StepForm<WizardValues> name="performance" title={t('project.step.performance')} initialValues={initial}>
          <Typography.Paragraph type="secondary">{t('project.indicators.help')}</Typography.Paragraph>
          <Form.List name="performanceIndicators">
            {(fields, { add, remove }) => (
              <>
                {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('project.indicators.empty')} />}
                {fields.map((field, index) => (
                  <Card
                    key={field.key}
                    size="small"
                    className="indicator-card"
                    title={t('project.indicators.item', { index: index + 1 })}
                    extra={
                      <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)}>
                        {t('common.delete')}
                      </Button>
                    }
                  >
                    <Row gutter={12}>
                      <Col xs={24} md={12}>
                        <Form.Item
                          name={[field.name, 'indicator']}
                          label={t('project.indicator.name')}
                          rules={[{ ...required(t('project.indicator.name')), whitespace: true }, { max: 200 }]}
                        >
                          <Input maxLength={200} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item name={[field.name, 'category']} label={t('project.indicator.category')} rules={[pick(t('project.indicator.category'))]}>
                          <Select options={INDICATOR_CATEGORIES.map((value) => ({ value, label: t(`project.indicator.category.${value}`) }))} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item
                          name={[field.name, 'unit']}
                          label={t('project.indicator.unit')}
                          rules={[{ ...required(t('project.indicator.unit')), whitespace: true }, { max: 50 }]}
                        >
                          <Input maxLength={50} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item name={[field.name, 'baseline']} label={t('project.indicator.baseline')} rules={decimalRules(t, t('project.indicator.baseline'))}>
                          <Input inputMode="decimal" />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item name={[field.name, 'direction']} label={t('project.indicator.direction')} rules={[pick(t('project.indicator.direction'))]}>
                          <Select options={INDICATOR_DIRECTIONS.map((value) => ({ value, label: t(`project.indicator.direction.${value}`) }))} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={12}>
                        <Form.Item label={t('project.indicator.targets')} required className="targets-item">
                          <Form.List
                            name={[field.name, 'targets']}
                            rules={[
                              {
                                validator: async (_: unknown, targets: { year?: number }[] | undefined) => {
                                  if (!targets || targets.length === 0) throw new Error(t('project.indicator.targets.required'));
                                  const years = targets.map((target) => target?.year).filter((year) => year !== undefined && year !== null);
                                  if (new Set(years).size !== years.length) throw new Error(t('project.indicator.targets.duplicateYear'));
                                },
                              },
                            ]}
                          >
                            {(targetFields, targetOps, { errors }) => (
                              <>
                                {targetFields.map((target) => (
                                  <Space.Compact key={target.key} className="target-row">
                                    <Form.Item
                                      name={[target.name, 'year']}
                                      noStyle
                                      rules={[pick(t('project.indicator.year'))]}
                                    >
                                      <InputNumber min={2000} max={2100} precision={0} placeholder={t('project.indicator.year')} className="target-year" />
                                    </Form.Item>
                                    <Form.Item name={[target.name, 'value']} noStyle rules={decimalRules(t, t('project.indicator.value'))}>
                                      <Input placeholder={t('project.indicator.value')} inputMode="decimal" className="target-value" />
                                    </Form.Item>
                                    <Button
                                      icon={<DeleteOutlined />}
                                      aria-label={t('common.delete')}
                                      onClick={() => targetOps.remove(target.name)}
                                      disabled={targetFields.length <= 1}
                                    />
                                  </Space.Compact>
                                ))}
                                <Button
                                  type="dashed"
                                  size="small"
                                  icon={<PlusOutlined />}
                                  onClick={() => {
                                    const list = (stepForm(2)?.getFieldValue(['performanceIndicators', field.name, 'targets']) ?? []) as { year?: number }[];
                                    const last = list.reduce((max, item) => Math.max(max, item?.year ?? 0), 0);
                                    targetOps.add({ year: last > 0 ? last + 1 : startYear(), value: undefined });
                                  }}
                                >
                                  {t('project.indicator.addTarget')}
                                </Button>
                                <Form.ErrorList errors={errors} />
                              </>
                            )}
                          </Form.List>
                        </Form.Item>
                      </Col>
                    </Row>
                  </Card>
                ))}
                <Button
                  type="dashed"
                  block
                  icon={<PlusOutlined />}
                  onClick={() => add({ category: 'output', direction: 'higher', targets: [{ year: startYear(), value: undefined }] })}
                  disabled={fields.length >= 100}
                >
                  {t('project.indicators.add')}
                </Button>
              </>
            )}
          </Form.List>
        </StepsForm.StepForm>

        {/* ---- 4 系统与安全 ---- */}
        <StepsForm.StepForm<WizardValues> name="security" title={t('project.step.security')} initialValues={initial}>
          <Typography.Title level={5}>{t('project.systems')}</Typography.Title>
          <Form.List name="systems">
            {(fields, { add, remove }) => (
              <div className="systems-list">
                {fields.length === 0 && <Typography.Paragraph type="secondary">{t('project.systems.empty')}</Typography.Paragraph>}
                {fields.map((field) => (
                  <Row gutter={8} key={field.key} wrap={false} className="system-row">
                    <Col flex="auto">
                      <Form.Item
                        name={[field.name, 'name']}
                        rules={[{ ...required(t('project.system.name')), whitespace: true }, { max: 200 }]}
                      >
                        <Input maxLength={200} placeholder={t('project.system.name')} />
                      </Form.Item>
                    </Col>
                    <Col flex="140px">
                      <Form.Item name={[field.name, 'action']} rules={[pick(t('project.system.action'))]}>
                        <Select options={SYSTEM_ACTIONS.map((value) => ({ value, label: t(`project.system.action.${value}`) }))} />
                      </Form.Item>
                    </Col>
                    <Col flex="none">
                      <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => remove(field.name)} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ action: 'new' })} disabled={fields.length >= 100}>
                  {t('project.systems.add')}
                </Button>
              </div>
            )}
          </Form.List>

          <Typography.Title level={5} className="wizard-section-title">
            {t('project.security')}
          </Typography.Title>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name={['security', 'scheme']}
                label={t('project.security.scheme')}
                extra={classified ? t('project.security.scheme.classified.help') : t('project.security.scheme.mlps.help')}
              >
                <SchemeDisplay classified={classified} />
              </Form.Item>
            </Col>
            {!classified && (
              <Col xs={24} md={12}>
                <Form.Item name={['security', 'mlpsLevel']} label={t('project.security.mlpsLevel')} rules={[pick(t('project.security.mlpsLevel'))]}>
                  <Select options={[1, 2, 3, 4, 5].map((level) => ({ value: level, label: t(`project.security.mlpsLevel.${level}` as MessageKey) }))} />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={12}>
              <Form.Item name={['security', 'cryptoPlan']} label={t('project.security.cryptoPlan')} rules={[pick(t('project.security.cryptoPlan'))]}>
                <Select options={CRYPTO_PLANS.map((value) => ({ value, label: t(`project.security.cryptoPlan.${value}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name={['security', 'cryptoAssessment']}
                label={t('project.security.cryptoAssessment')}
                rules={[pick(t('project.security.cryptoAssessment'))]}
              >
                <Select options={CRYPTO_ASSESSMENTS.map((value) => ({ value, label: t(`project.security.cryptoAssessment.${value}`) }))} />
              </Form.Item>
            </Col>
          </Row>

          <Typography.Title level={5} className="wizard-section-title">
            {t('project.article8')}
          </Typography.Title>
          <Alert type="info" showIcon className="wizard-alert" message={t('project.article8.help')} />
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="newCivilConstruction" valuePropName="checked">
                <Checkbox>{t('project.newCivilConstruction')}</Checkbox>
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="highEnergyConsumption" valuePropName="checked">
                <Checkbox>{t('project.highEnergyConsumption')}</Checkbox>
              </Form.Item>
            </Col>
          </Row>
        </StepsForm.StepForm>

        {/* ---- 5 紧急合并编报 ---- */}
        <StepsForm.StepForm<WizardValues> name="urgent" title={t('project.step.urgent')} initialValues={initial}>
          <Alert type="info" showIcon className="wizard-alert" message={t('project.urgent.article')} description={t('project.urgent.help')} />
          {track === 'filing' ? (
            <Alert type="warning" showIcon message={t('project.urgent.filingNotApplicable')} />
          ) : (
            <>
              <Form.Item name="urgentEnabled" label={t('project.urgent.enabled')} valuePropName="checked">
                <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />
              </Form.Item>
              <Form.Item noStyle dependencies={['urgentEnabled']}>
                {({ getFieldValue }) =>
                  getFieldValue('urgentEnabled') ? (
                    <div className="urgent-section">
                      <Form.Item
                        name={['urgent', 'reasonCategory']}
                        label={t('project.urgent.reasonCategory')}
                        rules={[pick(t('project.urgent.reasonCategory'))]}
                      >
                        <Radio.Group className="vertical-radio">
                          {URGENT_REASON_CATEGORIES.map((value) => (
                            <Radio key={value} value={value}>
                              {t(`project.urgent.reason.${value}`)}
                            </Radio>
                          ))}
                        </Radio.Group>
                      </Form.Item>
                      <Form.Item
                        name={['urgent', 'situationUrgent']}
                        valuePropName="checked"
                        rules={[{ validator: async (_: unknown, value: boolean) => { if (!value) throw new Error(t('project.urgent.situationUrgent.required')); } }]}
                      >
                        <Checkbox>{t('project.urgent.situationUrgent')}</Checkbox>
                      </Form.Item>
                      <Form.Item
                        name={['urgent', 'preparationAdequate']}
                        valuePropName="checked"
                        rules={[{ validator: async (_: unknown, value: boolean) => { if (!value) throw new Error(t('project.urgent.preparationAdequate.required')); } }]}
                      >
                        <Checkbox>{t('project.urgent.preparationAdequate')}</Checkbox>
                      </Form.Item>
                      <Form.Item
                        name={['urgent', 'justification']}
                        label={t('project.urgent.justification')}
                        extra={t('project.urgent.justification.help')}
                        rules={[{ ...required(t('project.urgent.justification')), whitespace: true }, { max: 10000 }]}
                      >
                        <Input.TextArea rows={6} maxLength={10000} showCount />
                      </Form.Item>
                    </div>
                  ) : (
                    <Typography.Paragraph type="secondary">{t('project.urgent.off')}</Typography.Paragraph>
                  )
                }
              </Form.Item>
            </>
          )}
        </StepsForm.StepForm>
      </StepsForm>
    </Card>
  );
}

/** /projects/new and /projects/:id/edit. */
export default function ProjectForm() {
  const t = useT();
  const navigate = useNavigate();
  const { id } = useParams<{ id: string }>();
  const { showError } = useApiFeedback();
  const [project, setProject] = useState<Project | null>(null);
  const [loading, setLoading] = useState(Boolean(id));
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  /** Remounts the wizard with fresh initial values after a reload. */
  const [generation, setGeneration] = useState(0);

  const load = useCallback(async () => {
    if (!id) return;
    setLoading(true);
    try {
      setProject(await api.projects.get(id));
      setLoadError(null);
      setGeneration((value) => value + 1);
    } catch (error) {
      if (error instanceof ApiError) setLoadError(error);
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [id, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const title = id ? t('project.edit.title') : t('project.create.title');
  const back = () => navigate(id ? `/projects/${id}` : '/projects');

  let body;
  if (loading && !project) {
    body = (
      <div className="full-page-spin">
        <Spin size="large" />
      </div>
    );
  } else if (id && !project) {
    body = (
      <Result
        status={loadError?.status === 404 ? '404' : 'error'}
        title={loadError?.userMessage ?? t('error.unknown')}
        extra={<Button onClick={() => navigate('/projects')}>{t('project.backToList')}</Button>}
      />
    );
  } else if (project && !project.lifecycle.editable) {
    body = (
      <Result
        status="warning"
        title={t('project.notEditable.title')}
        subTitle={t('project.notEditable.desc')}
        extra={<Button onClick={back}>{t('project.backToDetail')}</Button>}
      />
    );
  } else {
    body = <ProjectWizard key={generation} project={project} onStale={load} />;
  }

  return (
    <PageContainer title={title} subTitle={project ? project.name : undefined} onBack={back}>
      {body}
    </PageContainer>
  );
}
