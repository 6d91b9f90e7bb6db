// The departments a user may name as 参与部门 of a framework plan (第十条). There is no directory of
// government departments for a preparer: GET /organizations answers only the caller's own scope.
// So the choices are gathered from what the caller can see — its organizations and their
// scope, the departments its projects go to or are built by, and the participants of the plans it
// takes part in — and the server checks the choice (a government department, not a firm).
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { OrgKind } from '../../api/types';
import { useCan, useMe } from '../../auth/AuthContext';
import { frameworksApi } from './frameworksApi';

export interface Department {
  id: string;
  name: string;
}

/** Consulting, supervision and evaluation firms never take part (isGovernmentKind of the domain). */
const FIRMS: ReadonlySet<OrgKind> = new Set(['assessor', 'supervisor', 'evaluator']);

/** How many visible plans are read for their participants. */
const PLANS_READ = 20;

/** The departments the caller can name, by name; loaded when `enabled` first becomes true. */
export function useDepartments(enabled: boolean): { items: Department[]; loading: boolean } {
  const me = useMe();
  const can = useCan();
  const [items, setItems] = useState<Department[]>(me.organizations);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    if (!enabled || loaded) return;
    let alive = true;
    setLoading(true);
    const found = new Map<string, string>(me.organizations.map((o) => [o.id, o.name]));
    const firms = new Set<string>();
    const add = (id: string, name: string) => {
      if (!found.has(id)) found.set(id, name);
    };
    const organizations = can('system:org:read')
      ? api.organizations.list().then((r) => {
          for (const o of r.items) {
            if (FIRMS.has(o.kind)) firms.add(o.id);
            else add(o.id, o.name);
          }
        })
      : Promise.resolve();
    const projects = api.projects.list({ page: 1, pageSize: 200 }).then((r) => {
      for (const p of r.items) {
        add(p.constructionUnitId, p.constructionUnitName);
        add(p.approvalDepartmentId, p.approvalDepartmentName);
      }
    });
    const plans = frameworksApi.list({ page: 1, pageSize: PLANS_READ }).then(async (r) => {
      const details = await Promise.all(r.items.map((f) => frameworksApi.get(f.id).catch(() => null)));
      for (const f of details) for (const p of f?.participants ?? []) add(p.organizationId, p.organizationName);
    });
    void Promise.allSettled([organizations, projects, plans]).then(() => {
      if (!alive) return;
      for (const id of firms) found.delete(id);
      setItems([...found].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')));
      setLoaded(true);
      setLoading(false);
    });
    return () => {
      alive = false;
    };
  }, [enabled, loaded, can, me.organizations]);

  return { items, loading };
}
