// The open-data portal (SPEC §11 公开: 依法依规推进政务数据对外开放; SPEC §9 双随机、一公开). No sign-in.
// What is published is a whitelist (I-63): each presenter below names every field it gives, and
// nothing else of a row ever leaves. Never published: 涉密 projects, their systems and their
// resources; users and anything personal (names, phone numbers, contact persons, who recorded or
// decided what); signatures and materials; systems' security posture (network, 等保 level and 备案编号,
// user counts); resources that are 不予开放.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { formatWan, parseWan } from '../domain/money.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { DRAW_ALGORITHM, compareWithPublished, type DrawComparison, type DrawInput } from '../domain/spot-check-draw.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { publishedProject, publishedSystem, type ProjectEb, type SystemEb } from './publication.ts';
import { loadSpotCheck, type SpotCheck } from './spot-checks.ts';

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

/** A published project (I-63: any project that is not 涉密). */
export interface OpenProject {
  id: string;
  code: string;
  name: string;
  constructionUnit: string;
  approvalDepartment: string;
  track: string;
  kind: string;
  stage: string;
  status: string;
  crossDepartment: boolean;
  constructionStart: string;
  constructionEnd: string;
  /** 万元, two decimals. */
  totalInvestment: string;
  oAndMFunds: string;
  fundingChannel: string;
  updatedOn: string;
}

export interface OpenSystem {
  id: string;
  name: string;
  ownerOrganization: string;
  purpose: string;
  businessArea: string;
  status: string;
  projects: Array<{ code: string; name: string }>;
}

export interface OpenResource {
  id: string;
  code: string;
  name: string;
  classificationKind: string;
  baseCategory: string | null;
  provider: string;
  format: string;
  updateCycle: string;
  sharingType: string;
  openType: string;
  openBasis: string | null;
  dataItems: Array<{ name: string; type: string }>;
  projectCode: string;
}

/** A spot check as the public sees it: inspectors pseudonymous (I-63), outcomes once concluded. */
export type OpenSpotCheck = Omit<SpotCheck, 'inspectorUsers' | 'outcomes' | 'organizationId'> & {
  outcomes: Array<{ targetRef: string; itemCode: string; outcome: 'pass' | 'fail'; notes: string }>;
};

export interface OpenProjectFilter { q?: string | undefined; stage?: string | undefined; page: number; pageSize: number }

export async function listOpenProjects(services: Services, f: OpenProjectFilter): Promise<Page<OpenProject>> {
  const db = services.database.db;
  // The filter on projects alone: the count needs no join (both organizations are required columns).
  let q = db.selectFrom('projects as p').where((eb) => publishedProject(eb as unknown as ProjectEb));
  if (f.q) q = q.where((eb) => eb.or([eb('p.name', 'like', `%${escapeLike(f.q!)}%`), eb('p.code', 'like', `%${escapeLike(f.q!)}%`)]));
  if (f.stage) q = q.where('p.stage', '=', f.stage);
  const [rows, total] = await Promise.all([
    q.innerJoin('organizations as cu', 'cu.id', 'p.construction_unit_id').innerJoin('organizations as ad', 'ad.id', 'p.approval_department_id')
      .select(['p.id', 'p.code', 'p.name', 'cu.name as cu_name', 'ad.name as ad_name', 'p.track', 'p.kind', 'p.stage', 'p.status', 'p.cross_department',
        'p.construction_start', 'p.construction_end', 'p.total_investment', 'p.o_and_m_funds', 'p.funding_channel', 'p.updated_at'])
      .orderBy('p.code').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id, code: r.code, name: r.name, constructionUnit: r.cu_name, approvalDepartment: r.ad_name, track: r.track, kind: r.kind,
      stage: r.stage, status: r.status, crossDepartment: r.cross_department, constructionStart: r.construction_start, constructionEnd: r.construction_end,
      totalInvestment: formatWan(parseWan(r.total_investment)!), oAndMFunds: formatWan(parseWan(r.o_and_m_funds)!), fundingChannel: r.funding_channel,
      updatedOn: shanghaiDate(r.updated_at),
    })),
    total: Number(total.n), page: f.page, pageSize: f.pageSize,
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface OpenSystemFilter { q?: string | undefined; page: number; pageSize: number }

