// The open-data portal (SPEC §11 公开: 依法依规推进政务数据对外开放; SPEC §9 双随机、一公开). No sign-in.
// What is published is a whitelist (I-63): each presenter below names every field it gives, and
// nothing else of a row ever leaves. Never published: 涉密 projects, their systems and their
// resources; users and anything personal (names, phone numbers, contact persons, who recorded or
// decided what); signatures and materials; systems' security posture (network, 等保 level and 备案编号,
// user counts); resources that are 不予开放.
import { sql } from 'kysely';
import { formatWan, parseWan } from '../domain/money.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { DRAW_ALGORITHM, compareWithPublished, type DrawComparison, type DrawInput } from '../domain/spot-check-draw.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { publishedProject, publishedSystem, type ProjectEb, type SystemEb } from './publication.ts';
import { cachedTotal, decodeCursor, encodeCursor, openDataVersion, withheldAt } from './open-data-cache.ts';
import { loadSpotCheck, type SpotCheck } from './spot-checks.ts';

/**
 * One page of a public list. `page` is the page number when the (deprecated) page parameter chose
 * it, null when a cursor did; `nextCursor` is the keyset cursor of the page after this one (null on
 * the last page); `totalApproximate` says the total was not recounted after the latest change
 * (src/usecases/open-data-cache.ts).
 */
export interface Page<T> { items: T[]; total: number; totalApproximate: boolean; page: number | null; pageSize: number; nextCursor: string | null }

/** How a list is paged: by a keyset cursor (preferred) or by page number (deprecated, offset). */
export interface Paging { page?: number | undefined; cursor?: string | undefined; pageSize: number; version: string }

function pagingOf(f: Paging): { offset: number; page: number | null } {
  if (f.cursor !== undefined && f.page !== undefined) throw new AppError('opendata.bad_cursor');
  if (f.cursor !== undefined) return { offset: 0, page: null };
  const page = f.page ?? 1;
  return { offset: (page - 1) * f.pageSize, page };
}

/** The rows of one page (fetched one over the page size) and the cursor after it. */
function pageOf<R>(rows: R[], pageSize: number, list: string, key: (r: R) => string[]): { rows: R[]; nextCursor: string | null } {
  const more = rows.length > pageSize;
  const kept = more ? rows.slice(0, pageSize) : rows;
  return { rows: kept, nextCursor: more ? encodeCursor(list, key(kept[kept.length - 1]!)) : null };
}

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

export interface OpenProjectFilter extends Paging { q?: string | undefined; stage?: string | undefined }

