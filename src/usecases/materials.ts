// Project materials (SPEC §10; 第七条–第九条, 第十一条): the documents of a stage, each a
// versioned file with its SM3 digest. The preparer uploads them while the stage is a draft or
// was returned; everyone who may read the project may list and download them, and every
// upload and every download is in the audit log. Visibility is the project's (projects.ts).
//
// An upload is streamed through the SM3 hasher into the file store's staging area (never
// held in memory); only when its bytes are what it claims to be is a row written, in one
// transaction with its audit event, and the file moved under its key before that commits.
// Anything that fails earlier leaves no row, no file and no audit event.
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import {
  MATERIALS, STAGE_MATERIALS, STAGE_NAMES, isEditable, isLifecycleState, stateName,
  type LocalizedText, type MaterialCode, type Stage,
} from '../domain/lifecycle.ts';
import { resolveAccess, type Permission } from '../domain/authz.ts';
import { ACCEPTANCE_MATERIAL_CODES } from '../domain/acceptance.ts';
import { checkClaim, detectFileType, FILE_TYPE_INFO, typeOfExtension } from '../domain/file-type.ts';
import { sanitizeFileName } from '../domain/file-name.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Executor } from '../db/database.ts';
import type { Services } from '../services.ts';
import { fileStoreFor, FileTooLargeError, type StagedFile } from '../storage/file-store.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { assertPhaseAllowsUpload } from './acceptance.ts';
import { getProject, type Project } from './projects.ts';

export interface Material {
  id: string;
  projectId: string;
  stage: Stage;
  stageName: LocalizedText;
  materialCode: MaterialCode;
  materialName: LocalizedText;
  versionNo: number;
  /** Whether this is the newest version of its stage and code. */
  latest: boolean;
  fileName: string;
  /** Detected from the bytes. */
  mediaType: string;
  sizeBytes: number;
  sm3: string;
  uploadedBy: { id: string; displayName: string };
  uploadedAt: string;
}

export interface MaterialUpload {
  stage: Stage;
  materialCode: MaterialCode;
  /** The name the client gave the file. */
  fileName: string;
  /** The Content-Type the client gave the file part. */
  contentType: string | undefined;
  content: Readable;
  /**
   * Runs once the content has been staged and before anything is stored: the route checks
   * that nothing else follows the file in the request. Throwing stores nothing.
   */
  afterContent?: () => Promise<void>;
}

type MaterialRow = {
  id: string; project_id: string; stage: string; material_code: string; version_no: number; file_name: string;
  media_type: string; size_bytes: string; sm3: string; storage_key: string; uploaded_by: string; uploaded_at: Date;
  uploader_name: string; latest_version: number;
};

/** The codes a file can be uploaded for at `stage`: its checklist, less the platform-held catalog. */
export function uploadableCodes(stage: Stage): MaterialCode[] {
  return STAGE_MATERIALS[stage].map((r) => r.code).filter((code) => MATERIALS[code].evidence !== 'catalog');
}

function selectMaterials(db: Executor) {
  return db.selectFrom('project_materials as m')
    .innerJoin('users as u', 'u.id', 'm.uploaded_by')
    .selectAll('m')
    .select([
      'u.display_name as uploader_name',
      sql<number>`(select max(x.version_no) from project_materials x
        where x.project_id = m.project_id and x.stage = m.stage and x.material_code = m.material_code)`.as('latest_version'),
    ]);
}

function present(project: Pick<Project, 'involvesSecrets'>, r: MaterialRow): Material {
  const code = r.material_code as MaterialCode;
  const def = MATERIALS[code];
  return {
    id: r.id, projectId: r.project_id,
    stage: r.stage as Stage, stageName: STAGE_NAMES[r.stage as Stage] ?? { zh: r.stage, en: r.stage },
    materialCode: code,
    materialName: (project.involvesSecrets && def?.classifiedName ? def.classifiedName : def?.name) ?? { zh: code, en: code },
    versionNo: r.version_no, latest: r.version_no === Number(r.latest_version),
    fileName: r.file_name, mediaType: r.media_type, sizeBytes: Number(r.size_bytes), sm3: r.sm3.trim(),
    uploadedBy: { id: r.uploaded_by, displayName: r.uploader_name }, uploadedAt: r.uploaded_at.toISOString(),
  };
}

/**
 * 第七条: the preparer changes a stage's materials only while it is a draft or was returned;
 * the entrusted 咨询评估单位 uploads its report while the stage is under assessment.
 */
