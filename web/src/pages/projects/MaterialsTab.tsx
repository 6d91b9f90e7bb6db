// 项目材料 (SPEC §10): every version of every material, newest first; the current stage's
// materials can be uploaded while the project is editable. Once the project is approved or filed,
// its 第三方后评价报告 can be uploaded: a later 改建/扩建 project links this one and files that
// report (第九条).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Grid, List, Modal, Select, Space, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { DownloadOutlined, InboxOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import type { Material, Project } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { CONDITIONAL_UPLOADS, formatBytes, STAGE_UPLOADS, UPLOAD_ACCEPT } from '../../utils/materials';

type MaterialRow = Material & { children?: Material[] };

/** 第九条 (第二十七条): the post-evaluation report comes after the project is approved or filed. */
const POST_EVALUATION = 'postEvaluationReport';

export default function MaterialsTab({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [items, setItems] = useState<Material[]>([]);
  const [loading, setLoading] = useState(true);
  const [uploading, setUploading] = useState(false);
  const [open, setOpen] = useState(false);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [form] = Form.useForm<{ materialCode?: string; file?: UploadFile[] }>();
  const local = (text: { zh: string; en: string }) => (locale === 'zh-CN' ? text.zh : text.en);
  const can = useCan();
  const finished = project.lifecycle.status === 'approved' || project.lifecycle.status === 'filed';
  const mayUploadReport = finished && can('project:update');
  const mayUpload = canEdit || mayUploadReport;

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await api.materials.list(project.id)).items);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [project.id, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  /** The newest version of each material, with the older ones folded under it. */
  const rows = useMemo<MaterialRow[]>(() => {
    const groups = new Map<string, Material[]>();
    for (const item of items) {
      const key = `${item.stage}/${item.materialCode}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    return [...groups.values()].map((versions) => {
      const sorted = [...versions].sort((a, b) => b.versionNo - a.versionNo);
      const [latest, ...older] = sorted;
      return older.length > 0 ? { ...latest!, children: older } : latest!;
    });
  }, [items]);

  const materialName = (code: string) => {
    if (code === 'protectionFiling' && project.involvesSecrets) return t('material.code.protectionFiling.classified');
    return t(`material.code.${code}` as MessageKey);
  };

  const uploadOptions = mayUploadReport
    ? [{ value: POST_EVALUATION, label: t('material.code.postEvaluationReport') }]
    : STAGE_UPLOADS[project.lifecycle.stage].map((code) => {
        const condition = CONDITIONAL_UPLOADS[code];
        return { value: code, label: condition ? `${materialName(code)}（${t(condition)}）` : materialName(code) };
      });

  const downloadOne = async (material: Material) => {
    setDownloading(material.id);
    try {
      await api.materials.download(project.id, material);
    } catch (error) {
      showError(error);
    } finally {
      setDownloading(null);
    }
  };

  const submit = async () => {
    let values: { materialCode?: string; file?: UploadFile[] };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const file = values.file?.[0]?.originFileObj;
    if (!values.materialCode || !file) return;
    setUploading(true);
    try {
      const saved = await api.materials.upload(project.id, project.lifecycle.stage, values.materialCode, file);
      void message.success(t('material.uploaded', { name: local(saved.materialName), version: saved.versionNo }));
      setOpen(false);
      void load();
    } catch (error) {
      showError(error);
      const fields = fieldErrorsOf(error).map(({ name, errors }) => ({ name: name[0] === 'materialCode' ? ('materialCode' as const) : ('file' as const), errors }));
      if (fields.length > 0) form.setFields(fields);
    } finally {
      setUploading(false);
    }
  };

  const downloadButton = (material: Material) => (
    <Tooltip title={t('material.download')}>
      <Button
        type="link"
        size="small"
        icon={<DownloadOutlined />}
        loading={downloading === material.id}
        onClick={() => void downloadOne(material)}
        aria-label={t('material.download')}
      />
    </Tooltip>
  );

  const versionTag = (material: Material) =>
    material.latest ? <Tag color="green">{t('material.version.latest', { no: material.versionNo })}</Tag> : <Tag>{t('material.version', { no: material.versionNo })}</Tag>;

  return (
    <Card
      size="small"
      className="detail-card"
      title={t('material.title')}
      extra={
        <Space>
          <Tooltip title={t('common.refresh')}>
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('common.refresh')} />
          </Tooltip>
          {mayUpload && (
            <Button
              size="small"
              type="primary"
              icon={<UploadOutlined />}
              onClick={() => {
                form.resetFields();
                if (mayUploadReport) form.setFieldsValue({ materialCode: POST_EVALUATION });
                setOpen(true);
              }}
              className="material-upload"
            >
              {mayUploadReport ? t('material.postEvaluation.upload') : t('material.upload')}
            </Button>
          )}
        </Space>
      }
    >
      {mayUploadReport && !items.some((item) => item.materialCode === POST_EVALUATION) && (
        <Alert type="info" showIcon className="post-evaluation-hint" style={{ marginBottom: 12 }} message={t('material.postEvaluation.hint')} />
      )}
      {screens.md ? (
        <Table<MaterialRow>
          rowKey="id"
          loading={loading}
          dataSource={rows}
          pagination={false}
          size="small"
          scroll={{ x: 980 }}
          expandable={{ indentSize: 12 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('material.empty')} /> }}
          columns={[
            {
              title: t('material.name'),
              key: 'name',
              width: 240,
              render: (_, row) => (
                <span>
                  {local(row.materialName)}
                  <Typography.Text type="secondary" className="small material-stage">
                    {local(row.stageName)}
                  </Typography.Text>
                </span>
              ),
            },
            { title: t('material.versionNo'), key: 'version', width: 110, render: (_, row) => versionTag(row) },
            { title: t('material.fileName'), dataIndex: 'fileName', key: 'fileName', ellipsis: true },
            { title: t('material.size'), dataIndex: 'sizeBytes', key: 'size', width: 90, align: 'right', render: (value: number) => formatBytes(value) },
            {
              title: t('material.sm3'),
              dataIndex: 'sm3',
              key: 'sm3',
              width: 150,
              render: (value: string) => (
                <Typography.Text className="mono small" copyable={{ text: value }}>
                  {value.slice(0, 12)}…
                </Typography.Text>
              ),
            },
            { title: t('material.uploadedBy'), key: 'by', width: 90, render: (_, row) => row.uploadedBy.displayName },
            { title: t('material.uploadedAt'), dataIndex: 'uploadedAt', key: 'at', width: 160, render: (value: string) => formatDateTime(value) },
            { title: t('common.actions'), key: 'actions', width: 70, fixed: 'right', render: (_, row) => downloadButton(row) },
          ]}
        />
      ) : (
        <List<Material>
          loading={loading}
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('material.empty')} /> }}
          renderItem={(item) => (
            <List.Item className="material-item" extra={downloadButton(item)}>
              <Space direction="vertical" size={2} className="material-item-body">
                <span>
                  {local(item.materialName)} {versionTag(item)}
                </span>
                <Typography.Text className="small break-all">{item.fileName}</Typography.Text>
                <Typography.Text type="secondary" className="small">
                  {formatBytes(item.sizeBytes)} · {item.uploadedBy.displayName} · {formatDateTime(item.uploadedAt)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}

      <Modal
        open={open}
        title={mayUploadReport ? t('material.postEvaluation.upload') : t('material.upload.title', { stage: t(`lifecycle.stage.${project.lifecycle.stage}`) })}
        okText={t('material.upload')}
        cancelText={t('common.cancel')}
        confirmLoading={uploading}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        maskClosable={false}
        forceRender
      >
        <Alert type="info" showIcon className="wizard-alert" message={mayUploadReport ? t('material.postEvaluation.help') : t('material.upload.help')} />
        <Form form={form} layout="vertical" name="materialUpload">
          <Form.Item
            name="materialCode"
            label={t('material.name')}
            rules={[{ required: true, message: t('common.pleaseSelect', { field: t('material.name') }) }]}
          >
            <Select options={uploadOptions} showSearch optionFilterProp="label" />
          </Form.Item>
          <Form.Item
            name="file"
            label={t('material.file')}
            valuePropName="fileList"
            getValueFromEvent={(event: { fileList?: UploadFile[] }) => (event?.fileList ?? []).slice(-1)}
            rules={[{ required: true, message: t('material.file.required') }]}
            extra={t('material.file.types')}
          >
            <Upload.Dragger beforeUpload={() => false} maxCount={1} accept={UPLOAD_ACCEPT}>
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('material.file.drop')}</p>
            </Upload.Dragger>
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
