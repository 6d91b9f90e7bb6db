// 第三十一条, SPEC §10: audit checkpoints also kept outside the database (I-86). With
// GOVPROJ_CHECKPOINT_DIR set, every signed checkpoint (with its chain heads) is appended to
// `<dir>/checkpoints.jsonl`, one JSON object a line, and fsync'd before the caller goes on. The
// file is only ever appended to (opened with O_APPEND, never rewritten), so it is a witness the
// database cannot rewrite: put the directory on another volume, or on storage with a retention
// lock (WORM), owned by another account than the database.
//
// After a restore (or at any time) `verifyCheckpointFile` checks the database against it:
// every checkpoint in the file must be in the database with the same hash, and every chain head a
// checkpoint witnessed must be there with the same event hash. A checkpoint the restored database
// lacks is not tampering but the restore's recovery point: the report counts those checkpoints
// and the audit events they witnessed that the database no longer has.
//
// Appending happens after the checkpoint's transaction commits, so the file never holds a
// checkpoint the database rolled back; a crash between the two leaves the file one behind, and
// the next checkpoint appends what is missing (the file is caught up to the database each time).
import { mkdirSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { sm2Verify } from '../crypto/sm2.ts';
import type { DB } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { createCheckpoint, type CheckpointSummary } from './checkpoint.ts';
import { checkpointEntriesDigest, hashCheckpoint, type CheckpointEntry } from './chain.ts';

export const CHECKPOINT_FILE = 'checkpoints.jsonl';

/** One line of the file. */
export interface CheckpointRecord {
  id: string;
  createdAt: string;
  prevHash: string;
  entriesDigest: string;
  entryCount: number;
  hash: string;
  publicKey: string;
  signature: string;
  entries: CheckpointEntry[];
}

/** Signs a checkpoint (when a chain grew) and, when GOVPROJ_CHECKPOINT_DIR is set, appends what the file lacks. */
export async function signCheckpoint(services: Pick<Services, 'database' | 'keys' | 'config'>): Promise<CheckpointSummary | null> {
  const c = await createCheckpoint(services.database, services.keys.checkpoint);
  if (services.config.checkpointDir) await exportCheckpoints(services.database.db, services.config.checkpointDir);
  return c;
}

async function fsyncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => null);
  if (!fh) return;
  try {
    await fh.sync().catch(() => undefined);
  } finally {
    await fh.close();
  }
}

/**
 * The file is ahead of the database or disagrees with it: the database was restored to an earlier
 * point (its next checkpoints would reuse ids the file already holds) or rewritten. Nothing is
 * appended; verify with `govproj audit verify --checkpoint-dir`, then move the file aside (it is
 * the record of what the restore lost) and let the next checkpoint start a new one.
 */
export class CheckpointFileDivergedError extends Error {
  override name = 'CheckpointFileDivergedError';
}

