// 重复建设 (第二十八条; I-13, I-20): before a project is saved or submitted, and on its detail
// page, the platform shows the projects and master-catalog systems (第十二条) that look like
// the same construction. A warning, never a refusal: the engine proposes, a person decides.
//
// One similarity index per app process (src/domain/similarity/index.ts) holds every project
// (its name; the systems it builds and its performance indicators as its contents) and every
// system of the master catalog (name and purpose) — or, with GOVPROJ_SIMILARITY_URL, one shared
// similarity service holds it for every app process (src/similarity-service.ts; the searches
// below reach either through `CatalogIndex`). No index trusts its own copy:
//
// - Before each search it reads the rows changed since its last sync, by `updated_at` (indexed,
//   migration 20261126T2100), re-reading a window of OVERLAP_MS behind the last sync, so a
//   transaction that committed late, or a writer whose clock is a little behind, is still
//   caught; a row whose version it already holds is not analysed again.
// - Every RECONCILE_MS it compares (id, version) of the whole tables with what it holds: a
//   deleted system (which leaves no updated_at behind) and a row that escaped the window
//   (a transaction longer than OVERLAP_MS) are caught there at the latest.
// - Every hit is re-read before it is returned: a deleted one is dropped (and leaves the
//   index), a changed one is re-analysed and re-scored, and the name shown is the row's
//   current name, never one the index remembers (the index keeps no names at all).
//
// Visibility (SPEC §1): a project hit is shown when the caller may read that project
// (project:read, `visible()` of projects.ts), a system hit when the caller's catalog:read scope
// holds its owner. Any other hit at or above the threshold is only counted — `hiddenCount`,
// "N similar items in other departments' catalogs" — with no name, code, owner or similarity,
// and 涉密 projects and systems the caller may not read are not even counted (their existence
// is itself protected). The count is over the CANDIDATE_LIMIT best candidates, so it reads
// "at least N".
//
// Cost at 300,000 systems (scripts/similarity-footprint.ts, docs/similarity-evaluation.md): the
// first search of a process builds the index (every row analysed once, ~40 µs each); after
// that a search is one indexed range query per table, the in-memory search with pruning
// (a few ms) and two primary-key lookups for the candidates.
import { sql } from 'kysely';
import { resolveAccess, type DataScope } from '../domain/authz.ts';
import { isLifecycleState, stateName, type LifecycleState } from '../domain/lifecycle.ts';
import {
  SIMILARITY_THRESHOLD, SimilarityIndex, termWeights, type OverlapTerm, type PairSimilarity, type SearchHit, type SearchOptions, type SimilarityDocument,
  type TextFields,
} from '../domain/similarity/index.ts';
import { AppError } from '../errors.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Database, Executor } from '../db/database.ts';
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';
import { requireAccess, type Actor } from './actor.ts';
import { visible } from './projects.ts';
import { addOp, POOL_MIN_DOCUMENTS, SearchPool } from './similarity-pool.ts';
import { remoteCatalogIndex } from './similarity-remote.ts';

/** Rows re-read behind the last sync: longer than any transaction that writes a project or system. */
export const OVERLAP_MS = 2 * 60_000;
/** How often the whole tables' (id, version) are compared with the index. */
export const RECONCILE_MS = 10 * 60_000;
/** Candidates at or above the threshold that are checked against the database per search. */
export const CANDIDATE_LIMIT = 200;
/** Hits shown (docs/similarity-evaluation.md: show the ranked top-k, not every hit). */
export const SHOWN_LIMIT = 10;
/** Shared terms listed per hit. */
const OVERLAP_SHOWN = 8;
const SCAN_BATCH = 5000;
const TEXT_BATCH = 1000;

export type SimilarKind = 'project' | 'system';
const KINDS: readonly SimilarKind[] = ['project', 'system'];

