// 新建框架方案 (第十条): the name, the shared 建设目标, the lead (one of the caller's organizations,
// which becomes the first participant) and the other participating departments. The parts are
// drawn up on the plan's page afterwards.
import { useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import DepartmentSelect from '../../components/DepartmentSelect';
import { useMe } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { frameworksApi, LIMITS, type Framework } from './frameworksApi';

interface Values {
  name: string;
  goals: string;
  leadOrganizationId: string;
  participantIds: string[];
}

export default function CreateFrameworkModal({ onClose, onCreated }: { onClose: () => void; onCreated: (framework: Framework) => void }) {
  const t = useT();
  const me = useMe();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  // The lead is inside the caller's framework:manage scope; participants are any government
  // department of the directory (GET /api/v1/departments, purpose lead / participant).
  const lead = Form.useWatch('leadOrganizationId', form);

  const save = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      onCreated(await frameworksApi.create({ ...values, participantIds: values.participantIds ?? [] }));
    } catch (error) {
      showError(error);
      const fields = fieldErrorsOf(error).map(({ name, errors }) => ({ name: name[0] as keyof Values, errors }));
      if (fields.length > 0) form.setFields(fields);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('framework.create.title')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={onClose}
      maskClosable={false}
      width={680}
      className="framework-create-modal"
    >
      <Alert type="info" showIcon className="framework-modal-alert" message={t('framework.create.help')} />
      <Form<Values>
        form={form}
        layout="vertical"
        name="createFramework"
        initialValues={{ leadOrganizationId: me.organizations[0]?.id, participantIds: [] }}
      >
        <Form.Item name="name" label={t('framework.field.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.field.name') }) }]}>
          <Input maxLength={LIMITS.name} placeholder={t('framework.field.name.placeholder')} />
        </Form.Item>
        <Form.Item
          name="leadOrganizationId"
          label={t('framework.field.lead')}
          extra={t('framework.field.lead.help')}
          rules={[{ required: true, message: t('common.pleaseSelect', { field: t('framework.field.lead') }) }]}
        >
          <DepartmentSelect purpose="lead" />
        </Form.Item>
        <Form.Item
          name="participantIds"
          label={t('framework.field.otherParticipants')}
          extra={t('framework.field.participants.help')}
          rules={[{ required: true, type: 'array', min: 1, message: t('framework.field.participants.required') }]}
        >
          <DepartmentSelect purpose="participant" mode="multiple" exclude={lead ? [lead] : []} />
        </Form.Item>
        <Form.Item name="goals" label={t('framework.field.goals')} extra={t('framework.field.goals.help')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.field.goals') }) }]}>
          <Input.TextArea rows={5} maxLength={LIMITS.goals} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
