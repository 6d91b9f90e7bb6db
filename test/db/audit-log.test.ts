// 第三十一条 / SPEC §10: the audit log is append-only in the database itself, and the
// independent verifier finds every kind of tampering: an altered, deleted or reordered event,
// a truncated tail and a forged checkpoint.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createCheckpoint } from '../../src/audit/checkpoint.ts';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { appendAuditEvent } from '../../src/audit/writer.ts';
import { generateSm2KeyPair, sm2Sign } from '../../src/crypto/sm2.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';

let t: TestDatabase;
let services: ReturnType<typeof testServices>;

beforeEach(async () => {
  t = await openTestDatabase();
  services = testServices(t.database);
});
afterEach(async () => t.drop());

const actor = { id: null, username: 'tester', organizationId: null, role: 'admin' };

async function writeEvents(chains: number, perChain: number) {
  await Promise.all(
    Array.from({ length: chains }, async (_, c) => {
      for (let i = 0; i < perChain; i++) {
        await t.database.db.transaction().execute((trx) =>
          appendAuditEvent(trx, {
            actor, action: 'thing.update', objectType: 'thing', objectId: `t${c}`, outcome: 'success',
            diff: { before: { n: i }, after: { n: i + 1, 名称: '测试', nested: { b: 1, a: [1, 'x'] } } },
            requestId: `r-${c}-${i}`, clientAddress: '127.0.0.1',
          }),
        );
      }
    }),
  );
}

const verify = () => verifyAuditLog(t.database.db, services.keys.checkpoint.publicKey);

/** Tampering as a database superuser would: with the append-only triggers switched off. */
const AUDIT_TABLES = ['audit_events', 'audit_checkpoints', 'audit_checkpoint_entries'];
async function tamper(statement: ReturnType<typeof sql>) {
  for (const table of AUDIT_TABLES) await sql`alter table ${sql.table(table)} disable trigger user`.execute(t.database.db);
  await statement.execute(t.database.db);
  for (const table of AUDIT_TABLES) await sql`alter table ${sql.table(table)} enable trigger user`.execute(t.database.db);
}

async function eventOf(chain: string, seq: number) {
  const r = await sql<{ id: string }>`select id from audit_events where chain_id = ${chain} and seq = ${seq}`.execute(t.database.db);
  return r.rows[0]!.id;
}

