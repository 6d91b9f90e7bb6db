// 验收意见 download (第二十五条): the signed acceptance decision as a GB/T 9704 .docx, rebuilt on
// request from the signed row; audited like every official document download.
import { appendAuditEvent } from '../audit/writer.ts';
import { sm2Verify } from '../crypto/sm2.ts';
import { acceptanceToDocument } from '../documents/acceptance-document.ts';
import { renderOfficialDocument } from '../documents/gbt9704.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';
import { getProject } from './projects.ts';

/** The .docx of one acceptance decision of a project the caller can see (404 otherwise). */
export async function acceptanceDocument(services: Services, actor: Actor, projectId: string, decisionId: string): Promise<{ fileName: string; buffer: Buffer }> {
  const project = await getProject(services, actor, projectId);
  const db = services.database.db;
  const row = await db.selectFrom('acceptance_decisions as d').innerJoin('users as u', 'u.id', 'd.actor_id')
    .select(['d.seq', 'd.payload', 'd.signature', 'd.public_key', 'd.created_at', 'u.display_name'])
    .where('d.id', '=', decisionId).where('d.project_id', '=', projectId).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  const { document, fileName } = acceptanceToDocument({
    seq: row.seq, payload: row.payload, signature: row.signature, signatureValid: sm2Verify(row.payload, row.signature, row.public_key),
    createdAt: row.created_at, actorName: row.display_name,
  }, { constructionUnitName: project.constructionUnitName, approvalDepartmentName: project.approvalDepartmentName });
  const buffer = await renderOfficialDocument(document);
  await db.transaction().execute((trx) => appendAuditEvent(trx, {
    actor: auditActorFor(actor, 'project:read'), action: 'acceptance.document_download', objectType: 'project', objectId: projectId,
    outcome: 'success', ...requestFacts(actor), diff: { after: { decisionId, documentNumber: document.documentNumber } },
  }));
  return { fileName, buffer };
}
