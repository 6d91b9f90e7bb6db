import { useEffect, useState } from 'react';
import { api } from './client';
import type { Organization, Permission, Role } from './types';

/** Loads a reference list once; failures (e.g. no permission) just leave it empty. */
function useReference<T>(load: () => Promise<{ items: T[] }>, enabled: boolean): { items: T[]; loading: boolean } {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(enabled);
  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    let alive = true;
    setLoading(true);
    load()
      .then((result) => alive && setItems(result.items))
      .catch(() => undefined)
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled]);
  return { items, loading };
}

export function useOrganizationList(enabled = true) {
  return useReference<Organization>(api.organizations.list, enabled);
}

export function useRoleList(enabled = true) {
  return useReference<Role>(api.roles.list, enabled);
}

export function usePermissionList(enabled = true) {
  return useReference<Permission>(api.roles.permissions, enabled);
}
