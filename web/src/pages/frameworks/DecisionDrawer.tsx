// NDRC's decision on a submitted framework plan (第十条): 确定, after which each department applies
// for its own part, or 退回 with the reasons. What is decided on is summarized beside the form —
// the participants and their confirmations, the suspected overlaps and how each was handled, the
// counts of flows and catalog entries. A 预检 asks the server for every problem without writing;
// the decision needs a fresh one-time code and is signed with the decider's SM2 key.
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Drawer, Form, Grid, Input, List, Row, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CheckOutlined, ClockCircleOutlined, LockOutlined, SearchOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useLocale, useT } from '../../i18n';
import RuleProblems from '../../components/RuleProblems';
import { formatDateTime } from '../../utils/format';
import { useFramework } from './FrameworkContext';
import { frameworksApi, type CallerAction, type Framework } from './frameworksApi';
import { FrameworkStatusTag, localizeFrameworkProblem } from './frameworkUi';
import type { RuleProblem } from '../../api/types';

interface Values {
  reasons?: string;
  totp?: string;
}

export default function DecisionDrawer({
  action,
  open,
  onClose,
  onDone,
}: {
  action: CallerAction;
  open: boolean;
  onClose: () => void;
  onDone: (framework: Framework) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const { framework, reload } = useFramework();
  const [form] = Form.useForm<Values>();
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [checked, setChecked] = useState<boolean | null>(null);
  const [checking, setChecking] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [otpKey, setOtpKey] = useState(0);
  const returning = action.action === 'return';
  const actionName = locale === 'zh-CN' ? action.name.zh : action.name.en;
  const reasonsLabel = returning ? t('framework.decision.reasons.return') : t('framework.decision.reasons.confirm');

  const reasonsOf = () => form.getFieldValue('reasons')?.trim() || undefined;

  const preflight = async () => {
    setChecking(true);
    try {
      const result = await frameworksApi.dryRun(framework.id, action.action, { reasons: reasonsOf() });
      setProblems(result.problems.map((p) => localizeFrameworkProblem(p, locale)));
      setChecked(result.ok);
    } catch (error) {
      showError(error);
    } finally {
      setChecking(false);
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
      const result = await frameworksApi.take(framework.id, action.action, framework.version, {
        reasons: values.reasons?.trim() || undefined,
        totp: values.totp,
      });
      void message.success(t('framework.action.done', { action: actionName }));
      onDone(result.framework);
    } catch (error) {
      setChecked(null);
      if (error instanceof ApiError && (error.code === 'auth.totp_invalid' || error.code === 'auth.totp_required')) {
        // A code is accepted once: clear the cells for the next one.
        setOtpKey((key) => key + 1);
        form.setFields([{ name: 'totp', value: '', errors: [error.userMessage ?? t('approval.totp.invalid')] }]);
        return;
      }
      showError(error);
      if (error instanceof ApiError) {
        if (error.problems.length > 0) setProblems(error.problems);
        if (error.isStale || error.status === 409) {
          onClose();
          await reload();
        }
      }
    } finally {
      setSubmitting(false);
    }
  };

  const unhandled = framework.overlaps.filter((o) => o.justification === null).length;
  const summary = (
    <Card size="small" className="decision-summary" title={t('framework.decision.summary')}>
      <Descriptions size="small" column={1} className="decision-descriptions">
        <Descriptions.Item label={t('framework.field.lead')}>{framework.leadOrganizationName}</Descriptions.Item>
        <Descriptions.Item label={t('framework.tab.businessFlows')}>{framework.businessFlows.length}</Descriptions.Item>
        <Descriptions.Item label={t('framework.tab.dataFlows')}>{framework.dataFlows.length}</Descriptions.Item>
        <Descriptions.Item label={t('framework.tab.catalog')}>{framework.catalogEntries.length}</Descriptions.Item>
        <Descriptions.Item label={t('framework.overlaps.title')}>
          {framework.overlaps.length === 0
            ? t('framework.overlaps.none')
            : t('framework.decision.overlaps', { count: framework.overlaps.length, unhandled })}
        </Descriptions.Item>
      </Descriptions>
      <List
        size="small"
        className="decision-participants"
        header={<Typography.Text strong>{t('framework.tab.participants')}</Typography.Text>}
        dataSource={framework.participants}
        renderItem={(p) => (
          <List.Item>
            <Space direction="vertical" size={0}>
              <span>
                {p.organizationName} {p.isLead && <Tag color="blue">{t('framework.participant.lead')}</Tag>}
              </span>
              <Typography.Text type="secondary" className="small">
                {t('framework.participant.contents', { count: p.contents.length })}
                {p.confirmation ? (
                  <>
                    {' · '}
                    <CheckCircleFilled className="affirmed" />{' '}
                    {t('framework.confirmation.at', { time: formatDateTime(p.confirmation.confirmedAt, 'YYYY-MM-DD HH:mm') })}
                  </>
                ) : (
                  <>
                    {' · '}
                    <ClockCircleOutlined /> {t('framework.confirmation.pending')}
                  </>
                )}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {framework.overlaps.some((o) => o.justification) && (
        <div className="decision-justifications">
          <Typography.Text strong>{t('framework.decision.justifications')}</Typography.Text>
          {framework.overlaps
            .filter((o) => o.justification)
            .map((o) => (
              <div key={`${o.a.contentId}:${o.b.contentId}`} className="decision-justification">
                <Typography.Text className="small" strong>
                  {t('framework.overlap.pair', { a: `${o.a.organizationName}「${o.a.title}」`, b: `${o.b.organizationName}「${o.b.title}」` })}
                  {' · '}
                  {t('framework.overlap.similarity', { value: o.similarity.toFixed(2) })}
                </Typography.Text>
                <div className="small pre-wrap">{o.justification?.reason}</div>
              </div>
            ))}
        </div>
      )}
    </Card>
  );

  const formCard = (
    <Card size="small" className="action-form-card" title={t('approval.form.title')}>
      <Typography.Paragraph type="secondary" className="small action-article">
        {returning ? t('framework.decision.article.return') : t('framework.decision.article.confirm')}
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        name={`framework-${action.action}`}
        requiredMark
        onValuesChange={(changed: Values) => {
          if (Object.keys(changed).every((key) => key === 'totp')) return;
          setChecked(null);
        }}
      >
        <Form.Item
          name="reasons"
          label={reasonsLabel}
          rules={returning ? [{ required: true, whitespace: true, message: t('common.required', { field: reasonsLabel }) }] : []}
        >
          <Input.TextArea rows={returning ? 5 : 3} maxLength={10_000} showCount />
        </Form.Item>
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
      </Form>
      <div className="dry-run-result" data-state={checked === null ? 'none' : checked ? 'ok' : 'blocked'}>
        {checked && problems.length === 0 ? (
          <Alert type="success" showIcon message={t('framework.decision.ok', { action: actionName })} description={t('approval.dryRun.noWrite')} />
        ) : (
          <RuleProblems problems={problems} />
        )}
      </div>
    </Card>
  );

  const buttons = [
    <Button key="check" icon={<SearchOutlined />} loading={checking} onClick={() => void preflight()} block={!screens.md} className="action-preflight">
      {t('approval.dryRun')}
    </Button>,
    <Button
      key="confirm"
      type="primary"
      danger={returning}
      icon={returning ? <LockOutlined /> : <CheckOutlined />}
      loading={submitting}
      onClick={() => void confirm()}
      block={!screens.md}
      className="action-confirm"
    >
      {t('framework.decision.submit', { action: actionName })}
    </Button>,
  ];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={screens.lg ? 1000 : screens.md ? 760 : '100%'}
      title={
        <Space wrap size={[8, 4]}>
          <span>{actionName}</span>
          <FrameworkStatusTag status={framework.status} name={framework.statusName} />
          <Tag icon={<LockOutlined />} color="gold">
            {t('approval.decision')}
          </Tag>
        </Space>
      }
      className="action-drawer framework-decision-drawer"
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
        <Typography.Text strong>{framework.name}</Typography.Text>
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          {summary}
        </Col>
        <Col xs={24} lg={14}>
          {formCard}
        </Col>
      </Row>
    </Drawer>
  );
}