/** Systems: not 涉密 and not built or upgraded by a 涉密 project. */
export async function listOpenSystems(services: Services, f: OpenSystemFilter): Promise<Page<OpenSystem>> {
  const db = services.database.db;
  let q = db.selectFrom('government_systems as s').innerJoin('organizations as o', 'o.id', 's.owner_organization_id')
    .where((eb) => publishedSystem(eb as unknown as SystemEb));
  if (f.q) q = q.where('s.name', 'like', `%${escapeLike(f.q)}%`);
  const [rows, total] = await Promise.all([
    q.select(['s.id', 's.name', 'o.name as org_name', 's.purpose', 's.business_area', 's.status']).orderBy('o.name').orderBy('s.name').orderBy('s.id')
      .limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const links = rows.length === 0 ? [] : await db.selectFrom('government_system_projects as gp').innerJoin('projects as p', 'p.id', 'gp.project_id')
    .select(['gp.system_id', 'p.code', 'p.name']).where('gp.system_id', 'in', rows.map((r) => r.id))
    .where((eb) => publishedProject(eb as unknown as ProjectEb)).orderBy('p.code').execute();
  return {
    items: rows.map((r) => ({
      id: r.id, name: r.name, ownerOrganization: r.org_name, purpose: r.purpose, businessArea: r.business_area, status: r.status,
      projects: links.filter((l) => l.system_id === r.id).map((l) => ({ code: l.code, name: l.name })),
    })),
    total: Number(total.n), page: f.page, pageSize: f.pageSize,
  };
}

export interface OpenResourceFilter { q?: string | undefined; openType?: 'unconditional' | 'conditional' | undefined; page: number; pageSize: number }

/** Information resources (第十一条 catalog) that are 无条件开放 or 有条件开放, of published projects. */
export async function listOpenResources(services: Services, f: OpenResourceFilter): Promise<Page<OpenResource>> {
  const db = services.database.db;
  let q = db.selectFrom('information_resources as r').innerJoin('projects as p', 'p.id', 'r.project_id').innerJoin('organizations as o', 'o.id', 'r.provider_organization_id')
    .where('r.open_type', 'in', ['unconditional', 'conditional']).where('r.involves_secrets', '=', false)
    .where((eb) => publishedProject(eb as unknown as ProjectEb));
  if (f.q) q = q.where('r.name', 'like', `%${escapeLike(f.q)}%`);
  if (f.openType) q = q.where('r.open_type', '=', f.openType);
  const [rows, total] = await Promise.all([
    q.select(['r.id', 'r.code', 'r.name', 'r.classification_kind', 'r.base_category', 'o.name as org_name', 'r.format', 'r.update_cycle', 'r.sharing_type',
      'r.open_type', 'r.open_basis', 'r.data_items', 'p.code as project_code'])
      .orderBy('p.code').orderBy('r.code').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id, code: r.code, name: r.name, classificationKind: r.classification_kind, baseCategory: r.base_category, provider: r.org_name,
      format: r.format, updateCycle: r.update_cycle, sharingType: r.sharing_type, openType: r.open_type, openBasis: r.open_basis,
      dataItems: (r.data_items as Array<{ name: string; type: string }>).map((d) => ({ name: String(d.name), type: String(d.type) })),
      projectCode: r.project_code,
    })),
    total: Number(total.n), page: f.page, pageSize: f.pageSize,
  };
}

