// The current stage's checklist (第七条, 第八条, 第九条, 第十一条) with what was uploaded for each
// item: name, version, SM3 digest and a download button; ✓ or ✗ per item. The submit screen
// passes the dry run's missing items (the server's verdict) and an upload handler; the review
// screens show the same list beside the opinion form.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, List, Space, Tag, Tooltip, Typography, Upload } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, DatabaseOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { Material, Project } from '../../api/types';
import { useT } from '../../i18n';
import { formatBytes, UPLOAD_ACCEPT } from '../../utils/materials';
import { materialNameKey, stageChecklist, type ChecklistItem } from './lifecycleUi';

/** The stage's latest materials and the size of the information-resource catalog. */
export function useStageEvidence(project: Project) {
  const { showError } = useApiFeedback();
  const [materials, setMaterials] = useState<Material[]>([]);
  const [catalogCount, setCatalogCount] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const [list, catalog] = await Promise.all([
        api.materials.list(project.id),
        api.resources.list(project.id).catch(() => null),
      ]);
      setMaterials(list.items);
      setCatalogCount(catalog ? catalog.summary.resourceCount : null);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [project.id, showError]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { materials, catalogCount, loading, reload };
}

const NO_ITEMS: ChecklistItem[] = [];

interface Row extends ChecklistItem {
  /** Not on the checklist, but uploaded for this stage. */
  extra?: boolean;
  latest: Material | undefined;
  present: boolean;
}

export default function StageMaterials({
  project,
  materials,
  catalogCount,
  loading,
  missing,
  onUpload,
  uploadable = () => true,
  uploading,
  onOpenCatalog,
  extraItems = NO_ITEMS,
}: {
  project: Project;
  materials: Material[];
  catalogCount: number | null;
  loading: boolean;
  /** The dry run's missing material codes; when given they decide ✗, else presence does. */
  missing?: ReadonlySet<string> | undefined;
  onUpload?: ((code: string, file: File) => void) | undefined;
  /** Which rows take an upload (default: every file row). */
  uploadable?: (code: string) => boolean;
  uploading?: string | null | undefined;
  onOpenCatalog?: (() => void) | undefined;
  /** Rows beyond the stage's checklist, e.g. the assessor's report (第七条). */
  extraItems?: ChecklistItem[];
}) {
  const t = useT();
  const { showError } = useApiFeedback();
  const [downloading, setDownloading] = useState<string | null>(null);
  const stage = project.lifecycle.stage;

  const rows = useMemo<Row[]>(() => {
    const latest = new Map<string, Material>();
    for (const m of materials) {
      if (m.stage !== stage) continue;
      const seen = latest.get(m.materialCode);
      if (!seen || seen.versionNo < m.versionNo) latest.set(m.materialCode, m);
    }
    const checklist = [...stageChecklist(project), ...extraItems];
    const listed = new Set(checklist.map((item) => item.code));
    const rowOf = (item: ChecklistItem, extra = false): Row => {
      const file = latest.get(item.code);
      const evident = item.catalog ? (catalogCount ?? 0) > 0 : file !== undefined;
      return { ...item, extra, latest: file, present: missing ? !missing.has(item.code) : evident };
    };
    const extras = [...latest.keys()].filter((code) => !listed.has(code)).map((code) => rowOf({ code, article: '第七条' }, true));
    // A missing item the client does not know (a rule newer than this page) is shown too.
    const unknown = missing ? [...missing].filter((code) => !listed.has(code)).map((code) => rowOf({ code, article: '第七条' })) : [];
    return [...checklist.map((item) => rowOf(item)), ...unknown, ...extras];
  }, [materials, stage, project, catalogCount, missing, extraItems]);

  const required = rows.filter((row) => !row.extra);
  const complete = required.filter((row) => row.present).length;

  const download = async (material: Material) => {
    setDownloading(material.id);
    try {
      await api.materials.download(project.id, material);
    } catch (error) {
      showError(error);
    } finally {
      setDownloading(null);
    }
  };

  return (
    <div className="stage-materials">
      <div className="stage-materials-summary">
        <Typography.Text strong>{t('approval.checklist.title', { stage: t(`lifecycle.stage.${stage}`) })}</Typography.Text>
        <Tag color={complete === required.length ? 'success' : 'warning'} className="checklist-count">
          {t('approval.checklist.count', { done: complete, total: required.length })}
        </Tag>
      </div>
      <List<Row>
        size="small"
        loading={loading}
        dataSource={rows}
        className="checklist"
        renderItem={(row) => (
          <List.Item className="checklist-item" data-material={row.code} data-present={row.present ? 'yes' : 'no'}>
            <div className="checklist-icon">
              {row.present ? (
                <CheckCircleFilled className="checklist-ok" aria-label={t('approval.checklist.present')} />
              ) : (
                <CloseCircleFilled className="checklist-missing" aria-label={t('approval.checklist.missing')} />
              )}
            </div>
            <div className="checklist-body">
              <div className="checklist-name">
                <span>{t(materialNameKey(row.code, project.involvesSecrets))}</span>
                <Tag className="inline-tag article-tag">{row.extra ? t('approval.checklist.extra') : row.article}</Tag>
              </div>
              {row.catalog ? (
                <Typography.Text type="secondary" className="small">
                  {t('approval.checklist.catalog', { count: catalogCount ?? 0 })}
                </Typography.Text>
              ) : row.latest ? (
                <div className="checklist-file">
                  <Typography.Text className="small break-all">
                    {row.latest.fileName} · {t('material.version', { no: row.latest.versionNo })} · {formatBytes(row.latest.sizeBytes)}
                  </Typography.Text>
                  <Typography.Text type="secondary" className="mono small break-all" copyable={{ text: row.latest.sm3 }}>
                    SM3 {row.latest.sm3.slice(0, 16)}…
                  </Typography.Text>
                </div>
              ) : (
                <Typography.Text type="danger" className="small">
                  {t('approval.checklist.notUploaded')}
                </Typography.Text>
              )}
            </div>
            <Space size={4} className="checklist-actions">
              {row.latest && (
                <Tooltip title={t('material.download')}>
                  <Button
                    size="small"
                    type="text"
                    icon={<DownloadOutlined />}
                    loading={downloading === row.latest.id}
                    onClick={() => row.latest && void download(row.latest)}
                    aria-label={t('material.download')}
                  />
                </Tooltip>
              )}
              {row.catalog && onOpenCatalog && (
                <Button size="small" icon={<DatabaseOutlined />} onClick={onOpenCatalog}>
                  {t('approval.checklist.openCatalog')}
                </Button>
              )}
              {!row.catalog && onUpload && uploadable(row.code) && (
                <Upload
                  accept={UPLOAD_ACCEPT}
                  showUploadList={false}
                  disabled={Boolean(uploading)}
                  beforeUpload={(file) => {
                    onUpload(row.code, file);
                    return false;
                  }}
                >
                  <Button size="small" icon={<UploadOutlined />} loading={uploading === row.code}>
                    {row.latest ? t('approval.checklist.reupload') : t('approval.checklist.upload')}
                  </Button>
                </Upload>
              )}
            </Space>
          </List.Item>
        )}
      />
    </div>
  );
}