/** What a project is compared by: its name, and the systems it builds and its indicators as contents. */
export function projectText(project: {
  name: string; systems: ReadonlyArray<{ name: string }>; performanceIndicators: ReadonlyArray<{ indicator: string }>;
}): TextFields {
  const contents = [...project.systems.map((s) => s.name), ...project.performanceIndicators.map((i) => i.indicator)]
    .map((t) => t.trim()).filter((t) => t !== '');
  return { name: project.name, description: contents.join('、') };
}

/** What a catalog system is compared by: its name and purpose. */
export function systemText(system: { name: string; purpose: string }): TextFields {
  return { name: system.name, description: system.purpose };
}

const keyOf = (kind: SimilarKind, id: string) => `${kind}:${id}`;
const idOf = (key: string) => key.slice(key.indexOf(':') + 1);

interface VersionRow { id: string; version: number }

/** (id, version) of one table: changed since `since`, or a keyset batch after `after`. */
async function versionRows(db: Executor, kind: SimilarKind, where: { since?: Date; after?: string | null; limit?: number }): Promise<VersionRow[]> {
  const conditions = [sql<boolean>`true`];
  if (where.since) conditions.push(sql<boolean>`updated_at >= ${where.since}`);
  if (where.after) conditions.push(sql<boolean>`id > ${where.after}::uuid`);
  const table = sql.table(kind === 'project' ? 'projects' : 'government_systems');
  return (await sql<VersionRow>`select id, version from ${table} where ${sql.join(conditions, sql` and `)}
    order by id ${where.limit ? sql`limit ${where.limit}` : sql``}`.execute(db)).rows;
}

async function texts(db: Executor, kind: SimilarKind, ids: readonly string[]): Promise<Array<{ id: string; version: number; text: TextFields }>> {
  if (ids.length === 0) return [];
  if (kind === 'project') {
    const rows = await db.selectFrom('projects').select(['id', 'version', 'name', 'systems', 'performance_indicators'])
      .where('id', 'in', ids).execute();
    return rows.map((r) => ({ id: r.id, version: r.version, text: projectText(projectFields(r)) }));
  }
  const rows = await db.selectFrom('government_systems').select(['id', 'version', 'name', 'purpose']).where('id', 'in', ids).execute();
  return rows.map((r) => ({ id: r.id, version: r.version, text: systemText(r) }));
}

function projectFields(r: { name: string; systems: unknown; performance_indicators: unknown }) {
  return {
    name: r.name,
    systems: Array.isArray(r.systems) ? (r.systems as Array<{ name: string }>) : [],
    performanceIndicators: Array.isArray(r.performance_indicators) ? (r.performance_indicators as Array<{ indicator: string }>) : [],
  };
}

/** When (database clock, ms) the last sync of a table began. */
interface Watermark { syncedAt: number | null }

/** The index of one process (per configuration and database), and how far it has caught up. */
export class SimilarityCatalog {
  readonly index = new SimilarityIndex();
  /** Replicas searching off the event loop (similarity-pool.ts); started once the index is large. */
  #pool: SearchPool | null = null;
  readonly #workers: number;
  readonly #poolMinDocuments: number;
  #marks: Record<SimilarKind, Watermark> = { project: { syncedAt: null }, system: { syncedAt: null } };
  #reconciledAt = -Infinity;
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;

  /** `workers`: replicas for searches (0: the event loop searches), from `poolMinDocuments` documents on. */
  constructor(options: { workers?: number; poolMinDocuments?: number } = {}) {
    this.#workers = options.workers ?? 0;
    this.#poolMinDocuments = options.poolMinDocuments ?? POOL_MIN_DOCUMENTS;
  }

  /**
   * False: searches run on the event loop even when replicas are running (the bench measures
   * both in one run on one index); true by default.
   */
  pooled = true;

  /** Replicas serving searches (0 when the pool is off or not started yet). */
  get replicas(): number {
    return this.#pool?.size ?? 0;
  }

  /** Searches answered by a replica and by the primary after a replica failed (for tests and the bench). */
  get poolStats(): { replica: number; failedOver: number } {
    return this.#pool ? { ...this.#pool.stats } : { replica: 0, failedOver: 0 };
  }

