// Signed checkpoints over the chain heads. Each checkpoint commits to the heads of the chains
// that grew since the previous one and links to that checkpoint's hash, so truncating a chain
// or dropping a checkpoint is detected, and one SM2 signature covers a whole period.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { sm2Sign, type Sm2KeyPair } from '../crypto/sm2.ts';
import { GENESIS_HASH, checkpointEntriesDigest, hashCheckpoint, type CheckpointEntry } from './chain.ts';

const CHECKPOINT_LOCK = 4_710_2020;

export interface CheckpointSummary {
  id: string;
  createdAt: Date;
  entryCount: number;
}

/** Signs a checkpoint over every chain that grew since the last one; null when none did. */
export async function createCheckpoint(database: Database, key: Sm2KeyPair): Promise<CheckpointSummary | null> {
  return database.db.transaction().execute(async (trx) => {
    // One checkpoint at a time across all app processes.
    await sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK})`.execute(trx);
    const heads = await sql<{ chain_id: string; seq: string; hash: string }>`
      select chain_id, seq, hash from audit_chain_heads where seq > checkpointed_seq
      order by chain_id for update`.execute(trx);
    if (heads.rows.length === 0) return null;
    const last = await trx.selectFrom('audit_checkpoints').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const id = last ? (BigInt(last.id) + 1n).toString() : '1';
    const createdAt = new Date();
    const entries: CheckpointEntry[] = heads.rows.map((h) => ({ chainId: h.chain_id, seq: h.seq, hash: h.hash.trim() }));
    const entriesDigest = checkpointEntriesDigest(entries);
    const hash = hashCheckpoint({ id, createdAt: createdAt.toISOString(), prevHash: last?.hash.trim() ?? GENESIS_HASH, entriesDigest, entryCount: entries.length });
    await trx.insertInto('audit_checkpoints').values({
      id, created_at: createdAt, prev_hash: last?.hash.trim() ?? GENESIS_HASH, entries_digest: entriesDigest,
      entry_count: entries.length, hash, public_key: key.publicKey, signature: sm2Sign(hash, key.privateKey),
    }).execute();
    for (let i = 0; i < entries.length; i += 1000) {
      const batch = entries.slice(i, i + 1000);
      await trx.insertInto('audit_checkpoint_entries')
        .values(batch.map((e) => ({ checkpoint_id: id, chain_id: e.chainId, seq: e.seq, hash: e.hash })))
        .execute();
    }
    // Mark exactly the heads recorded above; chains created meanwhile wait for the next one.
    await sql`update audit_chain_heads h set checkpointed_seq = v.seq
      from unnest(${entries.map((e) => e.chainId)}::text[], ${entries.map((e) => e.seq)}::bigint[]) as v(chain_id, seq)
      where h.chain_id = v.chain_id`.execute(trx);
    return { id, createdAt, entryCount: entries.length };
  });
}
