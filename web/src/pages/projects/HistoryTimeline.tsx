// 办理记录与签名: every action taken on the project in order, with the opinions it carried and,
// for the unit lead's signature and the decisions (SPEC §10), the SM2 signature: the server's
// verdict, a button to verify it again, and the signed canonical JSON, public key and signature
// for anyone who wants to check it elsewhere. Decisions link their 公文 (.docx). A filing that
// linked its previous project (第九条) lists that project's post-evaluation report among the signed
// materials.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Collapse, Descriptions, Empty, Grid, Space, Spin, Tag, Timeline, Tooltip, Typography } from 'antd';
import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  FileWordOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { ActionRecord, LifecycleAction, Project } from '../../api/types';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { DOCUMENT_ACTIONS, materialNameKey, statusKey } from './lifecycleUi';

/** The fields of the signed payload that the timeline shows (govproj.lifecycle-action.v1). */
interface SignedFacts {
  reasons?: string | null;
  sharingOpinions?: string | null;
  returnTo?: 'sameStage' | 'previousStage' | null;
  materials?: { code: string; version: number; sm3: string }[];
  /** 第九条: the previous project's post-evaluation report a 改建/扩建 filing linked instead of uploading it. */
  linkedReport?: { code: string; projectId: string; version: number; sm3: string };
}

function factsOf(payload: string): SignedFacts {
  try {
    const parsed = JSON.parse(payload) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as SignedFacts) : {};
  } catch {
    return {};
  }
}

function colorOf(action: LifecycleAction): string {
  switch (action) {
    case 'approve':
    case 'file':
    case 'sign':
      return 'green';
    case 'reject':
      return 'red';
    case 'returnForRevision':
    case 'returnForCompletion':
    case 'declineSignature':
    case 'withdraw':
      return 'orange';
    default:
      return 'blue';
  }
}

type Recheck = { valid: boolean; at: Date };

