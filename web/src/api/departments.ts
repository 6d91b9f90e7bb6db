// The department directory (GET /api/v1/departments, src/usecases/departments.ts) and the
// catalog's label lists (GET /api/v1/catalog/labels): served by the API, so pickers search the
// whole directory a page at a time and no page keeps its own copy of the lists.
import { useEffect, useState } from 'react';
import { request } from './client';
import type { LocalizedText, OrgKind } from './types';

/** participant: any government department; lead and system-owner: within the caller's scope. */
export type DepartmentPurpose = 'participant' | 'lead' | 'system-owner';

export interface Department {
  id: string;
  name: string;
  nameEn: string;
  kind: OrgKind;
  divisionCode: string | null;
  parentId: string | null;
  parentName: string | null;
}

export const departmentsApi = {
  list: (query: { purpose: DepartmentPurpose; q?: string; ids?: readonly string[]; page?: number; pageSize?: number }, signal?: AbortSignal) =>
    request<{ items: Department[]; total: number }>('GET', '/departments', {
      query: {
        purpose: query.purpose, q: query.q || undefined, ids: query.ids?.length ? query.ids.join(',') : undefined,
        page: query.page, pageSize: query.pageSize,
      },
      signal,
    }),
};

export interface Label {
  code: string;
  name: LocalizedText;
}

export interface CatalogLabels {
  networks: Label[];
  statuses: Label[];
  mlpsLevels: Label[];
  provinces: Label[];
  sharingTypes: Label[];
  openTypes: Label[];
  updateCycles: Label[];
  baseCategories: Label[];
}

const EMPTY: CatalogLabels = { networks: [], statuses: [], mlpsLevels: [], provinces: [], sharingTypes: [], openTypes: [], updateCycles: [], baseCategories: [] };
let cached: Promise<CatalogLabels> | null = null;

/** The catalog's label lists, fetched once per page load (empty until they arrive). */
export function useCatalogLabels(): CatalogLabels {
  const [labels, setLabels] = useState<CatalogLabels>(EMPTY);
  useEffect(() => {
    let alive = true;
    cached ??= request<CatalogLabels>('GET', '/catalog/labels').catch((err: unknown) => {
      cached = null; // tried again by the next page that asks
      throw err;
    });
    cached.then((l) => alive && setLabels(l)).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return labels;
}
