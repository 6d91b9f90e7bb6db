// 业务流 (第十条): how the departments' parts work together, as steps each taken by a participant.
// The lead draws them up.
import { useState } from 'react';
import { Button, Card, Empty, Form, Grid, Input, Modal, Popconfirm, Select, Space, Steps, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { fieldErrorsOf } from '../../api/feedback';
import { useT } from '../../i18n';
import { useFramework, useFrameworkEdit } from './FrameworkContext';
import { frameworksApi, LIMITS, type BusinessFlow, type BusinessFlowInput } from './frameworksApi';
import { isEditable } from './frameworkUi';

export default function BusinessFlowsTab() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { framework } = useFramework();
  const edit = useFrameworkEdit();
  const [form] = Form.useForm<BusinessFlowInput>();
  const [editing, setEditing] = useState<BusinessFlow | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const mayEdit = framework.caller.leads && isEditable(framework);
  const participantOptions = framework.participants.map((p) => ({ value: p.organizationId, label: p.organizationName }));

  const open = (flow: BusinessFlow | null) => {
    form.setFieldsValue(
      flow
        ? { name: flow.name, description: flow.description, steps: flow.steps.map((s) => ({ organizationId: s.organizationId, activity: s.activity })) }
        : { name: '', description: '', steps: [{ organizationId: framework.leadOrganizationId, activity: '' }] },
    );
    setEditing(flow ?? 'new');
  };

  const save = async () => {
    if (!editing) return;
    let values: BusinessFlowInput;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const body: BusinessFlowInput = {
      name: values.name.trim(),
      description: (values.description ?? '').trim(),
      steps: (values.steps ?? []).map((s) => ({ organizationId: s.organizationId, activity: s.activity.trim() })),
    };
    setSaving(true);
    const ok = await edit(
      () => (editing === 'new' ? frameworksApi.addBusinessFlow(framework.id, body) : frameworksApi.updateBusinessFlow(framework.id, editing.id, editing.version, body)),
      t('common.saved'),
      (error) => {
        const fields = fieldErrorsOf(error);
        if (fields.length > 0) form.setFields(fields.map(({ name, errors }) => ({ name: name as never, errors })));
      },
    );
    setSaving(false);
    if (ok) setEditing(null);
  };

  const remove = async (flow: BusinessFlow) => {
    setBusy(flow.id);
    await edit(() => frameworksApi.removeBusinessFlow(framework.id, flow.id, flow.version), t('framework.flow.removed'));
    setBusy(null);
  };

  return (
    <Space direction="vertical" size={16} className="full-width">
      <Card
        size="small"
        className="detail-card"
        title={t('framework.tab.businessFlows')}
        extra={
          mayEdit && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => open(null)} className="business-flow-add">
              {t('framework.businessFlow.add')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary" className="small">
          {t('framework.businessFlow.help')}
        </Typography.Paragraph>
        {framework.businessFlows.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('framework.businessFlow.empty')} />}
        {framework.businessFlows.map((flow) => (
          <Card
            key={flow.id}
            size="small"
            type="inner"
            className="business-flow"
            title={flow.name}
            extra={
              mayEdit && (
                <Space size={4}>
                  <Tooltip title={t('common.edit')}>
                    <Button size="small" type="text" icon={<EditOutlined />} onClick={() => open(flow)} aria-label={t('common.edit')} />
                  </Tooltip>
                  <Popconfirm
                    title={t('framework.flow.remove.confirm')}
                    okText={t('common.delete')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => void remove(flow)}
                  >
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} loading={busy === flow.id} aria-label={t('common.delete')} />
                  </Popconfirm>
                </Space>
              )
            }
          >
            {flow.description && <Typography.Paragraph className="small pre-wrap">{flow.description}</Typography.Paragraph>}
            <Steps
              size="small"
              progressDot
              current={flow.steps.length}
              direction={screens.lg && flow.steps.length <= 5 ? 'horizontal' : 'vertical'}
              className="business-flow-steps"
              items={flow.steps.map((step, index) => ({
                title: <span className="business-step-org">{t('framework.businessFlow.step', { no: index + 1, name: step.organizationName })}</span>,
                description: step.activity,
                status: 'finish' as const,
              }))}
            />
          </Card>
        ))}
      </Card>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('framework.businessFlow.add') : t('framework.businessFlow.edit')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        maskClosable={false}
        width={720}
        forceRender
      >
        <Form<BusinessFlowInput> form={form} layout="vertical" name="businessFlow">
          <Form.Item name="name" label={t('framework.businessFlow.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.businessFlow.name') }) }]}>
            <Input maxLength={LIMITS.name} />
          </Form.Item>
          <Form.Item name="description" label={t('framework.businessFlow.description')}>
            <Input.TextArea rows={2} maxLength={LIMITS.description} />
          </Form.Item>
          <Form.List
            name="steps"
            rules={[
              {
                validator: async (_, steps?: unknown[]) => {
                  if (!steps || steps.length === 0) throw new Error(t('framework.businessFlow.steps.required'));
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <div className="flow-steps-form">
                <Typography.Text strong>{t('framework.businessFlow.steps')}</Typography.Text>
                {fields.map((field, index) => (
                  <div key={field.key} className="flow-step-row">
                    <span className="flow-step-no">{index + 1}</span>
                    <Form.Item
                      name={[field.name, 'organizationId']}
                      className="flow-step-org"
                      rules={[{ required: true, message: t('common.pleaseSelect', { field: t('framework.field.participant') }) }]}
                    >
                      <Select options={participantOptions} placeholder={t('framework.field.participant')} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'activity']}
                      className="flow-step-activity"
                      rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.businessFlow.activity') }) }]}
                    >
                      <Input maxLength={LIMITS.activity} placeholder={t('framework.businessFlow.activity')} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} disabled={fields.length === 1} />
                  </div>
                ))}
                <Form.ErrorList errors={errors} />
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ organizationId: undefined, activity: '' })} block disabled={fields.length >= LIMITS.steps}>
                  {t('framework.businessFlow.addStep')}
                </Button>
              </div>
            )}
          </Form.List>
        </Form>
      </Modal>
    </Space>
  );
}
