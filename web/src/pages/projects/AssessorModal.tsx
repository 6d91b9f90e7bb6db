// 委托咨询评估单位 (第七条): the approval department names the 咨询评估单位 that assesses the
// submission, before accepting it or while it is under assessment (a change of assessor).
import { useEffect, useState } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import { api } from '../../api/client';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import type { Organization, Project, ProjectAssignments } from '../../api/types';
import { useT } from '../../i18n';

interface Values {
  organizationId?: string;
  reason?: string;
}

export default function AssessorModal({
  project,
  open,
  current,
  onClose,
  onDone,
}: {
  project: Project;
  open: boolean;
  /** The organization entrusted now, if any. */
  current: string | null;
  onClose: () => void;
  onDone: (assignments: ProjectAssignments) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<Values>();
  const [assessors, setAssessors] = useState<Organization[] | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({ organizationId: current ?? undefined, reason: '' });
    let alive = true;
    api.organizations
      .list()
      .then((result) => alive && setAssessors(result.items.filter((org) => org.kind === 'assessor')))
      .catch((error: unknown) => {
        showError(error);
        if (alive) setAssessors([]);
      });
    return () => {
      alive = false;
    };
  }, [open, current, form, showError]);

  const save = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (!values.organizationId) return;
    setSaving(true);
    try {
      const result = await api.lifecycle.assignAssessor(project.id, { organizationId: values.organizationId, reason: values.reason?.trim() ?? '' });
      void message.success(t('approval.assessor.done', { name: result.assessor?.organizationName ?? '' }));
      onDone(result);
    } catch (error) {
      showError(error);
      const fields = fieldErrorsOf(error).filter(({ name }) => name[0] === 'organizationId' || name[0] === 'reason');
      if (fields.length > 0) form.setFields(fields.map(({ name, errors }) => ({ name: name[0] as keyof Values, errors })));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('approval.assessor.title')}
      okText={t('approval.assessor.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={onClose}
      maskClosable={false}
      forceRender
      className="assessor-modal"
    >
      <Form form={form} layout="vertical" name="assignAssessor">
        <Form.Item
          name="organizationId"
          label={t('approval.assessor.organization')}
          extra={t('approval.assessor.help')}
          rules={[{ required: true, message: t('common.pleaseSelect', { field: t('approval.assessor.organization') }) }]}
        >
          <Select
            loading={assessors === null}
            showSearch
            optionFilterProp="label"
            options={(assessors ?? []).map((org) => ({ value: org.id, label: org.name }))}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('approval.assessor.reason')}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