  /** Adds or replaces a document, in the index and its replicas. */
  put(document: SimilarityDocument): void {
    const weights = termWeights(document);
    this.index.addWeighted(document, weights);
    this.#pool?.record(addOp(document, weights, this.index.backgroundOf(weights.keys())));
  }

  /** Removes a document from the index and its replicas. */
  drop(id: string): void {
    if (this.index.remove(id)) this.#pool?.record({ op: 'remove', id });
  }

  /** The index's search, by a replica when the pool runs: the same hits either way. */
  search(query: TextFields, options: SearchOptions): Promise<SearchHit[]> {
    this.#startPool();
    return this.#pool && this.pooled ? this.#pool.search(query, options) : Promise.resolve(this.index.search(query, options));
  }

  /** Starts the replicas once the index is large enough (after a sync: the warm-up pays for it). */
  #startPool(): void {
    if (!this.#pool && this.#workers > 0 && this.index.size >= this.#poolMinDocuments) {
      this.#pool = new SearchPool(this.index, this.#workers);
    }
  }

  /** Resolves when the replicas, if started, are ready to search (tests, the bench). */
  async poolReady(): Promise<void> {
    await this.#pool?.ready();
  }

  /** Stops the replicas (tests; a process exits without). */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    await pool?.close();
  }

  /**
   * Catches up with the database. A sync already under way may have begun before the caller's
   * own last write, so a caller arriving meanwhile waits for one more, shared by all who wait.
   */
  sync(db: Executor): Promise<void> {
    if (!this.#running) return this.#start(db);
    if (!this.#queued) {
      const next = () => {
        this.#queued = null;
        return this.#start(db);
      };
      this.#queued = this.#running.then(next, next);
    }
    return this.#queued;
  }

  #start(db: Executor): Promise<void> {
    const run = this.#run(db).finally(() => {
      if (this.#running === run) this.#running = null;
    });
    this.#running = run;
    return run;
  }

  async #run(db: Executor): Promise<void> {
    const started = performance.now();
    const full = started - this.#reconciledAt >= RECONCILE_MS || KINDS.some((kind) => this.#marks[kind].syncedAt === null);
    if (!full) {
      await this.#catchUpAll(db);
      return;
    }
    const now = (await sql<{ now: Date }>`select now() as now`.execute(db)).rows[0]!.now.getTime();
    for (const kind of KINDS) await this.#reconcile(db, kind, now);
    this.#reconciledAt = started;
    this.#startPool();
  }

  /**
   * Before each search: the database clock and the (id, version) of both tables' rows changed
   * since the last sync (with the overlap window), in one statement — one round trip instead
   * of three on the path every search takes — then the rows whose version is new analysed.
   */
  async #catchUpAll(db: Executor) {
    // Anchored at the previous sync (database clock), not at the newest row seen: after a bulk
    // write long ago the window would otherwise re-read that whole batch before every search.
    const since = (kind: SimilarKind) => new Date(this.#marks[kind].syncedAt! - OVERLAP_MS);
    const rows = (await sql<{ kind: 'now' | SimilarKind; id: string | null; version: number | null; at: Date | null }>`
      select 'now' as kind, null::uuid as id, null::int as version, now() as at
      union all select 'project', id, version, null from projects where updated_at >= ${since('project')}
      union all select 'system', id, version, null from government_systems where updated_at >= ${since('system')}`.execute(db)).rows;
    let now = 0;
    const changed: Record<SimilarKind, string[]> = { project: [], system: [] };
    for (const r of rows) {
      if (r.kind === 'now') now = r.at!.getTime();
      else if (this.index.revisionOf(keyOf(r.kind, r.id!)) !== r.version) changed[r.kind].push(r.id!);
    }
    for (const kind of KINDS) {
      await this.#load(db, kind, changed[kind]);
      this.#marks[kind].syncedAt = now;
    }
  }

  /** Every (id, version) of the table against the index: new and changed rows loaded, vanished ones removed. */
  async #reconcile(db: Executor, kind: SimilarKind, now: number) {
    const mark = this.#marks[kind];
    const present = new Set<string>();
    let stale: string[] = [];
    let after: string | null = null;
    for (;;) {
      const rows = await versionRows(db, kind, { after, limit: SCAN_BATCH });
      if (rows.length === 0) break;
      for (const r of rows) {
        const key = keyOf(kind, r.id);
        present.add(key);
        if (this.index.revisionOf(key) !== r.version) stale.push(r.id);
      }
      if (stale.length >= TEXT_BATCH) {
        await this.#load(db, kind, stale);
        stale = [];
      }
      after = rows[rows.length - 1]!.id;
    }
    await this.#load(db, kind, stale);
    const prefix = `${kind}:`;
    for (const key of this.index.ids()) if (key.startsWith(prefix) && !present.has(key)) this.drop(key);
    mark.syncedAt = now;
  }

  /** (Re-)analyses these rows; one deleted meanwhile leaves the index. */
  async #load(db: Executor, kind: SimilarKind, ids: readonly string[]) {
    for (let i = 0; i < ids.length; i += TEXT_BATCH) {
      const batch = ids.slice(i, i + TEXT_BATCH);
      const rows = await texts(db, kind, batch);
      const found = new Set(rows.map((r) => r.id));
      for (const r of rows) this.put({ id: keyOf(kind, r.id), kind, revision: r.version, ...r.text });
      for (const id of batch) if (!found.has(id)) this.drop(keyOf(kind, id));
    }
  }
}

