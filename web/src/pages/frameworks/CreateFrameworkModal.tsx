// 新建框架方案 (第十条): the name, the shared 建设目标, the lead (one of the caller's organizations,
// which becomes the first participant) and the other participating departments. The parts are
// drawn up on the plan's page afterwards.
import { useMemo, useState } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import { useCan, useMe } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { useDepartments } from './departments';
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
  const can = useCan();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const departments = useDepartments(true);
  // The lead is inside the caller's own scope: its organizations and those its org list shows.
  const scoped = useOrganizationList(can('system:org:read'));
  const lead = Form.useWatch('leadOrganizationId', form);

  const leadOptions = useMemo(() => {
    const seen = new Map(me.organizations.map((o) => [o.id, o.name]));
    for (const o of scoped.items) if (!seen.has(o.id) && !['assessor', 'supervisor', 'evaluator'].includes(o.kind)) seen.set(o.id, o.name);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [me.organizations, scoped.items]);

  const participantOptions = departments.items.filter((d) => d.id !== lead).map((d) => ({ value: d.id, label: d.name }));

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
          <Select options={leadOptions} showSearch optionFilterProp="label" loading={scoped.loading} />
        </Form.Item>
        <Form.Item
          name="participantIds"
          label={t('framework.field.otherParticipants')}
          extra={t('framework.field.participants.help')}
          rules={[{ required: true, type: 'array', min: 1, message: t('framework.field.participants.required') }]}
        >
          <Select mode="multiple" options={participantOptions} showSearch optionFilterProp="label" loading={departments.loading} />
        </Form.Item>
        <Form.Item name="goals" label={t('framework.field.goals')} extra={t('framework.field.goals.help')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.field.goals') }) }]}>
          <Input.TextArea rows={5} maxLength={LIMITS.goals} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
