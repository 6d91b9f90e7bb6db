// 疑似重复建设 (第二十八条): the projects and master-catalog systems similar to a project, as a
// ranked list — the name linked to its page, its organization, the similarity as a bar, the
// shared words as tags and the server's reason — and the count of similar items in catalogs the
// user may not read. Always a reminder: nothing here stops a save or a submission.
//
// The same list comes three ways: POST /similarity/check while the wizard is being filled
// (useSimilarityCheck, debounced), GET /projects/:id/similar on the project page
// (SimilarProjectsCard), and the `warnings` of the submission dry run (fromWarnings).
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Collapse, Empty, Progress, Space, Spin, Tag, Typography } from 'antd';
import { ExclamationCircleOutlined, EyeInvisibleOutlined } from '@ant-design/icons';
import { request } from '../api/client';
import type { LocalizedText } from '../api/types';
import { useLocale, useT } from '../i18n';
import './duplicate-warnings.css';

/** One similar item as the similarity API gives it (src/http/routes/similarity.ts). */
export interface SimilarItem {
  kind: 'project' | 'system';
  id: string;
  /** 项目代码 of a project; null for a system. */
  code: string | null;
  name: string;
  organizationId: string;
  organizationName: string;
  /** A project's lifecycle state; null for a system. */
  state: { track: string; stage: string; status: string; name: LocalizedText } | null;
  /** 0–1. */
  similarity: number;
  /** The shared words, largest part of the similarity first. */
  overlap: Array<{ term: string; contribution: number }>;
  reason: LocalizedText;
}

export interface SimilarResult {
  threshold: number;
  /** At most 10, most similar first, only what the user may read. */
  items: SimilarItem[];
  /** At least this many more lie in catalogs the user may not read. */
  hiddenCount: number;
}

/** A 第二十八条 warning of the submission dry run and GET …/actions (never blocking). */
export interface SimilarityWarning {
  code: 'similarity.possible_duplicate' | 'similarity.possible_duplicate_hidden' | 'similarity.unavailable' | (string & {});
  article: string;
  params: Record<string, string>;
  message: LocalizedText;
}

/** What the list shows of one item, whichever way it came. */
export interface DuplicateEntry {
  kind: 'project' | 'system';
  id: string;
  code: string | null;
  name: string;
  organization: string;
  stateName: string | null;
  similarity: number;
  terms: string[];
  reason: string;
}

export interface DuplicateList {
  entries: DuplicateEntry[];
  hiddenCount: number;
  /** The check could not run (the shared similarity service was unavailable): the server's message. */
  unavailable?: string;
}

const pick = (text: LocalizedText, locale: string) => (locale === 'zh-CN' ? text.zh : text.en);

export const similarityApi = {
  /** The wizard: a project not saved yet (or being edited: projectId leaves it out). */
  check: (body: { name: string; description?: string; projectId?: string }, signal?: AbortSignal) =>
    request<SimilarResult>('POST', '/similarity/check', { body, signal }),
  ofProject: (projectId: string) => request<SimilarResult>('GET', `/projects/${encodeURIComponent(projectId)}/similar`),
};

export function fromResult(result: SimilarResult, locale: string): DuplicateList {
  return {
    hiddenCount: result.hiddenCount,
    entries: result.items.map((item) => ({
      kind: item.kind,
      id: item.id,
      code: item.code,
      name: item.name,
      organization: item.organizationName,
      stateName: item.state ? pick(item.state.name, locale) : null,
      similarity: item.similarity,
      terms: item.overlap.slice(0, 6).map((o) => o.term),
      reason: pick(item.reason, locale),
    })),
  };
}

