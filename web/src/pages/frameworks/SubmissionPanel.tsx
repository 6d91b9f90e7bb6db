// 联合报送与确定 (第十条): where the plan stands, everything that still stands in the way of 联合报送
// (all at once, each with its article and a link to the tab where it is fixed), and the status
// actions the caller holds: the lead's 联合报送 (disabled until nothing stands in the way) and
// 撤回; NDRC's 确定 and 退回, which open the decision screen (reasons, one-time code, signed).
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Grid, Popconfirm, Steps, Typography } from 'antd';
import type { StepsProps } from 'antd';
import { LockOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import DecisionDrawer from './DecisionDrawer';
import { useFramework } from './FrameworkContext';
import { frameworksApi, type CallerAction, type FrameworkActionRecord, type FrameworkProblem } from './frameworksApi';
import { isEditable } from './frameworkUi';

/** The tab where a problem is fixed. */
const PROBLEM_TABS: Record<string, string> = {
  'framework.too_few_participants': 'participants',
  'framework.participant_unconfirmed': 'participants',
  'framework.contents_missing': 'contents',
  'framework.overlap_unresolved': 'contents',
  'framework.catalog_overlap_unresolved': 'contents',
  'framework.business_flows_missing': 'businessFlows',
  'framework.data_flows_missing': 'dataFlows',
  'framework.catalog_missing': 'catalog',
};

export function FrameworkProblems({ problems, onOpenTab }: { problems: FrameworkProblem[]; onOpenTab?: (tab: string) => void }) {
  const t = useT();
  const { locale } = useLocale();
  if (problems.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      className="rule-problems framework-problems"
      message={t('framework.problems.title', { count: problems.length })}
      description={
        <ol className="rule-problem-list">
          {problems.map((problem, index) => {
            const message = locale === 'zh-CN' ? problem.message.zh : problem.message.en;
            const tab = PROBLEM_TABS[problem.code];
            return (
              <li key={`${problem.code}-${index}`} data-code={problem.code}>
                {problem.article ? t('project.problems.item', { article: problem.article, message }) : message}
                {tab && onOpenTab && (
                  <Button type="link" size="small" className="problem-link" onClick={() => onOpenTab(tab)}>
                    {t(`framework.tab.${tab}` as MessageKey)}
                  </Button>
                )}
              </li>
            );
          })}
        </ol>
      }
    />
  );
}

export default function SubmissionPanel({ onOpenTab }: { onOpenTab: (tab: string) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const { framework, apply, reload } = useFramework();
  const [busy, setBusy] = useState<string | null>(null);
  const [decision, setDecision] = useState<CallerAction | null>(null);
  const [session, setSession] = useState(0);
  const [lastReturn, setLastReturn] = useState<FrameworkActionRecord | null>(null);
  const editable = isEditable(framework);
  const problems = framework.submissionProblems;
  const local = (text: { zh: string; en: string }) => (locale === 'zh-CN' ? text.zh : text.en);

  // 第十条: NDRC says why it returned the plan; the departments see it here until they submit again.
  useEffect(() => {
    if (framework.status !== 'returned') {
      setLastReturn(null);
      return;
    }
    let alive = true;
    frameworksApi
      .history(framework.id)
      .then((r) => alive && setLastReturn([...r.items].reverse().find((item) => item.action === 'return') ?? null))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [framework.id, framework.status]);

  const take = async (action: CallerAction) => {
    setBusy(action.action);
    try {
      const result = await frameworksApi.take(framework.id, action.action, framework.version, {});
      void message.success(t('framework.action.done', { action: local(action.name) }));
      apply(result.framework);
    } catch (error) {
      showError(error);
      if (error instanceof ApiError && (error.isStale || error.status === 409 || error.problems.length > 0)) await reload();
    } finally {
      setBusy(null);
    }
  };

  const stepIndex = framework.status === 'confirmed' ? 2 : framework.status === 'submitted' ? 1 : 0;
  const steps: StepsProps['items'] = [
    { title: t('framework.step.draft'), description: framework.status === 'returned' ? t('framework.status.returned') : undefined },
    { title: t('framework.step.submitted') },
    { title: t('framework.step.confirmed') },
  ];

  const buttons = framework.caller.actions.map((action) => {
    const name = local(action.name);
    if (action.action === 'submit') {
      const blocked = action.problems.length > 0;
      return (
        <Popconfirm
          key="submit"
          title={t('framework.submit.confirm')}
          description={t('framework.submit.confirmHelp')}
          okText={name}
          cancelText={t('common.cancel')}
          onConfirm={() => void take(action)}
          disabled={blocked}
        >
          <Button type="primary" icon={<SendOutlined />} disabled={blocked} loading={busy === 'submit'} data-action="submit" block={!screens.md}>
            {name}
          </Button>
        </Popconfirm>
      );
    }
    if (action.action === 'withdraw') {
      return (
        <Popconfirm
          key="withdraw"
          title={t('framework.withdraw.confirm')}
          okText={name}
          cancelText={t('common.cancel')}
          onConfirm={() => void take(action)}
        >
          <Button icon={<RollbackOutlined />} loading={busy === 'withdraw'} data-action="withdraw" block={!screens.md}>
            {name}
          </Button>
        </Popconfirm>
      );
    }
    return (
      <Button
        key={action.action}
        type={action.action === 'confirm' ? 'primary' : 'default'}
        danger={action.action === 'return'}
        icon={<LockOutlined />}
        data-action={action.action}
        block={!screens.md}
        onClick={() => {
          setDecision(action);
          setSession((n) => n + 1);
        }}
      >
        {name}
      </Button>
    );
  });

  let state = null;
  if (editable) {
    state =
      problems.length > 0 ? (
        <FrameworkProblems problems={problems} onOpenTab={onOpenTab} />
      ) : (
        <Alert type="success" showIcon className="framework-ready" message={t('framework.ready')} />
      );
  } else if (framework.status === 'submitted') {
    state = <Alert type="info" showIcon message={t('framework.state.submitted')} />;
  } else if (framework.status === 'confirmed') {
    state = <Alert type="success" showIcon message={t('framework.state.confirmed')} />;
  }

  return (
    <Card size="small" className="detail-card framework-panel" title={t('framework.panel.title')} data-status={framework.status}>
      <Steps
        size="small"
        current={stepIndex}
        status={framework.status === 'returned' ? 'error' : framework.status === 'confirmed' ? 'finish' : 'process'}
        items={steps}
        // a phone: three short steps side by side, the titles under the dots
        responsive={false}
        labelPlacement={screens.md ? 'horizontal' : 'vertical'}
        className="framework-steps"
      />
      {framework.status === 'returned' && (
        <Alert
          type="warning"
          showIcon
          className="framework-returned"
          message={t('framework.state.returned')}
          description={
            lastReturn?.reasons ? (
              <span>
                <Typography.Text type="secondary">
                  {t('framework.returned.reasons', { name: lastReturn.actorName, time: formatDateTime(lastReturn.createdAt, 'YYYY-MM-DD HH:mm') })}
                </Typography.Text>
                <span className="pre-wrap">{lastReturn.reasons}</span>
              </span>
            ) : undefined
          }
        />
      )}
      {state}
      {buttons.length > 0 ? (
        <div className={screens.md ? 'framework-actions' : 'framework-actions framework-actions-phone'}>{buttons}</div>
      ) : (
        editable && (
          <Typography.Paragraph type="secondary" className="small framework-actions-note">
            {t('framework.submit.byLead', { name: framework.leadOrganizationName })}
          </Typography.Paragraph>
        )
      )}
      {decision && (
        <DecisionDrawer
          key={session}
          action={decision}
          open={decision !== null}
          onClose={() => setDecision(null)}
          onDone={(next) => {
            setDecision(null);
            apply(next);
          }}
        />
      )}
    </Card>
  );
}
