// 第三十一条 (审计机关 audit the projects): re-verify ANY signed decision the platform holds. Every
// table that stores a signed decision keeps the canonical text that was signed (exact bytes), the
// SM2 signature and (mostly) the signer's public key beside it (SPEC §10; src/usecases/
// signed-decisions.ts). This module reads them all through one registry, SIGNED_KINDS, and checks
// each signature twice: against the key stored with it and against the key registered for the
// signer in `users` (a stored key that is not the signer's would let anyone sign as anyone). The
// verdict is computed here on every request, never stored: an auditor trusts no earlier answer.
//
// A new table holding signed decisions adds one entry to SIGNED_KINDS (and its test in
// test/db/signed-records.test.ts); nothing else changes.
import { sql, type RawBuilder } from 'kysely';
import { sm2Verify } from '../crypto/sm2.ts';
import { sm3Hex } from '../crypto/sm3.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { requireAccess, type Actor } from './actor.ts';

export interface SignedKind {
  /** zh-CN and en-US names of the decision. */
  name: string;
  nameEn: string;
  /** The article the decision is taken under. */
  article: string;
  /**
   * One row per signed decision, with the columns kind-independent code reads: id, action,
   * object_type, object_id, signer_id, signed_at, payload, signature, public_key (null: the table
   * does not store the key; the signer's registered key is the only one).
   */
  rows: RawBuilder<unknown>;
}

/** Every table that holds a signature over a stored canonical text. */
export const SIGNED_KINDS = {
  lifecycle: {
    name: '项目审批决定与签章', nameEn: 'Project decisions and signatures', article: '第七条–第九条',
    rows: sql`select id, action, 'project' as object_type, project_id as object_id, actor_id as signer_id, created_at as signed_at,
      payload, signature, public_key from project_actions where signature is not null`,
  },
  isolationException: {
    name: '孤网例外决定', nameEn: 'Isolated-network exceptions', article: '第二十八条',
    rows: sql`select id, decision as action, 'system' as object_type, system_id as object_id, actor_id as signer_id, created_at as signed_at,
      payload, signature, public_key from isolation_exceptions`,
  },
  framework: {
    name: '框架方案确定/退回', nameEn: 'Framework plan decisions', article: '第十条',
    rows: sql`select id, action, 'framework' as object_type, framework_id as object_id, actor_id as signer_id, created_at as signed_at,
      payload, signature, public_key from framework_actions where signature is not null`,
  },
  earlyInvestment: {
    name: '提前安排投资决定', nameEn: 'Early investment decisions', article: '第二十四条',
    rows: sql`select id, status as action, 'project' as object_type, project_id as object_id, decided_by as signer_id, decided_at as signed_at,
      decision_payload as payload, signature, public_key from early_investments where signature is not null`,
  },
  adjustment: {
    name: '调整重新报批决定', nameEn: 'Adjustment decisions', article: '第二十三条',
    rows: sql`select id, status as action, 'project' as object_type, project_id as object_id, decided_by as signer_id, decided_at as signed_at,
      decision_payload as payload, signature, public_key from project_adjustments where signature is not null`,
  },
  constructionOrder: {
    name: '整改/暂停决定', nameEn: 'Rectification and suspension orders', article: '第二十一条',
    rows: sql`select id, kind as action, 'project' as object_type, project_id as object_id, ordered_by as signer_id, ordered_at as signed_at,
      payload, signature, public_key from construction_orders`,
  },
  constructionOrderLift: {
    name: '解除暂停决定', nameEn: 'Suspensions lifted', article: '第二十一条',
    rows: sql`select id, 'lift' as action, 'project' as object_type, project_id as object_id, lifted_by as signer_id, lifted_at as signed_at,
      lift_payload as payload, lift_signature as signature, null::text as public_key from construction_orders where lift_signature is not null`,
  },
  acceptanceExtension: {
    name: '延期验收决定', nameEn: 'Acceptance extension decisions', article: '第二十五条',
    rows: sql`select id, decision as action, 'project' as object_type, project_id as object_id, decided_by as signer_id, decided_at as signed_at,
      payload, signature, public_key from acceptance_extensions where signature is not null`,
  },
  acceptance: {
    name: '验收决定', nameEn: 'Acceptance decisions', article: '第二十五条、第二十六条',
    rows: sql`select id, result as action, 'project' as object_type, project_id as object_id, actor_id as signer_id, created_at as signed_at,
      payload, signature, public_key from acceptance_decisions`,
  },
  escalation: {
    name: '整改升级与解除决定', nameEn: 'Escalation and lifting decisions', article: '第三十条',
    rows: sql`select id, step || '.' || action as action, case when project_id is null then 'rectification_order' else 'project' end as object_type,
      coalesce(project_id, order_id) as object_id, actor_id as signer_id, created_at as signed_at,
      payload, signature, public_key from escalation_decisions`,
  },
} as const satisfies Record<string, SignedKind>;

export type SignedKindCode = keyof typeof SIGNED_KINDS;
export const SIGNED_KIND_CODES = Object.keys(SIGNED_KINDS) as SignedKindCode[];

