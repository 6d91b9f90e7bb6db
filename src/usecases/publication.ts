// What may be public (I-63), as query predicates shared by the open-data portal and the
// 双随机 target pools (which are published too).
import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';

export type ProjectEb = ExpressionBuilder<DB & { p: DB['projects'] }, 'p'>;
export type SystemEb = ExpressionBuilder<DB & { s: DB['government_systems'] }, 's'>;

/** A project is public once approved (at any stage) or filed, and never when 涉密 (I-63). */
export function publishedProject(eb: ProjectEb) {
  return eb.and([
    eb('p.involves_secrets', '=', false),
    eb.exists(eb.selectFrom('project_actions as pa').select('pa.id').whereRef('pa.project_id', '=', 'p.id').where('pa.action', 'in', ['approve', 'file'])),
  ]);
}

/** A system is public unless it is 涉密 or a 涉密 project built or upgraded it (SPEC §11). */
export function publishedSystem(eb: SystemEb) {
  return eb.and([
    eb('s.involves_secrets', '=', false),
    eb.not(eb.exists(eb.selectFrom('government_system_projects as gp').innerJoin('projects as p2', 'p2.id', 'gp.project_id')
      .select('gp.project_id').whereRef('gp.system_id', '=', 's.id').where('p2.involves_secrets', '=', true))),
  ]);
}