describe('audit log', () => {
  it('concurrent writers on different chains produce an intact, checkpointed log', async () => {
    await writeEvents(6, 5);
    const cp = await createCheckpoint(t.database, services.keys.checkpoint);
    expect(cp?.entryCount).toBe(6);
    await writeEvents(2, 2);
    expect((await createCheckpoint(t.database, services.keys.checkpoint))?.entryCount).toBe(2);
    expect(await createCheckpoint(t.database, services.keys.checkpoint)).toBeNull();
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ status: 'intact', eventsChecked: 34, chainsChecked: 6, checkpointsChecked: 2 });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on audit events and checkpoints', async () => {
    await writeEvents(1, 2);
    await createCheckpoint(t.database, services.keys.checkpoint);
    await expect(sql`update audit_events set action = 'x'`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events cascade`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_checkpoints`.execute(t.database.db)).rejects.toThrow(/append-only|foreign key/);
    await expect(sql`update audit_checkpoint_entries set seq = 9`.execute(t.database.db)).rejects.toThrow(/append-only/);
    expect((await verify()).status).toBe('intact');
  });

  it('detects an altered event and names it', async () => {
    await writeEvents(3, 4);
    const id = await eventOf('thing:t1', 2);
    await tamper(sql`update audit_events set diff = '{"after":{"n":999}}' where id = ${id}`);
    const report = await verify();
    expect(report.status).toBe('broken');
    expect(report.problems[0]).toMatchObject({ kind: 'altered', eventId: id, chainId: 'thing:t1', seq: '2' });
  });

  it('detects an event altered together with its own hash (the next link breaks)', async () => {
    await writeEvents(1, 4);
    const id = await eventOf('thing:t0', 2);
    await tamper(sql`update audit_events set actor_username = 'mallory', hash = ${'f'.repeat(64)} where id = ${id}`);
    const report = await verify();
    expect(report.problems[0]).toMatchObject({ kind: 'altered', eventId: id });
  });

  it('detects a deleted event', async () => {
    await writeEvents(2, 5);
    const id = await eventOf('thing:t0', 3);
    await tamper(sql`delete from audit_events where id = ${id}`);
    const report = await verify();
    expect(report.problems[0]).toMatchObject({ kind: 'missing', chainId: 'thing:t0', seq: '3' });
  });

  it('detects two reordered events', async () => {
    await writeEvents(1, 5);
    const a = await eventOf('thing:t0', 2);
    const b = await eventOf('thing:t0', 3);
    await tamper(sql`update audit_events set seq = 1000 where id = ${a}`);
    await tamper(sql`update audit_events set seq = 2 where id = ${b}`);
    await tamper(sql`update audit_events set seq = 3 where id = ${a}`);
    const report = await verify();
    expect(report.status).toBe('broken');
    expect(report.problems[0]).toMatchObject({ kind: 'reordered', chainId: 'thing:t0' });
  });

  it('detects a truncated tail that a checkpoint vouched for', async () => {
    await writeEvents(2, 4);
    await createCheckpoint(t.database, services.keys.checkpoint);
    await tamper(sql`delete from audit_events where chain_id = 'thing:t1' and seq >= 3`);
    const report = await verify();
    expect(report.problems[0]).toMatchObject({ kind: 'truncated', chainId: 'thing:t1', seq: '4' });
  });

  it('detects a whole chain deleted after a checkpoint', async () => {
    await writeEvents(2, 2);
    await createCheckpoint(t.database, services.keys.checkpoint);
    await tamper(sql`delete from audit_events where chain_id = 'thing:t0'`);
    expect((await verify()).problems[0]).toMatchObject({ kind: 'truncated', chainId: 'thing:t0' });
  });

  it('detects a forged checkpoint: altered contents, a foreign key, a deleted checkpoint', async () => {
    await writeEvents(2, 2);
    await createCheckpoint(t.database, services.keys.checkpoint);
    await writeEvents(1, 1);
    await createCheckpoint(t.database, services.keys.checkpoint);

    // A checkpoint re-signed by an attacker's own key is not trusted.
    const mallory = generateSm2KeyPair();
    const row = (await sql<{ hash: string }>`select hash from audit_checkpoints where id = 2`.execute(t.database.db)).rows[0]!;
    await tamper(sql`update audit_checkpoints set public_key = ${mallory.publicKey}, signature = ${sm2Sign(row.hash.trim(), mallory.privateKey)} where id = 2`);
    let report = await verify();
    expect(report.problems[0]).toMatchObject({ kind: 'checkpoint_forged', checkpointId: '2' });

    // Altered contents with the original signature.
    await tamper(sql`update audit_checkpoints set public_key = ${services.keys.checkpoint.publicKey}, entry_count = 5 where id = 2`);
    report = await verify();
    expect(report.problems.some((p) => p.kind === 'checkpoint_forged' && p.checkpointId === '2')).toBe(true);

    // A deleted checkpoint breaks the checkpoint chain.
    await tamper(sql`delete from audit_checkpoint_entries where checkpoint_id = 1`);
    await tamper(sql`delete from audit_checkpoints where id = 1`);
    report = await verify();
    expect(report.problems[0]).toMatchObject({ kind: 'checkpoint_missing', checkpointId: '1' });
  });

  it('a verifier given another public key rejects every checkpoint', async () => {
    await writeEvents(1, 1);
    await createCheckpoint(t.database, services.keys.checkpoint);
    const report = await verifyAuditLog(t.database.db, generateSm2KeyPair().publicKey);
    expect(report.problems[0]).toMatchObject({ kind: 'checkpoint_forged' });
  });
});