// One catalog per configuration and database: per process in production; a second Services
// object in a test (its own configuration) is a second process.
const catalogs = new WeakMap<Config, WeakMap<Database, SimilarityCatalog>>();

/** This process's similarity catalog for `services` (created empty; the first sync fills it). */
export function similarityCatalogFor(services: Services): SimilarityCatalog {
  let byDatabase = catalogs.get(services.config);
  if (!byDatabase) catalogs.set(services.config, byDatabase = new WeakMap());
  let catalog = byDatabase.get(services.database);
  if (!catalog) byDatabase.set(services.database, catalog = new SimilarityCatalog({
    workers: services.config.similarityWorkers ?? 0, poolMinDocuments: services.config.similarityPoolMinDocuments ?? POOL_MIN_DOCUMENTS,
  }));
  return catalog;
}

/** A search hit with the revision (row version) of the document the index scored. */
export interface IndexedHit extends SearchHit {
  revision: number | undefined;
}

/**
 * What the searches below need of an index: this process's own (`SimilarityCatalog`, the
 * default) or the one of the shared similarity service (GOVPROJ_SIMILARITY_URL,
 * similarity-remote.ts; docs/deploy.md, "Memory"). Visibility, the re-reading of hits and the
 * hidden count stay here, in one place, whichever index answers.
 */
export interface CatalogIndex {
  /** Catches up with every write committed so far. */
  sync(): Promise<void>;
  /** The index's hits for `query`, after a sync when `sync` (false inside a transaction: see similarSystems). */
  search(query: TextFields, options: SearchOptions, sync: boolean): Promise<IndexedHit[]>;
  /** `query` against one document's current text, weighed by the index's IDF (a hit whose row changed). */
  similarity(query: TextFields, text: TextFields): Promise<PairSimilarity>;
  /**
   * A hit's row as read back: changed (its current text) or deleted (null). The local index
   * takes it in at once; the service needs no telling (its sync before the next search reads a
   * changed row again; a deleted one leaves at its next reconcile, and is dropped here meanwhile).
   */
  observed?(id: string, kind: SimilarKind, current: { version: number; text: TextFields } | null): void;
}

