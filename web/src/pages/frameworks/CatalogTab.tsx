// 初步数据目录 (第十条): the data resources each participant provides, with their data items and
// sharing type; 有条件共享 and 不予共享 carry their 共享条件或依据 as in the 信息资源目录 (第十一条).
// The provider's people or the lead's keep them.
import { useState } from 'react';
import { Button, Card, Empty, Form, Grid, Input, List, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { fieldErrorsOf } from '../../api/feedback';
import { useLocale, useT } from '../../i18n';
import { useFramework, useFrameworkEdit } from './FrameworkContext';
import { frameworksApi, LIMITS, SHARING_TYPES, type CatalogEntry, type CatalogEntryInput, type SharingType } from './frameworksApi';
import { isEditable } from './frameworkUi';

interface Values {
  name: string;
  providerOrganizationId?: string;
  dataItems: string[];
  sharingType?: SharingType;
  sharingBasis?: string;
}

const SHARING_COLORS: Record<SharingType, string> = { unconditional: 'green', conditional: 'gold', none: 'default' };

export default function CatalogTab() {
  const t = useT();
  const { tx } = useLocale();
  const screens = Grid.useBreakpoint();
  const { framework } = useFramework();
  const edit = useFrameworkEdit();
  const [form] = Form.useForm<Values>();
  const [editing, setEditing] = useState<CatalogEntry | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const sharingType = Form.useWatch('sharingType', form);
  const editable = isEditable(framework);
  const own = framework.caller.ownOrganizationIds;
  const mayAdd = editable && (framework.caller.leads || own.length > 0);
  const mayEditEntry = (e: CatalogEntry) => editable && (framework.caller.leads || own.includes(e.providerOrganizationId));
  // The lead keeps every entry; a participant's people only those it provides.
  const providerOptions = framework.participants
    .filter((p) => framework.caller.leads || own.includes(p.organizationId))
    .map((p) => ({ value: p.organizationId, label: p.organizationName }));

  const open = (entry: CatalogEntry | null) => {
    form.resetFields();
    form.setFieldsValue(
      entry
        ? { name: entry.name, providerOrganizationId: entry.providerOrganizationId, dataItems: entry.dataItems, sharingType: entry.sharingType, sharingBasis: entry.sharingBasis ?? '' }
        : { name: '', providerOrganizationId: providerOptions[0]?.value, dataItems: [], sharingType: 'unconditional', sharingBasis: '' },
    );
    setEditing(entry ?? 'new');
  };

  const save = async () => {
    if (!editing) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const body: CatalogEntryInput = {
      name: values.name.trim(),
      providerOrganizationId: values.providerOrganizationId ?? '',
      dataItems: values.dataItems.map((item) => item.trim()).filter(Boolean),
      sharingType: values.sharingType ?? 'unconditional',
      sharingBasis: values.sharingType === 'unconditional' ? null : values.sharingBasis?.trim() || null,
    };
    setSaving(true);
    const ok = await edit(
      () =>
        editing === 'new'
          ? frameworksApi.addCatalogEntry(framework.id, body)
          : frameworksApi.updateCatalogEntry(framework.id, editing.id, editing.version, body),
      t('common.saved'),
      (error) => {
        const fields = fieldErrorsOf(error).map(({ name, errors }) => ({ name: name[0] as keyof Values, errors }));
        if (fields.length > 0) form.setFields(fields);
      },
    );
    setSaving(false);
    if (ok) setEditing(null);
  };

  const remove = async (entry: CatalogEntry) => {
    setBusy(entry.id);
    await edit(() => frameworksApi.removeCatalogEntry(framework.id, entry.id, entry.version), t('framework.catalog.removed'));
    setBusy(null);
  };

  const sharing = (e: CatalogEntry) => <Tag color={SHARING_COLORS[e.sharingType]}>{tx(`resource.sharingType.${e.sharingType}`, e.sharingType)}</Tag>;
  const items = (e: CatalogEntry) => (
    <div className="cell-tags">
      {e.dataItems.map((item) => (
        <Tag key={item}>{item}</Tag>
      ))}
    </div>
  );
  const actions = (e: CatalogEntry) =>
    mayEditEntry(e) ? (
      <Space size={4}>
        <Tooltip title={t('common.edit')}>
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => open(e)} aria-label={t('common.edit')} />
        </Tooltip>
        <Popconfirm
          title={t('framework.catalog.remove.confirm', { name: e.name })}
          okText={t('common.delete')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          onConfirm={() => void remove(e)}
        >
          <Button size="small" type="text" danger icon={<DeleteOutlined />} loading={busy === e.id} aria-label={t('common.delete')} />
        </Popconfirm>
      </Space>
    ) : null;

  return (
    <Card
      size="small"
      className="detail-card"
      title={t('framework.tab.catalog')}
      extra={
        mayAdd && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => open(null)} className="catalog-entry-add">
            {t('framework.catalog.add')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary" className="small">
        {t('framework.catalog.help')}
      </Typography.Paragraph>
      {screens.md ? (
        <Table<CatalogEntry>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={framework.catalogEntries}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('framework.catalog.empty')} /> }}
          columns={[
            { title: t('framework.catalog.name'), dataIndex: 'name', key: 'name', width: 200 },
            { title: t('framework.catalog.provider'), dataIndex: 'providerOrganizationName', key: 'provider', width: 200 },
            { title: t('framework.dataFlow.items'), key: 'items', render: (_, e) => items(e) },
            { title: t('resource.sharingType'), key: 'sharing', width: 110, render: (_, e) => sharing(e) },
            { title: t('resource.sharingBasis'), dataIndex: 'sharingBasis', key: 'basis', width: 220, ellipsis: true, render: (v: string | null) => v ?? '—' },
            ...(framework.catalogEntries.some(mayEditEntry) ? [{ title: t('common.actions'), key: 'actions', width: 80, render: (_: unknown, e: CatalogEntry) => actions(e) }] : []),
          ]}
        />
      ) : (
        <List<CatalogEntry>
          dataSource={framework.catalogEntries}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('framework.catalog.empty')} /> }}
          renderItem={(e) => (
            <List.Item extra={actions(e)}>
              <Space direction="vertical" size={4} className="full-width">
                <span>
                  <Typography.Text strong>{e.name}</Typography.Text> {sharing(e)}
                </span>
                <Typography.Text type="secondary" className="small">
                  {e.providerOrganizationName}
                </Typography.Text>
                {items(e)}
                {e.sharingBasis && <Typography.Text className="small">{e.sharingBasis}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('framework.catalog.add') : t('framework.catalog.edit')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        maskClosable={false}
        width={640}
        forceRender
      >
        <Form<Values> form={form} layout="vertical" name="catalogEntry">
          <Form.Item name="name" label={t('framework.catalog.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.catalog.name') }) }]}>
            <Input maxLength={LIMITS.name} />
          </Form.Item>
          <Form.Item
            name="providerOrganizationId"
            label={t('framework.catalog.provider')}
            rules={[{ required: true, message: t('common.pleaseSelect', { field: t('framework.catalog.provider') }) }]}
          >
            <Select options={providerOptions} />
          </Form.Item>
          <Form.Item
            name="dataItems"
            label={t('framework.dataFlow.items')}
            extra={t('framework.dataItems.help')}
            rules={[{ required: true, type: 'array', min: 1, message: t('framework.dataItems.required') }]}
          >
            <Select mode="tags" tokenSeparators={[',', '，', '、', ';', '；']} open={false} suffixIcon={null} className="data-items-input" />
          </Form.Item>
          <Form.Item name="sharingType" label={t('resource.sharingType')} rules={[{ required: true }]}>
            <Select options={SHARING_TYPES.map((s) => ({ value: s, label: tx(`resource.sharingType.${s}`, s) }))} />
          </Form.Item>
          {sharingType && sharingType !== 'unconditional' && (
            <Form.Item
              name="sharingBasis"
              label={t('resource.sharingBasis')}
              rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('resource.sharingBasis') }) }]}
            >
              <Input.TextArea rows={3} maxLength={LIMITS.basis} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
