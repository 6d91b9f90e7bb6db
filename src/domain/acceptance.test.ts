import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACCEPTANCE_MATERIAL_CODES, acceptanceApplicationProblems, acceptanceChecklist, acceptanceDecisionProblems, acceptanceReviewItems,
  commissionProblems, conclusionProblems, extensionStateProblems, type AcceptanceReviewFacts,
} from './acceptance.ts';
import { acceptanceApplicationDue, obligationStatus } from './deadlines.ts';
import type { MaterialCode } from './lifecycle.ts';

const ALL_PLAIN: MaterialCode[] = ['constructionSummary', 'financialReport', 'auditReport', 'mlpsTestReport', 'acceptanceCryptoAssessment'];
const open = { completedOn: '2026-08-31', acceptedOn: null, applicationPending: false };

describe('第二十五条: the acceptance application checklist', () => {
  it('第二十五条: five lines; a non-classified project needs the 等保测评报告 for its security line', () => {
    const list = acceptanceChecklist(false, []);
    expect(list.map((i) => [i.key, i.anyOf])).toEqual([
      ['constructionSummary', ['constructionSummary']], ['financialReport', ['financialReport']], ['auditReport', ['auditReport']],
      ['securityRiskAssessment', ['mlpsTestReport']], ['cryptoAssessment', ['acceptanceCryptoAssessment']],
    ]);
    expect(list.every((i) => !i.satisfied)).toBe(true);
  });

  it('第二十五条: a 涉密 project satisfies the security line with 安全保密测评报告 or 风险评估报告, not with 等保测评', () => {
    const line = (codes: MaterialCode[]) => acceptanceChecklist(true, codes).find((i) => i.key === 'securityRiskAssessment')!;
    expect(line([]).satisfied).toBe(false);
    expect(line(['mlpsTestReport']).satisfied).toBe(false);
    expect(line(['classifiedSecurityTestReport']).satisfied).toBe(true);
    expect(line(['riskAssessmentReport']).presentCodes).toEqual(['riskAssessmentReport']);
    expect(line(['classifiedSecurityTestReport', 'riskAssessmentReport']).presentCodes).toHaveLength(2);
    // Conversely a non-classified project's line is not met by the classified reports.
    expect(acceptanceChecklist(false, ['classifiedSecurityTestReport', 'riskAssessmentReport'])[3]!.satisfied).toBe(false);
  });

  it('第二十五条: the filing-stage 密码应用安全性评估报告 (第九条) does not stand for the acceptance one', () => {
    expect(acceptanceChecklist(false, ['cryptoAssessmentReport'])[4]!.satisfied).toBe(false);
  });

  it('第二十五条: every missing line is its own problem, all listed at once', () => {
    const problems = acceptanceApplicationProblems(open, acceptanceChecklist(false, ['financialReport']));
    expect(problems.map((p) => [p.code, p.params.key, p.article])).toEqual([
      ['acceptance.material_missing', 'constructionSummary', '第二十五条'],
      ['acceptance.material_missing', 'auditReport', '第二十五条'],
      ['acceptance.material_missing', 'securityRiskAssessment', '第二十五条'],
      ['acceptance.material_missing', 'cryptoAssessment', '第二十五条'],
    ]);
    expect(problems[0]!.message.zh).toBe('缺少验收申请材料：建设总结');
  });

  it('第二十五条: complete, the application may go; not before completion, not twice, not after acceptance', () => {
    const full = acceptanceChecklist(false, ALL_PLAIN);
    expect(acceptanceApplicationProblems(open, full)).toEqual([]);
    expect(acceptanceApplicationProblems({ ...open, completedOn: null }, full).map((p) => p.code)).toEqual(['acceptance.not_completed']);
    expect(acceptanceApplicationProblems({ ...open, applicationPending: true }, full).map((p) => p.code)).toEqual(['acceptance.application_pending']);
    expect(acceptanceApplicationProblems({ ...open, acceptedOn: '2026-12-01' }, full).map((p) => p.code)).toEqual(['acceptance.already_accepted']);
  });

  it('第二十五条: the checklist is satisfied exactly when each line has one of its codes (property)', () => {
    fc.assert(fc.property(fc.boolean(), fc.subarray([...ACCEPTANCE_MATERIAL_CODES]), (classified, present) => {
      const list = acceptanceChecklist(classified, present);
      const problems = acceptanceApplicationProblems(open, list);
      expect(problems.length).toBe(list.filter((i) => !i.anyOf.some((c) => present.includes(c))).length);
    }));
  });

  it('第二十五条 (I-38): completed 2026-08-31, due 2027-02-28: on the last day dueToday, the next day overdue', () => {
    const { dueOn } = acceptanceApplicationDue('2026-08-31', 6);
    expect(dueOn).toBe('2027-02-28');
    expect(obligationStatus(dueOn, '2027-02-28', 30).status).toBe('dueToday');
    expect(obligationStatus(dueOn, '2027-03-01', 30)).toEqual({ status: 'overdue', dueOn: '2027-02-28', daysLeft: -1 });
    expect(obligationStatus(dueOn, '2027-01-29', 30).status).toBe('dueSoon');
    expect(obligationStatus(dueOn, '2027-01-28', 30).status).toBe('notDue');
  });

  it('第二十五条 (I-3): an extension is asked while neither applied for nor accepted, one at a time', () => {
    expect(extensionStateProblems({ ...open, extensionPending: false })).toEqual([]);
    expect(extensionStateProblems({ ...open, extensionPending: true }).map((p) => p.code)).toEqual(['acceptance.extension_pending']);
    expect(extensionStateProblems({ ...open, applicationPending: true, extensionPending: false }).map((p) => p.code)).toEqual(['acceptance.application_pending']);
    expect(extensionStateProblems({ ...open, completedOn: null, extensionPending: false }).map((p) => p.code)).toEqual(['acceptance.not_completed']);
  });
});

