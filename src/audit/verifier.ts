// The audit-log verifier. It shares no code with the writer (src/audit/chain.ts, writer.ts):
// it implements the format of docs/architecture.md ("Audit log") on its own, reads the rows
// with plain SQL, and trusts only the checkpoint public key it is given, never the one
// stored beside the checkpoints.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { sm2Verify } from '../crypto/sm2.ts';

export type ProblemKind = 'altered' | 'missing' | 'reordered' | 'truncated' | 'checkpoint_forged' | 'checkpoint_missing';

export interface VerificationProblem {
  kind: ProblemKind;
  message: string;
  eventId?: string;
  chainId?: string;
  seq?: string;
  checkpointId?: string;
}

export interface VerificationReport {
  status: 'intact' | 'broken';
  eventsChecked: number;
  chainsChecked: number;
  checkpointsChecked: number;
  lastCheckpointAt: string | null;
  durationMs: number;
  /** Problems in the order found; the first names the first broken event or checkpoint. */
  problems: VerificationProblem[];
}

const ZERO = '0'.repeat(64);
const MAX_PROBLEMS = 100;
const BATCH = 5000;

function digest(text: string): string {
  return createHash('sm3').update(text, 'utf8').digest('hex');
}

// Canonical JSON per the specification: keys sorted at every depth, undefined members dropped.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

interface EventRow {
  id: string;
  chain_id: string;
  seq: string;
  prev_hash: string;
  hash: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_username: string | null;
  organization_id: string | null;
  role: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  diff: unknown;
  request_id: string | null;
  client_address: string | null;
}

function expectedEventHash(r: EventRow): string {
  const fields = [
    r.chain_id, r.seq, r.prev_hash.trim(), new Date(r.occurred_at).toISOString(), r.actor_id, r.actor_username,
    r.organization_id, r.role, r.action, r.object_type, r.object_id, r.outcome, canonical(r.diff ?? null),
    r.request_id, r.client_address,
  ];
  return digest('govproj-audit-event-v1\n' + JSON.stringify(fields));
}

/**
 * Verifies every chain and every checkpoint. `trustedPublicKey` is the SM2 key checkpoints must
 * be signed with (derived from the installation's master key, or given by the auditor).
 */
