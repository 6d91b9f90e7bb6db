// Queries over the organization tree.
import { sql } from 'kysely';
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