/** Published projects by 项目代码 (unique): the keyset is the code of the last row sent. */
export async function listOpenProjects(services: Services, f: OpenProjectFilter): Promise<Page<OpenProject>> {
  const db = services.database.db;
  const { offset, page } = pagingOf(f);
  const after = f.cursor !== undefined ? decodeCursor('projects', f.cursor, ['text'])[0]! : null;
  // The filter on projects alone: the count needs no join (both organizations are required columns).
  let q = db.selectFrom('projects as p').where((eb) => publishedProject(eb as unknown as ProjectEb));
  if (f.q) q = q.where((eb) => eb.or([eb('p.name', 'like', `%${escapeLike(f.q!)}%`), eb('p.code', 'like', `%${escapeLike(f.q!)}%`)]));
  if (f.stage) q = q.where('p.stage', '=', f.stage);
  let rowsQ = q.innerJoin('organizations as cu', 'cu.id', 'p.construction_unit_id').innerJoin('organizations as ad', 'ad.id', 'p.approval_department_id')
    .select(['p.id', 'p.code', 'p.name', 'cu.name as cu_name', 'ad.name as ad_name', 'p.track', 'p.kind', 'p.stage', 'p.status', 'p.cross_department',
      'p.construction_start', 'p.construction_end', 'p.total_investment', 'p.o_and_m_funds', 'p.funding_channel', 'p.updated_at'])
    .orderBy('p.code').limit(f.pageSize + 1);
  if (after !== null) rowsQ = rowsQ.where('p.code', '>', after);
  if (offset > 0) rowsQ = rowsQ.offset(offset);
  const [fetched, total] = await Promise.all([
    rowsQ.execute(),
    cachedTotal(services, f.version, `projects\n${f.q ?? ''}\n${f.stage ?? ''}`,
      async () => Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)),
  ]);
  const { rows, nextCursor } = pageOf(fetched, f.pageSize, 'projects', (r) => [r.code]);
  return {
    items: rows.map((r) => ({
      id: r.id, code: r.code, name: r.name, constructionUnit: r.cu_name, approvalDepartment: r.ad_name, track: r.track, kind: r.kind,
      stage: r.stage, status: r.status, crossDepartment: r.cross_department, constructionStart: r.construction_start, constructionEnd: r.construction_end,
      totalInvestment: formatWan(parseWan(r.total_investment)!), oAndMFunds: formatWan(parseWan(r.o_and_m_funds)!), fundingChannel: r.funding_channel,
      updatedOn: shanghaiDate(r.updated_at),
    })),
    total: total.total, totalApproximate: total.approximate, page, pageSize: f.pageSize, nextCursor,
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface OpenSystemFilter extends Paging { q?: string | undefined }

/** Systems: not 涉密 and not built or upgraded by a 涉密 project. Keyset: (unit name, system name, id). */
export async function listOpenSystems(services: Services, f: OpenSystemFilter): Promise<Page<OpenSystem>> {
  const db = services.database.db;
  const { offset, page } = pagingOf(f);
  const after = f.cursor !== undefined ? decodeCursor('systems', f.cursor, ['text', 'text', 'uuid']) : null;
  // owner_name is the owner's name kept on the row (migration 20261127T1110): one index gives the order.
  let q = db.selectFrom('government_systems as s').where((eb) => publishedSystem(eb as unknown as SystemEb));
  if (f.q) q = q.where('s.name', 'like', `%${escapeLike(f.q)}%`);
  let rowsQ = q.select(['s.id', 's.name', 's.owner_name as org_name', 's.purpose', 's.business_area', 's.status'])
    .orderBy('s.owner_name').orderBy('s.name').orderBy('s.id').limit(f.pageSize + 1);
  if (after) rowsQ = rowsQ.where((eb) => eb(eb.refTuple('s.owner_name', 's.name', 's.id'), '>', eb.tuple(after[0]!, after[1]!, after[2]!)));
  if (offset > 0) rowsQ = rowsQ.offset(offset);
  const [fetched, total] = await Promise.all([
    rowsQ.execute(),
    cachedTotal(services, f.version, `systems\n${f.q ?? ''}`, async () => Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)),
  ]);
  const { rows, nextCursor } = pageOf(fetched, f.pageSize, 'systems', (r) => [r.org_name, r.name, r.id]);
  const links = rows.length === 0 ? [] : await db.selectFrom('government_system_projects as gp').innerJoin('projects as p', 'p.id', 'gp.project_id')
    .select(['gp.system_id', 'p.code', 'p.name']).where('gp.system_id', 'in', rows.map((r) => r.id))
    .where((eb) => publishedProject(eb as unknown as ProjectEb)).orderBy('p.code').execute();
  return {
    items: rows.map((r) => ({
      id: r.id, name: r.name, ownerOrganization: r.org_name, purpose: r.purpose, businessArea: r.business_area, status: r.status,
      projects: links.filter((l) => l.system_id === r.id).map((l) => ({ code: l.code, name: l.name })),
    })),
    total: total.total, totalApproximate: total.approximate, page, pageSize: f.pageSize, nextCursor,
  };
}

export interface OpenResourceFilter extends Paging { q?: string | undefined; openType?: 'unconditional' | 'conditional' | undefined }

