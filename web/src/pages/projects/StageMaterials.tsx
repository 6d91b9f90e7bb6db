// The current stage's checklist (第七条, 第八条, 第九条, 第十一条) with what was uploaded for each
// item: name, version, SM3 digest and a download button; ✓ or ✗ per item. The checklist is the
// server's (GET …/actions): the state machine decides what this project needs — the 第八条
// conditions, 改建/扩建, I-10 waivers — and whether each item is present. The submit screen adds
// upload buttons; the review screens show the same list beside the opinion form. The row of the
// previous project's post-evaluation report (第九条, 改建/扩建) also shows the earlier project the
// filing links instead, and in the submit screen offers to link one.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, List, Space, Tag, Tooltip, Typography, Upload } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, DatabaseOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { ChecklistEntry, ChecklistEvidence, Material, Project } from '../../api/types';
import { useLocale, useT } from '../../i18n';
import { formatBytes, UPLOAD_ACCEPT } from '../../utils/materials';
import PredecessorLink, { takesPredecessor } from './Predecessor';

/** 第九条: the checklist item a linked earlier project's report may satisfy. */
const PREDECESSOR_ITEM = 'thirdPartyPostEvaluation';

/** The stage's checklist, its latest materials and the size of the information-resource catalog. */
export function useStageEvidence(project: Project) {
  const { showError } = useApiFeedback();
  const [materials, setMaterials] = useState<Material[]>([]);
  const [checklist, setChecklist] = useState<ChecklistEntry[] | null>(null);
  const [catalogCount, setCatalogCount] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const [list, next, catalog] = await Promise.all([
        api.materials.list(project.id),
        api.lifecycle.actions(project.id),
        api.resources.list(project.id).catch(() => null),
      ]);
      setMaterials(list.items);
      setChecklist(next.checklist);
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

  return { materials, checklist, catalogCount, loading, reload };
}

/** A file row beyond the stage's checklist that a screen asks for, e.g. the assessor's report (第七条). */
export interface ExtraItem {
  code: string;
  article: string;
}

const NO_ITEMS: ExtraItem[] = [];

interface Row {
  code: string;
  name: string;
  article: string;
  evidence: ChecklistEvidence;
  present: boolean;
  /** Not asked for, but uploaded for this stage. */
  extra: boolean;
  latest: Material | undefined;
}

export default function StageMaterials({
  project,
  checklist,
  materials,
  catalogCount,
  loading,
  onUpload,
  uploadable = () => true,
  uploading,
  onOpenCatalog,
  extraItems = NO_ITEMS,
  onPredecessorChanged,
}: {
  project: Project;
  /** The server's checklist of the current stage; null until loaded. */
  checklist: ChecklistEntry[] | null;
  materials: Material[];
  catalogCount: number | null;
  loading: boolean;
  onUpload?: ((code: string, file: File) => void) | undefined;
  /** Which rows take an upload (default: every row whose evidence is a file). */
  uploadable?: (code: string) => boolean;
  uploading?: string | null | undefined;
  onOpenCatalog?: (() => void) | undefined;
  /** Rows beyond the stage's checklist, e.g. the assessor's report (第七条). */
  extraItems?: ExtraItem[];
  /** The submit screen: the filing may link its previous project (第九条); called after a change. */
  onPredecessorChanged?: (() => void) | undefined;
}) {
  const t = useT();
  const { locale, tx } = useLocale();
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
    const local = (text: { zh: string; en: string }) => (locale === 'zh-CN' ? text.zh : text.en);
    const listed = (checklist ?? []).map<Row>((item) => ({
      code: item.code,
      name: local(item.name),
      article: item.article,
      evidence: item.evidence,
      present: item.present,
      extra: false,
      latest: item.evidence === 'catalog' ? undefined : latest.get(item.code),
    }));
    const fileRow = (code: string, article: string, extra: boolean): Row => {
      const file = latest.get(code);
      return {
        code,
        name: file ? local(file.materialName) : tx(`material.code.${code}`, code),
        article,
        evidence: 'material',
        present: file !== undefined,
        extra,
        latest: file,
      };
    };
    const asked = [...listed.map((row) => row.code), ...extraItems.map((item) => item.code)];
    const others = [...latest.keys()].filter((code) => !asked.includes(code)).map((code) => fileRow(code, '', true));
    return [...listed, ...extraItems.map((item) => fileRow(item.code, item.article, false)), ...others];
  }, [materials, stage, checklist, extraItems, locale, tx]);

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
        renderItem={(row) => {
          const predecessor = row.code === PREDECESSOR_ITEM && takesPredecessor(project);
          return (
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
                  <span>{row.name}</span>
                  <Tag className="inline-tag article-tag">{row.extra ? t('approval.checklist.extra') : row.article}</Tag>
                </div>
                {row.evidence === 'catalog' ? (
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
                ) : predecessor && row.present ? null : (
                  <Typography.Text type="danger" className="small">
                    {t('approval.checklist.notUploaded')}
                  </Typography.Text>
                )}
                {predecessor && (
                  <PredecessorLink project={project} editable={Boolean(onUpload && onPredecessorChanged)} onChanged={onPredecessorChanged} />
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
                {row.evidence === 'catalog' && onOpenCatalog && (
                  <Button size="small" icon={<DatabaseOutlined />} onClick={onOpenCatalog}>
                    {t('approval.checklist.openCatalog')}
                  </Button>
                )}
                {row.evidence !== 'catalog' && onUpload && uploadable(row.code) && (
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
          );
        }}
      />
    </div>
  );
}
