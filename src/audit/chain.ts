// The writer's side of the tamper-evident audit log: how an event and a checkpoint are
// hashed. The format is specified in docs/architecture.md ("Audit log"); the verifier in
// src/audit/verifier.ts implements the same specification separately, on purpose, so a bug
// in one cannot hide a bug in the other.
import { createHash } from 'node:crypto';

/** prev_hash of the first event of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that its hash covers, in the form they are stored. */
export interface AuditEventContent {
  chainId: string;
  seq: string;
  prevHash: string;
  /** ISO 8601 UTC with milliseconds, as Date#toISOString prints it. */
  occurredAt: string;
  actorId: string | null;
  actorUsername: string | null;
  organizationId: string | null;
  role: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: 'success' | 'denied' | 'failure';
  diff: unknown;
  requestId: string | null;
  clientAddress: string | null;
}

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

const sm3Hex = (text: string) => createHash('sm3').update(text, 'utf8').digest('hex');

/** SM3 over the domain-separated, canonical encoding of the event. */
export function hashAuditEvent(e: AuditEventContent): string {
  return sm3Hex(
    'govproj-audit-event-v1\n' +
      canonicalJson([
        e.chainId, e.seq, e.prevHash, e.occurredAt, e.actorId, e.actorUsername, e.organizationId, e.role,
        e.action, e.objectType, e.objectId, e.outcome, e.diff ?? null, e.requestId, e.clientAddress,
      ]),
  );
}

export interface CheckpointEntry {
  chainId: string;
  seq: string;
  hash: string;
}

/** SM3 over the chain heads a checkpoint commits to, sorted by chain id. */
export function checkpointEntriesDigest(entries: readonly CheckpointEntry[]): string {
  const hash = createHash('sm3');
  hash.update('govproj-checkpoint-entries-v1\n');
  const sorted = [...entries].sort((a, b) => (a.chainId < b.chainId ? -1 : a.chainId > b.chainId ? 1 : 0));
  for (const e of sorted) hash.update(JSON.stringify([e.chainId, e.seq, e.hash]) + '\n');
  return hash.digest('hex');
}

export interface CheckpointContent {
  id: string;
  createdAt: string;
  prevHash: string;
  entriesDigest: string;
  entryCount: number;
}

/** The hash a checkpoint's SM2 signature covers; it links to the previous checkpoint. */
export function hashCheckpoint(c: CheckpointContent): string {
  return sm3Hex('govproj-checkpoint-v1\n' + JSON.stringify([c.id, c.createdAt, c.prevHash, c.entriesDigest, c.entryCount]));
}
