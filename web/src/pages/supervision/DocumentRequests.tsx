// 第二十九条 资料调阅: the requests the caller's organization made and those to the units it answers
// for, filtered by status and overdue, exported to .xlsx; a drawer with the items, the files and the
// answers with their reviews, where the unit uploads and answers (or says an item does not exist
// and why), the requester accepts or returns the answer, and an overdue or returned request becomes a
// 第三十条 finding from a prefilled form. `?projectId=` shows one project's requests (from its page).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import {
  Alert, App, Button, Checkbox, DatePicker, Descriptions, Drawer, Empty, Form, Input, List, Modal, Segmented, Select, Space, Table, Tag, Typography, Upload,
} from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useAuth } from '../../auth/AuthContext';
import { useT, type MessageKey } from '../../i18n';
import { beforeShanghaiToday, shanghaiDay } from '../../utils/format';
import { CATEGORIES } from './supervisionApi';
import {
  documentRequestsApi, PURPOSES, REQUEST_STATUSES, type DocumentRequest, type DocumentRequestDetail, type DocumentRequestQuery, type Purpose, type RequestStatus,
} from './documentRequestsApi';

const STATUS_COLOR: Record<RequestStatus, string> = { open: 'blue', answered: 'gold', returned: 'orange', accepted: 'green' };

function StatusTags({ r }: { r: DocumentRequest }) {
  const t = useT();
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLOR[r.status]}>{t(`docreq.status.${r.status}` as MessageKey)}</Tag>
      {r.overdue && <Tag color="red" data-testid="docreq-overdue">{t('docreq.overdue')}</Tag>}
      {r.findingId && <Tag color="volcano">{t('docreq.finding.opened')}</Tag>}
    </Space>
  );
}

/** A project picker over the projects the caller can read (searched by name or code). */
function ProjectPicker({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const t = useT();
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const search = useCallback((q: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      setLoading(true);
      api.projects.list({ q: q.trim() || undefined, page: 1, pageSize: 20 })
        .then((page) => setOptions(page.items.map((p) => ({ value: p.id, label: `${p.name}（${p.code}）` }))), () => setOptions([]))
        .finally(() => setLoading(false));
    }, 250);
  }, []);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return (
    <Select value={value} onChange={onChange} showSearch filterOption={false} onSearch={search} onFocus={() => options.length === 0 && search('')}
      loading={loading} options={options} placeholder={t('docreq.project.placeholder')} data-testid="docreq-project" />
  );
}

