// 基本信息与建设目标 (第十条: 共同编制统一的框架方案). The goals are shared by every participant, so
// changing them clears every participant's confirmation; the form says so before it saves.
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Grid, Input, Modal, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { fieldErrorsOf } from '../../api/feedback';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { useFramework, useFrameworkEdit } from './FrameworkContext';
import { frameworksApi, LIMITS } from './frameworksApi';
import { FrameworkStatusTag, isEditable } from './frameworkUi';

interface Values {
  name: string;
  goals: string;
}

export default function OverviewTab() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { framework } = useFramework();
  const edit = useFrameworkEdit();
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const mayEdit = framework.caller.leads && isEditable(framework);
  const goals = Form.useWatch('goals', form);
  const goalsChanged = open && goals !== undefined && goals.trim() !== framework.goals.trim();

  const save = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    const ok = await edit(
      () => frameworksApi.update(framework.id, framework.version, { name: values.name.trim(), goals: values.goals.trim() }),
      t('common.saved'),
      (error) => {
        const fields = fieldErrorsOf(error).map(({ name, errors }) => ({ name: name[0] as keyof Values, errors }));
        if (fields.length > 0) form.setFields(fields);
      },
    );
    setSaving(false);
    if (ok) setOpen(false);
  };

  return (
    <Card
      size="small"
      className="detail-card"
      title={t('framework.tab.overview')}
      extra={
        mayEdit && (
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => {
              form.setFieldsValue({ name: framework.name, goals: framework.goals });
              setOpen(true);
            }}
          >
            {t('common.edit')}
          </Button>
        )
      }
    >
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }} layout={screens.sm ? 'horizontal' : 'vertical'}>
        <Descriptions.Item label={t('framework.field.name')} span={3}>
          {framework.name}
        </Descriptions.Item>
        <Descriptions.Item label={t('framework.field.lead')}>{framework.leadOrganizationName}</Descriptions.Item>
        <Descriptions.Item label={t('framework.field.status')}>
          <FrameworkStatusTag status={framework.status} name={framework.statusName} />
        </Descriptions.Item>
        <Descriptions.Item label={t('framework.field.participants')}>
          {framework.participants.map((p) => p.organizationName).join(t('common.listSeparator'))}
        </Descriptions.Item>
        <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(framework.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('framework.field.updatedAt')}>{formatDateTime(framework.updatedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('framework.field.threshold')}>
          {framework.overlapThreshold.toFixed(2)}
        </Descriptions.Item>
        <Descriptions.Item label={t('framework.field.goals')} span={3}>
          <Typography.Paragraph className="pre-wrap framework-goals">{framework.goals}</Typography.Paragraph>
        </Descriptions.Item>
      </Descriptions>
      <Modal
        open={open}
        title={t('framework.edit.title')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setOpen(false)}
        maskClosable={false}
        width={680}
        forceRender
      >
        <Form<Values> form={form} layout="vertical" name="frameworkHeader">
          <Form.Item name="name" label={t('framework.field.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.field.name') }) }]}>
            <Input maxLength={LIMITS.name} />
          </Form.Item>
          <Form.Item name="goals" label={t('framework.field.goals')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.field.goals') }) }]}>
            <Input.TextArea rows={6} maxLength={LIMITS.goals} showCount />
          </Form.Item>
        </Form>
        {goalsChanged && <Alert type="warning" showIcon message={t('framework.goals.clearsAll')} />}
      </Modal>
    </Card>
  );
}