/** The dry run's (or GET …/actions') warnings as a list; other warning codes are left out. */
export function fromWarnings(warnings: readonly SimilarityWarning[] | undefined, locale: string): DuplicateList {
  const entries: DuplicateEntry[] = [];
  let hiddenCount = 0;
  let unavailable: string | undefined;
  for (const w of warnings ?? []) {
    if (w.code === 'similarity.unavailable') unavailable = pick(w.message, locale);
    if (w.code === 'similarity.possible_duplicate_hidden') hiddenCount += Number(w.params.count ?? 0) || 0;
    if (w.code !== 'similarity.possible_duplicate') continue;
    const p = w.params;
    entries.push({
      kind: p.kind === 'system' ? 'system' : 'project',
      id: p.id ?? '',
      code: p.code || null,
      name: p.name ?? '',
      organization: p.organization ?? '',
      stateName: null,
      similarity: Number(p.similarity ?? 0),
      terms: (p.terms ?? '').split('、').filter(Boolean),
      reason: pick(w.message, locale),
    });
  }
  entries.sort((a, b) => b.similarity - a.similarity);
  return { entries, hiddenCount, ...(unavailable ? { unavailable } : {}) };
}

const percent = (similarity: number) => Math.round(Math.max(0, Math.min(1, similarity)) * 100);

/**
 * POST /similarity/check for the text being written, `delay` ms after the last change; an answer
 * to an older text is dropped. A failure shows nothing (the reminder is a courtesy, not a gate).
 */
