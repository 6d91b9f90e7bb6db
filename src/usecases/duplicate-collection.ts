// 重复采集 (第二十八条): the data items (信息项 of the 信息资源目录, 第十一条) that systems of
// different owners collect — a resource linked to a system as 'collects' in the master catalog
// (第十二条) — grouped by normalized item (src/domain/duplicate-collection.ts).
//
// Who sees what (catalog:read): the supervisory bodies (NDRC, MoF, CAC, GO, auditors: scope
// all) see every group. A department sees the groups in which at least one system is in its
// catalog:read scope; there, the systems it may read are shown in full, and every other
// system only as "其他部门" with the item as spelled — no system name, owner, province or
// resource. A 涉密 system the caller may not read is left out altogether, and the province and
// organization filters match only systems the caller may read, so neither reveals where a
// hidden system is.
//
// Cost: every request reads all 'collects' links with their resources' items (one statement,
// items unnested in SQL) and groups them in memory; each distinct spelling is analysed once per
// request. Names are read only for the page shown.
import { sql } from 'kysely';
import { dataItemKey, duplicateCollections, type CollectedItem, type CollectionGroup } from '../domain/duplicate-collection.ts';
import { provinceOf } from '../domain/system-catalog.ts';
import { effectiveDivisionSql, inProvinceSql, inSubtreeSql } from '../db/org-tree.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Services } from '../services.ts';
import { requireAccess, type Actor } from './actor.ts';

/** The name shown for an owner the caller may not read. */
export const OTHER_DEPARTMENT = { zh: '其他部门', en: 'Another department' } as const;

export interface DuplicateCollectionFilter {
  /** The data item (any spelling) contains. */
  q?: string | undefined;
  /** Groups with a system (that the caller may read) whose owner is in this province; '00' central. */
  province?: string | undefined;
  /** Groups with a system (that the caller may read) owned by this organization or one below it. */
  organizationId?: string | undefined;
}

/** A system collecting the group's item. */
export interface CollectingSystem {
  /** False: outside the caller's catalog:read scope; only the spelling is shown. */
  visible: boolean;
  systemId: string | null;
  systemName: string | null;
  ownerOrganizationId: string | null;
  /** 其他部门 when not visible. */
  ownerOrganizationName: string;
  province: { code: string; name: { zh: string; en: string } } | null;
  /** The resources through which it collects the item, with the item as each spells it. */
  items: Array<{ dataItemName: string; resource: { id: string; code: string; name: string; projectId: string } | null }>;
}

export interface DuplicateCollectionGroup {
  /** The normalized item (its canonical terms). */
  key: string;
  /** The spelling most systems use. */
  dataItem: string;
  /** Every spelling with its similarity to dataItem (1 for an exact synonym). */
  names: Array<{ name: string; similarity: number }>;
  /** Owners collecting it (those the caller may not read included, by count only). */
  ownerCount: number;
  systemCount: number;
  /** The caller's readable systems first (by owner, then name), then the others. */
  systems: CollectingSystem[];
}

interface Row extends CollectedItem {
  visible: boolean;
  matches: boolean;
}

/** The groups the caller may see, filtered, in the domain's order (most owners first). */
async function groups(services: Services, actor: Actor, f: DuplicateCollectionFilter): Promise<CollectionGroup<Row>[]> {
  const scope = requireAccess(actor, 'catalog:read');
  const db = services.database.db;
  const matches = [
    ...(f.province ? [inProvinceSql('s.owner_organization_id', f.province)] : []),
    ...(f.organizationId ? [inSubtreeSql('s.owner_organization_id', f.organizationId)] : []),
  ];
  const rows = (await sql<{ system_id: string; owner_id: string; resource_id: string; item: string; visible: boolean; secret: boolean; matches: boolean }>`
    select l.system_id, s.owner_organization_id as owner_id, l.resource_id, d.value ->> 'name' as item, s.involves_secrets as secret,
      ${scopePredicate(scope, 's.owner_organization_id')} as visible,
      ${matches.length > 0 ? sql.join(matches, sql` and `) : sql`true`} as matches
    from government_system_resources l
    join government_systems s on s.id = l.system_id
    join information_resources r on r.id = l.resource_id
    cross join lateral jsonb_array_elements(r.data_items) as d(value)
    where l.relation = 'collects' and coalesce(btrim(d.value ->> 'name'), '') <> ''`.execute(db)).rows;
  // A 涉密 system the caller may not read is not shown even as 其他部门.
  const items: Row[] = rows.filter((r) => r.visible || !r.secret).map((r) => ({
    systemId: r.system_id, ownerOrganizationId: r.owner_id, resourceId: r.resource_id, dataItemName: r.item,
    visible: Boolean(r.visible), matches: Boolean(r.matches),
  }));
  const keys = new Map<string, string>();
  const keyOf = (name: string) => {
    let key = keys.get(name);
    if (key === undefined) keys.set(name, key = dataItemKey(name));
    return key;
  };
  const q = f.q?.trim().toLowerCase();
  return duplicateCollections(items, keyOf).filter((g) =>
    (scope.all || g.items.some((i) => i.visible))
    && (matches.length === 0 || g.items.some((i) => i.visible && i.matches))
    && (!q || g.names.some((n) => n.name.toLowerCase().includes(q))));
}