function CreateModal({ projectId, onClose, onDone }: { projectId?: string; onClose: () => void; onDone: (d: DocumentRequestDetail) => void }) {
  const t = useT();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<{ projectId: string; purpose: Purpose; title: string; items: string; dueOn?: dayjs.Dayjs }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      onDone(await documentRequestsApi.create({
        projectId: v.projectId, purpose: v.purpose, title: v.title,
        items: v.items.split('\n').map((s) => s.trim()).filter(Boolean),
        ...(v.dueOn ? { dueOn: v.dueOn.format('YYYY-MM-DD') } : {}),
      }));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('docreq.new')} onCancel={onClose} onOk={submit} confirmLoading={busy} okText={t('docreq.send')} destroyOnHidden width={640}>
      <Form form={form} layout="vertical" initialValues={{ purpose: 'performanceEvaluation', ...(projectId ? { projectId } : {}) }}>
        <Form.Item name="projectId" label={t('docreq.project')} rules={[{ required: true, message: t('docreq.project.placeholder') }]}>
          <ProjectPicker />
        </Form.Item>
        <Form.Item name="purpose" label={t('docreq.purpose')} rules={[{ required: true }]}>
          <Segmented options={PURPOSES.map((p) => ({ value: p, label: t(`docreq.purpose.${p}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="title" label={t('docreq.title')} rules={[{ required: true, whitespace: true, message: t('docreq.title') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="items" label={t('docreq.items')} extra={t('docreq.items.help')} rules={[{ required: true, whitespace: true, message: t('docreq.items') }]}>
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Form.Item name="dueOn" label={t('docreq.dueOn')} extra={t('docreq.dueOn.help')}>
          <DatePicker disabledDate={beforeShanghaiToday} style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FindingModal({ r, onClose, onDone }: { r: DocumentRequestDetail; onClose: () => void; onDone: (d: DocumentRequestDetail) => void }) {
  const t = useT();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<{ category: string; title: string; description: string; requirements: string; dueOn: dayjs.Dayjs }>();
  const [busy, setBusy] = useState(false);
  const why = t(`docreq.finding.why.${r.findingAllowed ?? 'overdue'}` as MessageKey);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      onDone(await documentRequestsApi.finding(r.id, { ...v, dueOn: v.dueOn.format('YYYY-MM-DD') }));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('docreq.finding')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden width={640}>
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('docreq.finding.help')} />
      <Form form={form} layout="vertical" initialValues={{
        title: t('docreq.finding.defaultTitle', { title: r.title }).slice(0, 200),
        description: t('docreq.finding.defaultDescription', { title: r.title, dueOn: r.dueOn, why }),
        requirements: t('docreq.finding.defaultRequirements'), dueOn: shanghaiDay().add(15, 'day'),
      }}>
        <Form.Item name="category" label={t('supervision.category')} rules={[{ required: true, message: t('supervision.category') }]}>
          <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`docreq.category.${c}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="title" label={t('supervision.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="description" label={t('supervision.description')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} /></Form.Item>
        <Form.Item name="requirements" label={t('supervision.requirements')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={2} /></Form.Item>
        <Form.Item name="dueOn" label={t('supervision.dueOn')} rules={[{ required: true }]}>
          <DatePicker disabledDate={beforeShanghaiToday} style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Detail({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [r, setR] = useState<DocumentRequestDetail | null>(null);
  const [statement, setStatement] = useState('');
  const [missing, setMissing] = useState<Record<number, string | undefined>>({});
  const [reasons, setReasons] = useState('');
  const [newDue, setNewDue] = useState<dayjs.Dayjs | null>(null);
  const [uploading, setUploading] = useState(false);
  const [finding, setFinding] = useState(false);
  useEffect(() => { documentRequestsApi.get(id).then(setR, showError); }, [id, showError]);
  const update = (d: DocumentRequestDetail) => {
    setR(d); setStatement(''); setMissing({}); setReasons(''); setNewDue(null); onChanged(); void message.success(t('docreq.saved'));
  };
  const run = async (fn: () => Promise<DocumentRequestDetail>) => { try { update(await fn()); } catch (error) { showError(error); } };
  const pending = useMemo(() => r?.files.filter((f) => f.answerId === null) ?? [], [r]);
  if (!r) return <Drawer open onClose={onClose} loading width={760} />;
  const missingItems = Object.entries(missing).filter(([, v]) => v !== undefined).map(([k, v]) => ({ index: Number(k), reason: v ?? '' }));
  const fileName = (fid: string) => r.files.find((f) => f.id === fid);
  return (
    <Drawer open onClose={onClose} width={760} title={`${r.title}（${r.subjectName}）`} data-testid="docreq-detail">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('docreq.subject')}>
          {r.projectId ? <Link to={`/projects/${r.projectId}`}>{r.subjectName}</Link> : r.subjectName}{r.projectCode ? `（${r.projectCode}）` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('docreq.unit')}>{r.unitName}</Descriptions.Item>
        <Descriptions.Item label={t('docreq.requester')}>{r.requesterName}（{r.requestedBy}，{r.requestedOn}）</Descriptions.Item>
        <Descriptions.Item label={t('docreq.purpose')}>{t(`docreq.purpose.${r.purpose}` as MessageKey)}</Descriptions.Item>
        <Descriptions.Item label={t('docreq.dueOn')}>{r.dueOn}</Descriptions.Item>
        <Descriptions.Item label={t('docreq.status')}><StatusTags r={r} /></Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('docreq.items')}</Typography.Title>
      <List size="small" bordered dataSource={r.items.map((text, index) => ({ text, index }))} data-testid="docreq-items" renderItem={({ text, index }) => (
        <List.Item>
          <Space direction="vertical" size={2} style={{ width: '100%' }}>
            <span>{index + 1}. {text}</span>
            {r.can.answer && (
              <Space wrap>
                <Checkbox checked={missing[index] !== undefined} onChange={(e) => setMissing((m) => ({ ...m, [index]: e.target.checked ? '' : undefined }))}>
                  {t('docreq.missing')}
                </Checkbox>
                {missing[index] !== undefined && (
                  <Input size="small" style={{ width: 360 }} placeholder={t('docreq.missing.reason')} value={missing[index]}
                    onChange={(e) => setMissing((m) => ({ ...m, [index]: e.target.value }))} />
                )}
              </Space>
            )}
          </Space>
        </List.Item>
      )} />

      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('docreq.answers')}</Typography.Title>
      {r.answers.length === 0 && <Typography.Paragraph type="secondary">{t('docreq.noAnswer')}</Typography.Paragraph>}
      {r.answers.map((a, i) => (
        <Alert key={a.id} style={{ marginBottom: 8 }} data-testid="docreq-answer"
          type={a.review?.result === 'accepted' ? 'success' : a.review?.result === 'returned' ? 'warning' : 'info'}
          message={`${t('docreq.answerNo', { n: i + 1 })} ${a.answeredBy} ${a.answeredAt.slice(0, 10)}：${a.statement}`}
          description={(
            <Space direction="vertical" size={2}>
              {a.fileIds.map((fid) => {
                const f = fileName(fid);
                return f ? <Typography.Link key={fid} onClick={() => documentRequestsApi.download(r.id, f).catch(showError)}><DownloadOutlined /> {f.fileName}</Typography.Link> : null;
              })}
              {a.missingItems.map((m) => <span key={m.index}>{t('docreq.item.missing', { n: m.index + 1, reason: m.reason })}</span>)}
              <span>{a.review ? `${t(`docreq.review.${a.review.result}` as MessageKey)}（${a.review.reviewedBy}）：${a.review.reasons}` : t('docreq.awaitingReview')}</span>
            </Space>
          )} />
      ))}

      {r.can.answer && (
        <div style={{ marginBottom: 16 }} data-testid="docreq-answer-form">
          <Space wrap style={{ marginBottom: 8 }}>
            <Upload showUploadList={false} customRequest={async ({ file, onSuccess, onError }) => {
              setUploading(true);
              try {
                const saved = await documentRequestsApi.upload(r.id, file as File);
                setR(await documentRequestsApi.get(r.id));
                void message.success(t('docreq.uploaded', { name: saved.fileName }));
                onSuccess?.(saved);
              } catch (error) {
                showError(error);
                onError?.(error as Error);
              } finally {
                setUploading(false);
              }
            }}>
              <Button icon={<UploadOutlined />} loading={uploading}>{t('docreq.upload')}</Button>
            </Upload>
            {pending.map((f) => <Tag key={f.id} color="blue" data-testid="docreq-pending-file">{f.fileName}</Tag>)}
          </Space>
          <Input.TextArea rows={2} value={statement} onChange={(e) => setStatement(e.target.value)} placeholder={t('docreq.statement')} />
          <Button type="primary" style={{ marginTop: 8 }} disabled={!statement.trim()}
            onClick={() => run(() => documentRequestsApi.answer(r.id, { statement, fileIds: pending.map((f) => f.id), missingItems, expectedVersion: r.version }))}>
            {t('docreq.answer')}
          </Button>
        </div>
      )}

      {r.can.review && (
        <div style={{ marginBottom: 16 }} data-testid="docreq-review-form">
          <Input.TextArea rows={2} value={reasons} onChange={(e) => setReasons(e.target.value)} placeholder={t('docreq.review.reasons')} />
          <Space wrap style={{ marginTop: 8 }}>
            <Button type="primary" disabled={!reasons.trim()} onClick={() => run(() => documentRequestsApi.review(r.id, { result: 'accepted', reasons, expectedVersion: r.version }))}>
              {t('docreq.accept')}
            </Button>
            <Button danger disabled={!reasons.trim()}
              onClick={() => run(() => documentRequestsApi.review(r.id, { result: 'returned', reasons, expectedVersion: r.version, ...(newDue ? { dueOn: newDue.format('YYYY-MM-DD') } : {}) }))}>
              {t('docreq.return')}
            </Button>
            <DatePicker placeholder={t('docreq.newDueOn')} value={newDue} onChange={setNewDue} disabledDate={beforeShanghaiToday} />
          </Space>
        </div>
      )}

      {r.can.openFinding && (
        <Alert type="error" showIcon message={t(`docreq.finding.why.${r.findingAllowed ?? 'overdue'}` as MessageKey)}
          action={<Button danger onClick={() => setFinding(true)} data-testid="docreq-open-finding">{t('docreq.finding')}</Button>} />
      )}
      {r.findingId && <Alert type="info" showIcon message={<Link to="/supervision">{t('docreq.finding.opened')}</Link>} />}
      {finding && <FindingModal r={r} onClose={() => setFinding(false)} onDone={(d) => { setFinding(false); update(d); }} />}
    </Drawer>
  );
}

export default function DocumentRequests() {
  const t = useT();
  const { can } = useAuth();
  const { showError } = useApiFeedback();
  const [params] = useSearchParams();
  const projectId = params.get('projectId') ?? undefined;
  const [box, setBox] = useState<'all' | 'sent' | 'received'>('all');
  const [status, setStatus] = useState<RequestStatus | 'all'>('all');
  const [overdue, setOverdue] = useState(false);
  const [rows, setRows] = useState<DocumentRequest[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const query = useMemo<DocumentRequestQuery>(() => ({
    ...(box === 'all' ? {} : { box }), ...(status === 'all' ? {} : { status }), ...(overdue ? { overdue: 'true' as const } : {}), ...(projectId ? { projectId } : {}),
  }), [box, status, overdue, projectId]);
  const [work, setWork] = useState<{ answer: number; overdue: number; review: number }>({ answer: 0, overdue: 0, review: 0 });
  const load = useCallback(() => {
    setLoading(true);
    documentRequestsApi.list({ ...query, page, pageSize: 20 }).then((r) => { setRows(r.items); setTotal(r.total); }, showError).finally(() => setLoading(false));
    // What waits on the caller: answers owed by its units (and how many are late), answers to review.
    documentRequestsApi.work().then((w) => setWork({
      answer: w.items.filter((i) => i.kind === 'answer').length,
      overdue: w.items.filter((i) => i.kind === 'answer' && i.overdue).length,
      review: w.items.filter((i) => i.kind === 'review').length,
    }), () => undefined);
  }, [query, page, showError]);
  useEffect(load, [load]);
  useEffect(() => setPage(1), [query]);
  return (
    <PageContainer title={t('menu.documentRequests')} content={t('docreq.intro')}>
      <Space style={{ marginBottom: 12 }} wrap>
        <Segmented value={box} onChange={(v) => setBox(v as typeof box)} data-testid="docreq-box" options={[
          { value: 'all', label: t('docreq.box.all') }, { value: 'sent', label: t('docreq.box.sent') }, { value: 'received', label: t('docreq.box.received') },
        ]} />
        <Select value={status} onChange={setStatus} style={{ width: 140 }} options={[
          { value: 'all', label: t('docreq.status.all') }, ...REQUEST_STATUSES.map((s) => ({ value: s, label: t(`docreq.status.${s}` as MessageKey) })),
        ]} />
        <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)}>{t('docreq.filter.overdue')}</Checkbox>
        <Button icon={<DownloadOutlined />} onClick={() => documentRequestsApi.export(query).catch(showError)}>{t('common.export')}</Button>
        {can('oversight:finding') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('docreq.new')}</Button>}
      </Space>
      {(work.answer > 0 || work.review > 0) && (
        <Alert type={work.overdue > 0 ? 'error' : 'warning'} showIcon style={{ marginBottom: 12 }} data-testid="docreq-work" message={[
          work.answer > 0 ? t('docreq.work.answer', { count: work.answer, overdue: work.overdue }) : null,
          work.review > 0 ? t('docreq.work.review', { count: work.review }) : null,
        ].filter(Boolean).join('；')} />
      )}
      {projectId && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('docreq.projectOnly')} action={<Link to="/document-requests">{t('docreq.box.all')}</Link>} />}
      <Table rowKey="id" loading={loading} dataSource={rows} scroll={{ x: 900 }} data-testid="docreq-list"
        locale={{ emptyText: <Empty description={t('docreq.none')} /> }}
        pagination={{ current: page, pageSize: 20, total, onChange: setPage, showSizeChanger: false }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('docreq.title'), dataIndex: 'title', render: (v: string) => <Typography.Link>{v}</Typography.Link> },
          { title: t('docreq.subject'), dataIndex: 'subjectName' },
          { title: t('docreq.purpose'), render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{t(`docreq.purpose.${r.purpose}` as MessageKey)}</span> },
          { title: t('docreq.unit'), dataIndex: 'unitName', responsive: ['md'] },
          { title: t('docreq.requester'), dataIndex: 'requesterName', responsive: ['lg'] },
          { title: t('docreq.dueOn'), dataIndex: 'dueOn', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
          { title: t('docreq.status'), render: (_, r) => <StatusTags r={r} /> },
        ]} />
      {open && <Detail id={open} onClose={() => setOpen(null)} onChanged={load} />}
      {creating && <CreateModal projectId={projectId} onClose={() => setCreating(false)} onDone={(d) => { setCreating(false); load(); setOpen(d.id); }} />}
    </PageContainer>
  );
}
