// The official document of a lifecycle decision (批复, 不予批复, 退回 notices, 备案回执) as a
// GB/T 9704-2012 .docx, rebuilt on request from the signed action row (第九条, 第十一条).
import { appendAuditEvent } from '../audit/writer.ts';
import { sm2Verify } from '../crypto/sm2.ts';
import { decisionToDocument, isDocumentAction } from '../documents/decision-document.ts';
import { renderOfficialDocument } from '../documents/gbt9704.ts';
import { renderOfficialDocumentPdf } from '../documents/pdf.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';
import { getProject } from './projects.ts';

/**
 * The .docx of one decision of a project the caller can see. Not visible, not this project's,
 * or not an action that produces a document: 404 alike. The download is audited.
 */
export async function decisionDocument(services: Services, actor: Actor, projectId: string, actionId: string, format: 'docx' | 'pdf' = 'docx'): Promise<{ fileName: string; buffer: Buffer }> {
  const project = await getProject(services, actor, projectId);
  const db = services.database.db;
  const row = await db.selectFrom('project_actions as a').innerJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.seq', 'a.action', 'a.from_stage', 'a.to_stage', 'a.payload', 'a.signature', 'a.public_key', 'a.created_at', 'u.display_name'])
    .where('a.id', '=', actionId).where('a.project_id', '=', projectId)
    .executeTakeFirst();
  if (!row || !isDocumentAction(row.action)) throw new AppError('resource.not_found');

  const { document, fileName } = decisionToDocument({
    id: row.id, seq: row.seq, action: row.action, fromStage: row.from_stage, toStage: row.to_stage,
    payload: row.payload, signature: row.signature,
    signatureValid: row.signature && row.public_key ? sm2Verify(row.payload, row.signature, row.public_key) : null,
    createdAt: row.created_at, actorName: row.display_name,
  }, { constructionUnitName: project.constructionUnitName, approvalDepartmentName: project.approvalDepartmentName });
  // The PDF rendering (SPEC §11, issue 6 item 8) is laid out from the same document.
  const buffer = format === 'pdf' ? await renderOfficialDocumentPdf(document) : await renderOfficialDocument(document);

  await db.transaction().execute((trx) => appendAuditEvent(trx, {
    actor: auditActorFor(actor, 'project:read'), action: 'project.document_download', objectType: 'project', objectId: projectId,
    outcome: 'success', ...requestFacts(actor),
    diff: { after: { actionId: row.id, action: row.action, documentNumber: document.documentNumber, format } },
  }));
  return { fileName: format === 'pdf' ? fileName.replace(/\.docx$/, '.pdf') : fileName, buffer };
}
