// Logical backup and restore, the same on PGlite and PostgreSQL (so a backup of the embedded
// database restores onto a server and back). The file is gzip'd JSON lines: a header, then
// per table its rows as PostgreSQL's own row_to_json text (numerics keep every digit), and
// a trailer with the row count and an SM3 digest of everything before it.
// Uploaded files are not in it (only their rows, with each file's SM3): copy the file store
// directory beside the backup file.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { listMigrations } from './migrate.ts';

/** Tables in an order that satisfies foreign keys, with their key for keyset paging. */
const TABLES: ReadonlyArray<{ name: string; key: string[] }> = [
  { name: 'organizations', key: ['id'] },
  { name: 'users', key: ['id'] },
  { name: 'user_organizations', key: ['user_id', 'organization_id'] },
  { name: 'user_roles', key: ['user_id', 'role_code'] },
  { name: 'sessions', key: ['id'] },
  // 第六条 plans: their self-references (parent plan, parent task) are deferred constraints.
  { name: 'plans', key: ['id'] },
  { name: 'plan_tasks', key: ['id'] },
  { name: 'plan_versions', key: ['plan_id', 'version_no'] },
  { name: 'plan_adjustments', key: ['id'] },
  { name: 'projects', key: ['id'] },
  { name: 'project_participants', key: ['project_id', 'organization_id'] },
  // Rows only: the material files themselves are in <GOVPROJ_DATA_DIR>/files (content-addressed
  // by SM3); back that directory up by copying it (docs/architecture.md, "Materials").
  { name: 'project_materials', key: ['id'] },
  // 第十一条 信息资源目录 (references projects, organizations, users).
  { name: 'information_resources', key: ['id'] },
  { name: 'project_actions', key: ['id'] },
  { name: 'idempotency_keys', key: ['user_id', 'key'] },
  { name: 'project_assignments', key: ['id'] },
  { name: 'project_predecessors', key: ['project_id'] },
  { name: 'rule_settings', key: ['id'] },
  // 第十条 framework plans and project links (before notifications, which may be about a plan).
  { name: 'framework_plans', key: ['id'] },
  { name: 'framework_participants', key: ['framework_id', 'organization_id'] },
  { name: 'framework_contents', key: ['id'] },
  { name: 'framework_business_flows', key: ['id'] },
  { name: 'framework_data_flows', key: ['id'] },
  { name: 'framework_catalog_entries', key: ['id'] },
  { name: 'framework_overlap_justifications', key: ['content_a_id', 'content_b_id'] },
  { name: 'framework_actions', key: ['id'] },
  { name: 'framework_projects', key: ['framework_id', 'project_id'] },
  { name: 'project_coordination', key: ['local_project_id'] },
  // User-started background jobs and their outcome. pg-boss's own queue (schema pgboss) is left
  // out: its jobs are transient and its schedules are written again at every server start.
  { name: 'background_jobs', key: ['id'] },
  // 第十二条 政务信息系统目录 and 第二十八条 孤网例外决定 (a revocation's reference to its grant is deferred).
  { name: 'government_systems', key: ['id'] },
  { name: 'government_system_projects', key: ['system_id', 'project_id'] },
  { name: 'government_system_resources', key: ['system_id', 'resource_id', 'relation'] },
  { name: 'isolation_exceptions', key: ['id'] },
  { name: 'catalog_confirmations', key: ['id'] },
  // The catalog summary's per-organization counts (migration 20261127T1200): restored as they
  // were, replacing the rows its triggers appended while the systems above were restored.
  { name: 'catalog_counts', key: ['id'] },
  // 第十条 (I-13, I-59): a framework content's justified overlap with a master-catalog system.
  { name: 'framework_catalog_overlap_justifications', key: ['content_id', 'system_id'] },
  // 第二十一条–第二十四条: the construction phase row, investment and adjustments.
  { name: 'project_construction', key: ['project_id'] },
  { name: 'early_investments', key: ['id'] },
  { name: 'investment_releases', key: ['id'] },
  { name: 'investment_spending', key: ['id'] },
  { name: 'project_adjustments', key: ['id'] },
  // 第十三条, 第十九条–第二十二条: construction records.
  { name: 'construction_records', key: ['project_id'] },
  { name: 'construction_procurements', key: ['id'] },
  { name: 'construction_contracts', key: ['id'] },
  { name: 'annual_performance_reports', key: ['id'] },
  { name: 'construction_problems', key: ['id'] },
  { name: 'construction_orders', key: ['id'] },
  { name: 'construction_completions', key: ['project_id'] },
  // 第十四条–第十七条, 第二十八条: security and resources records, sharing findings, per-system summary.
  { name: 'security_records', key: ['id'] },
  { name: 'sharing_findings', key: ['id'] },
  { name: 'system_security_status', key: ['system_id'] },
  // 第二十五条–第二十七条 acceptance and post-evaluation (after projects, users and materials).
  { name: 'acceptance_extensions', key: ['id'] },
  { name: 'archive_acceptances', key: ['id'] },
  { name: 'acceptance_applications', key: ['id'] },
  { name: 'acceptance_decisions', key: ['id'] },
  { name: 'self_evaluations', key: ['id'] },
  { name: 'post_evaluations', key: ['id'] },
  // 双随机、一公开 (SPEC §9).
  { name: 'spot_checks', key: ['id'] },
  { name: 'spot_check_outcomes', key: ['spot_check_id', 'target_ref', 'item_code'] },
  // 第三十条, 第三十三条: findings, rectification orders, answers, signed escalation decisions, the
  // sanctions they set, accountability records (after projects, systems and users).
  { name: 'supervision_findings', key: ['id'] },
  { name: 'rectification_orders', key: ['id'] },
  { name: 'rectification_answers', key: ['id'] },
  { name: 'escalation_decisions', key: ['id'] },
  { name: 'project_sanctions', key: ['project_id'] },
  { name: 'accountability_records', key: ['id'] },
  // 第二十九条 资料调阅 (after findings: a request may point at the finding opened from it).
  { name: 'document_requests', key: ['id'] },
  { name: 'document_request_files', key: ['id'] },
  { name: 'document_request_answers', key: ['id'] },
  { name: 'document_request_reviews', key: ['id'] },
  // The deadline engine (after projects and systems); notifications after them, since a reminder
  // may be about a system or an obligation.
  { name: 'obligations', key: ['id'] },
  { name: 'obligation_reminders', key: ['obligation_id', 'kind', 'day'] },
  { name: 'obligation_subjects', key: ['subject_id'] },
  { name: 'email_outbox', key: ['id'] },
  // Risk ratings (after projects, obligations).
  { name: 'risk_baselines', key: ['id'] },
  { name: 'risk_assessments', key: ['id'] },
  { name: 'risk_current', key: ['project_id'] },
  { name: 'notifications', key: ['id'] },
  { name: 'audit_events', key: ['id'] },
  { name: 'audit_chain_heads', key: ['chain_id'] },
  { name: 'audit_checkpoints', key: ['id'] },
  { name: 'audit_checkpoint_entries', key: ['checkpoint_id', 'chain_id'] },
  { name: 'system_state', key: ['key'] },
  // The incremental sweep's state, then its marks: last, so the marking triggers (active once the
  // state row exists) stay quiet while the tables before them are restored.
  // The open-data change log (its max is the public API's data version): after everything it
  // describes; the restore's own writes append to it at commit, after its sequence is set below.
  { name: 'open_data_changes', key: ['seq'] },
  { name: 'obligation_sweep_state', key: ['id'] },
  { name: 'obligation_dirty', key: ['subject_id'] },
];
const BATCH = 2000;
const FORMAT = 'govproj-backup-v1';