/** A catalog on `db` as a `CatalogIndex`: this process's own, or the shared service's (src/similarity-service.ts). */
export function catalogIndexOf(catalog: SimilarityCatalog, db: Executor): CatalogIndex {
  return {
    sync: () => catalog.sync(db),
    async search(query, options, sync) {
      if (sync) await catalog.sync(db);
      return (await catalog.search(query, options)).map((hit) => ({ ...hit, revision: catalog.index.revisionOf(hit.id) }));
    },
    similarity: async (query, text) => catalog.index.similarity(query, text),
    observed(id, kind, current) {
      if (current) catalog.put({ id, kind, revision: current.version, ...current.text });
      else catalog.drop(id);
    },
  };
}

/** The index searches of `services` go to: the shared service when GOVPROJ_SIMILARITY_URL is set, else this process's own. */
export function catalogIndexFor(services: Services): CatalogIndex {
  const url = services.config.similarityService?.url;
  return url ? remoteCatalogIndex(url, services.config.masterKey) : catalogIndexOf(similarityCatalogFor(services), services.database.db);
}

/**
 * Builds this process's index ahead of the first search (e.g. after start-up); nothing to build
 * when the shared service holds it. Errors are the caller's to log.
 */
export async function warmSimilarityCatalog(services: Services): Promise<void> {
  if (services.config.similarityService?.url) return;
  await similarityCatalogFor(services).sync(services.database.db);
}

/** Catches the index up with every committed write (before a transaction that searches it). */
export function syncSimilarity(services: Services): Promise<void> {
  return catalogIndexFor(services).sync();
}

/** One similar project or system the caller may read. */
export interface SimilarItem {
  kind: SimilarKind;
  id: string;
  /** 项目代码 of a project; null for a system. */
  code: string | null;
  name: string;
  /** The project's construction unit, or the system's owner. */
  organizationId: string;
  organizationName: string;
  /** A project's lifecycle state; null for a system. */
  state: (LifecycleState & { name: { zh: string; en: string } }) | null;
  /** Cosine similarity in [0, 1]; at or above `threshold`. */
  similarity: number;
  /** The shared terms, largest part of the similarity first. */
  overlap: OverlapTerm[];
  /** Why it is shown, for the reader. */
  reason: { zh: string; en: string };
}

export interface SimilarResult {
  threshold: number;
  /** The best SHOWN_LIMIT the caller may read, most similar first. */
  items: SimilarItem[];
  /**
   * At least this many more items at or above the threshold are outside the caller's scope
   * ("N similar items in other departments' catalogs"); 涉密 ones are not counted.
   */
  hiddenCount: number;
}

const NO_SCOPE: DataScope = { all: false, organizationIds: [], subtreeRootIds: [], selfUserId: null };
const scopeFor = (actor: Actor, permission: 'project:read' | 'catalog:read') => {
  const access = resolveAccess(actor, permission);
  return access.allowed ? access.scope : NO_SCOPE;
};

const percent = (value: number) => `${Math.round(value * 100)}%`;

function reasonOf(similarity: number, overlap: readonly OverlapTerm[]): { zh: string; en: string } {
  const terms = overlap.slice(0, 5).map((t) => t.term);
  return {
    zh: `名称和建设内容相似度 ${similarity.toFixed(2)}（提示阈值 ${SIMILARITY_THRESHOLD}），共有词语：${terms.join('、')}`,
    en: `Name and contents ${percent(similarity)} similar (warning threshold ${SIMILARITY_THRESHOLD}); shared terms: ${terms.join(', ')}`,
  };
}

interface Exclusions {
  /** The project being checked, when it already exists. */
  projectId?: string | undefined;
  /** The systems it builds or upgrades: the same thing, not a duplicate of it. */
  systemIds?: readonly string[] | undefined;
}

/**
 * The projects and systems most similar to `query` that the caller may read, and how many more
 * it may not. Syncs the index first; every candidate is re-read from the database.
 */
