// 办理: what the signed-in user may do with the project now (GET /projects/:id/actions), one
// button per action, each opening its screen: the checklist for 提交, the review screen for the
// others. What still blocks an action is counted on its button; the screen lists it with the
// articles. After an action the page reloads the project, its history and these actions.
// The panel also names who handles the file (改派的审核人, 受托的咨询评估单位, 第七条) and lets the
// approval department entrust a 咨询评估单位.
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Card, Descriptions, Grid, Space, Tooltip, Typography } from 'antd';
import { AuditOutlined, LockOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { AvailableAction, LifecycleAction, NextActions, Project, ProjectAssignments } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT } from '../../i18n';
import StageTag from '../../components/StageTag';
import AssessorModal from './AssessorModal';
import ReviewDrawer from './ReviewDrawer';
import SubmitDrawer from './SubmitDrawer';
import { ACTION_FORMS, INPUT_PROBLEM_CODES } from './lifecycleUi';

/** The actions that move a project forward: primary buttons. */
const FORWARD: ReadonlySet<LifecycleAction> = new Set(['submit', 'sign', 'accept', 'completeAssessment', 'approve', 'file']);

export default function ActionPanel({
  project,
  onChanged,
  onOpenCatalog,
}: {
  project: Project;
  /** Reload the project (its version moved on). */
  onChanged: () => void;
  onOpenCatalog: () => void;
}) {
  const t = useT();
  const { locale, tx } = useLocale();
  const screens = Grid.useBreakpoint();
  const { showError } = useApiFeedback();
  const can = useCan();
  const [next, setNext] = useState<NextActions | null>(null);
  const [assignments, setAssignments] = useState<ProjectAssignments | null>(null);
  const [assessorOpen, setAssessorOpen] = useState(false);
  const [loading, setLoading] = useState(true);
  const [current, setCurrent] = useState<AvailableAction | null>(null);
  const [open, setOpen] = useState(false);
  // A new screen (with a new Idempotency-Key) for every opening.
  const [session, setSession] = useState(0);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [actions, assigned] = await Promise.all([
        api.lifecycle.actions(project.id),
        api.lifecycle.assignments(project.id).catch(() => null),
      ]);
      setNext(actions);
      setAssignments(assigned);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [project.id, showError]);

  useEffect(() => {
    void load();
  }, [load, project.version]);

  const openAction = (action: AvailableAction) => {
    setCurrent(action);
    setSession((n) => n + 1);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    // Uploads in the submit screen change what blocks the actions.
    void load();
  };
  const done = () => {
    setOpen(false);
    onChanged();
  };
  const stale = () => {
    setOpen(false);
    onChanged();
  };

  const actions = next?.actions ?? [];
  // 第七条: the department entrusts the assessor before accepting or while assessing.
  const canEntrust =
    can('project:review') && project.lifecycle.track === 'approval' && ['submitted', 'assessing'].includes(project.lifecycle.status);
  const awaitingAssessor = project.lifecycle.status === 'assessing' && assignments !== null && assignments.assessor === null;
  const name = (action: AvailableAction) => (locale === 'zh-CN' ? action.name.zh : action.name.en);

  return (
    <Card
      size="small"
      className="detail-card action-panel"
      title={t('approval.panel.title')}
      extra={
        <Space size={8}>
          <StageTag lifecycle={project.lifecycle} />
          <Tooltip title={t('common.refresh')}>
            <Button size="small" icon={<ReloadOutlined />} loading={loading} onClick={() => void load()} aria-label={t('common.refresh')} />
          </Tooltip>
        </Space>
      }
    >
      {actions.length === 0 ? (
        <Typography.Text type="secondary" className="action-none">
          {loading ? t('app.loading') : t('approval.panel.none')}
        </Typography.Text>
      ) : (
        <>
          <div className={screens.md ? 'action-buttons' : 'action-buttons action-buttons-phone'}>
            {actions.map((action) => {
              const blocking = action.problems.filter((p) => !INPUT_PROBLEM_CODES.has(p.code)).length;
              const config = ACTION_FORMS[action.action];
              return (
                <Badge key={action.action} count={blocking} size="small" title={t('approval.panel.blocking', { count: blocking })} className="action-badge">
                  <Button
                    type={FORWARD.has(action.action) ? 'primary' : 'default'}
                    danger={config.danger}
                    icon={action.needsTotp ? <LockOutlined /> : undefined}
                    onClick={() => openAction(action)}
                    block={!screens.md}
                    data-action={action.action}
                    className="action-button"
                  >
                    {name(action)}
                  </Button>
                </Badge>
              );
            })}
          </div>
          <Typography.Paragraph type="secondary" className="small action-hint">
            {t('approval.panel.hint', { role: tx(`approval.role.${actions[0]!.role}`, actions[0]!.role) })}
            {actions.some((a) => a.needsTotp) ? ` ${t('approval.panel.totpHint')}` : ''}
          </Typography.Paragraph>
        </>
      )}
      {(assignments?.reviewer || assignments?.assessor || canEntrust || awaitingAssessor) && (
        <Descriptions size="small" column={screens.md ? 2 : 1} className="assignment-descriptions">
          {assignments?.reviewer && (
            <Descriptions.Item label={t('approval.assigned.reviewer')}>{assignments.reviewer.userName ?? assignments.reviewer.organizationName}</Descriptions.Item>
          )}
          {(assignments?.assessor || canEntrust || awaitingAssessor) && (
            <Descriptions.Item label={t('approval.assigned.assessor')}>
              <Space wrap size={[8, 4]}>
                {assignments?.assessor ? (
                  <span className="assigned-assessor">{assignments.assessor.organizationName}</span>
                ) : (
                  <Typography.Text type={awaitingAssessor ? 'warning' : 'secondary'}>{t('approval.assigned.none')}</Typography.Text>
                )}
                {canEntrust && (
                  <Button size="small" icon={<AuditOutlined />} onClick={() => setAssessorOpen(true)} className="entrust-assessor">
                    {assignments?.assessor ? t('approval.assessor.change') : t('approval.assessor.entrust')}
                  </Button>
                )}
              </Space>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {canEntrust && (
        <AssessorModal
          project={project}
          open={assessorOpen}
          current={assignments?.assessor?.organizationId ?? null}
          onClose={() => setAssessorOpen(false)}
          onDone={(result) => {
            setAssignments(result);
            setAssessorOpen(false);
            void load();
          }}
        />
      )}
      {current && current.action === 'submit' && (
        <SubmitDrawer
          key={session}
          project={project}
          action={current}
          open={open}
          onClose={close}
          onDone={done}
          onStale={stale}
          onOpenCatalog={() => {
            setOpen(false);
            onOpenCatalog();
          }}
        />
      )}
      {current && current.action !== 'submit' && (
        <ReviewDrawer key={session} project={project} action={current} open={open} onClose={close} onDone={done} onStale={stale} />
      )}
    </Card>
  );
}
