// The review screen of every action but 提交: the stage's materials (name, version, SM3 digest,
// download) beside the opinion form — side by side on a desktop, stacked on a phone. The form
// has the fields the action takes (意见, 信息资源共享分析意见 for 第十一条, the return target, the
// new reviewer), the TOTP code for decisions, a 预检 button that asks the server for every
// problem without writing anything, and the confirm button. A refusal lists every problem with
// its article; a stale project (412/409) is reloaded.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Drawer, Form, Grid, Input, Radio, Row, Select, Space, Tag, Typography } from 'antd';
import { CheckOutlined, LockOutlined, SearchOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import type { ActionInput, ActionRecord, AvailableAction, DryRunResult, Project, RuleProblem } from '../../api/types';
import { useLocale, useT, type MessageKey } from '../../i18n';
import RuleProblems from '../../components/RuleProblems';
import StageTag from '../../components/StageTag';
import StageMaterials, { useStageEvidence, type ExtraItem } from './StageMaterials';
import { ACTION_FORMS, INPUT_PROBLEM_CODES, localizeProblem, newIdempotencyKey, previousStageOf, statusKey } from './lifecycleUi';

interface Values {
  reasons?: string;
  sharingOpinions?: string;
  returnTo?: 'sameStage' | 'previousStage';
  reviewerId?: string;
  totp?: string;
}

/** 第七条, 第十一条: the entrusted 咨询评估单位 uploads its report beside the stage's materials. */
const ASSESSMENT_REPORT: ExtraItem[] = [{ code: 'assessmentReport', article: '第七条' }];

export default function ReviewDrawer({
  project,
  action,
  open,
  onClose,
  onDone,
  onStale,
}: {
  project: Project;
  action: AvailableAction;
  open: boolean;
  onClose: () => void;
  onDone: (record: ActionRecord) => void;
  onStale: () => void;
}) {
  const t = useT();
  const { locale, tx } = useLocale();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<Values>();
  const config = ACTION_FORMS[action.action];
  const evidence = useStageEvidence(project);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [dryRun, setDryRun] = useState<DryRunResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [otpKey, setOtpKey] = useState(0);
  const [uploading, setUploading] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<{ id: string; displayName: string }[] | null>(null);
  const actionName = locale === 'zh-CN' ? action.name.zh : action.name.en;
  const previousStage = previousStageOf(project);
  const stageName = t(`lifecycle.stage.${project.lifecycle.stage}`);

  // What blocks the action regardless of the form (e.g. the catalog, 第十一条) is shown at once.
  const [problems, setProblems] = useState<RuleProblem[]>(() =>
    action.problems.filter((p) => !INPUT_PROBLEM_CODES.has(p.code)).map((p) => localizeProblem(p, locale)),
  );

  // 改派审核人: the reviewers of the approval department who may take the project over.
  useEffect(() => {
    if (!config.fields.includes('reviewerId')) return;
    let alive = true;
    api.lifecycle
      .reviewerCandidates(project.id)
      .then((result) => alive && setCandidates(result.items))
      .catch((error: unknown) => {
        showError(error);
        if (alive) setCandidates([]);
      });
    return () => {
      alive = false;
    };
  }, [config.fields, project.id, showError]);

  const bodyOf = (values: Values): ActionInput => {
    const body: ActionInput = {};
    const reasons = values.reasons?.trim();
    const sharing = values.sharingOpinions?.trim();
    if (config.fields.includes('reasons') && reasons) body.reasons = reasons;
    if (config.fields.includes('sharingOpinions') && sharing) body.sharingOpinions = sharing;
    if (config.fields.includes('returnTo') && values.returnTo) body.returnTo = values.returnTo;
    if (config.fields.includes('reviewerId') && values.reviewerId?.trim()) body.reviewerId = values.reviewerId.trim();
    return body;
  };

  /** The dry run; `standingOnly` leaves out what the form has not been filled in for yet. */
  const preflight = async (standingOnly = false) => {
    setChecking(true);
    try {
      const result = await api.lifecycle.dryRun(project.id, action.action, bodyOf(form.getFieldsValue()));
      const found = result.problems.filter((p) => !standingOnly || !INPUT_PROBLEM_CODES.has(p.code));
      setDryRun(standingOnly && !result.ok ? null : result);
      setProblems(found.map((p) => localizeProblem(p, locale)));
    } catch (error) {
      showError(error);
    } finally {
      setChecking(false);
    }
  };

  const uploadReport = async (code: string, file: File) => {
    setUploading(code);
    try {
      const saved = await api.materials.upload(project.id, project.lifecycle.stage, code, file);
      void message.success(t('material.uploaded', { name: locale === 'zh-CN' ? saved.materialName.zh : saved.materialName.en, version: saved.versionNo }));
      await evidence.reload();
      await preflight(true);
    } catch (error) {
      showError(error);
    } finally {
      setUploading(null);
    }
  };

  const confirm = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSubmitting(true);
    try {
      const body = bodyOf(values);
      if (action.needsTotp) body.totp = values.totp;
      const result = await api.lifecycle.take(project.id, action.action, project.version, idempotencyKey, body);
      void message.success(t('approval.done', { action: actionName }));
      onDone(result.record);
    } catch (error) {
      setDryRun(null);
      if (error instanceof ApiError && (error.code === 'auth.totp_invalid' || error.code === 'auth.totp_required')) {
        // A code is accepted once: clear the cells for the next one.
        setOtpKey((key) => key + 1);
        form.setFields([{ name: 'totp', value: '', errors: [error.userMessage ?? t('approval.totp.invalid')] }]);
        return;
      }
      showError(error);
      if (error instanceof ApiError) {
        if (error.problems.length > 0) setProblems(error.problems);
        const fields = fieldErrorsOf(error).filter(({ name }) => typeof name[0] === 'string' && config.fields.includes(name[0] as never));
        if (fields.length > 0) form.setFields(fields.map(({ name, errors }) => ({ name: name[0] as keyof Values, errors })));
        if (error.isStale || error.code === 'lifecycle.conflict') onStale();
      }
    } finally {
      setSubmitting(false);
    }
  };

  const nextText = dryRun?.next ? `${t(`lifecycle.stage.${dryRun.next.stage}`)} · ${tx(statusKey(dryRun.next), dryRun.next.status)}` : '';
  const label = (key: string) => t(key as MessageKey);

  const opinionForm = (
    <Form<Values>
      form={form}
      layout="vertical"
      name={`action-${action.action}`}
      initialValues={{ returnTo: 'sameStage' }}
      // What the user types answers the input problems of the last check: they go until the next one.
      onValuesChange={(changed: Values) => {
        // (the one-time code is not part of what a check looks at)
        if (Object.keys(changed).every((key) => key === 'totp')) return;
        setDryRun(null);
        setProblems((current) => current.filter((p) => !INPUT_PROBLEM_CODES.has(p.code)));
      }}
      className="action-form"
      requiredMark
    >
      {config.fields.includes('returnTo') && (
        <Form.Item name="returnTo" label={t('approval.returnTo')}>
          <Radio.Group className="vertical-radio">
            <Radio value="sameStage">{t('approval.returnTo.sameStage.option', { stage: stageName })}</Radio>
            {previousStage && (
              <Radio value="previousStage">
                {t('approval.returnTo.previousStage.option', { stage: t(`lifecycle.stage.${previousStage}`) })}
              </Radio>
            )}
          </Radio.Group>
        </Form.Item>
      )}
      {config.fields.includes('reviewerId') && (
        <Form.Item
          name="reviewerId"
          label={t('approval.reviewerId')}
          extra={t('approval.reviewerId.help')}
          rules={[{ required: true, message: t('common.pleaseSelect', { field: t('approval.reviewerId') }) }]}
        >
          <Select
            loading={candidates === null}
            showSearch
            optionFilterProp="label"
            options={(candidates ?? []).map((c) => ({ value: c.id, label: c.displayName }))}
            notFoundContent={candidates === null ? undefined : t('approval.reviewerId.none')}
          />
        </Form.Item>
      )}
      {config.fields.includes('sharingOpinions') && (
        <Form.Item
          name="sharingOpinions"
          label={label(`approval.sharing.${action.action === 'completeAssessment' ? 'assessment' : 'decision'}`)}
          extra={t('approval.sharing.help')}
          rules={config.sharingRequired ? [{ required: true, whitespace: true, message: t('approval.sharing.required') }] : []}
        >
          <Input.TextArea rows={4} maxLength={20_000} />
        </Form.Item>
      )}
      {config.fields.includes('reasons') && (
        <Form.Item
          name="reasons"
          label={label(`approval.reasons.${action.action}`)}
          rules={
            config.reasonsRequired
              ? [{ required: true, whitespace: true, message: t('common.required', { field: label(`approval.reasons.${action.action}`) }) }]
              : []
          }
        >
          <Input.TextArea rows={config.reasonsRequired ? 4 : 3} maxLength={10_000} showCount />
        </Form.Item>
      )}
      {action.needsTotp && (
        <Form.Item
          name="totp"
          label={
            <span>
              <LockOutlined /> {t('approval.totp')}
            </span>
          }
          extra={t('approval.totp.help')}
          rules={[
            { required: true, message: t('approval.totp.required') },
            { pattern: /^\d{6}$/, message: t('approval.totp.required') },
          ]}
        >
          <Input.OTP key={otpKey} length={6} formatter={(value) => value.replace(/\D/g, '')} className="totp-input" />
        </Form.Item>
      )}
    </Form>
  );

  const outcome = (
    <div className="dry-run-result" data-state={dryRun ? (dryRun.ok ? 'ok' : 'blocked') : 'none'}>
      {dryRun?.ok && problems.length === 0 ? (
        <Alert type="success" showIcon message={t('approval.dryRun.ok', { next: nextText })} description={t('approval.dryRun.noWrite')} />
      ) : (
        <RuleProblems problems={problems} />
      )}
    </div>
  );

  const buttons = [
    <Button key="check" icon={<SearchOutlined />} loading={checking} onClick={() => void preflight()} block={!screens.md} className="action-preflight">
      {t('approval.dryRun')}
    </Button>,
    <Button
      key="confirm"
      type="primary"
      danger={config.danger}
      icon={action.needsTotp ? <LockOutlined /> : <CheckOutlined />}
      loading={submitting}
      onClick={() => void confirm()}
      block={!screens.md}
      className="action-confirm"
    >
      {t('approval.confirm', { action: actionName })}
    </Button>,
  ];

  const formCard = (
    <Card size="small" className="action-form-card" title={t('approval.form.title')}>
      <Typography.Paragraph type="secondary" className="small action-article">
        {label(`approval.article.${action.action}`)}
      </Typography.Paragraph>
      {opinionForm}
      {outcome}
    </Card>
  );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={config.review ? (screens.lg ? 1100 : screens.md ? 760 : '100%') : screens.md ? 560 : '100%'}
      title={
        <Space wrap size={[8, 4]}>
          <span>{actionName}</span>
          <StageTag lifecycle={project.lifecycle} />
          {action.needsTotp && (
            <Tag icon={<LockOutlined />} color="gold">
              {t('approval.decision')}
            </Tag>
          )}
        </Space>
      }
      className={`action-drawer review-drawer${config.review ? '' : ' simple-drawer'}`}
      footer={
        screens.md ? (
          <Space className="drawer-footer">{buttons}</Space>
        ) : (
          <Space direction="vertical" className="full-width">
            {[...buttons].reverse()}
          </Space>
        )
      }
    >
      <Typography.Paragraph className="review-project">
        <Typography.Text strong>{project.name}</Typography.Text>
        <br />
        <Typography.Text type="secondary" className="small">
          {project.code} · {project.constructionUnitName}
        </Typography.Text>
      </Typography.Paragraph>
      {config.review ? (
        <Row gutter={[16, 16]} className="review-layout">
          <Col xs={24} lg={10} className="review-materials">
            <Card size="small" className="review-materials-card">
              <StageMaterials
                project={project}
                checklist={evidence.checklist}
                materials={evidence.materials}
                catalogCount={evidence.catalogCount}
                loading={evidence.loading}
                {...(action.action === 'completeAssessment'
                  ? {
                      extraItems: ASSESSMENT_REPORT,
                      onUpload: (code: string, file: File) => void uploadReport(code, file),
                      uploadable: (code: string) => code === 'assessmentReport',
                      uploading,
                    }
                  : {})}
              />
              {project.lifecycle.track === 'approval' && (
                <Typography.Paragraph type="secondary" className="small catalog-line">
                  {t('approval.catalogLine', { count: evidence.catalogCount ?? 0 })}
                </Typography.Paragraph>
              )}
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            {formCard}
          </Col>
        </Row>
      ) : (
        formCard
      )}
    </Drawer>
  );
}
