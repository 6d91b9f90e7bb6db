// 验收意见 (第二十五条, 第二十六条): the approval department's signed acceptance decision as a
// GB/T 9704 document, built from the signed payload (govproj.acceptance-decision.v1) alone, never
// from the project as it reads now. Pure: the caller renders it (renderOfficialDocument).
import { sm3Hex } from '../crypto/sm3.ts';
import { MATERIALS, type MaterialCode } from '../domain/lifecycle.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { sanitizeFileName } from '../domain/file-name.ts';
import { formatChineseDate, formatDocumentNumber, type OfficialDocument } from './gbt9704.ts';

/** An acceptance_decisions row as the document needs it. */
export interface StoredAcceptanceDecision {
  /** acceptance_decisions.seq: the 发文顺序号. */
  seq: string;
  payload: string;
  signature: string;
  signatureValid: boolean;
  createdAt: Date;
  actorName: string;
}

interface AcceptancePayload {
  projectCode?: string;
  projectName?: string;
  completedOn?: string;
  result?: 'pass' | 'fail';
  opinion?: string;
  acceptedOn?: string | null;
  inOperationOn?: string | null;
  archiveAcceptance?: { acceptedOn: string; result: 'pass' | 'fail' } | null;
  materials?: Array<{ code: string; version: number; sm3: string }>;
}

function parse(payload: string): AcceptancePayload {
  try {
    const v: unknown = JSON.parse(payload);
    return v && typeof v === 'object' ? v as AcceptancePayload : {};
  } catch {
    return {};
  }
}

/** 第二十五条: the 验收意见 of a decision, addressed to the construction unit. */
export function acceptanceToDocument(
  d: StoredAcceptanceDecision, parties: { constructionUnitName: string; approvalDepartmentName: string },
): { document: OfficialDocument; fileName: string } {
  const p = parse(d.payload);
  const name = p.projectName?.trim() || '该项目';
  const code = p.projectCode?.trim() || '未赋码';
  const date = shanghaiDate(d.createdAt);
  const pass = p.result === 'pass';
  const archive = p.archiveAcceptance
    ? `项目档案已于${formatChineseDate(p.archiveAcceptance.acceptedOn)}通过档案验收。`
    : '';
  const title = `关于${name}竣工验收${pass ? '' : '未通过'}的意见`;
  const body = [
    `你单位报送的${name}（项目代码：${code}）验收申请及有关材料收悉。根据《国家政务信息化项目建设管理办法》（国办发〔2019〕57号）第二十五条、第二十六条，我部门组织了项目验收。${archive}`,
    pass
      ? `经验收，项目通过验收，验收日期为${formatChineseDate(p.acceptedOn ?? date)}，投入运行日期为${formatChineseDate(p.inOperationOn ?? date)}。`
      : '经验收，项目未通过验收。请按验收意见整改后重新申请验收。',
    `验收意见：${p.opinion?.trim() || '无'}`,
    ...(pass ? ['请于验收完成后将验收报告等材料报我部门备案，并在项目验收投产后12至24个月内开展自我评价，将自评报告报送我部门和财政部门。'] : []),
    '特此函告。',
  ];
  const note = d.signatureValid
    ? `本文件已由${d.actorName}以SM2数字签名，签名值SM3摘要${sm3Hex(Buffer.from(d.signature, 'hex'))}，可在平台验证`
    : '本文件所依据的验收结论签名验证未通过，不得作为正式文件使用';
  const materials = p.materials ?? [];
  const document: OfficialDocument = {
    issuerMark: parties.approvalDepartmentName,
    documentNumber: formatDocumentNumber(Number(date.slice(0, 4)), Number(d.seq)),
    title,
    mainRecipient: parties.constructionUnitName,
    body,
    attachments: materials.length === 0 ? undefined : [{
      title: '验收申请材料及SM3摘要清单',
      table: {
        columns: [{ header: '序号', share: 0.8 }, { header: '材料', share: 3 }, { header: '版本', share: 0.9 }, { header: 'SM3摘要', share: 5.3 }],
        rows: materials.map((m, i) => [String(i + 1), MATERIALS[m.code as MaterialCode]?.name.zh ?? m.code, `第${m.version}版`, m.sm3]),
      },
    }],
    signatureOrg: parties.approvalDepartmentName,
    date,
    note,
    printedBy: parties.approvalDepartmentName,
    printDate: date,
  };
  return { document, fileName: sanitizeFileName(`${title}.docx`) || `acceptance-${d.seq}.docx` };
}