function toOpen(s: SpotCheck): OpenSpotCheck {
  return {
    id: s.id, title: s.title, organizationName: s.organizationName, checklist: s.checklist, targetFilter: s.targetFilter, rules: s.rules,
    algorithm: s.algorithm, targets: s.targets, inspectors: s.inspectors, digests: s.digests, status: s.status, seed: s.seed, result: s.result,
    resultDigest: s.resultDigest, drawnAt: s.drawnAt, concludedAt: s.concludedAt, createdAt: s.createdAt,
    outcomes: s.status === 'concluded' ? s.outcomes.map((o) => ({ targetRef: o.targetRef, itemCode: o.itemCode, outcome: o.outcome, notes: o.notes })) : [],
  };
}

/**
 * Ids of spot checks a target of which has since become 涉密: withheld from the public whole, since
 * the pool cannot be published in part without breaking its digest (I-62).
 */
async function withheldSpotChecks(db: Executor): Promise<Set<string>> {
  const r = await sql<{ id: string }>`select distinct s.id from spot_checks s, jsonb_array_elements(s.targets) t
    where (t->>'kind' = 'project' and exists (select 1 from projects p where p.id = (t->>'id')::uuid and p.involves_secrets))
       or (t->>'kind' = 'system' and exists (select 1 from government_systems g where g.id = (t->>'id')::uuid and (g.involves_secrets
           or exists (select 1 from government_system_projects gp join projects p on p.id = gp.project_id where gp.system_id = g.id and p.involves_secrets))))`.execute(db);
  return new Set(r.rows.map((x) => x.id));
}

export async function listOpenSpotChecks(services: Services, f: { page: number; pageSize: number }): Promise<Page<OpenSpotCheck>> {
  const db = services.database.db;
  const withheld = await withheldSpotChecks(db);
  const ids = (await db.selectFrom('spot_checks').select('id').orderBy('created_at', 'desc').orderBy('id').execute()).map((r) => r.id).filter((id) => !withheld.has(id));
  const pageIds = ids.slice((f.page - 1) * f.pageSize, f.page * f.pageSize);
  const items: OpenSpotCheck[] = [];
  for (const id of pageIds) items.push(toOpen((await loadSpotCheck(db, id))!));
  return { items, total: ids.length, page: f.page, pageSize: f.pageSize };
}

export async function getOpenSpotCheck(services: Services, id: string): Promise<OpenSpotCheck> {
  const db = services.database.db;
  const s = await loadSpotCheck(db, id);
  if (!s || (await withheldSpotChecks(db)).has(id)) throw new AppError('resource.not_found');
  return toOpen(s);
}

/** The published draw package: exactly what `govproj spot-check redraw --package` reads. */
export interface DrawPackage {
  spotCheckId: string;
  input: DrawInput | Omit<DrawInput, 'seed'> & { seed: null };
  published: { digests: OpenSpotCheck['digests']; result: OpenSpotCheck['result']; resultDigest: string | null };
}

export function drawPackage(s: OpenSpotCheck): DrawPackage {
  return {
    spotCheckId: s.id,
    input: { algorithm: DRAW_ALGORITHM, seed: s.seed, rules: s.rules, targets: s.targets, inspectors: s.inspectors } as DrawPackage['input'],
    published: { digests: s.digests, result: s.result, resultDigest: s.resultDigest },
  };
}

/**
 * Re-draws from the given inputs (the published ones, or the caller's changed seed or pools) and
 * compares with what was published: which digests differ, and whether the result is the same.
 */
export async function redrawOpenSpotCheck(services: Services, id: string, changed: { seed?: string | undefined; targets?: DrawInput['targets'] | undefined; inspectors?: DrawInput['inspectors'] | undefined }): Promise<DrawComparison> {
  const s = await getOpenSpotCheck(services, id);
  if (s.seed === null || s.resultDigest === null || s.digests.seed === null || s.digests.input === null) throw new AppError('spotcheck.not_drawn');
  const input: DrawInput = {
    algorithm: DRAW_ALGORITHM, seed: changed.seed ?? s.seed, rules: s.rules, targets: changed.targets ?? s.targets, inspectors: changed.inspectors ?? s.inspectors,
  };
  return compareWithPublished(input, { digests: { ...s.digests, seed: s.digests.seed, input: s.digests.input }, resultDigest: s.resultDigest });
}