export function useSimilarityCheck(input: { name: string; description?: string; projectId?: string } | null, delay = 600) {
  const { locale } = useLocale();
  const [result, setResult] = useState<SimilarResult | null>(null);
  const [loading, setLoading] = useState(false);
  const name = input?.name.trim() ?? '';
  const description = input?.description?.trim() || undefined;
  const projectId = input?.projectId;
  useEffect(() => {
    if (name.length < 2) {
      setResult(null);
      setLoading(false);
      return undefined;
    }
    const controller = new AbortController();
    setLoading(true);
    const timer = window.setTimeout(() => {
      similarityApi
        .check({ name, ...(description ? { description } : {}), ...(projectId ? { projectId } : {}) }, controller.signal)
        .then((r) => setResult(r))
        .catch(() => undefined)
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, delay);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [name, description, projectId, delay]);
  const list = useMemo(() => (result ? fromResult(result, locale) : null), [result, locale]);
  return { list, loading };
}

function EntryRow({ entry, rank }: { entry: DuplicateEntry; rank: number }) {
  const t = useT();
  const href = entry.kind === 'project' ? `/projects/${entry.id}` : `/catalog/systems/${entry.id}`;
  const value = percent(entry.similarity);
  return (
    <li className="duplicate-entry" data-kind={entry.kind} data-id={entry.id}>
      <span className="duplicate-rank">{rank}</span>
      <div className="duplicate-body">
        <div className="duplicate-head">
          <Tag color={entry.kind === 'project' ? 'blue' : 'purple'} className="duplicate-kind">
            {t(`duplicate.kind.${entry.kind}`)}
          </Tag>
          {entry.id ? (
            <Link to={href} className="duplicate-name" target="_blank" rel="noopener">
              {entry.name}
            </Link>
          ) : (
            <span className="duplicate-name">{entry.name}</span>
          )}
        </div>
        <Typography.Text type="secondary" className="small duplicate-meta">
          {[entry.organization, entry.code, entry.stateName].filter(Boolean).join(' · ')}
        </Typography.Text>
        <div className="duplicate-similarity" title={t('duplicate.similarity')}>
          <span className="duplicate-similarity-label">{t('duplicate.similarity')}</span>
          <Progress
            percent={value}
            size="small"
            strokeColor={value >= 70 ? '#d4380d' : value >= 50 ? '#fa8c16' : '#faad14'}
            format={(p) => `${p}%`}
            className="duplicate-bar"
          />
        </div>
        {entry.terms.length > 0 && (
          <div className="duplicate-terms">
            <span className="duplicate-terms-label">{t('duplicate.terms')}</span>
            {entry.terms.map((term) => (
              <Tag key={term} className="duplicate-term">
                {term}
              </Tag>
            ))}
          </div>
        )}
        {entry.reason && (
          <Typography.Paragraph type="secondary" className="small duplicate-reason">
            {entry.reason}
          </Typography.Paragraph>
        )}
      </div>
    </li>
  );
}

/** The ranked list itself, with the hidden count; nothing when there is nothing to say. */
export function DuplicateEntries({ list }: { list: DuplicateList }) {
  const t = useT();
  return (
    <div className="duplicate-list">
      {list.entries.length > 0 && (
        <ol className="duplicate-entries">
          {list.entries.map((entry, index) => (
            <EntryRow key={`${entry.kind}-${entry.id}-${index}`} entry={entry} rank={index + 1} />
          ))}
        </ol>
      )}
      {list.hiddenCount > 0 && (
        <Typography.Paragraph type="secondary" className="small duplicate-hidden">
          <EyeInvisibleOutlined /> {t('duplicate.hidden', { count: list.hiddenCount })}
        </Typography.Paragraph>
      )}
      {list.unavailable && (
        <Typography.Paragraph type="secondary" className="small duplicate-unavailable">
          {list.unavailable}
        </Typography.Paragraph>
      )}
    </div>
  );
}

/**
 * The reminder as an alert: title, the 第二十八条 note and the list. Renders nothing when the
 * list is empty and nothing is hidden (and nothing is loading).
 */
export default function DuplicateWarnings({
  list,
  loading = false,
  help,
  className,
}: {
  list: DuplicateList | null;
  loading?: boolean;
  /** A line under the title saying what was compared. */
  help?: string;
  className?: string;
}) {
  const t = useT();
  const empty = !list || (list.entries.length === 0 && list.hiddenCount === 0 && !list.unavailable);
  if (empty && !loading) return null;
  return (
    <Alert
      type="warning"
      showIcon
      icon={<ExclamationCircleOutlined />}
      className={['duplicate-warnings', className].filter(Boolean).join(' ')}
      message={
        <Space wrap size={[8, 0]}>
          <span className="duplicate-title">{t('duplicate.title')}</span>
          {list && list.entries.length > 0 && <Tag color="orange">{t('duplicate.count', { count: list.entries.length })}</Tag>}
          {loading && <Spin size="small" />}
        </Space>
      }
      description={
        <>
          <Typography.Paragraph className="small duplicate-article">
            {t('duplicate.article')}
            {help ? ` ${help}` : ''}
          </Typography.Paragraph>
          {list ? <DuplicateEntries list={list} /> : <Typography.Text type="secondary">{t('duplicate.checking')}</Typography.Text>}
        </>
      }
    />
  );
}

/** The project page: a folded card from GET /projects/:id/similar; nothing when nothing is similar. */
export function SimilarProjectsCard({ projectId, version }: { projectId: string; version?: number }) {
  const t = useT();
  const { locale } = useLocale();
  const [result, setResult] = useState<SimilarResult | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    similarityApi
      .ofProject(projectId)
      .then((r) => live && setResult(r))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [projectId, version]);
  const list = useMemo(() => (result ? fromResult(result, locale) : null), [result, locale]);
  if (failed || !list || (list.entries.length === 0 && list.hiddenCount === 0)) return null;
  const top = list.entries[0];
  return (
    <Collapse
      size="small"
      className="detail-card similar-card"
      items={[
        {
          key: 'similar',
          label: (
            <Space wrap size={[8, 0]}>
              <ExclamationCircleOutlined className="similar-card-icon" />
              <span className="duplicate-title">{t('duplicate.card.title')}</span>
              <Typography.Text type="secondary" className="small">
                {top
                  ? t('duplicate.card.summary', { count: list.entries.length, percent: `${percent(top.similarity)}%` })
                  : t('duplicate.hidden', { count: list.hiddenCount })}
              </Typography.Text>
            </Space>
          ),
          children: (
            <>
              <Typography.Paragraph type="secondary" className="small duplicate-article">
                {t('duplicate.article')}
              </Typography.Paragraph>
              {list.entries.length === 0 && list.hiddenCount === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('duplicate.none')} />
              ) : (
                <DuplicateEntries list={list} />
              )}
            </>
          ),
        },
      ]}
    />
  );
}