/** The names, owners, provinces and resources of the groups' readable systems; the rest anonymous. */
async function present(services: Services, page: readonly CollectionGroup<Row>[]): Promise<DuplicateCollectionGroup[]> {
  const db = services.database.db;
  const systemIds = [...new Set(page.flatMap((g) => g.items.filter((i) => i.visible).map((i) => i.systemId)))];
  const resourceIds = [...new Set(page.flatMap((g) => g.items.filter((i) => i.visible).map((i) => i.resourceId)))];
  const [systems, resources] = await Promise.all([
    systemIds.length === 0 ? [] : db.selectFrom('government_systems as s').innerJoin('organizations as o', 'o.id', 's.owner_organization_id')
      .select(['s.id', 's.name', 's.owner_organization_id', 'o.name as owner_name', effectiveDivisionSql('s.owner_organization_id').as('division_code')])
      .where('s.id', 'in', systemIds).execute(),
    resourceIds.length === 0 ? [] : db.selectFrom('information_resources').select(['id', 'code', 'name', 'project_id'])
      .where('id', 'in', resourceIds).execute(),
  ]);
  const systemById = new Map(systems.map((s) => [s.id, s]));
  const resourceById = new Map(resources.map((r) => [r.id, r]));
  return page.map((g) => {
    const entries = new Map<string, CollectingSystem>();
    for (const item of g.items) {
      const system = item.visible ? systemById.get(item.systemId) : undefined;
      let entry = entries.get(item.systemId);
      if (!entry) {
        entry = system ? {
          visible: true, systemId: system.id, systemName: system.name, ownerOrganizationId: system.owner_organization_id,
          ownerOrganizationName: system.owner_name, province: provinceOf(system.division_code), items: [],
        } : {
          visible: false, systemId: null, systemName: null, ownerOrganizationId: null, ownerOrganizationName: OTHER_DEPARTMENT.zh,
          province: null, items: [],
        };
        entries.set(item.systemId, entry);
      }
      const resource = system ? resourceById.get(item.resourceId) : undefined;
      const seen = entry.items.some((i) => i.dataItemName === item.dataItemName && (i.resource?.id ?? null) === (resource?.id ?? null));
      if (!seen) {
        entry.items.push({
          dataItemName: item.dataItemName,
          resource: resource ? { id: resource.id, code: resource.code, name: resource.name, projectId: resource.project_id } : null,
        });
      }
    }
    const order = (s: CollectingSystem) => [s.visible ? 0 : 1, s.ownerOrganizationName, s.systemName ?? ''] as const;
    const systemsOf = [...entries.values()].sort((a, b) => {
      const [x, y] = [order(a), order(b)];
      return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
    });
    return {
      key: g.key, dataItem: g.label, names: g.names, ownerCount: g.ownerOrganizationIds.length, systemCount: g.systemIds.length,
      systems: systemsOf,
    };
  });
}

/** 第二十八条: a page of the data items collected by systems of several owners. */
export async function listDuplicateCollection(services: Services, actor: Actor, f: DuplicateCollectionFilter, page: number, pageSize: number) {
  const all = await groups(services, actor, f);
  return { items: await present(services, all.slice((page - 1) * pageSize, page * pageSize)), total: all.length };
}

/**
 * Every matching group in batches, for the streamed export; the groups are computed before the
 * first byte is sent, so a failure is an error response and not a broken download.
 */
export async function exportDuplicateCollection(services: Services, actor: Actor, f: DuplicateCollectionFilter, batch = 200) {
  const all = await groups(services, actor, f);
  async function* batches(): AsyncGenerator<DuplicateCollectionGroup[]> {
    for (let i = 0; i < all.length; i += batch) yield await present(services, all.slice(i, i + batch));
  }
  return batches();
}
