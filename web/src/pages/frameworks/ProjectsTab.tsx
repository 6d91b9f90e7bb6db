// 关联项目 (第十条: 框架方案确定后各部门按程序申报本部门分项): once NDRC has confirmed the plan, a
// participant's people link a project built by that participant (or a unit below it) as its part;
// the project then goes through its own approval. The project is found by name or 项目代码 among
// the projects the caller can see.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Empty, Form, Grid, List, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DisconnectOutlined, LinkOutlined } from '@ant-design/icons';
import { fieldErrorsOf } from '../../api/feedback';
import { useLocale, useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { statusColor } from '../../utils/lifecycle';
import { useFramework, useFrameworkEdit } from './FrameworkContext';
import { frameworksApi, type LinkedProject } from './frameworksApi';
import ProjectSearchSelect from './ProjectSearchSelect';

/** The project's state, e.g. 可行性研究报告 · 草稿 (the link lists stage and status without the track). */
export function useStateText() {
  const { tx } = useLocale();
  return (stage: string, status: string) =>
    `${tx(`lifecycle.stage.${stage}`, stage)} · ${tx(`lifecycle.status.${stage === 'filing' ? 'filing' : 'approval'}.${status}`, status)}`;
}

export default function ProjectsTab() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { framework } = useFramework();
  const edit = useFrameworkEdit();
  const stateText = useStateText();
  const [form] = Form.useForm<{ organizationId?: string; projectId?: string }>();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const confirmed = framework.status === 'confirmed';
  const own = framework.caller.ownOrganizationIds;
  const ownOptions = framework.participants.filter((p) => own.includes(p.organizationId)).map((p) => ({ value: p.organizationId, label: p.organizationName }));
  const linked = new Set(framework.projects.map((p) => p.projectId));

  const link = async () => {
    let values: { organizationId?: string; projectId?: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    const ok = await edit(
      () => frameworksApi.linkProject(framework.id, { projectId: values.projectId!, organizationId: values.organizationId! }),
      t('framework.project.linked'),
      (error) => {
        const fields = fieldErrorsOf(error).map(({ name, errors }) => ({ name: name[0] as 'projectId' | 'organizationId', errors }));
        if (fields.length > 0) form.setFields(fields);
      },
    );
    setSaving(false);
    if (ok) setOpen(false);
  };

  const unlink = async (p: LinkedProject) => {
    setBusy(p.projectId);
    await edit(() => frameworksApi.unlinkProject(framework.id, p.projectId), t('framework.project.unlinked'));
    setBusy(null);
  };

  const unlinkButton = (p: LinkedProject) =>
    own.includes(p.organizationId) ? (
      <Popconfirm
        title={t('framework.project.unlink.confirm', { name: p.name })}
        okText={t('framework.project.unlink')}
        cancelText={t('common.cancel')}
        onConfirm={() => void unlink(p)}
      >
        <Tooltip title={t('framework.project.unlink')}>
          <Button size="small" type="text" danger icon={<DisconnectOutlined />} loading={busy === p.projectId} aria-label={t('framework.project.unlink')} />
        </Tooltip>
      </Popconfirm>
    ) : null;

  const state = (p: LinkedProject) => <Tag color={statusColor(p.status as never)}>{stateText(p.stage, p.status)}</Tag>;

  return (
    <Card
      size="small"
      className="detail-card"
      title={t('framework.tab.projects')}
      extra={
        confirmed &&
        ownOptions.length > 0 && (
          <Button
            size="small"
            type="primary"
            icon={<LinkOutlined />}
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ organizationId: ownOptions[0]?.value });
              setOpen(true);
            }}
            className="project-link"
          >
            {t('framework.project.link')}
          </Button>
        )
      }
    >
      {!confirmed && <Alert type="info" showIcon className="framework-tab-alert" message={t('framework.project.notYet')} />}
      {screens.md ? (
        <Table<LinkedProject>
          rowKey="projectId"
          size="small"
          pagination={false}
          dataSource={framework.projects}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('framework.project.empty')} /> }}
          columns={[
            { title: t('project.code'), dataIndex: 'code', key: 'code', width: 200, render: (v: string) => <span className="mono nowrap">{v}</span> },
            { title: t('project.name'), key: 'name', render: (_, p) => <Link to={`/projects/${p.projectId}`}>{p.name}</Link> },
            { title: t('framework.project.participant'), dataIndex: 'organizationName', key: 'org', width: 200 },
            { title: t('project.constructionUnit'), dataIndex: 'constructionUnitName', key: 'unit', width: 180 },
            { title: t('project.currentStage'), key: 'state', width: 200, render: (_, p) => state(p) },
            { title: t('framework.project.linkedAt'), dataIndex: 'linkedAt', key: 'at', width: 150, render: (v: string) => formatDateTime(v, 'YYYY-MM-DD HH:mm') },
            { title: t('common.actions'), key: 'actions', width: 70, render: (_, p) => unlinkButton(p) },
          ]}
        />
      ) : (
        <List<LinkedProject>
          dataSource={framework.projects}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('framework.project.empty')} /> }}
          renderItem={(p) => (
            <List.Item extra={unlinkButton(p)}>
              <Space direction="vertical" size={2}>
                <Link to={`/projects/${p.projectId}`}>{p.name}</Link>
                <Typography.Text type="secondary" className="small mono">
                  {p.code}
                </Typography.Text>
                <Typography.Text type="secondary" className="small">
                  {p.organizationName}
                </Typography.Text>
                {state(p)}
              </Space>
            </List.Item>
          )}
        />
      )}
      <Modal
        open={open}
        title={t('framework.project.link')}
        okText={t('framework.project.link')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void link()}
        onCancel={() => setOpen(false)}
        width={640}
        forceRender
      >
        <Typography.Paragraph type="secondary" className="small">
          {t('framework.project.link.help')}
        </Typography.Paragraph>
        <Form form={form} layout="vertical" name="linkProject">
          <Form.Item name="organizationId" label={t('framework.project.participant')} rules={[{ required: true }]}>
            <Select options={ownOptions} />
          </Form.Item>
          <Form.Item
            name="projectId"
            label={t('framework.project.project')}
            rules={[{ required: true, message: t('common.pleaseSelect', { field: t('framework.project.project') }) }]}
          >
            <ProjectSearchSelect filter={(p) => !linked.has(p.id)} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
