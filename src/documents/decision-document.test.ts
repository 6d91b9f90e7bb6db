// 批复, 不予批复, 退回 notices and 备案回执 from a stored decision (第九条, 第十一条).
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../audit/chain.ts';
import { sm3Hex } from '../crypto/sm3.ts';
import { decisionToDocument, isDocumentAction, type DocumentAction, type StoredDecision } from './decision-document.ts';
import { renderOfficialDocument } from './gbt9704.ts';
import { paragraphs, paragraphWith, readDocx } from './test-support.ts';

const parties = { constructionUnitName: '人力资源和社会保障部信息中心', approvalDepartmentName: '国家发展和改革委员会创新和高技术发展司' };
const SIGNATURE = '3045022100' + 'ab'.repeat(32) + '0220' + 'cd'.repeat(32);

function decision(action: DocumentAction, payload: Record<string, unknown> = {}, over: Partial<StoredDecision> = {}): StoredDecision {
  return {
    id: '00000000-0000-4000-8000-000000000001', seq: '42', action, fromStage: 'feasibilityStudy', toStage: 'preliminaryDesign',
    payload: canonicalJson({
      type: 'govproj.lifecycle-action.v1', projectId: 'p1', projectCode: '2026-110000-65-01-000123', projectName: '全国社会保险公共服务平台升级改造项目',
      action, from: { stage: 'feasibilityStudy', status: 'under_review' }, to: { stage: 'preliminaryDesign', status: 'draft' },
      totalInvestment: '800.5', oAndMFunds: '35.00',
      materials: [
        { code: 'feasibilityStudy', version: 2, sm3: 'a'.repeat(64) },
        { code: 'sharingAnalysis', version: 1, sm3: 'b'.repeat(64) },
      ],
      reasons: null, sharingOpinions: '同意信息资源共享分析，按目录向国家数据共享交换平台共享。', returnTo: null,
      actorId: 'u1', actorUsername: 'approver', role: 'approver', at: '2026-11-26T02:00:00.000Z',
      ...payload,
    }),
    signature: SIGNATURE, signatureValid: true, createdAt: new Date('2026-11-26T02:00:00.000Z'), actorName: '赵敏',
    ...over,
  };
}

async function documentXml(d: StoredDecision) {
  const { document, fileName } = decisionToDocument(d, parties);
  const xml = (await readDocx(await renderOfficialDocument(document))).get('word/document.xml')!;
  return { document, fileName, xml, texts: paragraphs(xml).map((p) => p.text) };
}

