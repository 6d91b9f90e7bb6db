// 第三十一条: any signed decision re-verified against its stored text and the signer's registered
// key (src/usecases/signed-records.ts); the registry covers every table that stores a signature;
// a changed text, a swapped key and a forged signature are each caught; the audit search finds
// events by free text; both lists export to .xlsx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { generateSm2KeyPair, sm2Sign } from '../../src/crypto/sm2.ts';
import { likePattern } from '../../src/usecases/audit-log.ts';
import { SIGNED_KINDS, SIGNED_KIND_CODES, verdictOf } from '../../src/usecases/signed-records.ts';
import { bearer, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
let auditor: Session;
let preparer: Session;

beforeAll(async () => {
  demo = await openDemoApp();
  auditor = await signIn(demo.app, demo.services, 'auditor');
  preparer = await signIn(demo.app, demo.services, 'preparer');
}, 180_000);
afterAll(async () => {
  await demo.app.close();
  await demo.t.drop();
});

const get = (path: string, s: Session = auditor) => demo.app.inject({ method: 'GET', url: path, headers: bearer(s) });

interface Item { kind: string; id: string; verdict: string; validWithSignerKey: boolean; validWithStoredKey: boolean | null; signer: { username: string | null }; signedAt: string | null; objectId: string }

describe('signed decisions (第三十一条)', () => {
  it('the registry reads every table with a signature column (a new signed table must join it)', async () => {
    const cols = (await sql<{ table_name: string; column_name: string }>`select table_name, column_name from information_schema.columns
      where table_schema = 'public' and column_name like '%signature' and table_name <> 'audit_checkpoints'`.execute(demo.t.database.db)).rows;
    const registered = SIGNED_KIND_CODES.map((k) => SIGNED_KINDS[k].rows.compile(demo.t.database.db).sql).join('\n');
    const missing = cols.filter((c) => !new RegExp(`\\b${c.column_name}\\b[\\s\\S]*from ${c.table_name}\\b`).test(registered)).map((c) => `${c.table_name}.${c.column_name}`);
    expect(cols.length).toBeGreaterThanOrEqual(9);
    expect(missing).toEqual([]);
  });

  it('lists the demo\'s signed decisions, every one valid, with who signed when', async () => {
    const res = await get('/api/v1/audit/signed-records?pageSize=100');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Item[];
    expect(res.json().total).toBe(items.length);
    expect(items.length).toBeGreaterThanOrEqual(4);
    expect(new Set(items.map((i) => i.kind)).size).toBeGreaterThanOrEqual(2);
    for (const i of items) {
      expect(i.verdict, `${i.kind} ${i.id}`).toBe('valid');
      expect(i.signer.username).toBeTruthy();
      expect(i.signedAt).toMatch(/^20\d\d-/);
    }
    // Filters: by kind, by object, by signer, by date.
    const kind = items[0]!.kind;
    const byKind = (await get(`/api/v1/audit/signed-records?kind=${kind}&pageSize=100`)).json();
    expect(byKind.items.every((i: Item) => i.kind === kind)).toBe(true);
    expect(byKind.total).toBe(items.filter((i) => i.kind === kind).length);
    const byObject = (await get(`/api/v1/audit/signed-records?objectId=${items[0]!.objectId}&pageSize=100`)).json();
    expect(byObject.total).toBe(items.filter((i) => i.objectId === items[0]!.objectId).length);
    const signer = items[0]!.signer.username!;
    expect((await get(`/api/v1/audit/signed-records?signer=${signer}&pageSize=100`)).json().total).toBe(items.filter((i) => i.signer.username === signer).length);
    expect((await get('/api/v1/audit/signed-records?to=2000-01-01')).json().total).toBe(0);
  });

  it('one decision: the exact signed text, and a changed text, a swapped key or a forged signature are caught', async () => {
    const db = demo.t.database.db;
    const row = await db.selectFrom('project_actions').select(['id', 'payload', 'signature', 'public_key', 'actor_id']).where('signature', 'is not', null).orderBy('seq').executeTakeFirstOrThrow();
    const one = await get(`/api/v1/audit/signed-records/lifecycle/${row.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().payload).toBe(row.payload);
    expect(one.json().verdict).toBe('valid');

    // Tampering below the application (project_actions is append-only: its trigger is bypassed
    // the way a database administrator could).
    const tamper = (set: { payload?: string; signature?: string | null; public_key?: string | null }) => db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await trx.updateTable('project_actions').set(set).where('id', '=', row.id).execute();
    });
    // The text changed after signing.
    await tamper({ payload: `${row.payload} ` });
    const changed = (await get(`/api/v1/audit/signed-records/lifecycle/${row.id}`)).json();
    expect(changed.verdict).toBe('invalid');
    expect(changed.validWithStoredKey).toBe(false);

    // Someone else's key and a signature made with it: valid with the stored key, but the stored
    // key is not the signer's.
    const other = generateSm2KeyPair();
    await tamper({ payload: row.payload, signature: sm2Sign(row.payload, other.privateKey), public_key: other.publicKey });
    const forged = (await get(`/api/v1/audit/signed-records/lifecycle/${row.id}`)).json();
    expect(forged.verdict).toBe('key_mismatch');
    expect(forged.validWithStoredKey).toBe(true);
    expect(forged.validWithSignerKey).toBe(false);
    // The list shows it too.
    const listed = (await get('/api/v1/audit/signed-records?kind=lifecycle&pageSize=100')).json().items as Item[];
    expect(listed.find((i) => i.id === row.id)!.verdict).toBe('key_mismatch');
    await tamper({ signature: row.signature, public_key: row.public_key });
    expect((await get(`/api/v1/audit/signed-records/lifecycle/${row.id}`)).json().verdict).toBe('valid');

    expect((await get('/api/v1/audit/signed-records/lifecycle/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get(`/api/v1/audit/signed-records/nosuchkind/${row.id}`)).statusCode).toBe(400);
    expect((await get(`/api/v1/audit/signed-records/lifecycle/${row.id}`, preparer)).statusCode).toBe(403);
  });

  it('verdictOf: a table that keeps no key is checked against the signer\'s', () => {
    const k = generateSm2KeyPair();
    const sig = sm2Sign('文本', k.privateKey);
    expect(verdictOf('文本', sig, null, k.publicKey)).toEqual({ verdict: 'valid', validWithSignerKey: true, validWithStoredKey: null });
    expect(verdictOf('文本!', sig, null, k.publicKey).verdict).toBe('invalid');
    expect(verdictOf('文本', sig, null, null).verdict).toBe('signer_unknown');
  });

  it('exports the verified list as .xlsx', async () => {
    const res = await get('/api/v1/audit/signed-records/export');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const total = (await get('/api/v1/audit/signed-records')).json().total;
    expect(sheet.rowCount).toBe(total + 1);
    expect(sheet.getRow(2).getCell(9).value).toBe('有效');
  });
});

describe('audit search by free text', () => {
  it('likePattern matches % and _ literally', () => {
    expect(likePattern('a%b_c\\')).toBe('%a\\%b\\_c\\\\%');
  });

  it('finds events by a word inside the before/after diff, and exports the same', async () => {
    const db = demo.t.database.db;
    const named = await db.selectFrom('audit_events').select(['id', 'diff']).where(sql<boolean>`diff::text like '%spotcheck%' or action like 'spotcheck.%'`).execute();
    expect(named.length).toBeGreaterThan(0);
    const all = (await get(`/api/v1/audit/events?q=${encodeURIComponent('spotcheck.')}&pageSize=100`)).json();
    expect(all.total).toBeGreaterThan(0);
    expect(all.items.every((e: { action: string; diff: unknown; objectType: string | null }) => e.action.includes('spotcheck.') || JSON.stringify(e.diff).includes('spotcheck.'))).toBe(true);
    // A title that occurs only in a diff (the demo's spot-check titles).
    const title = (await db.selectFrom('spot_checks').select('title').executeTakeFirstOrThrow()).title;
    const byTitle = (await get(`/api/v1/audit/events?q=${encodeURIComponent(title)}&pageSize=100`)).json();
    expect(byTitle.total).toBeGreaterThan(0);
    expect(byTitle.items.every((e: { diff: unknown }) => JSON.stringify(e.diff).includes(title))).toBe(true);
    expect((await get(`/api/v1/audit/events?q=${encodeURIComponent('%')}&pageSize=1`)).json().total)
      .toBe(Number((await sql<{ n: string }>`select count(*)::text as n from audit_events where action like '%\\%%' or coalesce(object_type,'') like '%\\%%' or coalesce(object_id,'') like '%\\%%' or coalesce(actor_username,'') like '%\\%%' or diff::text like '%\\%%'`.execute(db)).rows[0]!.n));
    const exported = await get(`/api/v1/audit/events/export?q=${encodeURIComponent(title)}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(byTitle.total + 1);
  });
});
