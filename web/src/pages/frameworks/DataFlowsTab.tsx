// 数据流与系统接口 (第十条): the diagram, then the flows as a table (a list on a phone): provider and
// receiver (department / system), data items, 交换频度, 接口方式. Either end's people or the lead's
// add and edit a flow; the flows export as .xlsx and the diagram as a PNG.
import { useRef, useState } from 'react';
import { App, Button, Card, Col, Empty, Form, Grid, Input, List, Modal, Popconfirm, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, FileImageOutlined, PlusOutlined } from '@ant-design/icons';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import { useLocale, useT } from '../../i18n';
import DataFlowGraph, { type DataFlowGraphHandle } from './DataFlowGraph';
import { useFramework, useFrameworkEdit } from './FrameworkContext';
import { FREQUENCIES, frameworksApi, INTERFACE_METHODS, LIMITS, type DataFlow, type DataFlowInput } from './frameworksApi';
import { isEditable } from './frameworkUi';

interface Values {
  from: { organizationId?: string; system?: string };
  to: { organizationId?: string; system?: string };
  dataItems: string[];
  frequency?: DataFlowInput['frequency'];
  interfaceMethod?: DataFlowInput['interfaceMethod'];
  description?: string;
}

export function Endpoint({ end }: { end: DataFlow['from'] }) {
  return (
    <span className="flow-endpoint">
      <span>{end.organizationName}</span>
      {end.system && (
        <Typography.Text type="secondary" className="small">
          {end.system}
        </Typography.Text>
      )}
    </span>
  );
}

