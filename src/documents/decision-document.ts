// A signed lifecycle decision (project_actions) as the official document it stands for (GB/T
// 9704-2012): 批复 for an approval, 不予批复 and 退回 notices, 备案回执 for a filing (第九条).
// Pure: the stored row and the names of the two organizations in, an OfficialDocument out.
//
// The document restates what was signed (the payload's project name, code, amounts, materials
// and opinions), not the project as it reads today: a later edit of the project must not change
// a decision already taken.
import { sm3Hex } from '../crypto/sm3.ts';
import { MATERIALS, type MaterialCode } from '../domain/lifecycle.ts';
import { formatWan, parseWan } from '../domain/money.ts';
import { sanitizeFileName } from '../domain/file-name.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { formatDocumentNumber, type BodyParagraph, type OfficialDocument } from './gbt9704.ts';

/** Actions that produce a document: the decisions, and the reviewer's return (退回修改). */
export const DOCUMENT_ACTIONS = ['approve', 'reject', 'file', 'returnForCompletion', 'returnForRevision'] as const;
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number];
export const isDocumentAction = (a: string): a is DocumentAction => (DOCUMENT_ACTIONS as readonly string[]).includes(a);

/** A project_actions row as the document needs it. */
export interface StoredDecision {
  id: string;
  /** project_actions.seq: serves as the 发文顺序号. */
  seq: string;
  action: DocumentAction;
  fromStage: string;
  toStage: string;
  /** The canonical JSON that was signed. */
  payload: string;
  /** SM2 signature (DER hex); null for an unsigned action (a reviewer's return). */
  signature: string | null;
  /** Whether the signature verifies against the payload and the stored key; null when unsigned. */
  signatureValid: boolean | null;
  createdAt: Date;
  /** Display name of the user who acted. */
  actorName: string;
}

/** The organizations named in the document: 主送机关 and 发文机关. */
export interface DecisionParties {
  constructionUnitName: string;
  approvalDepartmentName: string;
}

/** The fields of the signed payload (govproj.lifecycle-action.v1) the document uses; all may be absent. */
interface DecisionPayload {
  projectCode?: string;
  projectName?: string;
  totalInvestment?: string | null;
  oAndMFunds?: string | null;
  materials?: Array<{ code: string; version: number; sm3: string }>;
  reasons?: string | null;
  sharingOpinions?: string | null;
}

/** What each stage's decision is about, as a document title names it. */
const STAGE_DOCUMENT: Readonly<Record<string, string>> = {
  proposal: '项目建议书',
  feasibilityStudy: '可行性研究报告',
  preliminaryDesign: '初步设计方案和投资概算',
  combinedStage: '可行性研究报告、初步设计方案和投资概算',
  filing: '备案材料',
};

/** How the total investment is named at each stage: 估算, then the figure of the study, then 概算. */
const INVESTMENT_LABEL: Readonly<Record<string, string>> = {
  proposal: '项目总投资估算为',
  feasibilityStudy: '项目总投资为',
  preliminaryDesign: '核定项目总投资概算为',
  combinedStage: '核定项目总投资概算为',
};

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 万元 with exactly the places it was decided with, never fewer than two. */
function wan(text: string | null | undefined): string {
  if (!text) return '0.00';
  const fen = parseWan(text);
  return fen === null ? text : formatWan(fen);
}

function parsePayload(payload: string): DecisionPayload {
  try {
    const v: unknown = JSON.parse(payload);
    return v && typeof v === 'object' ? v as DecisionPayload : {};
  } catch {
    return {};
  }
}

/** Lines of the entered reasons; lines already numbered keep their numbers. */
function reasonLines(reasons: string | null | undefined): string[] {
  return (reasons ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}

/** "理由如下：" and one paragraph a line, or a sentence saying that none were recorded. */
function reasonsParagraphs(reasons: string | null | undefined, intro: string): BodyParagraph[] {
  const lines = reasonLines(reasons);
  if (lines.length === 0) return [`办理记录未载明${intro}。`];
  if (lines.length === 1) return [`${intro}：${lines[0]}`];
  const numbered = /^(\d+[.．、]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)])/;
  return [`${intro}如下：`, ...lines.map((l, i) => (numbered.test(l) ? l : `${i + 1}.${l}`))];
}

/** 附注: who signed, and a digest of the signature to find and check it by (SM3 of the DER bytes). */
function signatureNote(d: StoredDecision): string {
  if (d.signature === null) return `本文件依据${d.actorName}在平台的办理记录生成，该办理事项不要求数字签名`;
  if (d.signatureValid === false) return '本文件所依据的办理记录签名验证未通过，不得作为正式文件使用';
  return `本文件已由${d.actorName}以SM2数字签名，签名值SM3摘要${sm3Hex(Buffer.from(d.signature, 'hex'))}，可在平台验证`;
}