async function search(services: Services, actor: Actor, query: TextFields, exclude: Exclusions): Promise<SimilarResult> {
  const db = services.database.db;
  const index = catalogIndexFor(services);
  const excludedSystems = new Set(exclude.systemIds ?? []);
  const hits = (await index.search(query, {
    limit: CANDIDATE_LIMIT, minSimilarity: SIMILARITY_THRESHOLD,
    ...(exclude.projectId ? { excludeId: keyOf('project', exclude.projectId) } : {}),
  }, true)).filter((h) => !(h.kind === 'system' && excludedSystems.has(idOf(h.id))));

  const projectIds = hits.filter((h) => h.kind === 'project').map((h) => idOf(h.id));
  const systemIds = hits.filter((h) => h.kind === 'system').map((h) => idOf(h.id));
  const [projects, systems] = await Promise.all([
    projectIds.length === 0 ? [] : db.selectFrom('projects as p').innerJoin('organizations as u', 'u.id', 'p.construction_unit_id')
      .select(['p.id', 'p.code', 'p.name', 'p.version', 'p.involves_secrets', 'p.track', 'p.stage', 'p.status',
        'p.construction_unit_id as organization_id', 'u.name as organization_name', visible(scopeFor(actor, 'project:read')).as('visible')])
      .where('p.id', 'in', projectIds).execute(),
    systemIds.length === 0 ? [] : db.selectFrom('government_systems as s').innerJoin('organizations as o', 'o.id', 's.owner_organization_id')
      .select(['s.id', 's.name', 's.version', 's.involves_secrets', 's.owner_organization_id as organization_id', 'o.name as organization_name',
        scopePredicate(scopeFor(actor, 'catalog:read'), 's.owner_organization_id').as('visible')])
      .where('s.id', 'in', systemIds).execute(),
  ]);
  const rows = new Map<string, { version: number; secret: boolean; visible: boolean; item: Omit<SimilarItem, 'similarity' | 'overlap' | 'reason'> }>();
  for (const p of projects) {
    const state = { track: p.track, stage: p.stage, status: p.status };
    rows.set(keyOf('project', p.id), {
      version: p.version, secret: p.involves_secrets, visible: Boolean(p.visible),
      item: {
        kind: 'project', id: p.id, code: p.code, name: p.name, organizationId: p.organization_id, organizationName: p.organization_name,
        state: isLifecycleState(state) ? { ...state, name: stateName(state) } : null,
      },
    });
  }
  for (const s of systems) {
    rows.set(keyOf('system', s.id), {
      version: s.version, secret: s.involves_secrets, visible: Boolean(s.visible),
      item: { kind: 'system', id: s.id, code: null, name: s.name, organizationId: s.organization_id, organizationName: s.organization_name, state: null },
    });
  }

  // The texts of the hits changed since the index read them (rare): only those are read again,
  // so the lookup of up to CANDIDATE_LIMIT candidates carries no purposes or contents.
  const changed: Record<SimilarKind, string[]> = { project: [], system: [] };
  for (const hit of hits) {
    const row = rows.get(hit.id);
    if (row && hit.revision !== row.version) changed[hit.kind as SimilarKind].push(idOf(hit.id));
  }
  const changedTexts = new Map<string, { version: number; text: TextFields }>();
  for (const kind of KINDS) {
    for (const r of await texts(db, kind, changed[kind])) changedTexts.set(keyOf(kind, r.id), r);
  }

  const items: SimilarItem[] = [];
  let hiddenCount = 0;
  for (const hit of hits) {
    const row = rows.get(hit.id);
    if (!row) {
      // Deleted since the index last saw it: it never reaches the caller, and leaves the index.
      index.observed?.(hit.id, hit.kind as SimilarKind, null);
      continue;
    }
    let { similarity, overlap } = hit;
    if (hit.revision !== row.version) {
      // Changed since: analysed again now, and judged by what it says now.
      const current = changedTexts.get(hit.id);
      if (!current) {
        index.observed?.(hit.id, hit.kind as SimilarKind, null); // deleted between the two reads
        continue;
      }
      index.observed?.(hit.id, hit.kind as SimilarKind, current);
      ({ similarity, overlap } = await index.similarity(query, current.text));
      if (similarity < SIMILARITY_THRESHOLD) continue;
    }
    if (!row.visible) {
      if (!row.secret) hiddenCount++;
      continue;
    }
    items.push({ ...row.item, similarity, overlap: overlap.slice(0, OVERLAP_SHOWN), reason: reasonOf(similarity, overlap) });
  }
  items.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { threshold: SIMILARITY_THRESHOLD, items: items.slice(0, SHOWN_LIMIT), hiddenCount };
}