export default function DataFlowsTab() {
  const t = useT();
  const { locale, tx } = useLocale();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const { framework } = useFramework();
  const edit = useFrameworkEdit();
  const [form] = Form.useForm<Values>();
  const graph = useRef<DataFlowGraphHandle>(null);
  const [editing, setEditing] = useState<DataFlow | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const editable = isEditable(framework);
  const own = framework.caller.ownOrganizationIds;
  const mayAdd = editable && (framework.caller.leads || own.length > 0);
  const mayEditFlow = (f: DataFlow) =>
    editable && (framework.caller.leads || own.includes(f.from.organizationId) || own.includes(f.to.organizationId));
  const local = (text: { zh: string; en: string }) => (locale === 'zh-CN' ? text.zh : text.en);
  const participantOptions = framework.participants.map((p) => ({ value: p.organizationId, label: p.organizationName }));
  const systems = [...new Set(framework.dataFlows.flatMap((f) => [f.from.system, f.to.system]).filter((s): s is string => Boolean(s)))];

  const open = (flow: DataFlow | null) => {
    form.resetFields();
    form.setFieldsValue(
      flow
        ? {
            from: { organizationId: flow.from.organizationId, system: flow.from.system ?? '' },
            to: { organizationId: flow.to.organizationId, system: flow.to.system ?? '' },
            dataItems: flow.dataItems,
            frequency: flow.frequency,
            interfaceMethod: flow.interfaceMethod,
            description: flow.description ?? '',
          }
        : { from: { organizationId: own[0] ?? framework.leadOrganizationId }, to: {}, dataItems: [], frequency: 'daily', interfaceMethod: 'exchange_platform' },
    );
    setEditing(flow ?? 'new');
  };

  const save = async () => {
    if (!editing) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const end = (e: Values['from']) => ({ organizationId: e.organizationId ?? '', system: e.system?.trim() || null });
    const body: DataFlowInput = {
      from: end(values.from),
      to: end(values.to),
      dataItems: values.dataItems.map((item) => item.trim()).filter(Boolean),
      frequency: values.frequency!,
      interfaceMethod: values.interfaceMethod!,
      description: values.description?.trim() || null,
    };
    setSaving(true);
    const ok = await edit(
      () => (editing === 'new' ? frameworksApi.addDataFlow(framework.id, body) : frameworksApi.updateDataFlow(framework.id, editing.id, editing.version, body)),
      t('common.saved'),
      (error) => {
        const fields = fieldErrorsOf(error);
        if (fields.length > 0) form.setFields(fields.map(({ name, errors }) => ({ name: (name[0] === 'dataItems' ? ['dataItems'] : name) as never, errors })));
      },
    );
    setSaving(false);
    if (ok) setEditing(null);
  };

  const remove = async (flow: DataFlow) => {
    setBusy(flow.id);
    await edit(() => frameworksApi.removeDataFlow(framework.id, flow.id, flow.version), t('framework.flow.removed'));
    setBusy(null);
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await frameworksApi.exportDataFlows(framework.id, `数据流与系统接口-${framework.name}.xlsx`);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const exportPng = () => {
    const url = graph.current?.toPng();
    if (!url) return;
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = `数据流图-${framework.name}.png`;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
  };

  const actions = (flow: DataFlow) =>
    mayEditFlow(flow) ? (
      <Space size={4}>
        <Tooltip title={t('common.edit')}>
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => open(flow)} aria-label={t('common.edit')} />
        </Tooltip>
        <Popconfirm
          title={t('framework.flow.remove.confirm')}
          okText={t('common.delete')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          onConfirm={() => void remove(flow)}
        >
          <Button size="small" type="text" danger icon={<DeleteOutlined />} loading={busy === flow.id} aria-label={t('common.delete')} />
        </Popconfirm>
      </Space>
    ) : null;

  const items = (flow: DataFlow) => (
    <div className="cell-tags">
      {flow.dataItems.map((item) => (
        <Tag key={item}>{item}</Tag>
      ))}
    </div>
  );

  return (
    <Space direction="vertical" size={16} className="full-width">
      <Card
        size="small"
        className="detail-card data-flow-graph-card"
        title={t('framework.dataFlow.graph')}
        extra={
          <Space size={4} wrap>
            <Tooltip title={t('framework.dataFlow.exportPng.help')}>
              <Button size="small" icon={<FileImageOutlined />} onClick={exportPng} disabled={framework.participants.length === 0} className="graph-export-png">
                {screens.sm ? t('framework.dataFlow.exportPng') : null}
              </Button>
            </Tooltip>
            <Tooltip title={t('framework.dataFlow.export.help')}>
              <Button size="small" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} className="data-flow-export">
                {t('common.export')}
              </Button>
            </Tooltip>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" className="small graph-help">
          {t('framework.dataFlow.graph.help')}
        </Typography.Paragraph>
        <DataFlowGraph
          ref={graph}
          participants={framework.participants}
          flows={framework.dataFlows}
          height={screens.md ? 440 : 520}
          vertical={!screens.md}
        />
      </Card>
      <Card
        size="small"
        className="detail-card"
        title={t('framework.dataFlow.list', { count: framework.dataFlows.length })}
        extra={
          mayAdd && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => open(null)} className="data-flow-add">
              {t('framework.dataFlow.add')}
            </Button>
          )
        }
      >
        {screens.md ? (
          <Table<DataFlow>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={framework.dataFlows}
            className="data-flow-table"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('framework.dataFlow.empty')} /> }}
            columns={[
              { title: t('framework.dataFlow.from'), key: 'from', width: 200, render: (_, f) => <Endpoint end={f.from} /> },
              { title: t('framework.dataFlow.to'), key: 'to', width: 200, render: (_, f) => <Endpoint end={f.to} /> },
              { title: t('framework.dataFlow.items'), key: 'items', render: (_, f) => items(f) },
              { title: t('framework.dataFlow.frequency'), key: 'frequency', width: 90, render: (_, f) => local(f.frequencyName) },
              { title: t('framework.dataFlow.method'), key: 'method', width: 130, render: (_, f) => local(f.interfaceMethodName) },
              { title: t('framework.dataFlow.description'), dataIndex: 'description', key: 'description', width: 180, ellipsis: true },
              ...(framework.dataFlows.some(mayEditFlow) ? [{ title: t('common.actions'), key: 'actions', width: 80, render: (_: unknown, f: DataFlow) => actions(f) }] : []),
            ]}
          />
        ) : (
          <List<DataFlow>
            dataSource={framework.dataFlows}
            className="data-flow-list"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('framework.dataFlow.empty')} /> }}
            renderItem={(f) => (
              <List.Item className="data-flow-item" extra={actions(f)}>
                <div className="data-flow-item-body">
                  <div className="data-flow-ends data-flow-ends-stacked">
                    <Endpoint end={f.from} />
                    <span className="flow-arrow" aria-hidden>
                      ↓
                    </span>
                    <Endpoint end={f.to} />
                  </div>
                  {items(f)}
                  <Typography.Text type="secondary" className="small">
                    {local(f.frequencyName)} · {local(f.interfaceMethodName)}
                    {f.description ? ` · ${f.description}` : ''}
                  </Typography.Text>
                </div>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('framework.dataFlow.add') : t('framework.dataFlow.edit')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        maskClosable={false}
        width={720}
        forceRender
      >
        <Typography.Paragraph type="secondary" className="small">
          {t('framework.dataFlow.form.help')}
        </Typography.Paragraph>
        <Form<Values> form={form} layout="vertical" name="dataFlow">
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item
                name={['from', 'organizationId']}
                label={t('framework.dataFlow.from')}
                rules={[{ required: true, message: t('common.pleaseSelect', { field: t('framework.dataFlow.from') }) }]}
              >
                <Select options={participantOptions} />
              </Form.Item>
              <Form.Item name={['from', 'system']} label={t('framework.dataFlow.fromSystem')}>
                <Input maxLength={LIMITS.system} list="framework-systems" placeholder={t('framework.dataFlow.system.placeholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name={['to', 'organizationId']}
                label={t('framework.dataFlow.to')}
                rules={[{ required: true, message: t('common.pleaseSelect', { field: t('framework.dataFlow.to') }) }]}
              >
                <Select options={participantOptions} />
              </Form.Item>
              <Form.Item name={['to', 'system']} label={t('framework.dataFlow.toSystem')}>
                <Input maxLength={LIMITS.system} list="framework-systems" placeholder={t('framework.dataFlow.system.placeholder')} />
              </Form.Item>
            </Col>
          </Row>
          <datalist id="framework-systems">
            {systems.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <Form.Item
            name="dataItems"
            label={t('framework.dataFlow.items')}
            extra={t('framework.dataItems.help')}
            rules={[{ required: true, type: 'array', min: 1, message: t('framework.dataItems.required') }]}
          >
            <Select mode="tags" tokenSeparators={[',', '，', '、', ';', '；']} open={false} suffixIcon={null} className="data-items-input" />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="frequency" label={t('framework.dataFlow.frequency')} rules={[{ required: true }]}>
                <Select options={FREQUENCIES.map((f) => ({ value: f, label: tx(`resource.updateCycle.${f}`, f) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="interfaceMethod" label={t('framework.dataFlow.method')} rules={[{ required: true }]}>
                <Select options={INTERFACE_METHODS.map((m) => ({ value: m, label: tx(`framework.interfaceMethod.${m}`, m) }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="description" label={t('framework.dataFlow.description')}>
            <Input.TextArea rows={2} maxLength={LIMITS.flowDescription} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
