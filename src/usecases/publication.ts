// What may be public (I-63), as query predicates shared by the open-data portal and the
// 双随机 target pools (which are published too).
import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';

export type ProjectEb = ExpressionBuilder<DB & { p: DB['projects'] }, 'p'>;
export type SystemEb = ExpressionBuilder<DB & { s: DB['government_systems'] }, 's'>;

/**
 * Every project that is not 涉密 is public, at whatever stage (I-63: 以公开为常态、不公开为例外,
 * 《政府信息公开条例》第五条; the stage and status are part of what is published).
 */
export function publishedProject(eb: ProjectEb) {
  return eb('p.involves_secrets', '=', false);
}

/** A system is public unless it is 涉密 or a 涉密 project built or upgraded it (SPEC §11). */
export function publishedSystem(eb: SystemEb) {
  return eb.and([
    eb('s.involves_secrets', '=', false),
    eb.not(eb.exists(eb.selectFrom('government_system_projects as gp').innerJoin('projects as p2', 'p2.id', 'gp.project_id')
      .select('gp.project_id').whereRef('gp.system_id', '=', 's.id').where('p2.involves_secrets', '=', true))),
  ]);
}
