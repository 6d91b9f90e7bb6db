// 第三十条 official documents (GB/T 9704-2012 via gbt9704.ts): the 整改通知 (rectification notice)
// that a finding opens, and the 通报 (circulated criticism) of the first step of the escalation
// ladder; the later steps (暂缓安排投资计划, 暂停项目建设, 终止项目) as 决定. Pure: stored facts in, an
// OfficialDocument out. A decision's document restates its signed payload, never today's data.
import { sm3Hex } from '../crypto/sm3.ts';
import { sanitizeFileName } from '../domain/file-name.ts';
import { CATEGORY_NAMES, STEP_NAMES, type EscalationStep, type FindingCategory } from '../domain/supervision.ts';
import { formatChineseDate, formatDocumentNumber, type BodyParagraph, type OfficialDocument } from './gbt9704.ts';

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const MEASURES = '《国家政务信息化项目建设管理办法》（国办发〔2019〕57号）';

/** A rectification order as the notice needs it. */
export interface NoticeFacts {
  /** rectification_orders.seq: the 发文顺序号. */
  seq: string;
  issuerName: string;
  unitName: string;
  subjectType: 'project' | 'system';
  subjectName: string;
  projectCode: string | null;
  category: FindingCategory;
  title: string;
  description: string;
  requirements: string;
  foundOn: string;
  dueOn: string;
}

const subjectText = (f: { subjectType: 'project' | 'system'; subjectName: string; projectCode: string | null }) =>
  f.subjectType === 'project' ? `${f.subjectName}（项目代码：${f.projectCode ?? '未赋码'}）` : `政务信息系统“${f.subjectName}”`;

const lines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);

/** 整改通知: what was found, what to do, by when, and what follows if it is not done. */
export function rectificationNotice(f: NoticeFacts): { document: OfficialDocument; fileName: string } {
  const requirements = lines(f.requirements);
  const body: BodyParagraph[] = [
    `根据${MEASURES}第三十条，我单位对${subjectText(f)}的${CATEGORY_NAMES[f.category].zh}情况进行了监督检查，发现存在以下问题：`,
    { level: 1, heading: '一、存在的问题。', text: `${f.title}。${lines(f.description).join('')}` },
    { level: 1, heading: '二、整改要求。', text: requirements.length > 1 ? '' : requirements.join('') },
    ...(requirements.length > 1 ? requirements.map((l, i) => `${i + 1}.${l}`) : []),
    { level: 1, heading: '三、整改期限。', text: `请于${formatChineseDate(f.dueOn)}前完成整改，并通过管理平台报送整改情况及佐证材料。` },
    `逾期整改或者整改后仍不达标的，将依照${MEASURES}第三十条，视情采取通报批评、暂缓安排投资计划、暂停项目建设直至终止项目等措施。`,
    '特此通知。',
  ];
  const title = `关于${f.subjectName}${CATEGORY_NAMES[f.category].zh}问题限期整改的通知`;
  const document: OfficialDocument = {
    issuerMark: f.issuerName, documentNumber: formatDocumentNumber(Number(f.foundOn.slice(0, 4)), Number(f.seq)),
    title, mainRecipient: f.unitName, body, signatureOrg: f.issuerName, date: f.foundOn,
    note: '本通知由管理平台依据监督检查记录生成', printedBy: f.issuerName, printDate: f.foundOn,
  };
  return { document, fileName: sanitizeFileName(`${title}.docx`) || `rectification-${f.seq}.docx` };
}

/** A signed escalation decision as its document needs it. */
export interface EscalationFacts {
  /** escalation_decisions.seq. */
  seq: string;
  step: EscalationStep;
  action: 'impose' | 'lift';
  issuerName: string;
  unitName: string;
  /** The signed canonical JSON (govproj.escalation-decision.v1). */
  payload: string;
  signature: string;
  signatureValid: boolean;
  actorName: string;
  createdOn: string;
  /** 抄送: the project's approval department and the other supervisory bodies, when known. */
  copyTo?: string[];
}

interface EscalationPayload {
  subjectName?: string;
  projectCode?: string | null;
  systemId?: string | null;
  category?: FindingCategory;
  dueOn?: string;
  orderStatus?: string;
  reason?: string;
}