describe('第十六条: what the acceptance reviews besides the materials', () => {
  const none: AcceptanceReviewFacts = { products: { hardware: 0, software: 0, crypto: 0 }, cryptoPlan: false, cryptoAssessment: null, energy: [] };
  const status = (facts: AcceptanceReviewFacts) => Object.fromEntries(acceptanceReviewItems(facts).map((i) => [i.key, i.status]));

  it('第十六条: three lines, all missing when nothing is on record', () => {
    const items = acceptanceReviewItems(none);
    expect(items.map((i) => i.key)).toEqual(['secureProducts', 'cryptography', 'energy']);
    expect(status(none)).toEqual({ secureProducts: 'missing', cryptography: 'missing', energy: 'missing' });
    expect(items[0]!.summary.zh).toBe('未登记安全可靠产品');
  });

  it('第十六条: one product of any category records the line, with the count per category', () => {
    for (const category of ['hardware', 'software', 'crypto'] as const) {
      const facts = { ...none, products: { ...none.products, [category]: 1 } };
      expect(status(facts).secureProducts).toBe('recorded');
    }
    const item = acceptanceReviewItems({ ...none, products: { hardware: 2, software: 3, crypto: 1 } })[0]!;
    expect(item.summary.zh).toBe('已登记安全可靠产品 6 项（硬件 2、软件 3、密码产品 1）');
  });

  it('第十五条, 第十六条: cryptography needs the plan and a passed assessment; a failed latest assessment is failed, plan or not', () => {
    const passed = { occurredOn: '2026-10-31', passed: true };
    const failed = { occurredOn: '2026-10-31', passed: false };
    expect(status({ ...none, cryptoPlan: true }).cryptography).toBe('missing');
    expect(status({ ...none, cryptoAssessment: passed }).cryptography).toBe('missing');
    expect(status({ ...none, cryptoPlan: true, cryptoAssessment: passed }).cryptography).toBe('recorded');
    expect(status({ ...none, cryptoPlan: true, cryptoAssessment: failed }).cryptography).toBe('failed');
    expect(status({ ...none, cryptoAssessment: failed }).cryptography).toBe('failed');
    expect(acceptanceReviewItems({ ...none, cryptoPlan: true, cryptoAssessment: failed })[1]!.summary.zh).toBe('已有密码应用方案；最近一次密评 2026-10-31未通过');
  });

  it('第十六条 (I-50): a PUE is shown as recorded, never judged; the latest comes first', () => {
    const energy = [{ dataCentre: '人社部数据中心', pue: '1.9', occurredOn: '2026-10-01' }, { dataCentre: '旧机房', pue: '2.4', occurredOn: '2025-01-01' }];
    const item = acceptanceReviewItems({ ...none, energy })[2]!;
    expect(item.status).toBe('recorded');
    expect(item.summary.zh).toBe('人社部数据中心 PUE 1.9（2026-10-01）等 2 条');
  });
});

