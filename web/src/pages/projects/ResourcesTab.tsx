// 信息资源目录 (第十一条): the resources the project registers; a catalog is a precondition of
// approval. Editable (register, edit with If-Match, remove) while the project is editable.
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Grid,
  Input,
  List,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import type { FormInstance } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import {
  BASE_CATEGORIES,
  CLASSIFICATION_KINDS,
  DATA_ITEM_TYPES,
  OPEN_TYPES,
  RESOURCE_FORMATS,
  SHARING_TYPES,
  UPDATE_CYCLES,
  type BaseCategory,
  type ClassificationKind,
  type DataItemType,
  type InformationResource,
  type InformationResourceInput,
  type OpenType,
  type Project,
  type ResourceCatalog,
  type ResourceFormat,
  type SharingType,
  type UpdateCycle,
} from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { orgTreeSelectData } from '../../utils/orgTree';
import ImportWizard from '../catalog/ImportWizard';

/** The written form of a 信息资源代码 (src/domain/resource-catalog.ts). */
const RESOURCE_CODE_PATTERN = /^([1-3])-([0-9]{2})-([0-9]{3})((?:-[0-9]{1,8}){0,4})\/([0-9]{1,12})$/;

interface ResourceValues {
  name?: string;
  code?: string;
  classification?: { kind?: ClassificationKind; baseCategory?: BaseCategory };
  providerOrganizationId?: string;
  format?: ResourceFormat;
  updateCycle?: UpdateCycle;
  sharingType?: SharingType;
  sharingBasis?: string;
  openType?: OpenType;
  openBasis?: string;
  involvesSecrets?: boolean;
  dataItems?: { name?: string; type?: DataItemType; description?: string }[];
}

function toInput(values: ResourceValues): InformationResourceInput {
  const kind = values.classification?.kind ?? 'department';
  const sharingType = values.sharingType ?? 'unconditional';
  const openType = values.openType ?? 'none';
  return {
    name: (values.name ?? '').trim(),
    code: (values.code ?? '').trim(),
    classification: { kind, baseCategory: kind === 'base' ? (values.classification?.baseCategory ?? null) : null },
    providerOrganizationId: values.providerOrganizationId ?? '',
    format: values.format ?? 'other',
    updateCycle: values.updateCycle ?? 'irregular',
    sharingType,
    sharingBasis: sharingType === 'unconditional' ? null : values.sharingBasis?.trim() || null,
    openType,
    openBasis: openType === 'unconditional' ? null : values.openBasis?.trim() || null,
    involvesSecrets: values.involvesSecrets === true,
    dataItems: (values.dataItems ?? []).map((item) => ({
      name: (item.name ?? '').trim(),
      type: item.type ?? 'string',
      description: item.description?.trim() || null,
    })),
  };
}

function valuesOf(resource: InformationResource): ResourceValues {
  return {
    name: resource.name,
    code: resource.code,
    classification: { kind: resource.classification.kind, baseCategory: resource.classification.baseCategory ?? undefined },
    providerOrganizationId: resource.providerOrganizationId,
    format: resource.format,
    updateCycle: resource.updateCycle,
    sharingType: resource.sharingType,
    sharingBasis: resource.sharingBasis ?? undefined,
    openType: resource.openType,
    openBasis: resource.openBasis ?? undefined,
    involvesSecrets: resource.involvesSecrets,
    dataItems: resource.dataItems.map((item) => ({ name: item.name, type: item.type, description: item.description ?? undefined })),
  };
}

