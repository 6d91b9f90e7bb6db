// 登记规划批准: a draft plan becomes version 1 (the national plan needs the State Council's
// approval document number).
import { useEffect, useState } from 'react';
import { App, DatePicker, Form, Input, Modal } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError } from '../../api/client';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import type { Plan } from '../../api/types';
import { useT } from '../../i18n';
import { afterShanghaiToday, shanghaiToday } from '../../utils/format';

const DATE_FORMAT = 'YYYY-MM-DD';

export default function PlanApproveModal({ plan, onClose, onDone }: { plan: Plan | null; onClose: () => void; onDone: (plan: Plan) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<{ approvedOn?: string; approvalDocumentNumber?: string }>();
  const [saving, setSaving] = useState(false);
  const [current, setCurrent] = useState<Plan | null>(plan);
  const isNational = current?.level === 'national';

  useEffect(() => {
    setCurrent(plan);
    if (plan) {
      form.resetFields();
      form.setFieldsValue({ approvedOn: shanghaiToday().format(DATE_FORMAT) });
    }
  }, [plan, form]);

  const submit = async () => {
    if (!current) return;
    let values: { approvedOn?: string; approvalDocumentNumber?: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const approved = await api.plans.approve(current.id, current.version, {
        approvedOn: values.approvedOn ?? '',
        approvalDocumentNumber: values.approvalDocumentNumber?.trim() || null,
      });
      void message.success(t('plan.approve.done'));
      onDone(approved);
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.isStale) {
        void message.warning(t('error.stale'));
        try {
          const latest = await api.plans.get(current.id);
          setCurrent(latest);
          onDone(latest);
        } catch (reloadError) {
          showError(reloadError);
        }
        return;
      }
      showError(error);
      const fields = fieldErrorsOf(error);
      // server paths are plain name paths; the typed form cannot know them statically
      if (fields.length > 0) (form as FormInstance).setFields(fields);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={plan !== null}
      title={current ? t('plan.approve.title', { name: current.name }) : ''}
      okText={t('plan.approve.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
      maskClosable={false}
      forceRender
    >
      <Form form={form} layout="vertical" name="planApprove">
        <Form.Item
          name="approvedOn"
          label={t('plan.approvedOn')}
          rules={[{ required: true, message: t('common.pleaseSelect', { field: t('plan.approvedOn') }) }]}
          getValueProps={(value: unknown) => ({ value: typeof value === 'string' && value ? dayjs(value, DATE_FORMAT) : undefined })}
          normalize={(value: Dayjs | null) => (value ? value.format(DATE_FORMAT) : undefined)}
        >
          <DatePicker className="full-width" format={DATE_FORMAT} disabledDate={afterShanghaiToday} />
        </Form.Item>
        <Form.Item
          name="approvalDocumentNumber"
          label={t('plan.approvalDocumentNumber')}
          extra={isNational ? t('plan.adjustment.documentNumber.national') : undefined}
          rules={[{ required: isNational, whitespace: true, message: t('common.required', { field: t('plan.approvalDocumentNumber') }) }, { max: 100 }]}
        >
          <Input maxLength={100} placeholder={t('plan.approvalDocumentNumber.placeholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