function assertUploadable(state: { track: string; stage: string; status: string }, stage: Stage, materialCode: MaterialCode) {
  if (!isLifecycleState(state)) throw new Error(`project holds an undeclared lifecycle state ${state.stage}.${state.status}`);
  // 第二十五条–第二十七条: acceptance and post-evaluation materials (and the post-evaluation
  // report) come after the project is approved or filed, kept under its last stage; the phase
  // (completed, accepted, commissioned) is checked by assertPhaseAllowsUpload.
  if (materialCode === 'postEvaluationReport' || AFTER_COMPLETION_CODES.includes(materialCode)) {
    if (state.status !== 'approved' && state.status !== 'filed') throw new AppError('project.not_editable', { params: { state: stateName(state).zh } });
    if (state.stage !== stage) throw new AppError('material.stage_not_current', { params: { stage: STAGE_NAMES[state.stage].zh } });
    return;
  }
  if (materialCode === 'assessmentReport') {
    if (state.status !== 'assessing') throw new AppError('project.not_editable', { params: { state: stateName(state).zh } });
    if (state.stage !== stage) throw new AppError('material.stage_not_current', { params: { stage: STAGE_NAMES[state.stage].zh } });
    return;
  }
  if (!isEditable(state)) throw new AppError('project.not_editable', { params: { state: stateName(state).zh } });
  if (state.stage !== stage) throw new AppError('material.stage_not_current', { params: { stage: STAGE_NAMES[state.stage].zh } });
  if (!uploadableCodes(stage).includes(materialCode)) {
    throw new AppError('validation.failed', { fields: [{ path: 'materialCode', code: 'material.code_not_in_stage' }] });
  }
}

export async function stageUpload(services: Services, content: Readable): Promise<StagedFile> {
  try {
    return await fileStoreFor(services.config).stage(content, { maxBytes: services.config.uploadLimitBytes });
  } catch (err) {
    if (err instanceof FileTooLargeError) throw new AppError('validation.body_too_large');
    // The disk is full, or the object store refused or cannot be reached: nothing was stored;
    // the service cannot take files right now. (An S3 answer carries `$metadata`; the upload's
    // own stream errors — the client went away — keep their identity for the route.)
    const code = (err as NodeJS.ErrnoException).code;
    // I-87: a store that is full, read-only or refused to us (EROFS, EACCES, EPERM) is down as well.
    const storeDown = code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ECONNREFUSED' || code === 'ENOTFOUND'
      || code === 'EAI_AGAIN' || code === 'ETIMEDOUT' || (typeof err === 'object' && err !== null && '$metadata' in err);
    if (storeDown) throw new AppError('service_unavailable', { message: String(err) });
    throw err;
  }
}

/** I-87: the disk filled up or went read-only between staging and commit: the same 503, nothing stored. */
export async function commitStaged(staged: StagedFile): Promise<void> {
  try {
    await staged.commit();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
      throw new AppError('service_unavailable', { message: String(err) });
    }
    throw err;
  }
}

/** Who uploads a material: the assessor its report (第七条), the construction unit the rest. */
export function uploadPermission(materialCode: MaterialCode): Permission {
  return materialCode === 'assessmentReport' ? 'project:assess' : 'project:update';
}

/** The codes of acceptance and self-evaluation (第二十五条, 第二十七条), uploaded after completion. */
const AFTER_COMPLETION_CODES: readonly MaterialCode[] = [...ACCEPTANCE_MATERIAL_CODES, 'acceptanceReport', 'selfEvaluationReport'];

/**
 * 第二十七条: a commissioned 第三方评价机构 uploads the post-evaluation report (evaluation:report);
 * the construction unit may still upload one commissioned outside the platform (第九条 links it).
 */
function permissionFor(actor: Actor, materialCode: MaterialCode): Permission {
  if (materialCode === 'postEvaluationReport' && resolveAccess(actor, 'evaluation:report').allowed) return 'evaluation:report';
  return uploadPermission(materialCode);
}