/** A project the caller may read, with what it is compared by and the systems it is linked to. */
async function loadProject(db: Executor, actor: Actor, projectId: string) {
  const scope = requireAccess(actor, 'project:read');
  const project = await db.selectFrom('projects as p').select(['p.id', 'p.name', 'p.systems', 'p.performance_indicators'])
    .where('p.id', '=', projectId).where(visible(scope)).executeTakeFirst();
  if (!project) throw new AppError('resource.not_found');
  const linked = await db.selectFrom('government_system_projects').select('system_id').where('project_id', '=', projectId).execute();
  return { text: projectText(projectFields(project)), systemIds: linked.map((l) => l.system_id) };
}

/**
 * 第二十八条: what a project being written (the wizard, before saving) looks like. `description`
 * is its construction contents — the wizard sends the names of the systems it builds and of
 * its performance indicators, which is what saved projects are compared by. `projectId`: the
 * project being edited, left out of its own results (404 when the caller cannot read it).
 */
export async function checkSimilarity(
  services: Services, actor: Actor, input: { name: string; description?: string | undefined; projectId?: string | undefined },
): Promise<SimilarResult> {
  requireAccess(actor, 'project:read');
  const own = input.projectId ? await loadProject(services.database.db, actor, input.projectId) : null;
  return search(services, actor, { name: input.name, description: input.description ?? '' }, { projectId: input.projectId, systemIds: own?.systemIds });
}

/** 第二十八条: the projects and systems similar to a saved project (its detail page, the submission drawer). */
export async function similarToProject(services: Services, actor: Actor, projectId: string): Promise<SimilarResult> {
  const own = await loadProject(services.database.db, actor, projectId);
  return search(services, actor, own.text, { projectId, systemIds: own.systemIds });
}

/** A warning beside the lifecycle's problems: it never blocks the action. */
export interface SimilarityWarning {
  code: 'similarity.possible_duplicate' | 'similarity.possible_duplicate_hidden' | 'similarity.unavailable';
  article: '第二十八条';
  params: Readonly<Record<string, string>>;
  message: { zh: string; en: string };
}

/**
 * 第二十八条 (I-13, I-20): the possible duplicates of a project as warnings for the submission
 * dry run and GET …/actions — one per similar item the caller may read (its kind, id, name,
 * code, organization, similarity and shared terms), and one counting those it may not.
 */
export async function similarityWarnings(services: Services, actor: Actor, projectId: string): Promise<SimilarityWarning[]> {
  let result: SimilarResult;
  try {
    result = await similarToProject(services, actor, projectId);
  } catch (err) {
    // The shared similarity service is down: a warning that cannot be computed must not take the
    // dry run or the action list with it (the check never blocks), but the reader must know it did not run.
    if (!(err instanceof AppError) || err.code !== 'similarity.unavailable') throw err;
    return [{
      code: 'similarity.unavailable', article: '第二十八条', params: {},
      message: {
        zh: '重复建设比对暂时无法进行（比对服务不可用），本次未检查相似项目和系统，请稍后刷新。',
        en: 'The duplicate-construction check could not run (the similarity service is unavailable): similar projects and systems were not checked; reload later.',
      },
    }];
  }
  const warnings: SimilarityWarning[] = result.items.map((item) => {
    const what = item.kind === 'project' ? { zh: '项目', en: 'project' } : { zh: '政务信息系统', en: 'system' };
    const label = item.code ? `${item.name}（${item.code}）` : item.name;
    const terms = item.overlap.slice(0, 5).map((t) => t.term);
    return {
      code: 'similarity.possible_duplicate', article: '第二十八条',
      params: {
        kind: item.kind, id: item.id, name: item.name, code: item.code ?? '', organization: item.organizationName,
        similarity: item.similarity.toFixed(2), terms: terms.join('、'),
      },
      message: {
        zh: `可能重复建设：与${item.organizationName}的${what.zh}“${label}”相似度 ${item.similarity.toFixed(2)}，共有词语：${terms.join('、')}。请在申报材料中说明与其关系。`,
        en: `Possible duplicate construction: ${percent(item.similarity)} similar to the ${what.en} "${label}" of ${item.organizationName} (shared terms: ${terms.join(', ')}). Explain how they relate in the submission.`,
      },
    };
  });
  if (result.hiddenCount > 0) {
    warnings.push({
      code: 'similarity.possible_duplicate_hidden', article: '第二十八条', params: { count: String(result.hiddenCount) },
      message: {
        zh: `其他部门的目录中另有 ${result.hiddenCount} 个相似的项目或系统（无权查看详情）。`,
        en: `${result.hiddenCount} similar items in other departments' catalogs (not visible to you).`,
      },
    });
  }
  return warnings;
}