/** Information resources (第十一条 catalog) that are 无条件开放 or 有条件开放, of published projects. Keyset: (项目代码, 资源代码, id). */
export async function listOpenResources(services: Services, f: OpenResourceFilter): Promise<Page<OpenResource>> {
  const db = services.database.db;
  const { offset, page } = pagingOf(f);
  const after = f.cursor !== undefined ? decodeCursor('resources', f.cursor, ['text', 'text', 'uuid']) : null;
  let q = db.selectFrom('information_resources as r').innerJoin('projects as p', 'p.id', 'r.project_id').innerJoin('organizations as o', 'o.id', 'r.provider_organization_id')
    .where('r.open_type', 'in', ['unconditional', 'conditional']).where('r.involves_secrets', '=', false)
    .where((eb) => publishedProject(eb as unknown as ProjectEb));
  if (f.q) q = q.where('r.name', 'like', `%${escapeLike(f.q)}%`);
  if (f.openType) q = q.where('r.open_type', '=', f.openType);
  let rowsQ = q.select(['r.id', 'r.code', 'r.name', 'r.classification_kind', 'r.base_category', 'o.name as org_name', 'r.format', 'r.update_cycle', 'r.sharing_type',
    'r.open_type', 'r.open_basis', 'r.data_items', 'p.code as project_code'])
    .orderBy('p.code').orderBy('r.code').orderBy('r.id').limit(f.pageSize + 1);
  if (after) rowsQ = rowsQ.where((eb) => eb(eb.refTuple('p.code', 'r.code', 'r.id'), '>', eb.tuple(after[0]!, after[1]!, after[2]!)));
  if (offset > 0) rowsQ = rowsQ.offset(offset);
  const [fetched, total] = await Promise.all([
    rowsQ.execute(),
    cachedTotal(services, f.version, `resources\n${f.q ?? ''}\n${f.openType ?? ''}`,
      async () => Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)),
  ]);
  const { rows, nextCursor } = pageOf(fetched, f.pageSize, 'resources', (r) => [r.project_code, r.code, r.id]);
  return {
    items: rows.map((r) => ({
      id: r.id, code: r.code, name: r.name, classificationKind: r.classification_kind, baseCategory: r.base_category, provider: r.org_name,
      format: r.format, updateCycle: r.update_cycle, sharingType: r.sharing_type, openType: r.open_type, openBasis: r.open_basis,
      dataItems: (r.data_items as Array<{ name: string; type: string }>).map((d) => ({ name: String(d.name), type: String(d.type) })),
      projectCode: r.project_code,
    })),
    total: total.total, totalApproximate: total.approximate, page, pageSize: f.pageSize, nextCursor,
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
 * the pool cannot be published in part without breaking its digest (I-62). Reading every pool is
 * the costly part, so the set is computed once per data version (the version moves with any change
 * to spot checks, projects, systems or their links).
 */
async function withheldSpotChecks(services: Services, version: string): Promise<Set<string>> {
  return withheldAt(services, version, async () => {
    const r = await sql<{ id: string }>`select distinct s.id from spot_checks s, jsonb_array_elements(s.targets) t
      where (t->>'kind' = 'project' and exists (select 1 from projects p where p.id = (t->>'id')::uuid and p.involves_secrets))
         or (t->>'kind' = 'system' and exists (select 1 from government_systems g where g.id = (t->>'id')::uuid and (g.involves_secrets
             or exists (select 1 from government_system_projects gp join projects p on p.id = gp.project_id where gp.system_id = g.id and p.involves_secrets))))`.execute(services.database.db);
    return new Set(r.rows.map((x) => x.id));
  });
}

/** Spot checks, newest first. Keyset: (created_at, id), both descending. */
export async function listOpenSpotChecks(services: Services, f: Paging): Promise<Page<OpenSpotCheck>> {
  const db = services.database.db;
  const { offset, page } = pagingOf(f);
  const after = f.cursor !== undefined ? decodeCursor('spot-checks', f.cursor, ['timestamp', 'uuid']) : null;
  const withheld = [...await withheldSpotChecks(services, f.version)];
  let q = db.selectFrom('spot_checks as s');
  if (withheld.length > 0) q = q.where('s.id', 'not in', withheld);
  let rowsQ = q.select(['s.id', sql<string>`s.created_at::text`.as('created')]).orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(f.pageSize + 1);
  if (after) rowsQ = rowsQ.where((eb) => eb(eb.refTuple('s.created_at', 's.id'), '<', eb.tuple(sql<Date>`${after[0]!}::timestamptz`, sql<string>`${after[1]!}::uuid`)));
  if (offset > 0) rowsQ = rowsQ.offset(offset);
  const [fetched, total] = await Promise.all([
    rowsQ.execute(),
    cachedTotal(services, f.version, 'spot-checks', async () => Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)),
  ]);
  const { rows, nextCursor } = pageOf(fetched, f.pageSize, 'spot-checks', (r) => [r.created, r.id]);
  const items: OpenSpotCheck[] = [];
  for (const r of rows) items.push(toOpen((await loadSpotCheck(db, r.id))!));
  return { items, total: total.total, totalApproximate: total.approximate, page, pageSize: f.pageSize, nextCursor };
}

export async function getOpenSpotCheck(services: Services, id: string, version?: string): Promise<OpenSpotCheck> {
  const db = services.database.db;
  const s = await loadSpotCheck(db, id);
  if (!s || (await withheldSpotChecks(services, version ?? await openDataVersion(services))).has(id)) throw new AppError('resource.not_found');
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
