// A department picker over the directory (GET /api/v1/departments): searched on the server by
// name, 统一社会信用代码 or 行政区划代码, 20 at a time, more on scrolling; the labels of values
// already chosen are resolved by id, so a form opened on saved values shows names, not UUIDs.
import { Select, Spin, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { departmentsApi, type Department, type DepartmentPurpose } from '../api/departments';
import { useT } from '../i18n';

const PAGE_SIZE = 20;
const DEBOUNCE_MS = 250;

interface Props {
  purpose: DepartmentPurpose;
  mode?: 'multiple';
  value?: string | string[];
  onChange?: (value: string | string[] | undefined) => void;
  /** Departments not offered (e.g. the plan's participants already, or the lead). */
  exclude?: readonly string[];
  allowClear?: boolean;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  /** Called with the loaded departments (e.g. to preselect the only one). */
  onLoaded?: (items: Department[], total: number) => void;
}

export default function DepartmentSelect({ purpose, mode, value, onChange, exclude, allowClear, placeholder, disabled, id, onLoaded }: Props) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<Department[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [known, setKnown] = useState<Map<string, Department>>(new Map());
  const onLoadedRef = useRef(onLoaded);
  onLoadedRef.current = onLoaded;

  // One page of the search: page 1 replaces the list, later pages append.
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      departmentsApi.list({ purpose, q: search, page, pageSize: PAGE_SIZE }, controller.signal)
        .then((r) => {
          setItems((prev) => (page === 1 ? r.items : [...prev, ...r.items]));
          setTotal(r.total);
          setKnown((prev) => new Map([...prev, ...r.items.map((d) => [d.id, d] as const)]));
          if (page === 1 && !search) onLoadedRef.current?.(r.items, r.total);
        })
        .catch(() => undefined)
        .finally(() => !controller.signal.aborted && setLoading(false));
    }, page === 1 ? DEBOUNCE_MS : 0);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [purpose, search, page]);

  // Chosen values not among the loaded ones: their names by id.
  const chosen = useMemo(() => (value === undefined ? [] : Array.isArray(value) ? value : [value]), [value]);
  useEffect(() => {
    const missing = chosen.filter((v) => !known.has(v));
    if (missing.length === 0) return;
    const controller = new AbortController();
    departmentsApi.list({ purpose, ids: missing, pageSize: 100 }, controller.signal)
      .then((r) => setKnown((prev) => new Map([...prev, ...r.items.map((d) => [d.id, d] as const)])))
      .catch(() => undefined);
    return () => controller.abort();
  }, [chosen, known, purpose]);

  const onSearch = useCallback((text: string) => {
    setSearch(text.trim());
    setPage(1);
  }, []);

  const excluded = useMemo(() => new Set(exclude ?? []), [exclude]);
  const options = useMemo(() => {
    const shown = items.filter((d) => !excluded.has(d.id));
    for (const v of chosen) {
      const d = known.get(v);
      if (d && !shown.some((s) => s.id === v)) shown.push(d);
    }
    return shown.map((d) => ({
      value: d.id,
      label: d.name,
      title: d.parentName ? `${d.name}（${d.parentName}）` : d.name,
      department: d,
    }));
  }, [items, excluded, chosen, known]);

  const more = total - items.length;
  return (
    <Select
      id={id}
      mode={mode}
      value={value}
      onChange={(v) => onChange?.(v)}
      showSearch
      filterOption={false}
      onSearch={onSearch}
      onBlur={() => search && onSearch('')}
      allowClear={allowClear}
      disabled={disabled}
      placeholder={placeholder ?? t('department.search.placeholder')}
      loading={loading}
      options={options}
      optionRender={(option) => (
        <span className="department-option">
          {option.data.label}
          {option.data.department.parentName ? (
            <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }}>
              {option.data.department.parentName}
            </Typography.Text>
          ) : null}
        </span>
      )}
      notFoundContent={loading ? <Spin size="small" /> : t('department.search.none')}
      onPopupScroll={(e) => {
        const el = e.currentTarget;
        if (!loading && more > 0 && el.scrollTop + el.clientHeight >= el.scrollHeight - 24) setPage((p) => p + 1);
      }}
      dropdownRender={(menu) => (
        <>
          {menu}
          {more > 0 ? (
            <Typography.Text type="secondary" style={{ display: 'block', padding: '4px 12px', fontSize: 12 }}>
              {t('department.search.more', { count: more })}
            </Typography.Text>
          ) : null}
        </>
      )}
    />
  );
}
