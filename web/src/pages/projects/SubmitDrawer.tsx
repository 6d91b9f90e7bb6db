// 提交 (第七条; 备案 第九条): the stage's checklist with ✓/✗ per item (the server's, from
// GET …/actions), uploads in place, and the server's dry run shown live — both loaded when the
// drawer opens and again after every upload. The submit button stays disabled while the dry run
// reports any problem; the real submission carries If-Match (the project version) and an
// Idempotency-Key made when the drawer opened. A refusal (422) replaces the dry run's problems:
// it has the same shape, and the checklist is reloaded to match. A 改建/扩建 filing may link its
// previous project from the checklist instead of uploading that project's post-evaluation report
// (第九条); the checklist and the dry run are then reloaded too.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Drawer, Grid, Space, Spin } from 'antd';
import { ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { ActionRecord, AvailableAction, LifecycleStateRef, Project, RuleProblem } from '../../api/types';
import { useLocale, useT } from '../../i18n';
import DuplicateWarnings, { fromWarnings, type DuplicateList } from '../../components/DuplicateWarnings';
import RuleProblems from '../../components/RuleProblems';
import StageTag from '../../components/StageTag';
import StageMaterials, { useStageEvidence } from './StageMaterials';
import { localizeProblem, newIdempotencyKey, statusKey } from './lifecycleUi';

export default function SubmitDrawer({
  project,
  action,
  open,
  onClose,
  onDone,
  onStale,
  onOpenCatalog,
}: {
  project: Project;
  action: AvailableAction;
  open: boolean;
  onClose: () => void;
  onDone: (record: ActionRecord) => void;
  /** The project moved on meanwhile (412, 409): reload it. */
  onStale: () => void;
  onOpenCatalog: () => void;
}) {
  const t = useT();
  const { locale, tx } = useLocale();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const evidence = useStageEvidence(project);
  const [idempotencyKey] = useState(newIdempotencyKey);
  /** The last verdict, of a dry run or a refusal: every problem with its article (the missing items, also ✗ above, the urgent declaration, the state). */
  const [verdict, setVerdict] = useState<{ problems: RuleProblem[]; next: LifecycleStateRef | null } | null>(null);
  const [checking, setChecking] = useState(true);
  /** 第二十八条: the dry run's possible duplicates — shown, never blocking. */
  const [duplicates, setDuplicates] = useState<DuplicateList | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const filing = project.lifecycle.track === 'filing';
  const canUpload = project.lifecycle.editable;

  const check = useCallback(async () => {
    setChecking(true);
    try {
      const result = await api.lifecycle.dryRun(project.id, 'submit', {});
      setVerdict({ problems: result.problems.map((p) => localizeProblem(p, locale)), next: result.next });
      setDuplicates(fromWarnings(result.warnings, locale));
    } catch (error) {
      showError(error);
    } finally {
      setChecking(false);
    }
  }, [project.id, showError, locale]);

  useEffect(() => {
    void check();
  }, [check]);

  const upload = async (code: string, file: File) => {
    setUploading(code);
    try {
      const saved = await api.materials.upload(project.id, project.lifecycle.stage, code, file);
      void message.success(t('material.uploaded', { name: locale === 'zh-CN' ? saved.materialName.zh : saved.materialName.en, version: saved.versionNo }));
      await Promise.all([evidence.reload(), check()]);
    } catch (error) {
      showError(error);
    } finally {
      setUploading(null);
    }
  };

  const submit = async () => {
    setSubmitting(true);
    try {
      const result = await api.lifecycle.take(project.id, 'submit', project.version, idempotencyKey, {});
      void message.success(t('approval.done', { action: locale === 'zh-CN' ? action.name.zh : action.name.en }));
      onDone(result.record);
    } catch (error) {
      showError(error);
      if (error instanceof ApiError) {
        if (error.problems.length > 0) {
          setVerdict({ problems: error.problems, next: null });
          void evidence.reload();
        }
        if (error.isStale || error.code === 'lifecycle.conflict') onStale();
      }
    } finally {
      setSubmitting(false);
    }
  };

  const ready = verdict !== null && verdict.problems.length === 0;
  const nextText = verdict?.next ? `${t(`lifecycle.stage.${verdict.next.stage}`)} · ${tx(statusKey(verdict.next), verdict.next.status)}` : '';
  const footerButtons = [
    <Button key="check" icon={<ReloadOutlined />} loading={checking} onClick={() => void check()} block={!screens.md}>
      {t('approval.dryRun.again')}
    </Button>,
    <Button
      key="submit"
      type="primary"
      icon={<SendOutlined />}
      disabled={!ready || checking}
      loading={submitting}
      onClick={() => void submit()}
      block={!screens.md}
      className="action-confirm"
    >
      {filing ? t('approval.submit.filing') : t('approval.submit.confirm')}
    </Button>,
  ];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={screens.md ? 760 : '100%'}
      title={
        <Space wrap size={[8, 4]}>
          <span>{filing ? t('approval.submit.filingTitle') : t('approval.submit.title', { stage: t(`lifecycle.stage.${project.lifecycle.stage}`) })}</span>
          <StageTag lifecycle={project.lifecycle} />
        </Space>
      }
      className="action-drawer submit-drawer"
      footer={
        screens.md ? (
          <Space className="drawer-footer">{footerButtons}</Space>
        ) : (
          <Space direction="vertical" className="full-width">
            {footerButtons.reverse()}
          </Space>
        )
      }
    >
      <Alert
        type="info"
        showIcon
        className="drawer-alert"
        message={filing ? t('approval.submit.filingNote') : t('approval.submit.note')}
      />
      <StageMaterials
        project={project}
        checklist={evidence.checklist}
        materials={evidence.materials}
        catalogCount={evidence.catalogCount}
        loading={evidence.loading}
        onUpload={canUpload ? (code, file) => void upload(code, file) : undefined}
        uploading={uploading}
        onOpenCatalog={canUpload ? onOpenCatalog : undefined}
        onPredecessorChanged={canUpload ? () => void Promise.all([evidence.reload(), check()]) : undefined}
      />
      <div className="dry-run-result" data-state={checking ? 'checking' : ready ? 'ok' : 'blocked'}>
        {checking && !verdict ? (
          <Spin />
        ) : ready ? (
          <Alert type="success" showIcon message={t('approval.dryRun.ok', { next: nextText })} description={t('approval.dryRun.noWrite')} />
        ) : (
          <RuleProblems problems={verdict?.problems ?? []} />
        )}
      </div>
      <DuplicateWarnings list={duplicates} help={t('duplicate.submit.help')} className="submit-duplicates" />
    </Drawer>
  );
}