function parse(payload: string): EscalationPayload {
  try {
    const v: unknown = JSON.parse(payload);
    return v && typeof v === 'object' ? v as EscalationPayload : {};
  } catch {
    return {};
  }
}

const EFFECT: Readonly<Record<EscalationStep, string>> = {
  criticism: '',
  deferInvestment: '自本决定作出之日起，暂缓安排该项目投资计划，整改核查合格并经决定解除前，不下达新的投资。',
  suspendConstruction: '自本决定作出之日起，暂停该项目建设，整改核查合格并经决定解除前，不得开展任何建设实施活动。',
  terminate: '自本决定作出之日起，终止该项目，不得再开展任何建设实施活动，已下达未使用的资金按规定处理。',
};

/** 通报 (通报批评) or the 决定 of a later step (or of lifting one), restating the signed payload. */
export function escalationDocument(f: EscalationFacts): { document: OfficialDocument; fileName: string } {
  const p = parse(f.payload);
  const name = p.subjectName?.trim() || '该项目';
  const subject = subjectText({ subjectType: p.systemId ? 'system' : 'project', subjectName: name, projectCode: p.projectCode ?? null });
  const category = p.category ? CATEGORY_NAMES[p.category]?.zh ?? '' : '';
  const cause = p.orderStatus === 'failed' ? '整改后仍不达标' : `未在${p.dueOn ? formatChineseDate(p.dueOn) : '规定期限'}前完成整改`;
  const reason = p.reason?.trim() ? [`${p.reason.trim()}`] : [];
  const step = STEP_NAMES[f.step].zh;
  let title: string;
  let body: BodyParagraph[];
  if (f.action === 'lift') {
    title = `关于解除${name}${step}的决定`;
    body = [
      `${f.unitName}针对${subject}${category}问题的整改已经核查合格。根据${MEASURES}第三十条，决定解除${step}。`,
      ...reason, '特此决定。',
    ];
  } else if (f.step === 'criticism') {
    title = `关于对${f.unitName}${name}${category}问题整改不力的通报`;
    body = [
      `我单位在监督检查中发现${subject}存在${category}问题，已责令${f.unitName}限期整改。该单位${cause}。`,
      ...reason,
      `根据${MEASURES}第三十条，现予以通报批评。`,
      `${f.unitName}应深刻吸取教训，立即整改到位，并报送整改情况。逾期仍未整改到位的，将依规暂缓安排投资计划、暂停项目建设直至终止项目。`,
      '各有关单位要引以为戒，严格落实政务信息化项目建设管理要求。',
    ];
  } else {
    title = `关于对${name}${step}的决定`;
    body = [
      `我单位在监督检查中发现${subject}存在${category}问题，已责令${f.unitName}限期整改。该单位${cause}。`,
      ...reason,
      `根据${MEASURES}第三十条，决定如下：`,
      { level: 1, heading: `${NUMERALS[0]}、${step}。`, text: EFFECT[f.step] },
      { level: 1, heading: `${NUMERALS[1]}、继续整改。`, text: `${f.unitName}应继续整改并报送整改情况；整改核查合格后，可申请解除本决定${f.step === 'terminate' ? '以外的措施' : ''}。` },
      '特此决定。',
    ];
  }
  const note = f.signatureValid
    ? `本文件已由${f.actorName}以SM2数字签名，签名值SM3摘要${sm3Hex(Buffer.from(f.signature, 'hex'))}，可在平台验证`
    : '本文件所依据的决定记录签名验证未通过，不得作为正式文件使用';
  const document: OfficialDocument = {
    issuerMark: f.issuerName, documentNumber: formatDocumentNumber(Number(f.createdOn.slice(0, 4)), Number(f.seq)),
    title, mainRecipient: f.unitName, body, signatureOrg: f.issuerName, date: f.createdOn, note,
    ...(f.copyTo?.length ? { copyTo: f.copyTo } : {}), printedBy: f.issuerName, printDate: f.createdOn,
  };
  return { document, fileName: sanitizeFileName(`${title}.docx`) || `escalation-${f.seq}.docx` };
}