export interface SignedRecordFilter {
  kind?: SignedKindCode | undefined;
  objectId?: string | undefined;
  /** The signer's username. */
  signer?: string | undefined;
  /** Calendar dates in Asia/Shanghai, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

/** Why a signature does or does not hold. */
export type SignatureVerdict = 'valid' | 'invalid' | 'key_mismatch' | 'signer_unknown';

export interface SignedRecordView {
  kind: SignedKindCode;
  id: string;
  action: string;
  objectType: string;
  objectId: string;
  /** The project's 项目代码 / the system's or framework plan's name, when there is one. */
  objectLabel: string | null;
  signer: { id: string; username: string | null; displayName: string | null };
  signedAt: string | null;
  /** SM3 of the signed text and its length in characters. */
  payloadSm3: string;
  payloadLength: number;
  signature: string;
  /** The key stored with the signature (null when the table keeps none). */
  storedPublicKey: string | null;
  /** The signer's key as registered in `users`. */
  signerPublicKey: string | null;
  verdict: SignatureVerdict;
  /** SM2 over the stored text with the signer's registered key. */
  validWithSignerKey: boolean;
  /** SM2 over the stored text with the stored key (null when none is stored). */
  validWithStoredKey: boolean | null;
}

interface RawRow {
  kind: SignedKindCode;
  id: string;
  action: string;
  object_type: string;
  object_id: string;
  signer_id: string;
  signed_at: Date | string | null;
  payload: string;
  signature: string;
  public_key: string | null;
  username: string | null;
  display_name: string | null;
  signer_key: string | null;
  object_label: string | null;
}

/** Verifies one stored signature: the verdict and both checks. */
export function verdictOf(payload: string, signature: string, storedKey: string | null, signerKey: string | null): Pick<SignedRecordView, 'verdict' | 'validWithSignerKey' | 'validWithStoredKey'> {
  const validWithStoredKey = storedKey === null ? null : sm2Verify(payload, signature, storedKey);
  if (signerKey === null) return { verdict: 'signer_unknown', validWithSignerKey: false, validWithStoredKey };
  const validWithSignerKey = sm2Verify(payload, signature, signerKey);
  const verdict: SignatureVerdict = storedKey !== null && storedKey !== signerKey ? 'key_mismatch' : validWithSignerKey ? 'valid' : 'invalid';
  return { verdict, validWithSignerKey, validWithStoredKey };
}

function union(kinds: readonly SignedKindCode[]): RawBuilder<unknown> {
  return sql.join(kinds.map((k) => sql`select ${k}::text as kind, r.id::text as id, r.action::text as action, r.object_type::text as object_type,
    r.object_id::text as object_id, r.signer_id, r.signed_at, r.payload, r.signature, r.public_key from (${SIGNED_KINDS[k].rows}) r`), sql` union all `);
}

function filtered(f: SignedRecordFilter) {
  const kinds = f.kind ? [f.kind] : SIGNED_KIND_CODES;
  const where: RawBuilder<unknown>[] = [sql`true`];
  if (f.objectId) where.push(sql`s.object_id = ${f.objectId}`);
  if (f.signer) where.push(sql`u.username = ${f.signer.toLowerCase()}`);
  if (f.from) where.push(sql`s.signed_at >= (${f.from}::date)::timestamp at time zone 'Asia/Shanghai'`);
  if (f.to) where.push(sql`s.signed_at < (${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`);
  return sql`from (${union(kinds)}) s
    left join users u on u.id = s.signer_id
    left join projects p on s.object_type = 'project' and p.id::text = s.object_id
    left join government_systems g on s.object_type = 'system' and g.id::text = s.object_id
    left join framework_plans fp on s.object_type = 'framework' and fp.id::text = s.object_id
    where ${sql.join(where, sql` and `)}`;
}

const SELECT = sql`select s.*, u.username, u.display_name, u.sm2_public_key as signer_key,
  coalesce(p.code, g.name, fp.name) as object_label`;

function present(r: RawRow): SignedRecordView {
  const signedAt = r.signed_at === null ? null : new Date(r.signed_at).toISOString();
  return {
    kind: r.kind, id: r.id, action: r.action, objectType: r.object_type, objectId: r.object_id, objectLabel: r.object_label,
    signer: { id: r.signer_id, username: r.username, displayName: r.display_name }, signedAt,
    payloadSm3: sm3Hex(r.payload), payloadLength: r.payload.length, signature: r.signature,
    storedPublicKey: r.public_key, signerPublicKey: r.signer_key,
    ...verdictOf(r.payload, r.signature, r.public_key, r.signer_key),
  };
}

/** A page of signed decisions, newest first, each verified now (audit:verify). */
export async function listSignedRecords(services: Services, actor: Actor, f: SignedRecordFilter, page: number, pageSize: number) {
  requireAccess(actor, 'audit:verify');
  const db = services.database.db;
  const from = filtered(f);
  const [rows, count] = await Promise.all([
    sql<RawRow>`${SELECT} ${from} order by s.signed_at desc nulls last, s.kind, s.id limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db),
    sql<{ n: string }>`select count(*)::text as n ${from}`.execute(db),
  ]);
  return { items: rows.rows.map(present), total: Number(count.rows[0]!.n) };
}

/** Every matching signed decision, verified, in batches for the streamed export. */
export async function* iterateSignedRecords(services: Services, actor: Actor, f: SignedRecordFilter, batch = 500): AsyncGenerator<SignedRecordView[]> {
  requireAccess(actor, 'audit:verify');
  const from = filtered(f);
  for (let offset = 0; ; offset += batch) {
    const rows = (await sql<RawRow>`${SELECT} ${from} order by s.signed_at desc nulls last, s.kind, s.id limit ${batch} offset ${offset}`.execute(services.database.db)).rows;
    if (rows.length === 0) return;
    yield rows.map(present);
    if (rows.length < batch) return;
  }
}

/** One signed decision with its exact signed text, verified now: who signed what, and when. */
export async function getSignedRecord(services: Services, actor: Actor, kind: SignedKindCode, id: string): Promise<SignedRecordView & { payload: string }> {
  requireAccess(actor, 'audit:verify');
  const rows = (await sql<RawRow>`${SELECT} ${filtered({ kind })} and s.id = ${id}`.execute(services.database.db)).rows;
  const r = rows[0];
  if (!r) throw new AppError('resource.not_found');
  return { ...present(r), payload: r.payload };
}
