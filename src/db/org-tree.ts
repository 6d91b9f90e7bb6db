// Queries over the organization tree.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './database.ts';

/** Taken by every transaction that re-parents an organization, so two moves cannot make a ring. */
export const ORG_TREE_LOCK = 4_710_2021;

/** The ancestors of an organization, nearest first (bounded, so a damaged tree cannot loop). */
export async function ancestorIds(db: Executor, orgId: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    with recursive a(id, parent_id, depth) as (
      select id, parent_id, 0 from organizations where id = ${orgId}::uuid
      union all select o.id, o.parent_id, a.depth + 1 from organizations o join a on o.id = a.parent_id where a.depth < 100)
    select id from a where depth > 0 order by depth`.execute(db);
  return r.rows.map((x) => x.id);
}

/**
 * An organization's effective 行政区划代码: its own, else its nearest ancestor's (a 司局 of a
 * province without a code of its own belongs to that province); null for central organs. SQL
 * over a trusted column reference.
 */
export function effectiveDivisionSql(orgColumn: string): RawBuilder<string | null> {
  return sql<string | null>`(with recursive a(parent_id, division_code, depth) as (
      select o2.parent_id, o2.division_code, 0 from organizations o2 where o2.id = ${sql.ref(orgColumn)}
      union all select p.parent_id, p.division_code, a.depth + 1 from organizations p join a on p.id = a.parent_id
        where a.division_code is null and a.depth < 100)
    select a.division_code from a where a.division_code is not null order by a.depth limit 1)`;
}

/**
 * The organization in `orgColumn` belongs to a province: the first two digits of its effective
 * 行政区划代码, or '00' for central organs (no code, or 100000). The organizations of the
 * province are computed once, top-down, not per row.
 */
export function inProvinceSql(orgColumn: string, province: string): RawBuilder<boolean> {
  const central = province === '00';
  return sql<boolean>`${sql.ref(orgColumn)} = any(array(
    with recursive t(id, division_code, depth) as (
      select id, division_code, 0 from organizations where parent_id is null
      union all select o.id, coalesce(o.division_code, t.division_code), t.depth + 1 from organizations o join t on o.parent_id = t.id
        where t.depth < 100)
    select id from t where ${central
      ? sql`coalesce(division_code, '100000') = '100000'`
      : sql`substr(division_code, 1, 2) = ${province} and division_code <> '100000'`}))`;
}

/** The organization in `orgColumn` is `rootId` or one below it. */
export function inSubtreeSql(orgColumn: string, rootId: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(orgColumn)} = any(array(
    with recursive t(id) as (select ${rootId}::uuid union select o.id from organizations o join t on o.parent_id = t.id)
    select id from t))`;
}
