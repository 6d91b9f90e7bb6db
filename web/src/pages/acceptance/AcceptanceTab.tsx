// 验收与后评价 (第二十五条, 第二十六条, 第二十七条): the project detail tab. The unit's acceptance
// application with its live checklist and the deadline countdown, the extension, the archive
// acceptance, the approval department's signed decision (TOTP) and the report filing; then the
// self-evaluation window, its submission, the third-party commission and the evaluator's
// conclusion. Every button is shown from the server's `can`, and every action is checked again there.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, List, Modal, Radio, Select, Space, Spin, Tag, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, LockOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { acceptanceApi, type AcceptanceView, type Conclusion, type ObligationState, type PostEvaluationView } from '../../api/acceptance';
import { useApiFeedback } from '../../api/feedback';
import type { Project, RuleProblem } from '../../api/types';
import RuleProblems from '../../components/RuleProblems';
import { useLocale, useT } from '../../i18n';
import { afterShanghaiToday, formatDateTime } from '../../utils/format';
import './acceptance.css';

type Local = (text: { zh: string; en: string }) => string;

function useLocal(): Local {
  const { locale } = useLocale();
  return (text) => (locale === 'zh-CN' ? text.zh : text.en);
}

/** 剩余 N 天 / 今日到期 / 已逾期 N 天, coloured by the obligation's status. */
function Countdown({ state }: { state: ObligationState }) {
  const t = useT();
  const color = state.status === 'overdue' ? 'red' : state.status === 'dueToday' || state.status === 'dueSoon' ? 'orange' : 'blue';
  const text = state.daysLeft < 0 ? t('acceptance.overdueDays', { days: -state.daysLeft })
    : state.daysLeft === 0 ? t('acceptance.dueToday') : t('acceptance.daysLeft', { days: state.daysLeft });
  return <Tag color={color} className="acceptance-countdown" data-status={state.status}>{text}</Tag>;
}

function ResultTag({ result }: { result: 'pass' | 'fail' }) {
  const t = useT();
  return result === 'pass' ? <Tag color="green">{t('acceptance.result.pass')}</Tag> : <Tag color="red">{t('acceptance.result.fail')}</Tag>;
}

function SignatureTag({ valid }: { valid: boolean | null }) {
  const t = useT();
  if (valid === null) return null;
  return valid ? <Tag color="green" icon={<LockOutlined />}>{t('acceptance.signature.valid')}</Tag> : <Tag color="red">{t('acceptance.signature.invalid')}</Tag>;
}