async function* dumpLines(db: Kysely<any>, kind: string): AsyncGenerator<string> {
  yield JSON.stringify({ format: FORMAT, createdAt: new Date().toISOString(), source: kind, migrations: listMigrations().map((m) => m.name) });
  for (const table of TABLES) {
    yield JSON.stringify({ table: table.name });
    if (table.name === 'organizations') {
      // Parents before children, so the self-reference is satisfied on restore.
      const rows = await sql<{ j: string }>`
        with recursive t as (select o.*, 0 as depth from organizations o where parent_id is null
          union all select o.*, t.depth + 1 from organizations o join t on o.parent_id = t.id)
        select row_to_json(o)::text as j from organizations o join t on t.id = o.id order by t.depth, o.id`.execute(db);
      for (const r of rows.rows) yield r.j;
      continue;
    }
    const keys = sql.join(table.key.map((k) => sql.ref(k)));
    const keyObject = sql.join(table.key.map((k) => sql`${k}::text, ${sql.ref(k)}::text`));
    // Keyset paging; the last key travels as JSON and is typed again by the table's row type.
    let after: string | null = null;
    for (;;) {
      const rows: Array<{ j: string; k: string }> = (await sql<{ j: string; k: string }>`
        select row_to_json(t)::text as j, json_build_object(${keyObject})::text as k from ${sql.table(table.name)} t
        where ${after === null ? sql`true` : sql`(${keys}) > (select ${keys} from json_populate_record(null::${sql.table(table.name)}, ${after}::json))`}
        order by ${keys} limit ${BATCH}`.execute(db)).rows;
      if (rows.length === 0) break;
      for (const r of rows) yield r.j;
      after = rows[rows.length - 1]!.k;
    }
  }
}

