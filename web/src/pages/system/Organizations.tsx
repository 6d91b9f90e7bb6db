import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Row, Select, Space, Spin, Tag, Tree, TreeSelect, Typography } from 'antd';
import type { FormInstance } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { ApartmentOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { ORG_KINDS, type Organization, type OrganizationInput, type OrgKind } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { buildOrgTree, creditCodeChecksumOk, CREDIT_CODE_PATTERN, DIVISION_CODE_PATTERN, orgTreeSelectData, subtreeIds, type OrgNode } from '../../utils/orgTree';

interface OrgFormValues {
  parentId?: string | null;
  name: string;
  nameEn?: string;
  kind: OrgKind;
  creditCode: string;
  divisionCode?: string;
}

function OrgFormFields({
  name,
  form,
  organizations,
  excludeIds,
  unchangedCreditCode,
}: {
  name: string;
  unchangedCreditCode?: string;
  form: FormInstance<OrgFormValues>;
  organizations: Organization[];
  excludeIds?: Set<string>;
}) {
  const t = useT();
  const treeData = useMemo(() => orgTreeSelectData(organizations, excludeIds), [organizations, excludeIds]);
  return (
    <Form<OrgFormValues> form={form} name={name} layout="vertical" className="org-form">
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="name" label={t('org.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('org.name') }) }, { max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="nameEn" label={t('org.nameEn')} rules={[{ max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="kind" label={t('org.kind')} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('org.kind') }) }]}>
            <Select options={ORG_KINDS.map((kind) => ({ value: kind, label: t(`org.kind.${kind}`) }))} showSearch optionFilterProp="label" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="parentId" label={t('org.parent')}>
            <TreeSelect
              treeData={treeData}
              allowClear
              showSearch
              treeNodeFilterProp="title"
              treeDefaultExpandAll
              placeholder={t('org.parent.root')}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="creditCode"
            label={t('org.creditCode')}
            extra={t('org.creditCode.help')}
            normalize={(value: string) => value?.toUpperCase().replace(/\s/g, '')}
            rules={[
              { required: true, message: t('common.required', { field: t('org.creditCode') }) },
              { pattern: CREDIT_CODE_PATTERN, message: t('org.creditCode.invalid') },
              {
                // the check character only for a code being entered, not for one already on record
                validator: async (_, value: string | undefined) => {
                  if (!value || value === unchangedCreditCode || !CREDIT_CODE_PATTERN.test(value)) return;
                  if (!creditCodeChecksumOk(value)) throw new Error(t('org.creditCode.checksum'));
                },
              },
            ]}
          >
            <Input maxLength={18} className="mono" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="divisionCode"
            label={t('org.divisionCode')}
            extra={t('org.divisionCode.help')}
            normalize={(value: string) => value?.replace(/\s/g, '')}
            rules={[{ pattern: DIVISION_CODE_PATTERN, message: t('org.divisionCode.invalid') }]}
          >
            <Input maxLength={6} className="mono" />
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );
}

function valuesOf(org: Organization): OrgFormValues {
  return {
    parentId: org.parentId ?? undefined,
    name: org.name,
    nameEn: org.nameEn ?? '',
    kind: org.kind,
    creditCode: org.creditCode,
    divisionCode: org.divisionCode ?? '',
  };
}

/** Only the fields that changed, with emptied optional fields sent as null. */
function patchOf(org: Organization, values: OrgFormValues): OrganizationInput {
  const patch: OrganizationInput = {};
  const name = values.name.trim();
  if (name !== org.name) patch.name = name;
  const nameEn = values.nameEn?.trim() || null;
  if (nameEn !== (org.nameEn ?? null)) patch.nameEn = nameEn;
  if (values.kind !== org.kind) patch.kind = values.kind;
  if (values.creditCode !== org.creditCode) patch.creditCode = values.creditCode;
  const divisionCode = values.divisionCode?.trim() || null;
  if (divisionCode !== (org.divisionCode ?? null)) patch.divisionCode = divisionCode;
  const parentId = values.parentId ?? null;
  if (parentId !== (org.parentId ?? null)) patch.parentId = parentId;
  return patch;
}

function highlight(text: string, keyword: string): ReactNode {
  if (!keyword) return text;
  const index = text.toLowerCase().indexOf(keyword.toLowerCase());
  if (index < 0) return text;
  return (
    <>
      {text.slice(0, index)}
      <span className="tree-highlight">{text.slice(index, index + keyword.length)}</span>
      {text.slice(index + keyword.length)}
    </>
  );
}

export default function Organizations() {
  const t = useT();
  const { locale } = useLocale();
  const can = useCan();
  const { message } = App.useApp();
  const displayName = useCallback((org: Organization) => (locale === 'en-US' && org.nameEn ? org.nameEn : org.name), [locale]);
  const { showError, showFormError } = useApiFeedback();
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedId = searchParams.get('id');
  const [organizations, setOrganizations] = useState<Organization[]>([]);
  const [loading, setLoading] = useState(true);
  const [keyword, setKeyword] = useState('');
  const [expandedKeys, setExpandedKeys] = useState<string[] | null>(null);
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [creating, setCreating] = useState<{ parentId: string | null } | null>(null);
  const [editForm] = Form.useForm<OrgFormValues>();
  const [createForm] = Form.useForm<OrgFormValues>();

  const load = useCallback(async (): Promise<Organization[]> => {
    setLoading(true);
    try {
      const { items } = await api.organizations.list();
      setOrganizations(items);
      return items;
    } catch (error) {
      showError(error);
      return [];
    } finally {
      setLoading(false);
    }
  }, [showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const byId = useMemo(() => new Map(organizations.map((org) => [org.id, org])), [organizations]);
  const selected = selectedId ? byId.get(selectedId) : undefined;
  const forest = useMemo(() => buildOrgTree(organizations), [organizations]);

  const select = useCallback(
    (id: string | null) => {
      setEditing(false);
      setSearchParams(id ? { id } : {}, { replace: true });
    },
    [setSearchParams],
  );

  // Select the first root once loaded, so the right-hand side is never empty without reason.
  useEffect(() => {
    if (!loading && !selectedId && forest[0]) select(forest[0].org.id);
  }, [loading, selectedId, forest, select]);

  const matchingIds = useMemo(() => {
    if (!keyword) return null;
    const lower = keyword.toLowerCase();
    const keep = new Set<string>();
    for (const org of organizations) {
      if (!org.name.toLowerCase().includes(lower) && !(org.nameEn ?? '').toLowerCase().includes(lower)) continue;
      // keep the match and its ancestors
      let current: Organization | undefined = org;
      while (current && !keep.has(current.id)) {
        keep.add(current.id);
        current = current.parentId ? byId.get(current.parentId) : undefined;
      }
    }
    return keep;
  }, [keyword, organizations, byId]);

  const treeData = useMemo(() => {
    const convert = (node: OrgNode): DataNode | null => {
      if (matchingIds && !matchingIds.has(node.org.id)) return null;
      const children = node.children.map(convert).filter((child): child is DataNode => child !== null);
      return {
        key: node.org.id,
        title: <span className="org-tree-title">{highlight(displayName(node.org), keyword)}</span>,
        children: children.length > 0 ? children : undefined,
      };
    };
    return forest.map(convert).filter((node): node is DataNode => node !== null);
  }, [forest, matchingIds, keyword, displayName]);

  const allKeys = useMemo(() => organizations.map((org) => org.id), [organizations]);
  const effectiveExpanded = matchingIds ? [...matchingIds] : (expandedKeys ?? allKeys);

  const startEdit = () => {
    if (!selected) return;
    editForm.setFieldsValue(valuesOf(selected));
    setEditing(true);
  };

  const reloadAfterConflict = async (id: string) => {
    void message.warning(t('error.stale'));
    const items = await load();
    const fresh = items.find((org) => org.id === id);
    if (fresh) editForm.setFieldsValue(valuesOf(fresh));
  };

  const saveEdit = async () => {
    if (!selected) return;
    let values: OrgFormValues;
    try {
      values = await editForm.validateFields();
    } catch {
      return;
    }
    const patch = patchOf(selected, values);
    if (Object.keys(patch).length === 0) {
      setEditing(false);
      return;
    }
    setSaving(true);
    try {
      const updated = await api.organizations.update(selected.id, selected.version, patch);
      setOrganizations((items) => items.map((org) => (org.id === updated.id ? updated : org)));
      void message.success(t('common.saved'));
      setEditing(false);
    } catch (error) {
      if (error instanceof ApiError && error.isStale) await reloadAfterConflict(selected.id);
      else showFormError(editForm, error);
    } finally {
      setSaving(false);
    }
  };

  const openCreate = (parentId: string | null) => {
    createForm.resetFields();
    createForm.setFieldsValue({ parentId: parentId ?? undefined });
    setCreating({ parentId });
  };

  const submitCreate = async () => {
    let values: OrgFormValues;
    try {
      values = await createForm.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const created = await api.organizations.create({
        parentId: values.parentId ?? null,
        name: values.name.trim(),
        ...(values.nameEn?.trim() ? { nameEn: values.nameEn.trim() } : {}),
        kind: values.kind,
        creditCode: values.creditCode,
        ...(values.divisionCode?.trim() ? { divisionCode: values.divisionCode.trim() } : {}),
      });
      setOrganizations((items) => [...items, created]);
      if (created.parentId) setExpandedKeys((keys) => [...new Set([...(keys ?? allKeys), created.parentId!])]);
      void message.success(t('common.created'));
      setCreating(null);
      select(created.id);
    } catch (error) {
      showFormError(createForm, error);
    } finally {
      setSaving(false);
    }
  };

  const editExclusions = useMemo(
    () => (selected ? subtreeIds(organizations, selected.id) : undefined),
    [organizations, selected],
  );
  const childCount = selected ? organizations.filter((org) => org.parentId === selected.id).length : 0;

  return (
    <PageContainer
      extra={[
        <Button key="reload" icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('common.refresh')}
        </Button>,
        can('system:org:create') ? (
          <Button key="root" icon={<PlusOutlined />} onClick={() => openCreate(null)}>
            {t('org.createRoot')}
          </Button>
        ) : null,
      ]}
    >
      <Row gutter={16}>
        <Col xs={24} md={9} lg={8} xl={7}>
          <Card title={t('org.tree.title')} className="org-tree-card" size="small">
            <Input.Search allowClear placeholder={t('org.tree.search')} onChange={(event) => setKeyword(event.target.value.trim())} className="org-tree-search" />
            <Spin spinning={loading}>
              {treeData.length === 0 && !loading ? (
                <Empty description={t('org.tree.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <Tree
                  showLine={{ showLeafIcon: false }}
                  blockNode
                  treeData={treeData}
                  selectedKeys={selectedId ? [selectedId] : []}
                  expandedKeys={effectiveExpanded}
                  onExpand={(keys) => setExpandedKeys(keys.map(String))}
                  onSelect={(keys) => keys[0] !== undefined && select(String(keys[0]))}
                  className="org-tree"
                />
              )}
            </Spin>
          </Card>
        </Col>
        <Col xs={24} md={15} lg={16} xl={17}>
          <Card
            className="org-detail-card"
            title={
              <Space>
                <ApartmentOutlined />
                {selected ? displayName(selected) : t('org.detail.title')}
                {selected && <Tag color="blue">{t(`org.kind.${selected.kind}`)}</Tag>}
              </Space>
            }
            extra={
              selected && !editing ? (
                <Space>
                  {can('system:org:create') && (
                    <Button icon={<PlusOutlined />} onClick={() => openCreate(selected.id)}>
                      {t('org.createChild')}
                    </Button>
                  )}
                  {can('system:org:update') && (
                    <Button type="primary" icon={<EditOutlined />} onClick={startEdit}>
                      {t('common.edit')}
                    </Button>
                  )}
                </Space>
              ) : null
            }
          >
            {!selected ? (
              <Empty description={t('org.detail.empty')} />
            ) : editing ? (
              <>
                <Typography.Title level={5}>{t('org.edit.title')}</Typography.Title>
                <OrgFormFields name="orgEdit" unchangedCreditCode={selected.creditCode} form={editForm} organizations={organizations} excludeIds={editExclusions} />
                <Space>
                  <Button type="primary" loading={saving} onClick={() => void saveEdit()}>
                    {t('common.save')}
                  </Button>
                  <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
                </Space>
              </>
            ) : (
              <Descriptions bordered column={{ xs: 1, sm: 1, md: 1, lg: 1, xl: 2, xxl: 2 }} size="middle" className="org-descriptions">
                <Descriptions.Item label={t('org.name')}>{selected.name}</Descriptions.Item>
                <Descriptions.Item label={t('org.nameEn')}>{selected.nameEn || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('org.kind')}>{t(`org.kind.${selected.kind}`)}</Descriptions.Item>
                <Descriptions.Item label={t('org.parent')}>
                  {selected.parentId ? (byId.get(selected.parentId)?.name ?? selected.parentId) : t('org.parent.root')}
                </Descriptions.Item>
                <Descriptions.Item label={t('org.creditCode')}>
                  <Typography.Text copyable className="mono">
                    {selected.creditCode}
                  </Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label={t('org.divisionCode')}>
                  <span className="mono">{selected.divisionCode || '—'}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('org.childCount')}>{childCount}</Descriptions.Item>
                <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(selected.createdAt)}</Descriptions.Item>
                <Descriptions.Item label={t('org.id')} span={2}>
                  <Typography.Text type="secondary" copyable className="mono">
                    {selected.id}
                  </Typography.Text>
                </Descriptions.Item>
              </Descriptions>
            )}
          </Card>
        </Col>
      </Row>

      <Modal
        open={creating !== null}
        title={creating?.parentId ? `${t('org.createChild')} · ${byId.get(creating.parentId)?.name ?? ''}` : t('org.create.title')}
        width={720}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void submitCreate()}
        onCancel={() => setCreating(null)}
        forceRender
      >
        <OrgFormFields name="orgCreate" form={createForm} organizations={organizations} />
      </Modal>
    </PageContainer>
  );
}