/** A one-file upload button for a material code (the project's current stage keeps it). */
function UploadButton({ project, code, label, onDone, testId }: { project: Project; code: string; label: string; onDone: () => void; testId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [busy, setBusy] = useState(false);
  return (
    <Upload
      showUploadList={false}
      accept=".pdf,.ofd,.docx,.xlsx,.zip,.png,.jpg,.jpeg"
      beforeUpload={(file) => {
        setBusy(true);
        api.materials.upload(project.id, project.lifecycle.stage, code, file)
          .then(() => {
            void message.success(t('acceptance.uploaded', { name: file.name }));
            onDone();
          })
          .catch(showError)
          .finally(() => setBusy(false));
        return false;
      }}
    >
      <Button size="small" icon={<UploadOutlined />} loading={busy} data-testid={testId}>{label}</Button>
    </Upload>
  );
}

/** A calendar date field (YYYY-MM-DD); `future` allows dates after today. */
function DateField({ future = false, ...rest }: { future?: boolean; value?: dayjs.Dayjs; onChange?: (v: dayjs.Dayjs | null) => void }) {
  return <DatePicker {...rest} className="full-width" format="YYYY-MM-DD" disabledDate={future ? undefined : afterShanghaiToday} />;
}

/** A DatePicker's value as 'YYYY-MM-DD' (undefined when empty). */
const day = (value: unknown): string | undefined => (dayjs.isDayjs(value) ? value.format('YYYY-MM-DD') : undefined);

const TOTP_RULES = (message: string) => [{ required: true, message }, { pattern: /^\d{6}$/, message }];

// ---------------------------------------------------------------------------------------------

function AcceptanceCard({ project, view, reload }: { project: Project; view: AcceptanceView; reload: () => void }) {
  const t = useT();
  const local = useLocal();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [applying, setApplying] = useState(false);
  const [modal, setModal] = useState<null | 'extension' | 'archive' | 'decision' | { extensionId: string }>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm();

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.problems.length > 0) setProblems(error.problems);
    else showError(error);
  };

  const apply = async () => {
    setApplying(true);
    setProblems([]);
    try {
      await acceptanceApi.apply(project.id);
      void message.success(t('acceptance.applied'));
      reload();
    } catch (error) {
      fail(error);
    } finally {
      setApplying(false);
    }
  };

  const open = (which: NonNullable<typeof modal>) => {
    form.resetFields();
    setProblems([]);
    setModal(which);
  };

  const submitModal = async () => {
    let values: Record<string, string>;
    let dates: Record<string, string | undefined>;
    try {
      const raw = (await form.validateFields()) as Record<string, unknown>;
      values = raw as Record<string, string>;
      dates = { proposedDueOn: day(raw.proposedDueOn), acceptedOn: day(raw.acceptedOn), inOperationOn: day(raw.inOperationOn) };
    } catch {
      return;
    }
    setSaving(true);
    try {
      if (modal === 'extension') await acceptanceApi.requestExtension(project.id, { reason: values.reason!, proposedDueOn: dates.proposedDueOn! });
      else if (modal === 'archive') {
        await acceptanceApi.recordArchive(project.id, { acceptedOn: dates.acceptedOn!, result: values.result as 'pass' | 'fail', opinion: values.opinion! });
      } else if (modal === 'decision') {
        await acceptanceApi.decide(project.id, {
          result: values.result as 'pass' | 'fail', opinion: values.opinion!, totp: values.totp!,
          ...(values.result === 'pass' && dates.inOperationOn ? { inOperationOn: dates.inOperationOn } : {}),
        });
      } else if (modal && typeof modal === 'object') {
        await acceptanceApi.decideExtension(project.id, modal.extensionId, { decision: values.decision as 'approved' | 'rejected', opinion: values.opinion!, totp: values.totp! });
      }
      void message.success(t('acceptance.saved'));
      setModal(null);
      reload();
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'auth.totp_invalid' || error.code === 'auth.totp_required')) {
        form.setFields([{ name: 'totp', value: '', errors: [error.userMessage ?? t('approval.totp.invalid')] }]);
      } else fail(error);
    } finally {
      setSaving(false);
    }
  };

  if (view.completedOn === null) {
    return (
      <Card size="small" className="detail-card" title={t('acceptance.title')}>
        <Alert type="info" showIcon message={t('acceptance.notCompleted')} />
      </Card>
    );
  }

  const pendingExtension = view.extensions.find((e) => e.decision === null);
  const decided = view.applications.filter((a) => a.decision !== null);
  const latestArchive = view.archives.at(-1);

  return (
    <Card
      size="small"
      className="detail-card acceptance-card"
      title={t('acceptance.title')}
      extra={<Button size="small" icon={<ReloadOutlined />} onClick={reload} aria-label={t('common.refresh')} />}
    >
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} className="acceptance-facts">
        <Descriptions.Item label={t('acceptance.completedOn')}>{view.completedOn}</Descriptions.Item>
        <Descriptions.Item label={t('acceptance.dueOn')}>
          <Space wrap>
            <span className="acceptance-due" data-testid="acceptance-due">{view.deadline?.dueOn}</span>
            {view.deadline?.extended && <Tag color="purple">{t('acceptance.extended', { original: view.deadline.originalDueOn })}</Tag>}
            {view.obligation && <Countdown state={view.obligation} />}
            {!view.obligation && view.pendingApplicationId && <Tag color="blue">{t('acceptance.applicationPending')}</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('acceptance.rule')}>{t('acceptance.rule.value', { months: view.rules.applicationMonths })}</Descriptions.Item>
        <Descriptions.Item label={t('acceptance.archive')}>
          {latestArchive ? <Space><ResultTag result={latestArchive.result} />{latestArchive.acceptedOn}</Space> : <Tag>{t('acceptance.archive.none')}</Tag>}
        </Descriptions.Item>
        {view.acceptedOn && <Descriptions.Item label={t('acceptance.acceptedOn')}><Tag color="green">{view.acceptedOn}</Tag></Descriptions.Item>}
        {view.inOperationOn && <Descriptions.Item label={t('acceptance.inOperationOn')}>{view.inOperationOn}</Descriptions.Item>}
      </Descriptions>

      <Typography.Title level={5} className="acceptance-section">{t('acceptance.checklist')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t(view.classified ? 'acceptance.checklist.classified' : 'acceptance.checklist.help')}</Typography.Paragraph>
      <List
        size="small"
        bordered
        className="acceptance-checklist"
        dataSource={view.checklist}
        renderItem={(item) => (
          <List.Item
            className="checklist-item"
            data-key={item.key}
            data-satisfied={item.satisfied ? 'yes' : 'no'}
            actions={view.acceptedOn === null && view.can.apply ? item.anyOf.map((code) => (
              <UploadButton
                key={code} project={project} code={code} onDone={reload} testId={`upload-${code}`}
                label={item.anyOf.length > 1 ? t('acceptance.uploadCode', { name: t(`acceptance.code.${code}` as never) }) : t('acceptance.upload')}
              />
            )) : []}
          >
            <Space direction="vertical" size={2}>
              <Space>
                {item.satisfied ? <CheckCircleFilled className="ok-icon" /> : <CloseCircleFilled className="missing-icon" />}
                <Typography.Text strong>{local(item.name)}</Typography.Text>
                {!item.satisfied && <Tag color="red">{t('acceptance.missing')}</Tag>}
              </Space>
              {item.materials.map((m) => (
                <Typography.Text key={m.materialId} type="secondary" className="checklist-file">
                  {t('acceptance.file', { name: m.fileName, version: m.versionNo })}
                </Typography.Text>
              ))}
            </Space>
          </List.Item>
        )}
      />
      <Typography.Title level={5} className="acceptance-section">{t('acceptance.review')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('acceptance.review.help')}</Typography.Paragraph>
      <List
        size="small"
        bordered
        className="acceptance-review"
        dataSource={view.reviewItems}
        renderItem={(item) => (
          <List.Item className="review-item" data-key={item.key} data-status={item.status}>
            <Space direction="vertical" size={2}>
              <Space>
                <Typography.Text strong>{local(item.name)}</Typography.Text>
                <Tag color={item.status === 'recorded' ? 'green' : item.status === 'failed' ? 'red' : 'gold'}>{t(`acceptance.review.${item.status}`)}</Tag>
              </Space>
              <Typography.Text type="secondary">{local(item.summary)}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {view.acceptedOn === null && view.applyProblems.length > 0 && view.pendingApplicationId === null && (
        <Alert className="detail-alert" type="warning" showIcon message={t('acceptance.stillMissing', { count: view.applyProblems.length })}
          description={<ol className="rule-problem-list">{view.applyProblems.map((p) => <li key={p.code + (p.params.key ?? '')}>{local(p.message)}</li>)}</ol>} />
      )}
      {problems.length > 0 && modal === null && <RuleProblems problems={problems} onClose={() => setProblems([])} />}
      <Space wrap className="acceptance-buttons">
        {view.can.apply && <Button type="primary" loading={applying} onClick={() => void apply()} data-testid="acceptance-apply">{t('acceptance.apply')}</Button>}
        {view.can.requestExtension && <Button onClick={() => open('extension')} data-testid="acceptance-extension">{t('acceptance.extension.request')}</Button>}
        {view.can.recordArchive && <Button onClick={() => open('archive')} data-testid="acceptance-archive">{t('acceptance.archive.record')}</Button>}
        {view.can.decide && <Button type="primary" icon={<LockOutlined />} onClick={() => open('decision')} data-testid="acceptance-decide">{t('acceptance.decide')}</Button>}
        {view.can.decideExtension && pendingExtension && (
          <Button icon={<LockOutlined />} onClick={() => open({ extensionId: pendingExtension.id })} data-testid="acceptance-extension-decide">{t('acceptance.extension.decide')}</Button>
        )}
        {view.can.fileReport && (
          <UploadButton project={project} code="acceptanceReport" label={view.report ? t('acceptance.report.replace') : t('acceptance.report.file')} onDone={reload} testId="upload-acceptanceReport" />
        )}
      </Space>
      {view.acceptedOn && (
        <Alert className="detail-alert" type={view.report ? 'success' : 'warning'} showIcon
          message={view.report ? t('acceptance.report.filed', { name: view.report.fileName, at: formatDateTime(view.report.uploadedAt) }) : t('acceptance.report.owed')} />
      )}

      {view.extensions.length > 0 && (
        <>
          <Typography.Title level={5} className="acceptance-section">{t('acceptance.extensions')}</Typography.Title>
          <List size="small" bordered dataSource={view.extensions} renderItem={(e) => (
            <List.Item className="extension-item">
              <Space direction="vertical" size={2}>
                <Space wrap>
                  <span>{t('acceptance.extension.line', { from: e.dueOnBefore, to: e.proposedDueOn })}</span>
                  {e.decision === null ? <Tag color="blue">{t('acceptance.extension.pending')}</Tag>
                    : e.decision === 'approved' ? <Tag color="green">{t('acceptance.extension.approved')}</Tag> : <Tag color="red">{t('acceptance.extension.rejected')}</Tag>}
                  <SignatureTag valid={e.signatureValid} />
                </Space>
                <Typography.Text type="secondary">{t('acceptance.reason')}{t('common.colon')}{e.reason}</Typography.Text>
                {e.opinion && <Typography.Text type="secondary">{t('acceptance.opinion')}{t('common.colon')}{e.opinion}（{e.decidedBy}）</Typography.Text>}
              </Space>
            </List.Item>
          )} />
        </>
      )}

      {view.archives.length > 0 && (
        <>
          <Typography.Title level={5} className="acceptance-section">{t('acceptance.archives')}</Typography.Title>
          <List size="small" bordered dataSource={view.archives} renderItem={(a) => (
            <List.Item className="archive-item">
              <Space wrap><ResultTag result={a.result} /><span>{a.acceptedOn}</span><Typography.Text type="secondary">{a.opinion}（{a.recordedBy}）</Typography.Text></Space>
            </List.Item>
          )} />
        </>
      )}

      {view.applications.length > 0 && (
        <>
          <Typography.Title level={5} className="acceptance-section">{t('acceptance.applications')}</Typography.Title>
          <List size="small" bordered dataSource={view.applications} renderItem={(a) => (
            <List.Item className="application-item" data-decided={a.decision ? a.decision.result : 'pending'}>
              <Space direction="vertical" size={2} className="full-width">
                <Space wrap>
                  <span>{t('acceptance.application.line', { at: formatDateTime(a.submittedAt), by: a.submittedBy, count: a.materials.length })}</span>
                  {a.onTime ? <Tag color="green">{t('acceptance.onTime')}</Tag> : <Tag color="red">{t('acceptance.late')}</Tag>}
                  {a.decision === null && <Tag color="blue">{t('acceptance.applicationPending')}</Tag>}
                </Space>
                {a.decision && (
                  <Space wrap className="decision-line">
                    <ResultTag result={a.decision.result} />
                    <span>{t('acceptance.decision.line', { by: a.decision.actorName, at: formatDateTime(a.decision.createdAt) })}</span>
                    <SignatureTag valid={a.decision.signatureValid} />
                    <Button size="small" type="link" icon={<DownloadOutlined />} onClick={() => void acceptanceApi.downloadDocument(project.id, a.decision!.id).catch(showError)}>
                      {t('acceptance.document')}
                    </Button>
                  </Space>
                )}
                {a.decision && <Typography.Text type="secondary">{t('acceptance.opinion')}{t('common.colon')}{a.decision.opinion}</Typography.Text>}
              </Space>
            </List.Item>
          )} />
        </>
      )}
      {decided.length === 0 && view.applications.length === 0 && view.acceptedOn === null && (
        <Typography.Paragraph type="secondary" className="acceptance-section">{t('acceptance.noApplication')}</Typography.Paragraph>
      )}

      <Modal
        open={modal !== null}
        title={modal === 'extension' ? t('acceptance.extension.request') : modal === 'archive' ? t('acceptance.archive.record')
          : modal === 'decision' ? t('acceptance.decide') : t('acceptance.extension.decide')}
        onCancel={() => setModal(null)}
        onOk={() => void submitModal()}
        okText={t('common.ok')}
        confirmLoading={saving}
        destroyOnHidden
        className="acceptance-modal"
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ result: 'pass', decision: 'approved' }}>
          {modal === 'extension' && (
            <>
              <Alert type="info" showIcon className="detail-alert" message={t('acceptance.extension.help', { due: view.deadline?.dueOn ?? '' })} />
              <Form.Item name="proposedDueOn" label={t('acceptance.extension.proposedDueOn')} rules={[{ required: true, message: t('acceptance.required') }]}>
                <DateField future />
              </Form.Item>
              <Form.Item name="reason" label={t('acceptance.reason')} rules={[{ required: true, whitespace: true, message: t('acceptance.required') }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {modal === 'archive' && (
            <>
              <Alert type="info" showIcon className="detail-alert" message={t('acceptance.archive.help')} />
              <Form.Item name="acceptedOn" label={t('acceptance.archive.date')} rules={[{ required: true, message: t('acceptance.required') }]}>
                <DateField />
              </Form.Item>
              <Form.Item name="result" label={t('acceptance.archive.result')}>
                <Radio.Group><Radio value="pass">{t('acceptance.archive.pass')}</Radio><Radio value="fail">{t('acceptance.archive.fail')}</Radio></Radio.Group>
              </Form.Item>
              <Form.Item name="opinion" label={t('acceptance.opinion')} rules={[{ required: true, whitespace: true, message: t('acceptance.required') }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {modal === 'decision' && (
            <>
              <Alert type={latestArchive?.result === 'pass' ? 'success' : 'warning'} showIcon className="detail-alert"
                message={latestArchive?.result === 'pass' ? t('acceptance.decide.archiveOk', { date: latestArchive.acceptedOn }) : t('acceptance.decide.archiveMissing')} />
              <Form.Item name="result" label={t('acceptance.decide.result')}>
                <Radio.Group><Radio value="pass">{t('acceptance.result.pass')}</Radio><Radio value="fail">{t('acceptance.result.fail')}</Radio></Radio.Group>
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.result !== b.result}>
                {({ getFieldValue }) => getFieldValue('result') === 'pass' && (
                  <Form.Item name="inOperationOn" label={t('acceptance.inOperationOn')} extra={t('acceptance.inOperationOn.help')}>
                    <DateField future />
                  </Form.Item>
                )}
              </Form.Item>
              <Form.Item name="opinion" label={t('acceptance.decide.opinion')} rules={[{ required: true, whitespace: true, message: t('acceptance.required') }]}>
                <Input.TextArea rows={4} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {modal !== null && typeof modal === 'object' && (
            <>
              <Form.Item name="decision" label={t('acceptance.extension.decision')}>
                <Radio.Group><Radio value="approved">{t('acceptance.extension.approve')}</Radio><Radio value="rejected">{t('acceptance.extension.reject')}</Radio></Radio.Group>
              </Form.Item>
              <Form.Item name="opinion" label={t('acceptance.opinion')} rules={[{ required: true, whitespace: true, message: t('acceptance.required') }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {(modal === 'decision' || (modal !== null && typeof modal === 'object')) && (
            <Form.Item name="totp" label={<span><LockOutlined /> {t('approval.totp')}</span>} extra={t('approval.totp.help')} rules={TOTP_RULES(t('approval.totp.required'))}>
              <Input.OTP length={6} formatter={(value) => value.replace(/\D/g, '')} className="totp-input" />
            </Form.Item>
          )}
        </Form>
        {problems.length > 0 && <RuleProblems problems={problems} />}
      </Modal>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------

const CONCLUSIONS: Conclusion[] = ['continue', 'remediate', 'innovate', 'retire'];

function PostEvaluationCard({ project, view, reload }: { project: Project; view: PostEvaluationView; reload: () => void }) {
  const t = useT();
  const local = useLocal();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [modal, setModal] = useState<null | 'commission' | 'conclude'>(null);
  const [evaluators, setEvaluators] = useState<Array<{ id: string; name: string }>>([]);
  const [form] = Form.useForm();

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.problems.length > 0) setProblems(error.problems);
    else showError(error);
  };

  const submit = async () => {
    setBusy(true);
    setProblems([]);
    try {
      const result = await acceptanceApi.submitSelfEvaluation(project.id);
      void message.success(t('postEvaluation.submitted'));
      for (const notice of result.notices) void message.warning(local(notice.message));
      reload();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const open = (which: 'commission' | 'conclude') => {
    form.resetFields();
    setProblems([]);
    setModal(which);
    if (which === 'commission') acceptanceApi.evaluators(project.id).then((r) => setEvaluators(r.items)).catch(showError);
  };

  const save = async () => {
    let values: Record<string, string>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      if (modal === 'commission') await acceptanceApi.commission(project.id, { organizationId: values.organizationId!, reason: values.reason! });
      else await acceptanceApi.conclude(project.id, { conclusion: values.conclusion as Conclusion, opinion: values.opinion! });
      void message.success(t('acceptance.saved'));
      setModal(null);
      reload();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  if (view.window === null) {
    return (
      <Card size="small" className="detail-card" title={t('postEvaluation.title')}>
        <Alert type="info" showIcon message={t('postEvaluation.notAccepted')} />
      </Card>
    );
  }
  const phaseTag = view.status === null ? <Tag color="green">{t('postEvaluation.phase.submitted')}</Tag>
    : <Tag color={view.status.phase === 'afterWindow' ? 'red' : view.status.phase === 'inWindow' ? 'blue' : 'default'} data-phase={view.status.phase}>
      {t(`postEvaluation.phase.${view.status.phase}`)}
    </Tag>;
  const open_ = view.commissions.find((c) => c.conclusion === null);

  return (
    <Card size="small" className="detail-card post-evaluation-card" title={t('postEvaluation.title')}>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('postEvaluation.countsFrom')}>{view.window.countsFrom}</Descriptions.Item>
        <Descriptions.Item label={t('postEvaluation.status')}>
          <Space wrap>
            {phaseTag}
            {view.status?.phase === 'beforeWindow' && view.status.daysToOpen !== undefined
              ? <Tag color="default" className="acceptance-countdown">{t('postEvaluation.opensIn', { days: view.status.daysToOpen })}</Tag>
              : view.status && <Countdown state={view.status} />}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('postEvaluation.opensOn')}>{view.window.opensOn}</Descriptions.Item>
        <Descriptions.Item label={t('postEvaluation.dueOn')}>{view.window.dueOn}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" className="acceptance-section">
        {t('postEvaluation.help', { start: view.rules.startMonths, end: view.rules.endMonths })}
      </Typography.Paragraph>
      {problems.length > 0 && modal === null && <RuleProblems problems={problems} onClose={() => setProblems([])} />}
      <Space wrap className="acceptance-buttons">
        {view.can.submit && <UploadButton project={project} code="selfEvaluationReport" label={t('postEvaluation.upload')} onDone={reload} testId="upload-selfEvaluationReport" />}
        {view.can.submit && view.pendingReport && (
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="self-evaluation-submit">
            {t('postEvaluation.submit', { name: view.pendingReport.fileName })}
          </Button>
        )}
        {view.can.commission && <Button onClick={() => open('commission')} data-testid="post-evaluation-commission">{t('postEvaluation.commission')}</Button>}
        {view.can.conclude && <UploadButton project={project} code="postEvaluationReport" label={t('postEvaluation.report.upload')} onDone={reload} testId="upload-postEvaluationReport" />}
        {view.can.conclude && <Button type="primary" onClick={() => open('conclude')} data-testid="post-evaluation-conclude">{t('postEvaluation.conclude')}</Button>}
      </Space>

      <Typography.Title level={5} className="acceptance-section">{t('postEvaluation.selfEvaluations')}</Typography.Title>
      {view.selfEvaluations.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('postEvaluation.none')} /> : (
        <List size="small" bordered dataSource={view.selfEvaluations} renderItem={(s) => (
          <List.Item>
            <Space wrap>
              <span>{t('postEvaluation.selfEvaluation.line', { on: s.submittedOn, name: s.fileName, by: s.submittedBy })}</span>
              <Tag color={s.timing === 'late' ? 'red' : s.timing === 'early' ? 'orange' : 'green'}>{t(`postEvaluation.timing.${s.timing}`)}</Tag>
            </Space>
          </List.Item>
        )} />
      )}

      <Typography.Title level={5} className="acceptance-section">{t('postEvaluation.commissions')}</Typography.Title>
      {view.commissions.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('postEvaluation.noCommission')} /> : (
        <List size="small" bordered dataSource={view.commissions} renderItem={(c) => (
          <List.Item>
            <Space direction="vertical" size={2}>
              <Space wrap>
                <span>{t('postEvaluation.commission.line', { org: c.evaluatorOrganizationName, by: c.commissionedBy, at: formatDateTime(c.commissionedAt) })}</span>
                {c.conclusionName ? <Tag color={c.conclusion === 'continue' ? 'green' : c.conclusion === 'retire' ? 'red' : 'orange'}>{local(c.conclusionName)}</Tag>
                  : <Tag color="blue">{t('postEvaluation.inProgress')}</Tag>}
              </Space>
              {c.opinion && <Typography.Text type="secondary">{t('acceptance.opinion')}{t('common.colon')}{c.opinion}</Typography.Text>}
              {c.report && <Typography.Text type="secondary">{t('postEvaluation.report', { name: c.report.fileName })}</Typography.Text>}
            </Space>
          </List.Item>
        )} />
      )}
      {view.can.conclude && open_ && !view.latestReport && <Alert className="detail-alert" type="warning" showIcon message={t('postEvaluation.report.owed')} />}

      <Modal
        open={modal !== null}
        title={modal === 'commission' ? t('postEvaluation.commission') : t('postEvaluation.conclude')}
        onCancel={() => setModal(null)}
        onOk={() => void save()}
        confirmLoading={busy}
        destroyOnHidden
        className="acceptance-modal"
      >
        <Form form={form} layout="vertical" preserve={false}>
          {modal === 'commission' && (
            <>
              <Form.Item name="organizationId" label={t('postEvaluation.evaluator')} rules={[{ required: true, message: t('acceptance.required') }]}>
                <Select options={evaluators.map((e) => ({ value: e.id, label: e.name }))} />
              </Form.Item>
              <Form.Item name="reason" label={t('postEvaluation.commission.reason')} rules={[{ required: true, whitespace: true, message: t('acceptance.required') }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {modal === 'conclude' && (
            <>
              <Form.Item name="conclusion" label={t('postEvaluation.conclusion')} rules={[{ required: true, message: t('acceptance.required') }]}>
                <Radio.Group>{CONCLUSIONS.map((c) => <Radio key={c} value={c}>{t(`postEvaluation.conclusion.${c}`)}</Radio>)}</Radio.Group>
              </Form.Item>
              <Form.Item name="opinion" label={t('postEvaluation.opinion')} rules={[{ required: true, whitespace: true, message: t('acceptance.required') }]}>
                <Input.TextArea rows={4} maxLength={2000} />
              </Form.Item>
            </>
          )}
        </Form>
        {problems.length > 0 && <RuleProblems problems={problems} />}
      </Modal>
    </Card>
  );
}

/** The 验收与后评价 tab of an approved or filed project. */
export default function AcceptanceTab({ project }: { project: Project }) {
  const { showError } = useApiFeedback();
  const [acceptance, setAcceptance] = useState<AcceptanceView | null>(null);
  const [post, setPost] = useState<PostEvaluationView | null>(null);

  const load = useCallback(async () => {
    try {
      const [a, p] = await Promise.all([acceptanceApi.get(project.id), acceptanceApi.postEvaluation(project.id)]);
      setAcceptance(a);
      setPost(p);
    } catch (error) {
      showError(error);
    }
  }, [project.id, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!acceptance || !post) return <Spin className="tab-spin" />;
  return (
    <Space direction="vertical" size={16} className="full-width acceptance-tab">
      <AcceptanceCard project={project} view={acceptance} reload={() => void load()} />
      <PostEvaluationCard project={project} view={post} reload={() => void load()} />
    </Space>
  );
}