/** The last complete line of the file, or null when there is none. */
async function lastExported(path: string): Promise<CheckpointRecord | null> {
  const fh = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (!fh) return null;
  try {
    const { size } = await fh.stat();
    // A checkpoint line holds its chain heads; read backwards until a whole line is in the buffer.
    for (let span = 64 * 1024; ; span *= 4) {
      const start = Math.max(0, size - span);
      const buf = Buffer.alloc(size - start);
      await fh.read(buf, 0, buf.length, start);
      const lines = buf.toString('utf8').split('\n');
      // The first piece may be cut (unless the read began at 0); the last is '' after a final newline
      // or a line torn by a crash mid-append, which is ignored (its checkpoint is appended again).
      const complete = lines.slice(start === 0 ? 0 : 1, -1).filter((l) => l.trim() !== '');
      const last = complete.at(-1);
      if (last) return JSON.parse(last) as CheckpointRecord;
      if (start === 0) return null;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Appends to `<dir>/checkpoints.jsonl` every checkpoint of the database newer than the file's last
 * line, fsyncs the file (and the directory when the file is new); returns how many were appended.
 * Callers serialize it (the checkpoint job is a singleton; the CLI and the shutdown run alone).
 */
export async function exportCheckpoints(db: Kysely<DB>, dir: string): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, CHECKPOINT_FILE);
  const lastLine = await lastExported(path);
  const after = lastLine ? BigInt(lastLine.id) : 0n;
  if (lastLine) {
    const same = await sql<{ hash: string }>`select hash from audit_checkpoints where id = ${lastLine.id}::bigint`.execute(db);
    if (same.rows[0]?.hash.trim() !== lastLine.hash) {
      throw new CheckpointFileDivergedError(`the checkpoint file ${path} ends with checkpoint ${lastLine.id}, which this database `
        + `${same.rows.length === 0 ? 'does not have' : 'holds with another hash'} (restored to an earlier point?): verify with `
        + '`govproj audit verify --checkpoint-dir`, then move the file aside');
    }
  }
  const rows = await sql<{ id: string; created_at: Date; prev_hash: string; entries_digest: string; entry_count: number; hash: string; public_key: string; signature: string }>`
    select id::text, created_at, prev_hash, entries_digest, entry_count, hash, public_key, signature
    from audit_checkpoints where id > ${after.toString()}::bigint order by id`.execute(db);
  if (rows.rows.length === 0) return 0;
  const entries = await sql<{ checkpoint_id: string; chain_id: string; seq: string; hash: string }>`
    select checkpoint_id::text, chain_id, seq::text, hash from audit_checkpoint_entries
    where checkpoint_id > ${after.toString()}::bigint order by checkpoint_id, chain_id`.execute(db);
  const byCheckpoint = new Map<string, CheckpointEntry[]>();
  for (const e of entries.rows) {
    const list = byCheckpoint.get(e.checkpoint_id) ?? [];
    list.push({ chainId: e.chain_id, seq: e.seq, hash: e.hash.trim() });
    byCheckpoint.set(e.checkpoint_id, list);
  }
  const text = rows.rows.map((r) => JSON.stringify({
    id: r.id, createdAt: r.created_at.toISOString(), prevHash: r.prev_hash.trim(), entriesDigest: r.entries_digest.trim(),
    entryCount: r.entry_count, hash: r.hash.trim(), publicKey: r.public_key.trim(), signature: r.signature.trim(),
    entries: byCheckpoint.get(r.id) ?? [],
  } satisfies CheckpointRecord) + '\n').join('');
  const existed = after > 0n;
  // O_APPEND: written at the end whatever else holds the file; never truncated or rewritten.
  const fh = await open(path, 'a', 0o640);
  try {
    // A torn last line (a crash mid-append) would glue onto the next record: start on a new line.
    const { size } = await fh.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      const rd = await open(path, 'r');
      try {
        await rd.read(last, 0, 1, size - 1);
      } finally {
        await rd.close();
      }
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await fh.write(prefix + text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (!existed) await fsyncDirectory(dir);
  return rows.rows.length;
}

/** An SM2 signature check that treats a malformed key or signature as a failed check. */
function verifies(hash: string, signature: string, publicKey: string): boolean {
  try {
    return sm2Verify(hash, signature, publicKey);
  } catch {
    return false;
  }
}

/** Reads the file's complete lines (a torn last line is skipped and reported). */
export async function readCheckpointFile(dir: string): Promise<{ records: CheckpointRecord[]; tornLines: number }> {
  const text = await readFile(join(dir, CHECKPOINT_FILE), 'utf8');
  const records: CheckpointRecord[] = [];
  let tornLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as CheckpointRecord);
    } catch {
      tornLines++;
    }
  }
  return { records, tornLines };
}

export interface CheckpointFileReport {
  /** broken: the database contradicts a checkpoint in the file, or the file itself is not genuine. */
  status: 'intact' | 'broken';
  /** Checkpoints in the file. */
  fileCheckpoints: number;
  /** Of those, found in the database with the same hash. */
  matched: number;
  /** Checkpoints in the file but not in the database: signed after the restored backup was taken. */
  missingCheckpoints: number;
  /** Audit events witnessed by the file (chain heads) that the database does not have: the data lost by the restore. */
  eventsBehind: number;
  /** When the newest checkpoint the database still has was signed (the recovery point, at checkpoint granularity). */
  lastMatchedAt: string | null;
  /** When the newest checkpoint of the file was signed. */
  lastFileAt: string | null;
  tornLines: number;
  problems: string[];
}

/**
 * Verifies the database against the checkpoint file, trusting only `publicKey`: each line must be
 * a genuinely signed checkpoint linked to the line before; each that the database has must carry
 * the same hash, and each chain head it witnessed must be in the database with the same hash as
 * long as that chain has got that far. Run `govproj audit verify` as well: it checks every event.
 */