export async function verifyAuditLog(db: Kysely<any>, trustedPublicKey: string): Promise<VerificationReport> {
  const started = performance.now();
  const problems: VerificationProblem[] = [];
  const report = (p: VerificationProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };

  // 1. Checkpoints: contiguous ids, linked hashes, correct digests, valid signatures.
  // Commitments: chain → the (seq, hash) pairs that signed checkpoints vouch for.
  const commitments = new Map<string, Array<{ seq: bigint; hash: string; checkpointId: string }>>();
  const checkpoints = (await sql<{
    id: string; created_at: Date; prev_hash: string; entries_digest: string; entry_count: number; hash: string;
    public_key: string; signature: string;
  }>`select id, created_at, prev_hash, entries_digest, entry_count, hash, public_key, signature
     from audit_checkpoints order by id`.execute(db)).rows;
  let prevCheckpointHash = ZERO;
  let expectedId = 1n;
  for (const c of checkpoints) {
    const id = BigInt(c.id);
    if (id !== expectedId) {
      report({ kind: 'checkpoint_missing', checkpointId: expectedId.toString(), message: `checkpoint ${expectedId} is missing (next present is ${c.id})` });
      expectedId = id;
    }
    expectedId += 1n;
    const entries = (await sql<{ chain_id: string; seq: string; hash: string }>`
      select chain_id, seq, hash from audit_checkpoint_entries where checkpoint_id = ${c.id}`.execute(db)).rows;
    const sorted = [...entries].sort((a, b) => (a.chain_id < b.chain_id ? -1 : a.chain_id > b.chain_id ? 1 : 0));
    const h = createHash('sm3').update('govproj-checkpoint-entries-v1\n');
    for (const e of sorted) h.update(JSON.stringify([e.chain_id, e.seq, e.hash.trim()]) + '\n');
    const entriesDigest = h.digest('hex');
    const hash = digest(
      'govproj-checkpoint-v1\n' +
        JSON.stringify([c.id, new Date(c.created_at).toISOString(), c.prev_hash.trim(), entriesDigest, entries.length]),
    );
    const forged = (message: string) => report({ kind: 'checkpoint_forged', checkpointId: c.id, message });
    if (c.prev_hash.trim() !== prevCheckpointHash) forged(`checkpoint ${c.id} does not link to checkpoint ${id - 1n}`);
    if (entriesDigest !== c.entries_digest.trim() || entries.length !== c.entry_count) {
      forged(`checkpoint ${c.id}: its chain heads do not match its digest`);
    }
    if (hash !== c.hash.trim()) forged(`checkpoint ${c.id}: its hash does not match its contents`);
    if (c.public_key !== trustedPublicKey) forged(`checkpoint ${c.id} is signed with an untrusted key`);
    if (!sm2Verify(c.hash.trim(), c.signature, trustedPublicKey)) forged(`checkpoint ${c.id}: the SM2 signature is invalid`);
    prevCheckpointHash = c.hash.trim();
    for (const e of entries) {
      const list = commitments.get(e.chain_id) ?? [];
      list.push({ seq: BigInt(e.seq), hash: e.hash.trim(), checkpointId: c.id });
      commitments.set(e.chain_id, list);
    }
  }

  // 2. Events, chain by chain in seq order, in keyset-paginated batches.
  let eventsChecked = 0;
  let chainsChecked = 0;
  let chain: string | null = null;
  let expectedSeq = 1n;
  let prevHash = ZERO;
  let prevId = -1n;
  // Hashes of the current chain's events that a checkpoint vouches for (only those are kept,
  // so a chain of millions of events costs no memory).
  let wanted = new Set<bigint>();
  const seen = new Map<bigint, string>();
  const finishChain = () => {
    if (chain === null) return;
    chainsChecked++;
    for (const c of commitments.get(chain) ?? []) {
      const actual = seen.get(c.seq);
      if (actual === undefined) {
        report({ kind: 'truncated', chainId: chain, seq: c.seq.toString(), checkpointId: c.checkpointId,
          message: `chain ${chain}: event ${c.seq} vouched for by checkpoint ${c.checkpointId} is gone` });
      } else if (actual !== c.hash) {
        report({ kind: 'altered', chainId: chain, seq: c.seq.toString(), checkpointId: c.checkpointId,
          message: `chain ${chain}: event ${c.seq} differs from what checkpoint ${c.checkpointId} vouched for` });
      }
    }
    commitments.delete(chain);
  };
  // Ids are allocated under the chain-head lock, so within a chain they grow with seq; an
  // event whose id is out of step with its neighbours was moved (reordered).
  const check = (r: EventRow, next: EventRow | null) => {
    eventsChecked++;
    if (r.chain_id !== chain) {
      finishChain();
      chain = r.chain_id;
      expectedSeq = 1n;
      prevHash = ZERO;
      prevId = -1n;
      seen.clear();
      wanted = new Set((commitments.get(chain) ?? []).map((c) => c.seq));
    }
    const seq = BigInt(r.seq);
    const id = BigInt(r.id);
    const at = { eventId: r.id, chainId: r.chain_id, seq: r.seq };
    const nextIsEarlier = next !== null && next.chain_id === r.chain_id && BigInt(next.id) < id;
    if (seq !== expectedSeq) {
      report({ kind: 'missing', ...at, seq: expectedSeq.toString(),
        message: `chain ${r.chain_id}: event ${expectedSeq} is missing (next present is ${r.seq})` });
    } else if (id < prevId || nextIsEarlier) {
      report({ kind: 'reordered', ...at, message: `chain ${r.chain_id}: event ${r.seq} (id ${r.id}) is out of order` });
    } else if (expectedEventHash(r) !== r.hash.trim()) {
      report({ kind: 'altered', ...at, message: `event ${r.id} (chain ${r.chain_id}, #${r.seq}) was altered` });
    } else if (r.prev_hash.trim() !== prevHash) {
      report({ kind: 'altered', ...at, message: `event ${r.id} (chain ${r.chain_id}, #${r.seq}) does not link to its predecessor` });
    }
    if (wanted.has(seq)) seen.set(seq, r.hash.trim());
    expectedSeq = seq + 1n;
    prevHash = r.hash.trim();
    prevId = id;
  };
  let after: { chain: string; seq: string } | null = null;
  let pending: EventRow | null = null; // each event is checked once its successor is known
  for (;;) {
    const rows: EventRow[] = (await sql<EventRow>`
      select id, chain_id, seq, prev_hash, hash, occurred_at, actor_id, actor_username, organization_id, role, action,
             object_type, object_id, outcome, diff, request_id, client_address
      from audit_events
      where ${after === null ? sql`true` : sql`(chain_id, seq) > (${after.chain}, ${after.seq}::bigint)`}
      order by chain_id, seq limit ${BATCH}`.execute(db)).rows;
    if (rows.length === 0) break;
    for (const r of rows) {
      if (pending) check(pending, r);
      pending = r;
    }
    const last = rows[rows.length - 1]!;
    after = { chain: last.chain_id, seq: last.seq };
  }
  if (pending) check(pending, null);
  finishChain();
  // Chains that checkpoints vouch for but that have no events left at all.
  for (const [chainId, list] of commitments) {
    const c = list[0]!;
    report({ kind: 'truncated', chainId, seq: c.seq.toString(), checkpointId: c.checkpointId,
      message: `chain ${chainId} vouched for by checkpoint ${c.checkpointId} is gone` });
  }
  const lastCheckpoint = checkpoints.at(-1);
  return {
    status: problems.length === 0 ? 'intact' : 'broken',
    eventsChecked,
    chainsChecked,
    checkpointsChecked: checkpoints.length,
    lastCheckpointAt: lastCheckpoint ? new Date(lastCheckpoint.created_at).toISOString() : null,
    durationMs: Math.round(performance.now() - started),
    problems,
  };
}