/** The signed materials as an attachment: what the decision was taken on, each by its SM3 digest. */
function materialsAttachment(p: DecisionPayload): OfficialDocument['attachments'] {
  const materials = p.materials ?? [];
  if (materials.length === 0) return undefined;
  return [{
    title: '申报材料及SM3摘要清单',
    table: {
      columns: [{ header: '序号', share: 0.8 }, { header: '材料', share: 3 }, { header: '版本', share: 0.9 }, { header: 'SM3摘要', share: 5.3 }],
      rows: materials.map((m, i) => [
        String(i + 1), MATERIALS[m.code as MaterialCode]?.name.zh ?? m.code, `第${m.version}版`, m.sm3,
      ]),
    },
  }];
}

/**
 * The document of a decision. The 发文字号 is 〔year〕N号 with N the action's sequence number
 * (project_actions.seq): unique, never reused, and assigned when the decision was taken. The
 * platform keeps no per-department register of 文号, so it does not pretend to one.
 */
export function decisionToDocument(d: StoredDecision, parties: DecisionParties): { document: OfficialDocument; fileName: string } {
  const p = parsePayload(d.payload);
  const name = p.projectName?.trim() || '该项目';
  const code = p.projectCode?.trim() || '未赋码';
  const stageDoc = STAGE_DOCUMENT[d.fromStage] ?? d.fromStage;
  const date = shanghaiDate(d.createdAt);
  const received = `你单位报送的《${name}${stageDoc}》（项目代码：${code}）收悉。`;
  const amounts = `${INVESTMENT_LABEL[d.fromStage] ?? '项目总投资为'}${wan(p.totalInvestment)}万元，运维经费为${wan(p.oAndMFunds)}万元。`;
  const sharing = p.sharingOpinions?.trim();
  const otherOpinions = reasonLines(p.reasons).join('');

  let title: string;
  let body: BodyParagraph[];
  switch (d.action) {
    case 'approve': {
      const items: Array<[string, string]> = [
        [`同意${name}${stageDoc}。`, `项目代码为${code}。`],
        ['投资。', amounts],
        // 第十一条: the approval document carries the information-resource sharing opinions.
        ['信息资源共享分析意见。', sharing || '本次批复未载明信息资源共享分析意见。'],
      ];
      if (otherOpinions) items.push(['其他意见。', otherOpinions]);
      const next = d.toStage !== d.fromStage && STAGE_DOCUMENT[d.toStage]
        ? `请据此组织编制${STAGE_DOCUMENT[d.toStage]}，按程序报批。`
        : '请严格按照批复的建设内容、投资和信息资源共享要求组织实施。';
      title = `关于${name}${stageDoc}的批复`;
      body = [
        `${received}经研究，现批复如下：`,
        ...items.map(([heading, text], i): BodyParagraph => ({ level: 1, heading: `${NUMERALS[i]}、${heading}`, text })),
        next,
        '此复。',
      ];
      break;
    }
    case 'reject':
      title = `关于不予批复${name}${stageDoc}的通知`;
      body = [`${received}经研究，决定不予批复。`, ...reasonsParagraphs(p.reasons, '不予批复的理由'), '特此通知。'];
      break;
    case 'returnForRevision': {
      const back = d.toStage !== d.fromStage && STAGE_DOCUMENT[d.toStage] ? `项目退回至${STAGE_DOCUMENT[d.toStage]}阶段。` : '';
      title = `关于${name}${stageDoc}退回修改的通知`;
      body = [`${received}经审核，现退回修改。${back}`, ...reasonsParagraphs(p.reasons, '需修改完善的内容'), '请修改完善后重新报送。', '特此通知。'];
      break;
    }
    case 'returnForCompletion':
      title = `关于${name}备案材料退回补正的通知`;
      body = [
        `你单位报送的${name}（项目代码：${code}）备案材料收悉。经审核，备案材料需补正。`,
        ...reasonsParagraphs(p.reasons, '需补正的内容'), '请补正后重新报送备案。', '特此通知。',
      ];
      break;
    case 'file':
      // 第九条: a filing-track project is filed with the approval department; this is its receipt.
      title = `${name}备案回执`;
      body = [
        `你单位报送的${name}（项目代码：${code}）备案材料收悉。根据《国家政务信息化项目建设管理办法》（国办发〔2019〕57号）第九条，经核对，予以备案。`,
        `备案${amounts}`,
        ...(sharing ? [`信息资源共享意见：${sharing}`] : []),
        ...(otherOpinions ? [`备案意见：${otherOpinions}`] : []),
        '特此回执。',
      ];
      break;
  }

  const document: OfficialDocument = {
    issuerMark: parties.approvalDepartmentName,
    documentNumber: formatDocumentNumber(Number(date.slice(0, 4)), Number(d.seq)),
    title,
    mainRecipient: parties.constructionUnitName,
    body,
    attachments: d.action === 'approve' || d.action === 'file' ? materialsAttachment(p) : undefined,
    signatureOrg: parties.approvalDepartmentName,
    date,
    note: signatureNote(d),
    printedBy: parties.approvalDepartmentName,
    printDate: date,
  };
  const fileName = sanitizeFileName(`${title}.docx`) || `decision-${d.seq}.docx`;
  return { document, fileName };
}
