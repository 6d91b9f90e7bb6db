// 信息资源目录 of departments and of the nation (第十一条), as src/http/routes/resource-catalog-views.ts
// declares it: the per-project catalogs read together, the trees and the export. Kept beside the
// page; it goes through the shared client (cookies, problem+json errors).
import { download, request, type PageQuery } from '../../api/client';
import type {
  BaseCategory, ClassificationKind, InformationResource, LocalizedText, OpenType, Page, SharingType, UpdateCycle,
} from '../../api/types';

/** The list's, the trees' and the export's filters. */
export interface ResourceCatalogQuery {
  /** 信息资源名称 or 信息资源代码 contains. */
  q?: string;
  /** Provided by this organization or one below it (信息资源提供方). */
  organizationId?: string;
  /** The provider's province: first two digits of its 行政区划代码; '00' central. */
  province?: string;
  classification?: ClassificationKind;
  baseCategory?: BaseCategory;
  sharingType?: SharingType;
  openType?: OpenType;
  updateCycle?: UpdateCycle;
  /** A node of the classification tree: 1, 1-05 or 1-05-001. */
  codePrefix?: string;
  projectId?: string;
}

/** One resource of the national or department view, with its project and the provider's province. */
export interface CatalogEntry extends InformationResource {
  project: { id: string; code: string; name: string };
  providerDivisionCode: string | null;
  providerProvince: { code: string; name: LocalizedText };
}

/** 类 → 项 → 目 of the 信息资源代码; `code` is the codePrefix of the node. */
export interface ClassificationNode {
  code: string;
  level: 'category' | 'item' | 'entry';
  /** Named for 类 and for the 项 of 基础信息资源; null otherwise. */
  name: LocalizedText | null;
  count: number;
  children: ClassificationNode[];
}

/** A providing organization: `count` it provides itself, `total` with those below it. */
export interface DepartmentNode {
  organizationId: string;
  name: string;
  kind: string;
  count: number;
  total: number;
  children: DepartmentNode[];
}

export type CatalogTree =
  | { by: 'classification'; nodes: ClassificationNode[]; total: number }
  | { by: 'department'; nodes: DepartmentNode[]; total: number };

export const resourceCatalogApi = {
  list: (query: ResourceCatalogQuery & PageQuery) => request<Page<CatalogEntry>>('GET', '/resource-catalog', { query: { ...query } }),
  tree: (by: CatalogTree['by'], query: ResourceCatalogQuery) =>
    request<CatalogTree>('GET', '/resource-catalog/tree', { query: { by, ...query } }),
  export: (query: ResourceCatalogQuery) => download('/resource-catalog/export', { ...query }, '信息资源目录.xlsx'),
};