/** Uploads the next version of a material of the project's current stage (SPEC §10). */
export async function uploadMaterial(services: Services, actor: Actor, projectId: string, upload: MaterialUpload): Promise<Material> {
  const permission = permissionFor(actor, upload.materialCode);
  requireAccess(actor, permission);
  // Everything that can be refused without the file is refused before a byte of it is read.
  const project = await getProject(services, actor, projectId, permission);
  assertUploadable(project.lifecycle, upload.stage, upload.materialCode);
  const evaluatorOrgs = permission === 'evaluation:report' ? actor.organizationIds : null;
  await assertPhaseAllowsUpload(services.database.db, projectId, upload.materialCode, evaluatorOrgs);
  const fileName = sanitizeFileName(upload.fileName);
  if (!/\.[^.]+$/.test(fileName)) throw new AppError('validation.failed', { fields: [{ path: 'file', code: 'material.file_name' }] });
  if (typeOfExtension(fileName) === null) throw new AppError('material.type_unsupported');

  const staged = await stageUpload(services, upload.content);
  try {
    await upload.afterContent?.();
    if (staged.size === 0) throw new AppError('validation.failed', { fields: [{ path: 'file', code: 'material.file_empty' }] });
    // SPEC §10: the type is what the bytes are, and it must be what the upload says it is.
    const detected = await detectFileType(staged);
    const claim = checkClaim(detected, fileName, upload.contentType);
    if (!claim.ok) {
      if (claim.reason === 'unsupported') throw new AppError('material.type_unsupported');
      throw new AppError('material.type_mismatch', { params: { detected: FILE_TYPE_INFO[claim.detected].name, claimed: claim.claimed } });
    }
    const mediaType = FILE_TYPE_INFO[claim.type].mediaType;
    const id = await services.database.db.transaction().execute(async (trx) => {
      // The state may have moved while the file was arriving: check again under the row lock,
      // which also serializes version numbers of the project.
      const current = await trx.selectFrom('projects').select(['track', 'stage', 'status']).where('id', '=', projectId)
        .forUpdate().executeTakeFirstOrThrow();
      assertUploadable(current, upload.stage, upload.materialCode);
      await assertPhaseAllowsUpload(trx, projectId, upload.materialCode, evaluatorOrgs);
      const last = await trx.selectFrom('project_materials').select(sql<number | null>`max(version_no)`.as('v'))
        .where('project_id', '=', projectId).where('stage', '=', upload.stage).where('material_code', '=', upload.materialCode)
        .executeTakeFirstOrThrow();
      const versionNo = (last.v ?? 0) + 1;
      const row = await trx.insertInto('project_materials').values({
        project_id: projectId, stage: upload.stage, material_code: upload.materialCode, version_no: versionNo,
        file_name: fileName, media_type: mediaType, size_bytes: staged.size, sm3: staged.sm3, storage_key: staged.sm3,
        uploaded_by: actor.userId, uploaded_at: services.now(),
      }).returning('id').executeTakeFirstOrThrow();
      await appendAuditEvent(trx, {
        actor: auditActorFor(actor, permission), action: 'material.upload', objectType: 'project', objectId: projectId,
        outcome: 'success', ...requestFacts(actor),
        diff: {
          after: {
            materialId: row.id, stage: upload.stage, materialCode: upload.materialCode, versionNo, fileName, mediaType,
            sizeBytes: staged.size, sm3: staged.sm3,
          },
        },
      });
      // The file is in place before the row commits: a row never points at nothing. If the
      // commit fails after this, an unreferenced file remains (content-addressed, harmless).
      await commitStaged(staged);
      return row.id;
    });
    const row = await selectMaterials(services.database.db).where('m.id', '=', id).executeTakeFirstOrThrow() as MaterialRow;
    return present(project, row);
  } finally {
    await staged.discard();
  }
}

/** Every version of every material of the project, newest first. */
export async function listMaterials(services: Services, actor: Actor, projectId: string): Promise<Material[]> {
  const project = await getProject(services, actor, projectId);
  const rows = await selectMaterials(services.database.db).where('m.project_id', '=', projectId)
    .orderBy('m.uploaded_at', 'desc').orderBy('m.version_no', 'desc').orderBy('m.id').execute() as MaterialRow[];
  return rows.map((r) => present(project, r));
}

/** Passes the stored bytes through and fails the stream if they are not the recorded ones. */
export class Verify extends Transform {
  readonly #hash = createHash('sm3');
  #size = 0;
  readonly #sm3: string;
  readonly #expectedSize: number;
  constructor(sm3: string, size: number) {
    super();
    this.#sm3 = sm3;
    this.#expectedSize = size;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    done(null, chunk);
  }
  override _flush(done: TransformCallback) {
    const digest = this.#hash.digest('hex');
    if (digest !== this.#sm3 || this.#size !== this.#expectedSize) return done(new Error(`stored file ${this.#sm3} does not match its digest (got ${digest}, ${this.#size} bytes)`));
    done();
  }
}

/**
 * A material's file for download, audited (read access to 政务 material is logged). The
 * stream re-computes the SM3 as it goes and breaks off if the stored bytes were altered.
 */
export async function openMaterial(services: Services, actor: Actor, projectId: string, materialId: string): Promise<{ material: Material; content: Readable }> {
  const project = await getProject(services, actor, projectId);
  const row = await selectMaterials(services.database.db).where('m.id', '=', materialId).where('m.project_id', '=', projectId)
    .executeTakeFirst() as MaterialRow | undefined;
  if (!row) throw new AppError('resource.not_found');
  const material = present(project, row);
  const store = fileStoreFor(services.config);
  const found = await store.exists(row.storage_key);
  await services.database.db.transaction().execute((trx) => appendAuditEvent(trx, {
    actor: auditActorFor(actor, 'project:read'), action: 'material.download', objectType: 'project', objectId: projectId,
    outcome: found ? 'success' : 'failure', ...requestFacts(actor),
    diff: { after: { materialId, stage: material.stage, materialCode: material.materialCode, versionNo: material.versionNo, sm3: material.sm3 } },
  }));
  if (!found) throw new AppError('material.file_missing');
  const content = store.get(row.storage_key);
  // pipeline, not pipe: a download broken off destroys the stored file's stream too (on S3 an
  // open response body would hold a pooled connection), and the file's errors end the download.
  return { material, content: pipeline(content, new Verify(material.sm3, material.sizeBytes), () => {}) };
}
