// 孤网例外决定 (第二十八条: 联网为原则, 孤网为例外): NDRC records the State Council's approval to
// build or keep a system on an isolated network — the reason, the approval's document number and
// date — or revokes a standing exception, with a fresh one-time code like every decision. The
// server signs the decision with the user's SM2 key. A wrong or used code clears the cells for a
// new one; a system whose state moved (409) is reloaded by the caller.
import { useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Drawer, Form, Grid, Input, Space, Tag, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ApiError } from '../../api/client';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import { useT } from '../../i18n';
import { afterShanghaiToday, shanghaiDay } from '../../utils/format';
import { catalogApi, type GovernmentSystem, type IsolationDecision } from './catalogApi';
import { ExceptionTag, IsolationFlag } from './catalogUi';

interface Values {
  reason?: string;
  approvalDocumentNumber?: string;
  approvedOn?: Dayjs;
  totp?: string;
}

export type DecisionKind = 'grant' | 'revoke';

export default function IsolationDecisionDrawer({
  system,
  kind,
  open,
  onClose,
  onDone,
  onStale,
}: {
  system: GovernmentSystem;
  kind: DecisionKind;
  open: boolean;
  onClose: () => void;
  onDone: (result: { decision: IsolationDecision; system: GovernmentSystem }) => void;
  /** The system changed under the user (409/412): reload it. */
  onStale: () => void;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [otpKey, setOtpKey] = useState(0);
  const grant = kind === 'grant';

  useEffect(() => {
    if (open) {
      form.resetFields();
      setOtpKey((key) => key + 1);
    }
  }, [form, open, kind]);

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSubmitting(true);
    try {
      const reason = values.reason?.trim() ?? '';
      const result = grant
        ? await catalogApi.isolation.grant(system.id, {
            reason,
            approvalDocumentNumber: values.approvalDocumentNumber?.trim() ?? '',
            approvedOn: values.approvedOn ? values.approvedOn.format('YYYY-MM-DD') : '',
            totp: values.totp,
          })
        : await catalogApi.isolation.revoke(system.id, { reason, totp: values.totp });
      void message.success(t(grant ? 'catalog.decision.done.grant' : 'catalog.decision.done.revoke'));
      onDone(result);
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'auth.totp_invalid' || error.code === 'auth.totp_required')) {
        // A code is accepted once: clear the cells for the next one.
        setOtpKey((key) => key + 1);
        form.setFields([{ name: 'totp', value: '', errors: [error.userMessage ?? t('approval.totp.invalid')] }]);
        return;
      }
      showError(error);
      const fields = fieldErrorsOf(error).filter(({ name }) => ['reason', 'approvalDocumentNumber', 'approvedOn', 'totp'].includes(String(name[0])));
      if (fields.length > 0) form.setFields(fields.map(({ name, errors }) => ({ name: name[0] as keyof Values, errors })));
      if (error instanceof ApiError && (error.status === 409 || error.isStale)) onStale();
    } finally {
      setSubmitting(false);
    }
  };

  const title = t(grant ? 'catalog.decision.grant.title' : 'catalog.decision.revoke.title');
  const confirmButton = (
    <Button
      type="primary"
      danger={!grant}
      icon={<LockOutlined />}
      loading={submitting}
      onClick={() => void submit()}
      block={!screens.md}
      className="isolation-decision-confirm"
    >
      {t('catalog.decision.confirm')}
    </Button>
  );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={screens.md ? 560 : '100%'}
      className="action-drawer isolation-decision-drawer"
      title={
        <Space wrap size={[8, 4]}>
          <span>{title}</span>
          <Tag icon={<LockOutlined />} color="gold">
            {t('catalog.decision.tag')}
          </Tag>
        </Space>
      }
      footer={
        screens.md ? (
          <Space className="drawer-footer">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            {confirmButton}
          </Space>
        ) : (
          confirmButton
        )
      }
    >
      <Typography.Paragraph className="review-project">
        <Typography.Text strong>{system.name}</Typography.Text>
        <br />
        <Typography.Text type="secondary" className="small">
          {system.ownerOrganizationName} · {t(`catalog.network.${system.networkType}`)}
        </Typography.Text>
        <br />
        <IsolationFlag system={system} />
        <ExceptionTag system={system} />
      </Typography.Paragraph>
      <Alert
        type={grant ? 'info' : 'warning'}
        showIcon
        className="isolation-decision-intro"
        message={t('catalog.decision.article')}
        description={t(grant ? 'catalog.decision.grant.intro' : 'catalog.decision.revoke.intro')}
      />
      <Form<Values> form={form} layout="vertical" name={`isolation-${kind}`} requiredMark className="action-form">
        {grant && (
          <>
            <Form.Item
              name="approvalDocumentNumber"
              label={t('catalog.decision.document')}
              rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('catalog.decision.document') }) }]}
            >
              <Input maxLength={100} placeholder={t('catalog.decision.document.placeholder')} />
            </Form.Item>
            <Form.Item
              name="approvedOn"
              label={t('catalog.decision.approvedOn')}
              rules={[{ required: true, message: t('common.pleaseSelect', { field: t('catalog.decision.approvedOn') }) }]}
            >
              <DatePicker
                className="full-width"
                disabledDate={afterShanghaiToday}
                maxDate={shanghaiDay()}
              />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="reason"
          label={t(grant ? 'catalog.decision.reason.grant' : 'catalog.decision.reason.revoke')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('catalog.decision.reason') }) }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item
          name="totp"
          label={
            <span>
              <LockOutlined /> {t('approval.totp')}
            </span>
          }
          extra={t('approval.totp.help')}
          rules={[
            { required: true, message: t('approval.totp.required') },
            { pattern: /^\d{6}$/, message: t('approval.totp.required') },
          ]}
        >
          <Input.OTP key={otpKey} length={6} formatter={(value) => value.replace(/\D/g, '')} className="totp-input" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
