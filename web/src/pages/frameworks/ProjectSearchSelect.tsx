// A Select over the projects the caller can see (GET /projects?q=, by name or 项目代码), searched as
// the user types; optionally only some statuses (the list takes one status, so one request each).
import { useEffect, useState } from 'react';
import { Select, Spin, Typography } from 'antd';
import { api } from '../../api/client';
import type { Project } from '../../api/types';
import { useT } from '../../i18n';
import './frameworks.css';

/** A Select over GET /projects?q= (name or 项目代码), as the user types. */
export default function ProjectSearchSelect({
  value,
  onChange,
  filter,
  statuses,
  placeholder,
}: {
  value?: string;
  onChange?: (value: string | undefined) => void;
  /** Leaves projects out of the choices (e.g. the project itself). */
  filter?: (project: Project) => boolean;
  /** Only projects in these statuses (one request each: the list takes one status). */
  statuses?: string[];
  placeholder?: string;
}) {
  const t = useT();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Project[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let alive = true;
    const timer = window.setTimeout(() => {
      setLoading(true);
      const wanted = statuses && statuses.length > 0 ? statuses : [undefined];
      Promise.all(wanted.map((status) => api.projects.list({ q: q.trim() || undefined, status, page: 1, pageSize: 20 })))
        .then((pages) => {
          if (!alive) return;
          const seen = new Map<string, Project>();
          for (const page of pages) for (const p of page.items) if (!filter || filter(p)) seen.set(p.id, p);
          setOptions([...seen.values()]);
        })
        .catch(() => alive && setOptions([]))
        .finally(() => alive && setLoading(false));
    }, 250);
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  return (
    <Select
      showSearch
      allowClear
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={setQ}
      loading={loading}
      placeholder={placeholder ?? t('framework.project.search')}
      notFoundContent={loading ? <Spin size="small" /> : t('framework.project.none')}
      options={options.map((p) => ({
        value: p.id,
        label: (
          <span className="project-option">
            <span className="project-option-name">{p.name}</span>
            <Typography.Text type="secondary" className="small mono">
              {p.code} · {p.constructionUnitName} · {p.lifecycle.name.zh}
            </Typography.Text>
          </span>
        ),
      }))}
      className="project-search-select"
      popupClassName="project-search-popup"
    />
  );
}