export async function verifyCheckpointFile(db: Kysely<DB>, dir: string, publicKey: string): Promise<CheckpointFileReport> {
  const { records, tornLines } = await readCheckpointFile(dir);
  const problems: string[] = [];
  const report: CheckpointFileReport = {
    status: 'intact', fileCheckpoints: records.length, matched: 0, missingCheckpoints: 0, eventsBehind: 0,
    lastMatchedAt: null, lastFileAt: records.at(-1)?.createdAt ?? null, tornLines, problems,
  };
  const inDb = new Map((await sql<{ id: string; hash: string }>`select id::text, hash from audit_checkpoints`.execute(db)).rows
    .map((r) => [r.id, r.hash.trim()]));
  // Chain heads per chain as the database has them now.
  const heads = new Map((await sql<{ chain_id: string; seq: string }>`select chain_id, max(seq)::text as seq from audit_events group by chain_id`.execute(db)).rows
    .map((r) => [r.chain_id, BigInt(r.seq)]));
  // The furthest each chain was witnessed by the file.
  const witnessed = new Map<string, bigint>();
  let prev: CheckpointRecord | null = null;
  for (const r of records) {
    const content = { id: r.id, createdAt: r.createdAt, prevHash: r.prevHash, entriesDigest: checkpointEntriesDigest(r.entries), entryCount: r.entries.length };
    if (hashCheckpoint(content) !== r.hash || r.entriesDigest !== content.entriesDigest) problems.push(`file checkpoint ${r.id}: its hash does not match its content`);
    else if (!verifies(r.hash, r.signature, publicKey)) problems.push(`file checkpoint ${r.id}: the signature is not the installation's`);
    if (prev && (BigInt(r.id) !== BigInt(prev.id) + 1n || r.prevHash !== prev.hash)) problems.push(`file checkpoint ${r.id} does not follow ${prev.id}`);
    prev = r;
    for (const e of r.entries) {
      const seq = BigInt(e.seq);
      if ((witnessed.get(e.chainId) ?? 0n) < seq) witnessed.set(e.chainId, seq);
    }
    const stored = inDb.get(r.id);
    if (stored === undefined) {
      report.missingCheckpoints++;
      continue;
    }
    if (stored !== r.hash) {
      problems.push(`checkpoint ${r.id}: the database holds another checkpoint than the one signed (${stored.slice(0, 12)}… ≠ ${r.hash.slice(0, 12)}…)`);
      continue;
    }
    report.matched++;
    report.lastMatchedAt = r.createdAt;
  }
  // A missing checkpoint must be newer than every matched one: a gap in the middle is a deletion.
  const ids = records.map((r) => ({ id: r.id, present: inDb.has(r.id) }));
  const firstMissing = ids.findIndex((x) => !x.present);
  if (firstMissing >= 0 && ids.slice(firstMissing).some((x) => x.present)) problems.push(`checkpoint ${ids[firstMissing]!.id} is missing from the database but later ones are there`);
  // Every witnessed head the database still reaches must carry the witnessed hash.
  const toCheck = records.flatMap((r) => r.entries.filter((e) => (heads.get(e.chainId) ?? 0n) >= BigInt(e.seq)));
  for (let i = 0; i < toCheck.length; i += 1000) {
    const batch = toCheck.slice(i, i + 1000);
    const found = await sql<{ chain_id: string; seq: string; hash: string }>`
      select e.chain_id, e.seq::text, e.hash from audit_events e
      join unnest(${batch.map((b) => b.chainId)}::text[], ${batch.map((b) => b.seq)}::bigint[]) as v(chain_id, seq)
        on e.chain_id = v.chain_id and e.seq = v.seq`.execute(db);
    const map = new Map(found.rows.map((f) => [`${f.chain_id}#${f.seq}`, f.hash.trim()]));
    for (const b of batch) {
      const h = map.get(`${b.chainId}#${b.seq}`);
      if (h === undefined) problems.push(`chain ${b.chainId} event ${b.seq}: witnessed by a checkpoint, missing although later events exist`);
      else if (h !== b.hash) problems.push(`chain ${b.chainId} event ${b.seq}: differs from the event the checkpoint witnessed`);
    }
  }
  for (const [chain, seq] of witnessed) {
    const have = heads.get(chain) ?? 0n;
    if (have < seq) report.eventsBehind += Number(seq - have);
  }
  report.status = problems.length === 0 ? 'intact' : 'broken';
  return report;
}