/** Writes a consistent snapshot of the whole database to `file` while the platform runs. */
export async function backupDatabase(database: Database, file: string): Promise<{ rows: number; bytes: number }> {
  const tmp = `${file}.partial`;
  let rows = 0;
  await database.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(async (trx) => {
    const hash = createHash('sm3');
    async function* lines() {
      for await (const line of dumpLines(trx, database.kind)) {
        if (!line.startsWith('{"format"') && !line.startsWith('{"table"')) rows++;
        hash.update(line + '\n');
        yield line + '\n';
      }
      yield JSON.stringify({ end: true, rows, sm3: hash.digest('hex') }) + '\n';
    }
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(tmp, { mode: 0o600 }));
  });
  renameSync(tmp, file);
  return { rows, bytes: statSync(file).size };
}

export class RestoreError extends Error {
  override name = 'RestoreError';
}

// Table columns are the keys of row_to_json; the key names differ between tables, so column
// order comes from the table definition itself (json_populate_recordset).
async function insertBatch(db: Kysely<any>, table: string, rows: string[]) {
  if (rows.length === 0) return;
  // Identity columns (audit_events.id, the seq columns) keep their values.
  const overriding = sql`overriding system value`;
  await sql`insert into ${sql.table(table)} ${overriding}
    select * from json_populate_recordset(null::${sql.table(table)}, ${'[' + rows.join(',') + ']'}::json)`.execute(db);
}

/**
 * The lines of a backup file. Read errors (a missing file) and gzip errors (truncation, a bad
 * CRC) surface as RestoreError from the iteration, never as an unhandled stream error.
 */