function SignatureDetails({ record, classified }: { record: ActionRecord; classified: boolean }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const facts = useMemo(() => factsOf(record.payload), [record.payload]);
  const pretty = useMemo(() => {
    try {
      return JSON.stringify(JSON.parse(record.payload), null, 2);
    } catch {
      return record.payload;
    }
  }, [record.payload]);
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      layout={screens.md ? 'horizontal' : 'vertical'}
      className="signature-descriptions"
    >
      {((facts.materials && facts.materials.length > 0) || facts.linkedReport) && (
        <Descriptions.Item label={t('approval.history.signedMaterials')}>
          <ul className="signed-materials">
            {(facts.materials ?? []).map((m) => (
              <li key={`${m.code}-${m.version}`}>
                {t(materialNameKey(m.code, classified))} · {t('material.version', { no: m.version })} ·{' '}
                <Typography.Text className="mono small break-all" copyable={{ text: m.sm3 }}>
                  SM3 {m.sm3.slice(0, 16)}…
                </Typography.Text>
              </li>
            ))}
            {facts.linkedReport && (
              <li key="linked-report" className="signed-linked-report">
                {t('material.code.postEvaluationReport')}（
                <Link to={`/projects/${facts.linkedReport.projectId}`}>{t('predecessor.linkedProject')}</Link>）·{' '}
                {t('material.version', { no: facts.linkedReport.version })} ·{' '}
                <Typography.Text className="mono small break-all" copyable={{ text: facts.linkedReport.sm3 }}>
                  SM3 {facts.linkedReport.sm3.slice(0, 16)}…
                </Typography.Text>
              </li>
            )}
          </ul>
        </Descriptions.Item>
      )}
      <Descriptions.Item label={record.signature ? t('approval.history.payload') : t('approval.history.record')}>
        <Typography.Paragraph className="signature-payload" copyable={{ text: record.payload, tooltips: [t('approval.history.copyPayload'), t('common.copied')] }}>
          <pre className="signature-pre">{pretty}</pre>
        </Typography.Paragraph>
        {record.signature && <Typography.Text type="secondary" className="small">{t('approval.history.payloadNote')}</Typography.Text>}
      </Descriptions.Item>
      {record.publicKey && (
        <Descriptions.Item label={t('approval.history.publicKey')}>
          <Typography.Text className="mono small break-all" copyable>
            {record.publicKey}
          </Typography.Text>
        </Descriptions.Item>
      )}
      {record.signature && (
        <Descriptions.Item label={t('approval.history.signature')}>
          <Typography.Text className="mono small break-all" copyable>
            {record.signature}
          </Typography.Text>
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

function HistoryItem({ project, record, recheck, onRecheck, checking }: {
  project: Project;
  record: ActionRecord;
  recheck: Recheck | undefined;
  onRecheck: () => void;
  checking: boolean;
}) {
  const t = useT();
  const { locale, tx } = useLocale();
  const { showError } = useApiFeedback();
  const [downloading, setDownloading] = useState(false);
  const facts = useMemo(() => factsOf(record.payload), [record.payload]);
  const stateText = (s: ActionRecord['from']) => `${t(`lifecycle.stage.${s.stage}`)} · ${tx(statusKey(s), s.status)}`;
  const sameState = record.from.stage === record.to.stage && record.from.status === record.to.status;
  const actionName = locale === 'zh-CN' ? record.actionName.zh : record.actionName.en;

  const downloadDocument = async () => {
    setDownloading(true);
    try {
      await api.lifecycle.downloadDocument(project.id, record.id, `${project.code}-${record.action}.docx`);
    } catch (error) {
      showError(error);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div className="history-item" data-action={record.action}>
      <div className="history-head">
        <Tag color={colorOf(record.action)} className="history-action">
          {actionName}
        </Tag>
        <span className="history-states">
          {sameState ? stateText(record.from) : `${stateText(record.from)} → ${stateText(record.to)}`}
        </span>
      </div>
      <Typography.Text type="secondary" className="small history-meta">
        {record.actorName} · {tx(`approval.role.${record.role}`, record.role)} · {formatDateTime(record.createdAt)}
      </Typography.Text>
      {facts.returnTo === 'previousStage' && <div className="history-opinion">{t('approval.returnTo.previousStage')}</div>}
      {facts.reasons && (
        <div className="history-opinion">
          <Typography.Text type="secondary">{t(`approval.reasons.${record.action}` as MessageKey)}{t('common.colon')}</Typography.Text>
          <span className="pre-wrap">{facts.reasons}</span>
        </div>
      )}
      {facts.sharingOpinions && (
        <div className="history-opinion">
          <Typography.Text type="secondary">{t(`approval.sharing.${record.action === 'completeAssessment' ? 'assessment' : 'decision'}`)}{t('common.colon')}</Typography.Text>
          <span className="pre-wrap">{facts.sharingOpinions}</span>
        </div>
      )}
      <Space wrap size={[8, 4]} className="history-signature">
        {record.signatureValid === true && (
          <Tag icon={<SafetyCertificateOutlined />} color="success" className="signature-tag">
            {t('approval.signature.valid')}
          </Tag>
        )}
        {record.signatureValid === false && (
          <Tag icon={<WarningOutlined />} color="error" className="signature-tag">
            {t('approval.signature.invalid')}
          </Tag>
        )}
        {record.signature && (
          <Tooltip title={t('approval.signature.recheck.help')}>
            <Button size="small" loading={checking} onClick={onRecheck}>
              {t('approval.signature.recheck')}
            </Button>
          </Tooltip>
        )}
        {recheck && (
          <Typography.Text type={recheck.valid ? 'success' : 'danger'} className="small signature-recheck">
            {recheck.valid ? <CheckCircleOutlined /> : <CloseCircleOutlined />}{' '}
            {t(recheck.valid ? 'approval.signature.recheck.valid' : 'approval.signature.recheck.invalid', {
              time: formatDateTime(recheck.at.toISOString()),
            })}
          </Typography.Text>
        )}
        {DOCUMENT_ACTIONS.has(record.action) && (
          <Typography.Link
            href={api.lifecycle.documentUrl(project.id, record.id)}
            className="document-link"
            onClick={(event) => {
              event.preventDefault();
              if (!downloading) void downloadDocument();
            }}
          >
            {downloading ? <Spin size="small" /> : <FileWordOutlined />} {t('approval.document.download')}
            <Typography.Text type="secondary" className="small">
              {' '}
              {t(`approval.document.kind.${record.action}` as MessageKey)}
            </Typography.Text>
          </Typography.Link>
        )}
      </Space>
      <Collapse
        ghost
        size="small"
        className="signature-collapse"
        items={[
          {
            key: 'details',
            label: record.signature ? t('approval.history.details') : t('approval.history.recordDetails'),
            children: <SignatureDetails record={record} classified={project.involvesSecrets} />,
          },
        ]}
      />
    </div>
  );
}

/** The project's actions, oldest first, reloaded whenever the project's version changes. */
export default function HistoryTimeline({ project }: { project: Project }) {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [items, setItems] = useState<ActionRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [rechecks, setRechecks] = useState<Record<string, Recheck>>({});
  const [checking, setChecking] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await api.lifecycle.history(project.id)).items);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [project.id, showError]);

  useEffect(() => {
    void load();
  }, [load, project.version]);

  const recheck = async (record: ActionRecord) => {
    if (!record.signature || !record.publicKey) return;
    setChecking(record.id);
    try {
      const { valid } = await api.lifecycle.verifySignature({ payload: record.payload, signature: record.signature, publicKey: record.publicKey });
      setRechecks((current) => ({ ...current, [record.id]: { valid, at: new Date() } }));
      if (valid) void message.success(t('approval.signature.recheck.ok'));
      else void message.error(t('approval.signature.recheck.failed'));
    } catch (error) {
      showError(error);
    } finally {
      setChecking(null);
    }
  };

  const signed = items.filter((item) => item.signature !== null);
  const invalid = signed.filter((item) => item.signatureValid === false).length;

  return (
    <Card
      size="small"
      className="detail-card history-card"
      title={t('approval.history.title')}
      extra={
        <Tooltip title={t('common.refresh')}>
          <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('common.refresh')} />
        </Tooltip>
      }
    >
      {signed.length > 0 && (
        <Typography.Paragraph type={invalid > 0 ? 'danger' : 'secondary'} className="small history-summary">
          {invalid > 0
            ? t('approval.history.summary.invalid', { count: items.length, signed: signed.length, invalid })
            : t('approval.history.summary', { count: items.length, signed: signed.length })}
        </Typography.Paragraph>
      )}
      {loading && items.length === 0 ? (
        <div className="history-loading">
          <Spin />
        </div>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('approval.history.empty')} />
      ) : (
        <Timeline
          className="history-timeline"
          items={items.map((record) => ({
            key: record.id,
            color: colorOf(record.action),
            children: (
              <HistoryItem
                project={project}
                record={record}
                recheck={rechecks[record.id]}
                checking={checking === record.id}
                onRecheck={() => void recheck(record)}
              />
            ),
          }))}
        />
      )}
    </Card>
  );
}