export default function ResourcesTab({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const t = useT();
  const can = useCan();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const { showError } = useApiFeedback();
  const [catalog, setCatalog] = useState<ResourceCatalog | null>(null);
  const [loading, setLoading] = useState(true);
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<{ mode: 'create' } | { mode: 'edit'; resource: InformationResource } | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<ResourceValues>();
  const organizations = useOrganizationList(can('system:org:read'));

  const orgTree = useMemo(() => {
    const tree = orgTreeSelectData(organizations.items);
    const listed = new Set(organizations.items.map((org) => org.id));
    const known = [
      { id: project.constructionUnitId, name: project.constructionUnitName },
      { id: project.approvalDepartmentId, name: project.approvalDepartmentName },
      ...(catalog?.items ?? []).map((item) => ({ id: item.providerOrganizationId, name: item.providerOrganizationName })),
    ];
    const extra = known.filter((org, index) => !listed.has(org.id) && known.findIndex((other) => other.id === org.id) === index);
    return [...tree, ...extra.map((org) => ({ value: org.id, title: org.name }))];
  }, [organizations.items, project, catalog]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setCatalog(await api.resources.list(project.id));
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [project.id, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const openCreate = () => {
    form.resetFields();
    form.setFieldsValue({
      providerOrganizationId: project.constructionUnitId,
      involvesSecrets: false,
      sharingType: 'unconditional',
      openType: 'none',
      dataItems: [{ type: 'string' }],
    });
    setEditing({ mode: 'create' });
  };

  const openEdit = (resource: InformationResource) => {
    form.resetFields();
    form.setFieldsValue(valuesOf(resource));
    setEditing({ mode: 'edit', resource });
  };

  const submit = async () => {
    if (!editing) return;
    let values: ResourceValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      if (editing.mode === 'create') {
        await api.resources.create(project.id, toInput(values));
        void message.success(t('common.created'));
      } else {
        await api.resources.update(project.id, editing.resource.id, editing.resource.version, toInput(values));
        void message.success(t('common.saved'));
      }
      setEditing(null);
      void load();
    } catch (error) {
      if (error instanceof ApiError && error.isStale) {
        void message.warning(t('error.stale'));
        setEditing(null);
        void load();
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

  const remove = async (resource: InformationResource) => {
    try {
      await api.resources.remove(project.id, resource.id, resource.version);
      void message.success(t('resource.removed'));
    } catch (error) {
      if (error instanceof ApiError && error.isStale) void message.warning(t('error.stale'));
      else showError(error);
    } finally {
      void load();
    }
  };

  const exportCatalog = async () => {
    setExporting(true);
    try {
      await api.resources.export(project.id);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const classificationText = (resource: InformationResource) =>
    resource.classification.baseCategory
      ? `${t(`resource.kind.${resource.classification.kind}`)} · ${t(`resource.baseCategory.${resource.classification.baseCategory}`)}`
      : t(`resource.kind.${resource.classification.kind}`);

  const sharingColor = (type: SharingType | OpenType) => (type === 'unconditional' ? 'green' : type === 'conditional' ? 'gold' : 'default');

  return (
    <Card
      size="small"
      className="detail-card"
      title={t('resource.title')}
      extra={
        <Space wrap>
          <Tooltip title={t('common.refresh')}>
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('common.refresh')} />
          </Tooltip>
          <Button size="small" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportCatalog()}>
            {t('common.export')}
          </Button>
          {canEdit && (
            <Button size="small" icon={<UploadOutlined />} onClick={() => setImporting(true)} className="resource-import">
              {t('import.open')}
            </Button>
          )}
          {canEdit && (
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={openCreate}>
              {t('resource.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Alert
        type={catalog && catalog.summary.resourceCount > 0 && catalog.summary.resourcesWithoutSharingType === 0 ? 'info' : 'warning'}
        showIcon
        className="wizard-alert"
        message={
          catalog
            ? catalog.summary.resourcesWithoutSharingType > 0
              ? t('resource.summary.missing', { count: catalog.summary.resourceCount, missing: catalog.summary.resourcesWithoutSharingType })
              : t('resource.summary', { count: catalog.summary.resourceCount })
            : t('resource.article11')
        }
        description={catalog ? t('resource.article11') : undefined}
      />
      {screens.md ? (
        <Table<InformationResource>
          rowKey="id"
          loading={loading}
          dataSource={catalog?.items ?? []}
          pagination={false}
          size="small"
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resource.empty')} /> }}
          expandable={{
            expandedRowRender: (resource) => (
              <Descriptions size="small" column={1} bordered className="resource-descriptions">
                {resource.sharingBasis && <Descriptions.Item label={t('resource.sharingBasis')}>{resource.sharingBasis}</Descriptions.Item>}
                {resource.openBasis && <Descriptions.Item label={t('resource.openBasis')}>{resource.openBasis}</Descriptions.Item>}
                <Descriptions.Item label={t('resource.dataItems')}>
                  <div className="cell-tags">
                    {resource.dataItems.map((item) => (
                      <Tooltip key={item.name} title={item.description || undefined}>
                        <Tag>
                          {item.name} · {t(`resource.dataItemType.${item.type}`)}
                        </Tag>
                      </Tooltip>
                    ))}
                  </div>
                </Descriptions.Item>
              </Descriptions>
            ),
          }}
          columns={[
            { title: t('resource.code'), dataIndex: 'code', width: 150, render: (value: string) => <span className="mono small nowrap">{value}</span> },
            {
              title: t('resource.name'),
              dataIndex: 'name',
              width: 190,
              render: (value: string, resource) => (
                <span>
                  {value}
                  {resource.involvesSecrets && (
                    <Tag color="red" className="inline-tag">
                      {t('resource.involvesSecrets')}
                    </Tag>
                  )}
                </span>
              ),
            },
            { title: t('resource.classification'), key: 'classification', width: 140, render: (_, resource) => classificationText(resource) },
            { title: t('resource.provider'), dataIndex: 'providerOrganizationName', width: 140, ellipsis: true },
            { title: t('resource.format'), dataIndex: 'format', width: 76, render: (value: ResourceFormat) => t(`resource.format.${value}`) },
            { title: t('resource.updateCycle'), dataIndex: 'updateCycle', width: 76, render: (value: UpdateCycle) => t(`resource.updateCycle.${value}`) },
            {
              title: t('resource.sharingType'),
              dataIndex: 'sharingType',
              width: 104,
              render: (value: SharingType) => <Tag color={sharingColor(value)}>{t(`resource.sharingType.${value}`)}</Tag>,
            },
            {
              title: t('resource.openType'),
              dataIndex: 'openType',
              width: 104,
              render: (value: OpenType) => <Tag color={sharingColor(value)}>{t(`resource.openType.${value}`)}</Tag>,
            },
            ...(canEdit
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 90,
                    fixed: 'right' as const,
                    render: (_: unknown, resource: InformationResource) => (
                      <Space size={4}>
                        <Tooltip title={t('common.edit')}>
                          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => openEdit(resource)} aria-label={t('common.edit')} />
                        </Tooltip>
                        <Popconfirm
                          title={t('resource.remove.confirm', { name: resource.name })}
                          okText={t('common.ok')}
                          cancelText={t('common.cancel')}
                          onConfirm={() => remove(resource)}
                        >
                          <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      ) : (
        // a phone: one block per resource instead of a wide table
        <List<InformationResource>
          loading={loading}
          dataSource={catalog?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resource.empty')} /> }}
          renderItem={(resource) => (
            <List.Item className="indicator-item">
              <Typography.Text strong>
                {resource.name}
                {resource.involvesSecrets && (
                  <Tag color="red" className="inline-tag">
                    {t('resource.involvesSecrets')}
                  </Tag>
                )}
              </Typography.Text>
              <span className="mono small">{resource.code}</span>
              <div className="indicator-meta">
                <span>{classificationText(resource)}</span>
                <span>{resource.providerOrganizationName}</span>
                <span>
                  {t(`resource.format.${resource.format}`)} · {t(`resource.updateCycle.${resource.updateCycle}`)}
                </span>
              </div>
              <div className="cell-tags">
                <Tag color={sharingColor(resource.sharingType)}>{t(`resource.sharingType.${resource.sharingType}`)}</Tag>
                <Tag color={sharingColor(resource.openType)}>{t(`resource.openType.${resource.openType}`)}</Tag>
              </div>
              <Typography.Text type="secondary" className="small">
                {t('resource.dataItems')}{t('common.colon')}{resource.dataItems.map((item) => item.name).join(t('common.listSeparator'))}
              </Typography.Text>
              {canEdit && (
                <Space size={12}>
                  <Button size="small" icon={<EditOutlined />} onClick={() => openEdit(resource)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('resource.remove.confirm', { name: resource.name })}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => remove(resource)}
                  >
                    <Button size="small" danger icon={<DeleteOutlined />}>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              )}
            </List.Item>
          )}
        />
      )}

      <Modal
        open={editing !== null}
        title={editing?.mode === 'edit' ? t('resource.edit.title', { name: editing.resource.name }) : t('resource.create')}
        width={860}
        okText={editing?.mode === 'edit' ? t('common.save') : t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void submit()}
        onCancel={() => setEditing(null)}
        maskClosable={false}
        forceRender
      >
        <Form<ResourceValues> form={form} layout="vertical" name="resource">
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <Form.Item
                name="name"
                label={t('resource.name')}
                rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('resource.name') }) }, { max: 200 }]}
              >
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item
                name="code"
                label={t('resource.code')}
                extra={t('resource.code.help')}
                normalize={(value: string) => value?.replace(/\s/g, '')}
                rules={[
                  { required: true, message: t('common.required', { field: t('resource.code') }) },
                  { pattern: RESOURCE_CODE_PATTERN, message: t('resource.code.invalid') },
                ]}
              >
                <Input maxLength={64} className="mono" placeholder="1-05-001/000001" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name={['classification', 'kind']}
                label={t('resource.classification')}
                rules={[{ required: true, message: t('common.pleaseSelect', { field: t('resource.classification') }) }]}
              >
                <Select options={CLASSIFICATION_KINDS.map((value) => ({ value, label: t(`resource.kind.${value}`) }))} />
              </Form.Item>
            </Col>
            <Form.Item noStyle dependencies={[['classification', 'kind']]}>
              {({ getFieldValue }) =>
                getFieldValue(['classification', 'kind']) === 'base' ? (
                  <Col xs={24} md={8}>
                    <Form.Item
                      name={['classification', 'baseCategory']}
                      label={t('resource.baseCategory')}
                      rules={[{ required: true, message: t('common.pleaseSelect', { field: t('resource.baseCategory') }) }]}
                    >
                      <Select options={BASE_CATEGORIES.map((value) => ({ value, label: t(`resource.baseCategory.${value}`) }))} />
                    </Form.Item>
                  </Col>
                ) : null
              }
            </Form.Item>
            <Col xs={24} md={8}>
              <Form.Item
                name="providerOrganizationId"
                label={t('resource.provider')}
                rules={[{ required: true, message: t('common.pleaseSelect', { field: t('resource.provider') }) }]}
              >
                <TreeSelect treeData={orgTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="format" label={t('resource.format')} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('resource.format') }) }]}>
                <Select options={RESOURCE_FORMATS.map((value) => ({ value, label: t(`resource.format.${value}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item
                name="updateCycle"
                label={t('resource.updateCycle')}
                rules={[{ required: true, message: t('common.pleaseSelect', { field: t('resource.updateCycle') }) }]}
              >
                <Select options={UPDATE_CYCLES.map((value) => ({ value, label: t(`resource.updateCycle.${value}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="involvesSecrets" label={t('resource.involvesSecrets')} valuePropName="checked" extra={t('resource.involvesSecrets.help')}>
                <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="sharingType"
                label={t('resource.sharingType')}
                rules={[{ required: true, message: t('common.pleaseSelect', { field: t('resource.sharingType') }) }]}
              >
                <Select options={SHARING_TYPES.map((value) => ({ value, label: t(`resource.sharingType.${value}`) }))} />
              </Form.Item>
              <Form.Item noStyle dependencies={['sharingType']}>
                {({ getFieldValue }) =>
                  getFieldValue('sharingType') && getFieldValue('sharingType') !== 'unconditional' ? (
                    <Form.Item
                      name="sharingBasis"
                      label={t('resource.sharingBasis')}
                      rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('resource.sharingBasis') }) }, { max: 2000 }]}
                    >
                      <Input.TextArea rows={2} maxLength={2000} />
                    </Form.Item>
                  ) : null
                }
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="openType"
                label={t('resource.openType')}
                dependencies={['involvesSecrets']}
                rules={[
                  { required: true, message: t('common.pleaseSelect', { field: t('resource.openType') }) },
                  ({ getFieldValue }) => ({
                    validator: async (_: unknown, value: OpenType | undefined) => {
                      if (getFieldValue('involvesSecrets') && value && value !== 'none') throw new Error(t('resource.secretOpen'));
                    },
                  }),
                ]}
              >
                <Select options={OPEN_TYPES.map((value) => ({ value, label: t(`resource.openType.${value}`) }))} />
              </Form.Item>
              <Form.Item noStyle dependencies={['openType']}>
                {({ getFieldValue }) =>
                  getFieldValue('openType') && getFieldValue('openType') !== 'unconditional' ? (
                    <Form.Item
                      name="openBasis"
                      label={t('resource.openBasis')}
                      rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('resource.openBasis') }) }, { max: 2000 }]}
                    >
                      <Input.TextArea rows={2} maxLength={2000} />
                    </Form.Item>
                  ) : null
                }
              </Form.Item>
            </Col>
          </Row>
          <Typography.Title level={5}>{t('resource.dataItems')}</Typography.Title>
          <Form.List
            name="dataItems"
            rules={[
              {
                validator: async (_: unknown, items: unknown[] | undefined) => {
                  if (!items || items.length === 0) throw new Error(t('resource.dataItems.required'));
                },
              },
            ]}
          >
            {(fields, { add, remove: removeItem }, { errors }) => (
              <>
                {fields.map((field) => (
                  <Row gutter={8} key={field.key} className="system-row">
                    <Col xs={24} md={8}>
                      <Form.Item
                        name={[field.name, 'name']}
                        rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('resource.dataItem.name') }) }, { max: 100 }]}
                      >
                        <Input maxLength={100} placeholder={t('resource.dataItem.name')} />
                      </Form.Item>
                    </Col>
                    <Col xs={10} md={5}>
                      <Form.Item name={[field.name, 'type']} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('resource.dataItem.type') }) }]}>
                        <Select options={DATA_ITEM_TYPES.map((value) => ({ value, label: t(`resource.dataItemType.${value}`) }))} />
                      </Form.Item>
                    </Col>
                    <Col xs={11} md={10}>
                      <Form.Item name={[field.name, 'description']} rules={[{ max: 500 }]}>
                        <Input maxLength={500} placeholder={t('resource.dataItem.description')} />
                      </Form.Item>
                    </Col>
                    <Col xs={3} md={1}>
                      <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => removeItem(field.name)} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ type: 'string' })}>
                  {t('resource.dataItems.add')}
                </Button>
                <Form.ErrorList errors={errors} />
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
      {canEdit && <ImportWizard kind="resources" open={importing} onClose={() => setImporting(false)} onImported={() => void load()} />}
    </Card>
  );
}
