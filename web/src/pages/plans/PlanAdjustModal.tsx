// 规划调整 (第六条): an approved plan changes only by an adjustment that carries the
// evaluation of the changed circumstances; it makes the next version.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Divider, Form, Input, InputNumber, Modal, Radio, Row, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError } from '../../api/client';
import { fieldErrorsOf, useApiFeedback, type FieldPath } from '../../api/feedback';
import { ADJUSTMENT_REASONS, type AdjustmentReason, type Plan, type PlanAdjustmentInput, type PlanPatch } from '../../api/types';
import { useT } from '../../i18n';
import { afterShanghaiToday, shanghaiToday } from '../../utils/format';

interface AdjustValues {
  reasonCategory?: AdjustmentReason;
  evaluation?: string;
  description?: string;
  approvedOn?: string;
  approvalDocumentNumber?: string;
  name?: string;
  periodStartYear?: number;
  periodEndYear?: number;
  withdrawTaskIds?: string[];
  addTasks?: { code?: string; title?: string; description?: string; parentTaskId?: string }[];
}

const DATE_FORMAT = 'YYYY-MM-DD';
const TASK_CODE = /^\S{1,20}$/;

/** Where a server field path shows in this form (plan.x → x, withdrawTaskIds.0 → withdrawTaskIds). */
function formPathOf(name: FieldPath): FieldPath {
  if (name[0] === 'plan' && name.length > 1) return name.slice(1);
  if (name[0] === 'withdrawTaskIds') return ['withdrawTaskIds'];
  return name;
}