async function* backupLines(file: string): AsyncGenerator<string> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  const decoder = new StringDecoder('utf8'); // a chunk may end inside a multi-byte character
  let rest = '';
  try {
    for await (const chunk of gunzip) {
      const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
  } catch (err) {
    throw new RestoreError(`cannot read the backup file ${file}: ${(err as Error).message}`);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (rest) yield rest;
}

/** Restores `file` into an empty, migrated database; refuses a damaged or foreign file. */
export async function restoreDatabase(database: Database, file: string): Promise<{ rows: number }> {
  // First pass: check the digest before touching the database.
  const hash = createHash('sm3');
  let trailer: { rows: number; sm3: string } | null = null;
  type Header = { format?: string; migrations?: string[] };
  let header = null as Header | null;
  for await (const line of backupLines(file)) {
    if (line.startsWith('{"end":')) {
      trailer = JSON.parse(line) as { rows: number; sm3: string };
      continue; // read to the end, so gunzip checks the CRC and length in its footer
    }
    if (header === null) header = JSON.parse(line) as Header;
    hash.update(line + '\n');
  }
  if (header?.format !== FORMAT) throw new RestoreError('not a govproj backup file');
  if (!trailer || trailer.sm3 !== hash.digest('hex')) throw new RestoreError('the backup file is incomplete or damaged (SM3 digest mismatch)');
  const known = listMigrations().map((m) => m.name);
  const missing = (header.migrations ?? []).filter((m) => !known.includes(m));
  if (missing.length > 0) throw new RestoreError(`the backup comes from a newer schema (${missing.join(', ')}); upgrade govproj first`);

  let rows = 0;
  await database.db.transaction().execute(async (trx) => {
    // The restore itself is not a change to append to the open-data log: the log comes back as it
    // was (migration 20261127T0300 skips a transaction that has already appended).
    await sql`select set_config('govproj.open_data_bumped', txid_current()::text, true)`.execute(trx);
    for (const t of TABLES) {
      const n = await sql<{ n: string }>`select count(*) as n from ${sql.table(t.name)}`.execute(trx);
      if (Number(n.rows[0]!.n) > 0) throw new RestoreError(`the target database is not empty (table ${t.name} has rows)`);
    }
    let table: string | null = null;
    let batch: string[] = [];
    let first = true;
    for await (const line of backupLines(file)) {
      if (first) { first = false; continue; }
      if (line.startsWith('{"end":')) break;
      if (line.startsWith('{"table":')) {
        if (table) await insertBatch(trx, table, batch);
        batch = [];
        table = (JSON.parse(line) as { table: string }).table;
        if (!TABLES.some((t) => t.name === table)) throw new RestoreError(`unknown table ${table}`);
        if (table === 'catalog_counts') await sql`delete from catalog_counts`.execute(trx);
        continue;
      }
      batch.push(line);
      rows++;
      if (batch.length >= BATCH && table) {
        await insertBatch(trx, table, batch);
        batch = [];
      }
    }
    if (table) await insertBatch(trx, table, batch);
    for (const [table, column] of [
      ['audit_events', 'id'], ['project_actions', 'seq'], ['project_assignments', 'seq'], ['rule_settings', 'seq'],
      ['isolation_exceptions', 'seq'], ['catalog_confirmations', 'seq'],
      ['early_investments', 'seq'], ['investment_releases', 'seq'], ['investment_spending', 'seq'], ['project_adjustments', 'seq'],
      ['security_records', 'seq'], ['sharing_findings', 'seq'],
      ['acceptance_extensions', 'seq'], ['archive_acceptances', 'seq'], ['acceptance_applications', 'seq'],
      ['acceptance_decisions', 'seq'], ['self_evaluations', 'seq'], ['post_evaluations', 'seq'],
      ['isolation_exceptions', 'seq'], ['catalog_confirmations', 'seq'], ['catalog_counts', 'id'], ['email_outbox', 'seq'],
      ['risk_baselines', 'seq'], ['risk_assessments', 'seq'],
      ['obligation_dirty', 'seq'], ['open_data_changes', 'seq'],
      ['supervision_findings', 'seq'], ['rectification_orders', 'seq'], ['rectification_answers', 'seq'],
      ['escalation_decisions', 'seq'], ['accountability_records', 'seq'],
    ] as const) {
      await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
    }
  });
  return { rows };
}

/** The rows of every table as text, for comparing two databases in tests and drills. */
export async function logicalDump(database: Database): Promise<string[]> {
  const out: string[] = [];
  let first = true;
  for await (const line of dumpLines(database.db, database.kind)) {
    if (first) { first = false; continue; }
    out.push(line);
  }
  return out;
}