describe('批复 (approve)', () => {
  it('第十一条: 批复 carries the sharing opinions as a numbered paragraph', async () => {
    const { xml, document } = await documentXml(decision('approve'));
    const p = paragraphWith(xml, '信息资源共享分析意见');
    expect(p.text).toBe('三、信息资源共享分析意见。同意信息资源共享分析，按目录向国家数据共享交换平台共享。');
    expect(p.xml).toMatch(/w:eastAsia="黑体"[^]*三、信息资源共享分析意见。/);
    expect(document.body.filter((b) => typeof b !== 'string')).toHaveLength(3);
  });

  it('第十一条: a 批复 whose payload has no sharing opinions says so instead of dropping the paragraph', async () => {
    const { texts } = await documentXml(decision('approve', { sharingOpinions: null }));
    expect(texts).toContain('三、信息资源共享分析意见。本次批复未载明信息资源共享分析意见。');
  });

  it('第七条: the title names the stage decided on', () => {
    const title = (fromStage: string) => decisionToDocument(decision('approve', {}, { fromStage }), parties).document.title;
    expect(title('proposal')).toBe('关于全国社会保险公共服务平台升级改造项目项目建议书的批复');
    expect(title('feasibilityStudy')).toBe('关于全国社会保险公共服务平台升级改造项目可行性研究报告的批复');
    expect(title('preliminaryDesign')).toBe('关于全国社会保险公共服务平台升级改造项目初步设计方案和投资概算的批复');
    expect(title('combinedStage')).toBe('关于全国社会保险公共服务平台升级改造项目可行性研究报告、初步设计方案和投资概算的批复');
  });

  it('names the project code and the approved amounts in 万元 with two decimals, and the next stage', async () => {
    const { texts, document } = await documentXml(decision('approve'));
    expect(texts).toContain('一、同意全国社会保险公共服务平台升级改造项目可行性研究报告。项目代码为2026-110000-65-01-000123。');
    expect(texts).toContain('二、投资。项目总投资为800.50万元，运维经费为35.00万元。');
    expect(texts).toContain('请据此组织编制初步设计方案和投资概算，按程序报批。');
    expect(texts).toContain('此复。');
    expect(document.mainRecipient).toBe('人力资源和社会保障部信息中心');
    expect(document.issuerMark).toBe('国家发展和改革委员会创新和高技术发展司');
    const estimate = decisionToDocument(decision('approve', {}, { fromStage: 'preliminaryDesign', toStage: 'preliminaryDesign' }), parties).document;
    expect(estimate.body).toContainEqual({ level: 1, heading: '二、投资。', text: '核定项目总投资概算为800.50万元，运维经费为35.00万元。' });
    expect(estimate.body).toContain('请严格按照批复的建设内容、投资和信息资源共享要求组织实施。');
  });

  it('lists the signed materials with their SM3 digests as the attachment', async () => {
    const { texts } = await documentXml(decision('approve'));
    expect(texts).toContain('附件：申报材料及SM3摘要清单');
    expect(texts).toEqual(expect.arrayContaining(['可行性研究报告', '信息资源共享分析篇（章）', '第2版', 'a'.repeat(64), 'b'.repeat(64)]));
    const none = decisionToDocument(decision('approve', { materials: [] }), parties).document;
    expect(none.attachments).toBeUndefined();
  });

  it('发文字号 is 〔year〕seq号, 成文日期 the Asia/Shanghai calendar date of the decision', async () => {
    // 2026-12-31 17:30 UTC is already 2027-01-01 in Beijing.
    const { texts, document } = await documentXml(decision('approve', {}, { seq: '7', createdAt: new Date('2026-12-31T17:30:00Z') }));
    expect(document.documentNumber).toBe('〔2027〕7号');
    expect(document.date).toBe('2027-01-01');
    expect(texts).toContain('〔2027〕7号');
    expect(texts).toContain('2027年1月1日');
  });

  it('SPEC §10: the 附注 names the signer and the SM3 digest of the SM2 signature', async () => {
    const { texts } = await documentXml(decision('approve'));
    const digest = sm3Hex(Buffer.from(SIGNATURE, 'hex'));
    expect(texts).toContain(`（本文件已由赵敏以SM2数字签名，签名值SM3摘要${digest}，可在平台验证）`);
    const bad = decisionToDocument(decision('approve', {}, { signatureValid: false }), parties).document;
    expect(bad.note).toContain('签名验证未通过');
  });

  it('other opinions entered with the approval become their own numbered paragraph', () => {
    const d = decisionToDocument(decision('approve', { reasons: '请加强数据安全保护。' }), parties).document;
    expect(d.body).toContainEqual({ level: 1, heading: '四、其他意见。', text: '请加强数据安全保护。' });
  });

  it('XML-special characters in the project name are escaped, and the file name is safe', async () => {
    const { xml, fileName, texts } = await documentXml(decision('approve', { projectName: '测试<&>"项目"' }));
    expect(xml).toContain('测试&lt;&amp;&gt;');
    expect(xml).not.toContain('<&>');
    expect(texts).toContain('关于测试<&>"项目"可行性研究报告的批复');
    expect(fileName).toBe('关于测试<&>"项目"可行性研究报告的批复.docx');
    const sneaky = decisionToDocument(decision('approve', { projectName: '../../etc/passwd\u202e' }), parties).fileName;
    expect(sneaky).not.toMatch(/[/\\\u202e]/);
  });

  it('a payload that cannot be read still gives a document, without "undefined" or "null"', async () => {
    const { xml } = await documentXml(decision('approve', {}, { payload: 'not json' }));
    expect(xml).not.toMatch(/undefined|null|NaN/);
    expect(paragraphWith(xml, '收悉').text).toBe('你单位报送的《该项目可行性研究报告》（项目代码：未赋码）收悉。经研究，现批复如下：');
  });
});