export default function PlanAdjustModal({
  plan,
  plans,
  onClose,
  onDone,
}: {
  plan: Plan | null;
  plans: Plan[];
  onClose: () => void;
  /** Called with the plan after the adjustment, or after a reload of a stale plan. */
  onDone: (plan: Plan) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<AdjustValues>();
  const [saving, setSaving] = useState(false);
  /** The plan as last read: replaced by a reload after a 412. */
  const [current, setCurrent] = useState<Plan | null>(plan);

  useEffect(() => {
    setCurrent(plan);
    if (plan) {
      form.resetFields();
      form.setFieldsValue({
        name: plan.name,
        periodStartYear: plan.periodStartYear,
        periodEndYear: plan.periodEndYear,
        approvedOn: shanghaiToday().format(DATE_FORMAT),
        withdrawTaskIds: [],
        addTasks: [],
      });
    }
  }, [plan, form]);

  const activeTasks = useMemo(() => (current ? current.tasks.filter((task) => task.withdrawnInVersion === null) : []), [current]);
  const nationalTasks = useMemo(() => {
    if (!current || current.level !== 'department') return [];
    const parent = plans.find((item) => item.id === current.parentPlanId);
    return parent ? parent.tasks.filter((task) => task.withdrawnInVersion === null) : [];
  }, [current, plans]);
  const isNational = current?.level === 'national';

  const submit = async () => {
    if (!current) return;
    let values: AdjustValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const patch: PlanPatch = {};
    if (values.name !== undefined && values.name.trim() !== current.name) patch.name = values.name.trim();
    if (values.periodStartYear !== undefined && values.periodStartYear !== current.periodStartYear) patch.periodStartYear = values.periodStartYear;
    if (values.periodEndYear !== undefined && values.periodEndYear !== current.periodEndYear) patch.periodEndYear = values.periodEndYear;
    const body: PlanAdjustmentInput = {
      reasonCategory: values.reasonCategory ?? 'other',
      evaluation: values.evaluation ?? '',
      description: values.description ?? '',
      approvedOn: values.approvedOn ?? '',
      approvalDocumentNumber: values.approvalDocumentNumber?.trim() || null,
      ...(Object.keys(patch).length > 0 ? { plan: patch } : {}),
      ...(values.withdrawTaskIds && values.withdrawTaskIds.length > 0 ? { withdrawTaskIds: values.withdrawTaskIds } : {}),
      ...(values.addTasks && values.addTasks.length > 0
        ? {
            addTasks: values.addTasks.map((task) => ({
              code: (task.code ?? '').trim(),
              title: (task.title ?? '').trim(),
              description: task.description ?? '',
              ...(current.level === 'department' ? { parentTaskId: task.parentTaskId ?? null } : {}),
            })),
          }
        : {}),
    };
    setSaving(true);
    try {
      const result = await api.plans.adjust(current.id, current.version, body);
      void message.success(t('plan.adjust.done', { no: result.adjustment.versionNo }));
      onDone(result.plan);
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.isStale) {
        // Keep what was typed; take the latest plan and ask for a review before resubmitting.
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
      const fields = fieldErrorsOf(error).map(({ name, errors }) => ({ name: formPathOf(name), errors }));
      // server paths are plain name paths; the typed form cannot know them statically
      if (fields.length > 0) (form as FormInstance).setFields(fields);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={plan !== null}
      title={current ? t('plan.adjust.title', { name: current.name }) : ''}
      width={880}
      okText={t('plan.adjust.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
      maskClosable={false}
      forceRender
      className="plan-adjust-modal"
    >
      <Alert type="info" showIcon className="wizard-alert" message={t('plan.adjust.article6')} />
      <Form<AdjustValues> form={form} layout="vertical" name="planAdjust">
        <Form.Item
          name="reasonCategory"
          label={t('plan.adjustment.reasonCategory')}
          rules={[{ required: true, message: t('common.pleaseSelect', { field: t('plan.adjustment.reasonCategory') }) }]}
        >
          <Radio.Group className="vertical-radio">
            {ADJUSTMENT_REASONS.map((reason) => (
              <Radio key={reason} value={reason}>
                {t(`plan.adjustment.reason.${reason}`)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="evaluation"
          label={t('plan.adjustment.evaluation')}
          extra={t('plan.adjustment.evaluation.help')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('plan.adjustment.evaluation') }) }, { max: 10000 }]}
        >
          <Input.TextArea rows={5} maxLength={10000} showCount />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('plan.adjustment.description')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('plan.adjustment.description') }) }, { max: 4000 }]}
        >
          <Input.TextArea rows={3} maxLength={4000} showCount />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="approvedOn"
              label={t('plan.adjustment.approvedOn')}
              rules={[{ required: true, message: t('common.pleaseSelect', { field: t('plan.adjustment.approvedOn') }) }]}
              getValueProps={(value: unknown) => ({ value: typeof value === 'string' && value ? dayjs(value, DATE_FORMAT) : undefined })}
              normalize={(value: Dayjs | null) => (value ? value.format(DATE_FORMAT) : undefined)}
            >
              <DatePicker className="full-width" format={DATE_FORMAT} disabledDate={afterShanghaiToday} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="approvalDocumentNumber"
              label={t('plan.approvalDocumentNumber')}
              extra={isNational ? t('plan.adjustment.documentNumber.national') : undefined}
              rules={[
                { required: isNational, whitespace: true, message: t('common.required', { field: t('plan.approvalDocumentNumber') }) },
                { max: 100 },
              ]}
            >
              <Input maxLength={100} placeholder={t('plan.approvalDocumentNumber.placeholder')} />
            </Form.Item>
          </Col>
        </Row>

        <Divider orientation="left" plain>
          {t('plan.adjust.changes')}
        </Divider>
        <Typography.Paragraph type="secondary">{t('plan.adjust.changes.help')}</Typography.Paragraph>
        <Row gutter={16}>
          <Col span={24}>
            <Form.Item name="name" label={t('plan.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('plan.name') }) }, { max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="periodStartYear" label={t('plan.periodStartYear')} rules={[{ required: true, message: t('common.required', { field: t('plan.periodStartYear') }) }]}>
              <InputNumber min={2000} max={2100} precision={0} className="full-width" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="periodEndYear"
              label={t('plan.periodEndYear')}
              dependencies={['periodStartYear']}
              rules={[
                { required: true, message: t('common.required', { field: t('plan.periodEndYear') }) },
                ({ getFieldValue }) => ({
                  validator: async (_: unknown, value: number | undefined) => {
                    const start = getFieldValue('periodStartYear') as number | undefined;
                    if (start !== undefined && value !== undefined && value < start) throw new Error(t('plan.period.endBeforeStart'));
                  },
                }),
              ]}
            >
              <InputNumber min={2000} max={2100} precision={0} className="full-width" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="withdrawTaskIds" label={t('plan.adjust.withdraw')}>
              <Select
                mode="multiple"
                allowClear
                optionFilterProp="label"
                maxTagCount="responsive"
                options={activeTasks.map((task) => ({ value: task.id, label: `${task.code}　${task.title}` }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="addTasks">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  className="indicator-card"
                  title={t('plan.adjust.newTask', { index: index + 1 })}
                  extra={
                    <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)}>
                      {t('common.delete')}
                    </Button>
                  }
                >
                  <Row gutter={12}>
                    <Col xs={24} md={6}>
                      <Form.Item
                        name={[field.name, 'code']}
                        label={t('plan.task.code')}
                        rules={[
                          { required: true, message: t('common.required', { field: t('plan.task.code') }) },
                          { pattern: TASK_CODE, message: t('plan.task.code.invalid') },
                        ]}
                      >
                        <Input maxLength={20} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={18}>
                      <Form.Item
                        name={[field.name, 'title']}
                        label={t('plan.task.title')}
                        rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('plan.task.title') }) }, { max: 200 }]}
                      >
                        <Input maxLength={200} />
                      </Form.Item>
                    </Col>
                    <Col span={24}>
                      <Form.Item name={[field.name, 'description']} label={t('plan.task.description')} rules={[{ max: 4000 }]}>
                        <Input.TextArea rows={2} maxLength={4000} />
                      </Form.Item>
                    </Col>
                    {current?.level === 'department' && (
                      <Col span={24}>
                        <Form.Item
                          name={[field.name, 'parentTaskId']}
                          label={t('plan.task.nationalTask')}
                          extra={t('plan.task.nationalTask.help')}
                        >
                          <Select
                            allowClear
                            showSearch
                            optionFilterProp="label"
                            options={nationalTasks.map((task) => ({ value: task.id, label: `${task.code}　${task.title}` }))}
                          />
                        </Form.Item>
                      </Col>
                    )}
                  </Row>
                </Card>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= 200}>
                {t('plan.adjust.addTask')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
