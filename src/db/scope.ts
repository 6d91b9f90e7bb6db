// Data scope as a SQL predicate. The typed DataScope (src/domain/authz.ts) is translated here
// and nowhere else, so every repository filters the same way; a scope that matches nothing
// (e.g. a user with no organization) becomes `false`, never "no filter".
import { sql, type RawBuilder } from 'kysely';
import type { DataScope } from '../domain/authz.ts';

/**
 * A boolean SQL expression: the row's organization (`orgColumn`) or owner (`ownerColumn`) is
 * inside `scope`. Column references are trusted identifiers written by the repositories.
 */
export function scopePredicate(scope: DataScope, orgColumn: string, ownerColumn?: string): RawBuilder<boolean> {
  if (scope.all) return sql<boolean>`true`;
  const parts: RawBuilder<boolean>[] = [];
  const org = sql.ref(orgColumn);
  if (scope.organizationIds.length > 0) parts.push(sql<boolean>`${org} = any(${[...scope.organizationIds]}::uuid[])`);
  if (scope.subtreeRootIds.length > 0) {
    // `= any(array(…))`, not `in (…)`: the subtree is computed once, and an OR of such arms
    // can still be answered from indexes (a BitmapOr) instead of by testing every row.
    parts.push(sql<boolean>`${org} = any(array(
      with recursive t(id) as (
        select id from organizations where id = any(${[...scope.subtreeRootIds]}::uuid[])
        union select o.id from organizations o join t on o.parent_id = t.id)
      select id from t))`);
  }
  if (scope.selfUserId !== null && ownerColumn) parts.push(sql<boolean>`${sql.ref(ownerColumn)} = ${scope.selfUserId}::uuid`);
  if (parts.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(parts, sql` or `)})`;
}