describe('不予批复 and 退回 notices', () => {
  it('不予批复: the decision and each of its reasons', async () => {
    const { texts, document } = await documentXml(decision('reject', { reasons: '不符合国家政务信息化建设规划。\n未开展信息资源共享分析。', sharingOpinions: null }));
    expect(document.title).toBe('关于不予批复全国社会保险公共服务平台升级改造项目可行性研究报告的通知');
    expect(texts).toContain('你单位报送的《全国社会保险公共服务平台升级改造项目可行性研究报告》（项目代码：2026-110000-65-01-000123）收悉。经研究，决定不予批复。');
    expect(texts).toEqual(expect.arrayContaining(['不予批复的理由如下：', '1.不符合国家政务信息化建设规划。', '2.未开展信息资源共享分析。', '特此通知。']));
    expect(document.attachments).toBeUndefined();
  });

  it('不予批复 with a single reason, and with reasons already numbered', () => {
    expect(decisionToDocument(decision('reject', { reasons: '重复建设。' }), parties).document.body).toContain('不予批复的理由：重复建设。');
    expect(decisionToDocument(decision('reject', { reasons: '一、重复建设。\n二、投资过高。' }), parties).document.body)
      .toEqual(expect.arrayContaining(['一、重复建设。', '二、投资过高。']));
  });

  it('missing reasons are said to be missing, never printed as null', async () => {
    const { xml, texts } = await documentXml(decision('reject', { reasons: null }));
    expect(texts).toContain('办理记录未载明不予批复的理由。');
    expect(xml).not.toMatch(/null|undefined/);
    const blank = decisionToDocument(decision('returnForCompletion', { reasons: '  \n ' }, { fromStage: 'filing', toStage: 'filing' }), parties).document;
    expect(blank.body).toContain('办理记录未载明需补正的内容。');
  });

  it('退回修改: the reviewer\'s return, unsigned, naming the stage it goes back to', async () => {
    const d = decision('returnForRevision', { reasons: '需补充建设必要性论证。' }, { signature: null, signatureValid: null, fromStage: 'feasibilityStudy', toStage: 'proposal' });
    const { texts, document } = await documentXml(d);
    expect(document.title).toBe('关于全国社会保险公共服务平台升级改造项目可行性研究报告退回修改的通知');
    expect(texts[texts.findIndex((t) => t.endsWith('：')) + 1]).toContain('经审核，现退回修改。项目退回至项目建议书阶段。');
    expect(texts).toContain('需修改完善的内容：需补充建设必要性论证。');
    expect(document.note).toBe('本文件依据赵敏在平台的办理记录生成，该办理事项不要求数字签名');
  });

  it('第九条: 退回补正通知 lists what the filing must complete', async () => {
    const d = decision('returnForCompletion', { reasons: '缺少密码应用方案。\n缺少等级保护备案情况。' }, { fromStage: 'filing', toStage: 'filing' });
    const { texts, document } = await documentXml(d);
    expect(document.title).toBe('关于全国社会保险公共服务平台升级改造项目备案材料退回补正的通知');
    expect(texts).toEqual(expect.arrayContaining(['需补正的内容如下：', '1.缺少密码应用方案。', '2.缺少等级保护备案情况。', '请补正后重新报送备案。']));
  });
});

describe('备案回执 (file)', () => {
  it('第九条: the receipt says the filing was accepted under 第九条, with the project code', async () => {
    const d = decision('file', { sharingOpinions: null }, { fromStage: 'filing', toStage: 'filing' });
    const { texts, document, fileName } = await documentXml(d);
    expect(document.title).toBe('全国社会保险公共服务平台升级改造项目备案回执');
    expect(fileName).toBe('全国社会保险公共服务平台升级改造项目备案回执.docx');
    expect(texts).toContain('你单位报送的全国社会保险公共服务平台升级改造项目（项目代码：2026-110000-65-01-000123）备案材料收悉。'
      + '根据《国家政务信息化项目建设管理办法》（国办发〔2019〕57号）第九条，经核对，予以备案。');
    expect(texts).toContain('备案项目总投资为800.50万元，运维经费为35.00万元。');
    expect(texts).toContain('特此回执。');
    expect(texts).toContain('附件：申报材料及SM3摘要清单');
    expect(texts.some((t) => t.includes('信息资源共享意见'))).toBe(false);
  });
});

describe('which actions have a document', () => {
  it('decisions and the reviewer\'s return do; submissions and signatures do not', () => {
    for (const a of ['approve', 'reject', 'file', 'returnForCompletion', 'returnForRevision']) expect(isDocumentAction(a)).toBe(true);
    for (const a of ['submit', 'sign', 'accept', 'withdraw', 'completeAssessment', 'toString']) expect(isDocumentAction(a)).toBe(false);
  });
});
