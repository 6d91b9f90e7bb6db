// 双随机、一公开 for the organizing bodies (国办, NDRC, 财政部, 中央网信办: spotcheck:manage; auditors
// read): the list with its export, and a new spot check: the checklist of inspection items, the
// target pool filter, the inspector pool and the rules. Creating freezes and publishes both pools.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Checkbox, Drawer, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { InspectorCandidate, Organization, SpotCheckCreateInput, SpotCheckFull } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { SpotStatusTag } from '../../open/OpenPortal';
import { formatDateTime } from '../../utils/format';

/** The five areas 第三十条 names, as a starting checklist the organizer edits. */
const DEFAULT_CHECKLIST = [
  { code: 'C1', title: '信息共享', basis: '第三十条 信息共享' },
  { code: 'C2', title: '招标采购', basis: '第三十条 招标采购' },
  { code: 'C3', title: '资金使用', basis: '第三十条 资金使用' },
  { code: 'C4', title: '密码应用', basis: '第三十条 密码应用' },
  { code: 'C5', title: '网络安全', basis: '第三十条 网络安全' },
];

function CreateDrawer({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (s: SpotCheckFull) => void }) {
  const t = useT();
  const can = useCan();
  const [form] = Form.useForm();
  const { showError, showFormError } = useApiFeedback();
  const [saving, setSaving] = useState(false);
  const [candidates, setCandidates] = useState<InspectorCandidate[]>([]);
  const [chosen, setChosen] = useState<Map<string, InspectorCandidate>>(new Map());
  const [organizations, setOrganizations] = useState<Organization[]>([]);
  // Each keystroke searches; only the answer to the latest search may replace the options (an
  // earlier, slower answer arriving last would show the candidates of a shorter query).
  const latestSearch = useRef(0);
  const search = (q?: string) => {
    const seq = ++latestSearch.current;
    return api.spotChecks.candidates(q).then((found) => { if (seq === latestSearch.current) setCandidates(found); }, showError);
  };
  useEffect(() => {
    if (!open) return;
    void search();
    if (can('system:org:read')) api.organizations.list().then((r) => setOrganizations(r.items), () => setOrganizations([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  const options = useMemo(() => {
    const all = new Map(chosen);
    for (const c of candidates) all.set(c.id, c);
    return [...all.values()].map((c) => ({ value: c.id, label: `${c.displayName}（${c.organizationName}）` }));
  }, [candidates, chosen]);

  const submit = async (values: {
    title: string; checklist: SpotCheckCreateInput['checklist']; kinds: Array<'project' | 'system'>; organizationId?: string;
    systemStatuses?: Array<'under_construction' | 'operating' | 'retired'>; targetCount: number; inspectorsPerTarget: number; inspectorUserIds: string[];
  }) => {
    setSaving(true);
    try {
      const created = await api.spotChecks.create({
        title: values.title, checklist: values.checklist,
        targetFilter: {
          kinds: values.kinds, ...(values.organizationId ? { organizationId: values.organizationId } : {}),
          ...(values.systemStatuses?.length ? { systemStatuses: values.systemStatuses } : {}),
        },
        targetCount: values.targetCount, inspectorsPerTarget: values.inspectorsPerTarget, inspectorUserIds: values.inspectorUserIds,
      });
      form.resetFields();
      onCreated(created);
    } catch (error) {
      showFormError(form, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer open={open} onClose={onClose} title={t('spot.create')} width={760} destroyOnHidden
      extra={<Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="spot-create-submit">{t('spot.create.submit')}</Button>}>
      <Form form={form} layout="vertical" onFinish={submit}
        initialValues={{ checklist: DEFAULT_CHECKLIST, kinds: ['project', 'system'], targetCount: 2, inspectorsPerTarget: 2, inspectorUserIds: [] }}>
        <Form.Item name="title" label={t('open.spot.title')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input aria-label={t('open.spot.title')} />
        </Form.Item>
        <Typography.Title level={5}>{t('open.spot.checklist')}</Typography.Title>
        <Form.List name="checklist">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'code']} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,20}$/ }]}><Input placeholder={t('open.spot.item.code')} style={{ width: 80 }} /></Form.Item>
                  <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true }]}><Input placeholder={t('open.spot.item.title')} style={{ width: 220 }} /></Form.Item>
                  <Form.Item name={[f.name, 'basis']} rules={[{ required: true, whitespace: true }]}><Input placeholder={t('open.spot.item.basis')} style={{ width: 220 }} /></Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} disabled={fields.length <= 1} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ code: `C${fields.length + 1}`, title: '', basis: '' })}>{t('spot.checklist.add')}</Button>
            </>
          )}
        </Form.List>
        <Typography.Title level={5} style={{ marginTop: 16 }}>{t('spot.targetPool')}</Typography.Title>
        <Form.Item name="kinds" label={t('open.spot.target.kind')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group options={[{ value: 'project', label: t('open.spot.target.kind.project') }, { value: 'system', label: t('open.spot.target.kind.system') }]} />
        </Form.Item>
        {organizations.length > 0 && (
          <Form.Item name="organizationId" label={t('spot.targetPool.organization')} extra={t('spot.targetPool.organization.help')}>
            <Select allowClear showSearch optionFilterProp="label" options={organizations.map((o) => ({ value: o.id, label: o.name }))} />
          </Form.Item>
        )}
        <Form.Item name="systemStatuses" label={t('spot.targetPool.systemStatuses')}>
          <Select mode="multiple" allowClear options={(['under_construction', 'operating', 'retired'] as const).map((s) => ({ value: s, label: t(`spot.systemStatus.${s}`) }))} />
        </Form.Item>
        <Typography.Title level={5}>{t('spot.rules')}</Typography.Title>
        <Space wrap>
          <Form.Item name="targetCount" label={t('spot.rules.targetCount')} rules={[{ required: true }]}><InputNumber min={1} max={1000} /></Form.Item>
          <Form.Item name="inspectorsPerTarget" label={t('spot.rules.perTarget')} rules={[{ required: true }]} extra={t('spot.rules.perTarget.help')}><InputNumber min={2} max={20} /></Form.Item>
        </Space>
        <Form.Item name="inspectorUserIds" label={t('spot.inspectorPool')} extra={t('spot.inspectorPool.help')} rules={[{ required: true, type: 'array', min: 2 }]}>
          <Select mode="multiple" showSearch filterOption={false} onSearch={(q) => void search(q)} options={options} data-testid="spot-inspectors"
            onChange={(ids: string[]) => setChosen(new Map(ids.map((id) => [id, chosen.get(id) ?? candidates.find((c) => c.id === id)!]).filter(([, c]) => c) as Array<[string, InspectorCandidate]>))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

export default function SpotChecks() {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);

  const columns: ProColumns<SpotCheckFull>[] = [
    { title: t('open.spot.title'), dataIndex: 'title', render: (_, r) => <a onClick={() => navigate(`/spot-checks/${r.id}`)}>{r.title}</a> },
    { title: t('open.spot.organizer'), dataIndex: 'organizationName', width: 180 },
    { title: t('open.spot.status'), dataIndex: 'status', width: 150, render: (_, r) => <SpotStatusTag status={r.status} /> },
    { title: t('spot.pools'), key: 'pools', width: 160, render: (_, r) => t('spot.poolsText', { targets: r.targets.length, inspectors: r.inspectors.length }) },
    { title: t('open.spot.rules'), key: 'rules', render: (_, r) => t('open.spot.rulesText', { count: r.rules.targetCount, per: r.rules.inspectorsPerTarget }) },
    { title: t('open.spot.drawnAt'), dataIndex: 'drawnAt', width: 170, render: (_, r) => formatDateTime(r.drawnAt) },
    { title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (_, r) => formatDateTime(r.createdAt) },
  ];

  const exportAll = async () => {
    setExporting(true);
    try {
      await api.spotChecks.export();
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <PageContainer content={t('spot.intro')}>
      <ProTable<SpotCheckFull>
        rowKey="id" columns={columns} search={false} headerTitle={t('menu.spotChecks')} scroll={{ x: 1100 }}
        pagination={{ defaultPageSize: 20, showTotal: (total) => t('common.total', { total }) }}
        request={async (params) => {
          try {
            const r = await api.spotChecks.list({ page: params.current ?? 1, pageSize: params.pageSize ?? 20 });
            return { data: r.items, total: r.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          <Button key="export" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportAll()}>{exporting ? t('common.exporting') : t('common.export')}</Button>,
          can('spotcheck:manage') ? <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('spot.create')}</Button> : null,
        ]}
      />
      <CreateDrawer open={creating} onClose={() => setCreating(false)} onCreated={(s) => { setCreating(false); void message.success(t('common.created')); navigate(`/spot-checks/${s.id}`); }} />
    </PageContainer>
  );
}