/** A master-catalog system similar to a framework content (I-13, I-59). */
export interface SimilarSystem {
  systemId: string;
  name: string;
  organizationId: string;
  organizationName: string;
  similarity: number;
  overlap: OverlapTerm[];
}

/**
 * Catalog systems listed per framework content (I-60): the ranked top five at or above the
 * threshold; each listed one must be handled before submission. A content that restates more
 * than five systems is changed, not justified five times over; below the fifth, a system is no
 * more similar than one already answered for.
 */
export const FRAMEWORK_CATALOG_HITS = 5;

/**
 * 第十条 确保各部门建设内容不重叠 (I-13): the master-catalog systems (第十二条) most similar to a
 * framework content, at or above the threshold, best first. I-59: the check is against the
 * whole national catalog, not the caller's catalog:read scope — a department cannot avoid
 * duplicating a system it is not shown, and every participant must be able to read and justify
 * the same list — so a hit shows the system's name, owner, similarity and shared terms to
 * whoever reads the plan; 涉密 systems are left out (their existence is protected, SPEC §1).
 * Each hit is re-read from the database (a deleted one is dropped, a changed one re-scored).
 * `db` may be a transaction (the submission check reads inside its own).
 */
export async function similarSystems(services: Services, db: Executor, query: TextFields, limit = FRAMEWORK_CATALOG_HITS): Promise<SimilarSystem[]> {
  const index = catalogIndexFor(services);
  // Synced only outside a transaction: a sync already running on the database handle would wait
  // for the transaction's connection on PGlite. A caller inside one syncs before it begins.
  const hits = await index.search(query, { kinds: ['system'], limit: limit * 4, minSimilarity: SIMILARITY_THRESHOLD }, db === services.database.db);
  if (hits.length === 0) return [];
  const rows = await db.selectFrom('government_systems as s').innerJoin('organizations as o', 'o.id', 's.owner_organization_id')
    .select(['s.id', 's.name', 's.purpose', 's.version', 's.involves_secrets', 's.owner_organization_id', 'o.name as organization_name'])
    .where('s.id', 'in', hits.map((h) => idOf(h.id))).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: SimilarSystem[] = [];
  for (const hit of hits) {
    const row = byId.get(idOf(hit.id));
    if (!row || row.involves_secrets) continue;
    let { similarity, overlap } = hit;
    if (hit.revision !== row.version) ({ similarity, overlap } = await index.similarity(query, systemText(row)));
    if (similarity < SIMILARITY_THRESHOLD) continue;
    out.push({ systemId: row.id, name: row.name, organizationId: row.owner_organization_id, organizationName: row.organization_name, similarity, overlap: overlap.slice(0, OVERLAP_SHOWN) });
  }
  out.sort((a, b) => b.similarity - a.similarity || (a.systemId < b.systemId ? -1 : a.systemId > b.systemId ? 1 : 0));
  return out.slice(0, limit);
}