describe('第二十六条: archive acceptance gates project acceptance', () => {
  const base = { result: 'pass' as const, opinion: '同意通过验收', completedOn: '2026-08-31', inOperationOn: '2026-12-01', applicationPending: true };

  it('第二十六条: a pass with the archives accepted goes through', () => {
    expect(acceptanceDecisionProblems({ ...base, archive: { acceptedOn: '2026-11-20', result: 'pass' } })).toEqual([]);
  });

  it('第二十六条: archives not accepted block a pass', () => {
    expect(acceptanceDecisionProblems({ ...base, archive: null }).map((p) => [p.code, p.article])).toEqual([['acceptance.archive_missing', '第二十六条']]);
  });

  it('第二十六条: a failed archive acceptance blocks a pass, with its date', () => {
    const [p] = acceptanceDecisionProblems({ ...base, archive: { acceptedOn: '2026-11-20', result: 'fail' } });
    expect([p!.code, p!.params.acceptedOn]).toEqual(['acceptance.archive_failed', '2026-11-20']);
  });

  it('第二十五条: a fail needs no archive acceptance but an opinion; no decision without a pending application', () => {
    expect(acceptanceDecisionProblems({ ...base, result: 'fail', archive: null })).toEqual([]);
    expect(acceptanceDecisionProblems({ ...base, result: 'fail', opinion: ' \u3000', archive: null }).map((p) => p.code)).toEqual(['acceptance.opinion_missing']);
    expect(acceptanceDecisionProblems({ ...base, applicationPending: false, archive: { acceptedOn: '2026-11-20', result: 'pass' } }).map((p) => p.code))
      .toEqual(['acceptance.no_application']);
  });

  it('第二十七条 (I-54): the go-live date may be the completion day, not the day before', () => {
    const archive = { acceptedOn: '2026-11-20', result: 'pass' as const };
    expect(acceptanceDecisionProblems({ ...base, inOperationOn: '2026-08-31', archive })).toEqual([]);
    expect(acceptanceDecisionProblems({ ...base, inOperationOn: '2026-08-30', archive }).map((p) => p.code)).toEqual(['acceptance.operation_before_completion']);
  });
});

describe('第二十七条: third-party post-evaluation', () => {
  it('第二十七条 (I-55): commissioned after acceptance, on a submitted self-evaluation, one at a time', () => {
    expect(commissionProblems({ acceptedOn: '2026-12-01', selfEvaluationSubmitted: true, openCommission: null })).toEqual([]);
    expect(commissionProblems({ acceptedOn: null, selfEvaluationSubmitted: true, openCommission: null }).map((p) => p.code)).toEqual(['postEvaluation.not_accepted']);
    expect(commissionProblems({ acceptedOn: '2026-12-01', selfEvaluationSubmitted: false, openCommission: '某评价机构' }).map((p) => p.code))
      .toEqual(['postEvaluation.no_self_evaluation', 'postEvaluation.open']);
  });

  it('第二十七条 (I-55): the evaluator concludes with its report and an opinion', () => {
    expect(conclusionProblems({ reportUploaded: true, opinion: '建议继续运行' })).toEqual([]);
    expect(conclusionProblems({ reportUploaded: false, opinion: '' }).map((p) => [p.code, p.article]))
      .toEqual([['postEvaluation.report_missing', '第二十七条'], ['postEvaluation.opinion_missing', '第二十七条']]);
  });
});
