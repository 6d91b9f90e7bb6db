// 上一期项目 (第九条): a 改建 or 扩建 filing includes the previous project's third-party post-evaluation
// report. Instead of uploading it again, the construction unit may link the earlier project on the
// platform (approved or filed) whose 第三方后评价报告 (material postEvaluationReport) is kept there;
// the link then satisfies the checklist item and the report is signed with the decision. Shown in
// the filing checklist's row of that item: the linked project and whether its report exists, and
// — while the filing may be edited — 关联上一期项目 / 更换 / 取消关联.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Form, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, DisconnectOutlined, LinkOutlined } from '@ant-design/icons';
import { request } from '../../api/client';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import type { LocalizedText, Project } from '../../api/types';
import { useLocale, useT } from '../../i18n';
import ProjectSearchSelect from '../frameworks/ProjectSearchSelect';

/** GET /projects/:id/predecessor (src/usecases/predecessors.ts). */
export interface PredecessorLinkInfo {
  /** The linked earlier project as far as the caller may see it. */
  previousProject: { id: string; code: string; name: string; state: LocalizedText; linkedAt: string } | null;
  /** The latest version of its post-evaluation report; null when it has none yet. */
  report: { projectId: string; materialId: string; versionNo: number; fileName: string; sm3: string } | null;
}

export const predecessorApi = {
  get: (projectId: string) => request<PredecessorLinkInfo>('GET', `/projects/${encodeURIComponent(projectId)}/predecessor`),
  /** null unlinks. */
  set: (projectId: string, previousProjectId: string | null) =>
    request<PredecessorLinkInfo>('PUT', `/projects/${encodeURIComponent(projectId)}/predecessor`, { body: { previousProjectId } }),
};

/** 第九条: only a 改建 or 扩建 project files the previous project's post-evaluation report. */
export function takesPredecessor(project: Pick<Project, 'kind'>): boolean {
  return project.kind === 'rebuild' || project.kind === 'expansion';
}

/** The statuses of an earlier project whose report may be used: approved or filed. */
const FINISHED = ['approved', 'filed'];

export default function PredecessorLink({
  project,
  editable,
  onChanged,
}: {
  project: Project;
  /** Linking is offered (the submit screen of an editable filing). */
  editable: boolean;
  /** The link changed: the checklist and the dry run are stale. */
  onChanged?: () => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<{ previousProjectId?: string }>();
  const [info, setInfo] = useState<PredecessorLinkInfo | null>(null);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    try {
      setInfo(await predecessorApi.get(project.id));
    } catch (error) {
      showError(error);
    }
  }, [project.id, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = async (previousProjectId: string | null) => {
    setSaving(true);
    try {
      setInfo(await predecessorApi.set(project.id, previousProjectId));
      void message.success(previousProjectId ? t('predecessor.linked') : t('predecessor.unlinked'));
      setOpen(false);
      onChanged?.();
      return true;
    } catch (error) {
      showError(error);
      const fields = fieldErrorsOf(error).map(({ errors }) => ({ name: 'previousProjectId' as const, errors }));
      if (fields.length > 0) form.setFields(fields);
      return false;
    } finally {
      setSaving(false);
    }
  };

  const submit = async () => {
    let values: { previousProjectId?: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (values.previousProjectId) await save(values.previousProjectId);
  };

  if (!info) return null;
  const linked = info.previousProject;
  if (!linked && !editable) return null;

  return (
    <div className="predecessor-link" data-linked={linked ? 'yes' : 'no'} data-report={info.report ? 'yes' : 'no'}>
      {linked ? (
        <>
          <Typography.Text className="small">
            {t('predecessor.linkedProject')}
            {t('common.colon')}
            <Link to={`/projects/${linked.id}`} target="_blank" rel="noopener">
              {linked.name}
            </Link>{' '}
            <span className="mono">{linked.code}</span> <Tag color="green">{locale === 'zh-CN' ? linked.state.zh : linked.state.en}</Tag>
          </Typography.Text>
          {info.report ? (
            <Typography.Text type="success" className="small predecessor-report">
              <CheckCircleFilled /> {t('predecessor.report.present', { file: info.report.fileName, no: info.report.versionNo })}
            </Typography.Text>
          ) : (
            <Typography.Text type="danger" className="small predecessor-report">
              <CloseCircleFilled /> {t('predecessor.report.missing')}
            </Typography.Text>
          )}
        </>
      ) : (
        <Typography.Text type="secondary" className="small">
          {t('predecessor.hint')}
        </Typography.Text>
      )}
      {editable && (
        <div className="predecessor-actions">
          <Button
            size="small"
            icon={<LinkOutlined />}
            onClick={() => {
              form.resetFields();
              setOpen(true);
            }}
            className="predecessor-choose"
          >
            {linked ? t('predecessor.change') : t('predecessor.link')}
          </Button>
          {linked && (
            <Popconfirm title={t('predecessor.unlink.confirm')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => void save(null)}>
              <Button size="small" icon={<DisconnectOutlined />} loading={saving}>
                {t('predecessor.unlink')}
              </Button>
            </Popconfirm>
          )}
        </div>
      )}
      <Modal
        open={open}
        title={t('predecessor.link')}
        okText={t('predecessor.link')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        width={640}
        forceRender
        className="predecessor-modal"
      >
        <Space direction="vertical" className="full-width">
          <Typography.Paragraph type="secondary" className="small">
            {t('predecessor.help')}
          </Typography.Paragraph>
          <Form form={form} layout="vertical" name="predecessor">
            <Form.Item
              name="previousProjectId"
              label={t('predecessor.project')}
              rules={[{ required: true, message: t('common.pleaseSelect', { field: t('predecessor.project') }) }]}
            >
              <ProjectSearchSelect statuses={FINISHED} filter={(p) => p.id !== project.id} placeholder={t('predecessor.search')} />
            </Form.Item>
          </Form>
        </Space>
      </Modal>
    </div>
  );
}
