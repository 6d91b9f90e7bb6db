import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PERMISSIONS, ROLES, ROLE_CODES, type RoleCode } from './authz.ts';
import {
  APPROVAL_STAGES, FILING_CONTENTS, GUARDS, LIFECYCLE_ACTIONS, LIFECYCLE_STATES, MATERIAL_CODES, PREREQUISITE_APPROVALS,
  PROBLEM_CODES, PROJECT_KINDS, STAGES, STAGE_NAMES, START_RULES, TRANSITIONS, URGENT_REASON_CATEGORIES,
  apply, availableActions, check, checkStart, findTransition, initialState, isEditable, isLifecycleState, isProjectApproved,
  isTerminal, missingMaterials, requiredMaterials, stageChecklist, sameState, stagePath, stateKey, stateName, transitionsFrom,
  type ApprovalStage, type ApprovalStatus, type FilingStatus, type LifecycleAction, type LifecycleContext, type LifecycleProblem,
  type LifecycleState, type MaterialCode, type UrgentDeclaration,
} from './lifecycle.ts';
import { renderLifecycleDoc } from './lifecycle-doc.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

const A = (stage: ApprovalStage, status: ApprovalStatus): LifecycleState => ({ track: 'approval', stage, status });
const F = (status: FilingStatus): LifecycleState => ({ track: 'filing', stage: 'filing', status });

const URGENT: UrgentDeclaration = {
  reasonCategory: 'central_requirement',
  justification: '国务院常务会议明确要求年内上线;可研、初设深度已达到规定要求',
  situationUrgent: true,
  preparationAdequate: true,
};

/** An ordinary approval-track project with nothing done yet. */
const BARE: LifecycleContext = {
  track: 'approval', projectKind: 'new', inPlan: false, urgent: null, newCivilConstruction: false,
  highEnergyConsumption: false, classified: false, materials: [], sharingAnalysisPresent: false, catalog: null,
  assessmentRequired: false, assessmentReport: null,
};

/** A context in which every guard passes. */
const COMPLETE: LifecycleContext = {
  ...BARE,
  urgent: URGENT,
  newCivilConstruction: true,
  projectKind: 'rebuild',
  materials: [...MATERIAL_CODES],
  sharingAnalysisPresent: true,
  catalog: { resourceCount: 3, resourcesWithoutSharingType: 0 },
  assessmentReport: { sharingOpinions: '同意共享分析结论' },
  decision: { reasons: '补充需求分析', sharingOpinions: '共享范围符合要求', returnTo: 'sameStage' },
};

const ctx = (overrides: Partial<LifecycleContext> = {}): LifecycleContext => ({ ...COMPLETE, ...overrides });
const filingCtx = (overrides: Partial<LifecycleContext> = {}): LifecycleContext => ctx({ track: 'filing', ...overrides });
const codes = (problems: readonly LifecycleProblem[]) => problems.map((p) => p.code);
const missingCodes = (problems: readonly LifecycleProblem[]) =>
  problems.filter((p) => p.code === 'material.missing').map((p) => p.params.material);

/** Applies each step and returns the states passed through; fails on the first refusal. */
function run(start: LifecycleState, c: LifecycleContext, steps: ReadonlyArray<[LifecycleAction, RoleCode, Partial<LifecycleContext>?]>) {
  const trail = [stateKey(start)];
  let state = start;
  for (const [action, role, extra] of steps) {
    const result = apply(state, action, { ...c, ...extra }, role);
    if (!result.ok) throw new Error(`${action} by ${role} in ${stateKey(state)}: ${codes(result.problems).join(', ')}`);
    state = result.state;
    trail.push(stateKey(state));
  }
  return { state, trail };
}

/** The steps that carry a stage from draft to a decision. */
const throughStage = (assessment: boolean): Array<[LifecycleAction, RoleCode]> => [
  ['submit', 'preparer'], ['sign', 'unit_lead'], ['accept', 'reviewer'],
  ...(assessment ? [['completeAssessment', 'assessor'] as [LifecycleAction, RoleCode]] : []),
];

// ---------------------------------------------------------------------------------------------

describe('the declared states and the transition table', () => {
  it('lists every state once, each valid, and nothing else is a state', () => {
    const keys = LIFECYCLE_STATES.map(stateKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of LIFECYCLE_STATES) expect(isLifecycleState(s)).toBe(true);
    expect(isLifecycleState(A('proposal', 'approved'))).toBe(false); // approving a 建议书 opens the 可研
    expect(isLifecycleState({ track: 'approval', stage: 'filing', status: 'draft' })).toBe(false);
    expect(isLifecycleState({ track: 'filing', stage: 'filing', status: 'rejected' })).toBe(false);
    expect(isLifecycleState({ track: 'approval', stage: 'construction', status: 'draft' })).toBe(false);
    expect(isLifecycleState(null)).toBe(false);
    expect(isLifecycleState('proposal.draft')).toBe(false);
  });

  it('has one row per (state, action), from and to declared states only', () => {
    const seen = new Set<string>();
    for (const t of TRANSITIONS) {
      const key = `${stateKey(t.from)} ${t.action}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(isLifecycleState(t.from)).toBe(true);
      expect(t.to.length).toBeGreaterThan(0);
      for (const target of t.to) {
        expect(isLifecycleState(target.state), stateKey(target.state)).toBe(true);
        expect(target.state.track).toBe(t.from.track);
      }
      expect(t.roles.length).toBeGreaterThan(0);
    }
    expect(TRANSITIONS).toHaveLength(65);
  });

  it('each row’s roles hold its permission in authz.ts, and only decision makers decide', () => {
    for (const t of TRANSITIONS) {
      for (const role of t.roles) expect(ROLES[role].grants[t.permission], `${role} ${t.permission}`).toBeDefined();
      const decision = (PERMISSIONS[t.permission] as { decision?: true }).decision === true;
      expect(decision).toBe(['approve', 'reject', 'file', 'returnForCompletion'].includes(t.action));
    }
  });

  it('final states are exactly 不予批复, 已批复 at the end of a path, and 已备案', () => {
    expect(LIFECYCLE_STATES.filter(isTerminal).map(stateKey).sort()).toEqual([
      'combinedStage.approved', 'combinedStage.rejected', 'feasibilityStudy.rejected', 'filing.filed',
      'preliminaryDesign.approved', 'preliminaryDesign.rejected', 'proposal.rejected',
    ]);
    expect(LIFECYCLE_STATES.filter(isProjectApproved).map(stateKey).sort()).toEqual(['combinedStage.approved', 'preliminaryDesign.approved']);
  });

  it('every state is reachable from a starting state, and every state can reach a final one', () => {
    const reach = (from: LifecycleState[]) => {
      const seen = new Set(from.map(stateKey));
      const queue = [...from];
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
        for (const t of transitionsFrom(s)) {
          for (const target of t.to) {
            if (!seen.has(stateKey(target.state))) { seen.add(stateKey(target.state)); queue.push(target.state); }
          }
        }
      }
      return seen;
    };
    expect([...reach(START_RULES.map((r) => r.state))].sort()).toEqual(LIFECYCLE_STATES.map(stateKey).sort());
    for (const s of LIFECYCLE_STATES) {
      expect([...reach([s])].some((k) => isTerminal(LIFECYCLE_STATES.find((x) => stateKey(x) === k)!)), stateKey(s)).toBe(true);
    }
  });

  it('every problem code has a Chinese and an English message, and each guard cites its articles', () => {
    for (const c of PROBLEM_CODES) expect(c).toMatch(/^[a-z]+\.[a-z_]+$/);
    for (const g of Object.values(GUARDS)) {
      expect(g.articles.length).toBeGreaterThan(0);
      expect(g.description.zh).not.toBe('');
      for (const c of g.problemCodes) expect(PROBLEM_CODES).toContain(c);
    }
    const problems = [
      ...check(A('feasibilityStudy', 'draft'), 'submit', { ...BARE, highEnergyConsumption: true }, 'preparer'),
      ...check(A('proposal', 'under_review'), 'approve', { ...BARE, catalog: { resourceCount: 0, resourcesWithoutSharingType: 1 } }, 'reviewer'),
      ...check(A('combinedStage', 'draft'), 'submit', BARE, 'preparer'),
      ...checkStart({ ...BARE, urgent: { reasonCategory: null, justification: '', situationUrgent: false, preparationAdequate: false } }),
    ];
    for (const p of problems) {
      expect(p.message.zh.length, p.code).toBeGreaterThan(0);
      expect(p.message.en.length, p.code).toBeGreaterThan(0);
      expect(p.message.zh + p.message.en).not.toContain('undefined');
    }
  });
});

describe('every transition × every role: allowed exactly for its roles', () => {
  describe.each(TRANSITIONS.map((t) => [`${t.article}: ${t.action} from ${stateKey(t.from)} by ${t.roles.join('/')} only`, t] as const))('%s', (_, t) => {
    it('passes for its roles, and names the role problem for every other role', () => {
      const c = ctx({ track: t.from.track });
      for (const role of ROLE_CODES) {
        const problems = check(t.from, t.action, c, role);
        const result = apply(t.from, t.action, c, role);
        if (t.roles.includes(role)) {
          expect(problems, role).toEqual([]);
          expect(result.ok).toBe(true);
          if (result.ok) {
            expect(result.transition).toBe(t);
            expect(t.to.some((target) => sameState(target.state, result.state))).toBe(true);
          }
        } else {
          expect(codes(problems), role).toEqual(['role.not_permitted']);
          expect(result.ok).toBe(false);
        }
      }
    });
  });
});

describe('第七条, 第九条: where a project starts', () => {
  it('第七条: a project not in the plan starts at the project proposal (原则上, I-9)', () => {
    expect(initialState(BARE)).toEqual(A('proposal', 'draft'));
    expect(stagePath(BARE)).toEqual(['proposal', 'feasibilityStudy', 'preliminaryDesign']);
  });

  it('第七条: a project in the plan starts at the feasibility study', () => {
    expect(initialState({ ...BARE, inPlan: true })).toEqual(A('feasibilityStudy', 'draft'));
    expect(stagePath({ ...BARE, inPlan: true })).toEqual(['feasibilityStudy', 'preliminaryDesign']);
  });

  it('第七条: an urgent project starts at the combined stage, in the plan or not', () => {
    expect(initialState({ ...BARE, urgent: URGENT })).toEqual(A('combinedStage', 'draft'));
    expect(initialState({ ...BARE, urgent: URGENT, inPlan: true })).toEqual(A('combinedStage', 'draft'));
    expect(stagePath({ ...BARE, urgent: URGENT })).toEqual(['combinedStage']);
  });

  it('第九条: a filing-track project starts at the filing draft, whatever its other flags', () => {
    expect(initialState({ ...BARE, track: 'filing', urgent: URGENT, inPlan: true })).toEqual(F('draft'));
    expect(stagePath({ ...BARE, track: 'filing' })).toEqual([]);
    expect(checkStart({ ...BARE, track: 'filing', urgent: { ...URGENT, justification: '' } })).toEqual([]);
  });

  it('第七条: a complete urgent declaration and no declaration at all raise no start problem', () => {
    expect(checkStart({ ...BARE, urgent: URGENT })).toEqual([]);
    expect(checkStart({ ...BARE, urgent: { ...URGENT, reasonCategory: 'major_strategy_or_security' } })).toEqual([]);
    expect(checkStart(BARE)).toEqual([]);
  });

  it('第七条: urgent with a category but no justification is refused', () => {
    expect(codes(checkStart({ ...BARE, urgent: { ...URGENT, justification: '' } }))).toEqual(['urgent.justification_missing']);
  });

  it('第七条: a whitespace-only justification (spaces, tabs, 全角空格, newlines) counts as none', () => {
    for (const blank of [' ', '\t', '　', '\n \r\n', '　 \t']) {
      expect(codes(checkStart({ ...BARE, urgent: { ...URGENT, justification: blank } })), JSON.stringify(blank)).toEqual(['urgent.justification_missing']);
    }
  });

  it('第七条: urgent with a justification but no valid category is refused', () => {
    expect(codes(checkStart({ ...BARE, urgent: { ...URGENT, reasonCategory: null } }))).toEqual(['urgent.reason_category_invalid']);
    const made = { ...URGENT, reasonCategory: 'leader_wants_it' } as unknown as UrgentDeclaration;
    expect(codes(checkStart({ ...BARE, urgent: made }))).toEqual(['urgent.reason_category_invalid']);
    for (const category of URGENT_REASON_CATEGORIES) expect(checkStart({ ...BARE, urgent: { ...URGENT, reasonCategory: category } })).toEqual([]);
  });

  it('第七条 (I-8): 情况紧急 and 前期工作深度 are conditions of their own, each affirmed', () => {
    expect(codes(checkStart({ ...BARE, urgent: { ...URGENT, situationUrgent: false } }))).toEqual(['urgent.situation_not_urgent']);
    expect(codes(checkStart({ ...BARE, urgent: { ...URGENT, preparationAdequate: false } }))).toEqual(['urgent.preparation_inadequate']);
  });

  it('第七条: an empty declaration reports all four failures at once', () => {
    const problems = checkStart({ ...BARE, urgent: { reasonCategory: null, justification: '', situationUrgent: false, preparationAdequate: false } });
    expect(codes(problems)).toEqual([
      'urgent.reason_category_invalid', 'urgent.justification_missing', 'urgent.situation_not_urgent', 'urgent.preparation_inadequate',
    ]);
    expect(problems.every((p) => p.article === '第七条')).toBe(true);
  });

  it('第七条: the combined stage cannot be submitted without the urgent declaration, nor with a blank justification', () => {
    const from = A('combinedStage', 'draft');
    expect(codes(check(from, 'submit', ctx({ urgent: null }), 'preparer'))).toEqual(['urgent.not_declared']);
    expect(codes(check(from, 'submit', ctx({ urgent: { ...URGENT, justification: '   ' } }), 'preparer'))).toEqual(['urgent.justification_missing']);
    expect(check(from, 'submit', ctx(), 'preparer')).toEqual([]);
    // The other stages do not look at the declaration.
    expect(check(A('proposal', 'draft'), 'submit', ctx({ urgent: null }), 'preparer')).toEqual([]);
  });
});

describe('required materials (第七条, 第八条, 第九条, 第十一条)', () => {
  const req = (stage: Parameters<typeof requiredMaterials>[0], c: LifecycleContext) => requiredMaterials(stage, c).map((m) => m.code);

  it('第七条: the proposal stage requires the 项目建议书', () => {
    expect(req('proposal', BARE)).toEqual(['proposal']);
  });

  it('第七条, 第十一条: the feasibility study requires the report and its sharing analysis chapter', () => {
    expect(req('feasibilityStudy', BARE)).toEqual(['feasibilityStudy', 'sharingAnalysis']);
  });

  it('第七条, 第十一条: the preliminary design requires the design, the budget estimate and the sharing analysis', () => {
    expect(req('preliminaryDesign', BARE)).toEqual(['preliminaryDesign', 'budgetEstimate', 'sharingAnalysis']);
  });

  it('第七条: the combined stage requires everything of the stages it merges', () => {
    expect(req('combinedStage', BARE)).toEqual(['feasibilityStudy', 'preliminaryDesign', 'budgetEstimate', 'sharingAnalysis']);
  });

  it('第八条: an ordinary project needs no energy, site, land or environmental approval', () => {
    for (const stage of STAGES) for (const p of PREREQUISITE_APPROVALS) expect(req(stage, BARE)).not.toContain(p);
  });

  it('第八条: new civil construction requires all four approvals (feasibility and combined stages)', () => {
    const c = { ...BARE, newCivilConstruction: true };
    expect(req('feasibilityStudy', c)).toEqual(['feasibilityStudy', 'sharingAnalysis', ...PREREQUISITE_APPROVALS]);
    expect(req('combinedStage', c)).toEqual(expect.arrayContaining([...PREREQUISITE_APPROVALS]));
    expect(req('proposal', c)).toEqual(['proposal']);
    expect(req('preliminaryDesign', c)).not.toContain('energyReview');
  });

  it('第八条: high energy consumption requires all four approvals', () => {
    const c = { ...BARE, highEnergyConsumption: true };
    expect(req('feasibilityStudy', c)).toEqual(['feasibilityStudy', 'sharingAnalysis', ...PREREQUISITE_APPROVALS]);
    expect(req('combinedStage', c)).toEqual(expect.arrayContaining([...PREREQUISITE_APPROVALS]));
  });

  it('第八条: both flags still require each approval once', () => {
    expect(req('feasibilityStudy', { ...BARE, newCivilConstruction: true, highEnergyConsumption: true })).toHaveLength(6);
  });

  it('第八条 (I-10): a reviewer’s 不适用 with a reason waives one approval; a blank reason waives nothing', () => {
    const c = { ...BARE, newCivilConstruction: true, prerequisiteWaivers: { landPreReview: '利用既有办公楼改造,不新增用地' } };
    expect(req('feasibilityStudy', c)).toEqual(['feasibilityStudy', 'sharingAnalysis', 'energyReview', 'siteSelection', 'environmentalImpactAssessment']);
    expect(req('feasibilityStudy', { ...c, prerequisiteWaivers: { landPreReview: '  ' } })).toContain('landPreReview');
  });

  it('第九条: a filing of a new project or a purchased service requires the thirteen contents', () => {
    expect(FILING_CONTENTS).toHaveLength(13);
    for (const projectKind of ['new', 'purchasedService'] as const) {
      expect(req('filing', { ...BARE, track: 'filing', projectKind })).toEqual([...FILING_CONTENTS]);
    }
  });

  it('第九条: a rebuild or expansion filing also requires the previous project’s third-party post-evaluation', () => {
    for (const projectKind of ['rebuild', 'expansion'] as const) {
      expect(req('filing', { ...BARE, track: 'filing', projectKind })).toEqual([...FILING_CONTENTS, 'thirdPartyPostEvaluation']);
    }
  });

  it('第九条: a 涉密 project files its 分级保护 rather than its 等级保护', () => {
    const name = (classified: boolean) => requiredMaterials('filing', { ...BARE, classified }).find((m) => m.code === 'protectionFiling')!.name.zh;
    expect(name(false)).toBe('等级保护备案情况');
    expect(name(true)).toBe('分级保护备案情况');
  });

  it('第九条: a rebuild filing without the post-evaluation report lists it among ALL missing items', () => {
    for (const projectKind of ['rebuild', 'expansion'] as const) {
      const present: MaterialCode[] = ['projectName', 'constructionUnit', 'approvalDepartment'];
      const c = filingCtx({ projectKind, materials: present, catalog: null });
      const problems = check(F('draft'), 'submit', c, 'preparer');
      const expected = [...FILING_CONTENTS.filter((m) => !present.includes(m)), 'thirdPartyPostEvaluation'];
      expect(missingCodes(problems)).toEqual(expected);
      expect(problems).toHaveLength(expected.length);
      expect(problems.every((p) => p.article === '第九条')).toBe(true);
      expect(problems.at(-1)!.message.zh).toContain('第三方后评价报告');
    }
  });

  it('第九条: the post-evaluation report alone missing still refuses the filing; present, it passes', () => {
    const all = FILING_CONTENTS.filter((m) => m !== 'informationResourceCatalog');
    expect(missingCodes(check(F('draft'), 'submit', filingCtx({ materials: all }), 'preparer'))).toEqual(['thirdPartyPostEvaluation']);
    expect(check(F('draft'), 'submit', filingCtx({ materials: [...all, 'thirdPartyPostEvaluation'] }), 'preparer')).toEqual([]);
    expect(check(F('draft'), 'submit', filingCtx({ projectKind: 'new', materials: all }), 'preparer')).toEqual([]);
  });

  it('第九条: the catalog content is the platform’s catalog, present only with at least one resource', () => {
    const c = filingCtx({ projectKind: 'new', materials: [...FILING_CONTENTS] });
    expect(missingCodes(check(F('draft'), 'submit', { ...c, catalog: null }, 'preparer'))).toEqual(['informationResourceCatalog']);
    expect(missingCodes(check(F('draft'), 'submit', { ...c, catalog: { resourceCount: 0, resourcesWithoutSharingType: 0 } }, 'preparer')))
      .toEqual(['informationResourceCatalog']);
    expect(check(F('draft'), 'submit', c, 'preparer')).toEqual([]);
  });

  it('第九条: NDRC cannot file an incomplete filing either', () => {
    expect(missingCodes(check(F('submitted'), 'file', filingCtx({ materials: [] }), 'ndrc'))).toHaveLength(13);
  });

  it('第十一条: the feasibility study and the preliminary design need the sharing analysis chapter', () => {
    for (const stage of ['feasibilityStudy', 'preliminaryDesign', 'combinedStage'] as const) {
      const problems = check(A(stage, 'draft'), 'submit', ctx({ sharingAnalysisPresent: false }), 'preparer');
      expect(problems.map((p) => [p.code, p.params.material, p.article])).toEqual([['material.missing', 'sharingAnalysis', '第十一条']]);
      expect(check(A(stage, 'draft'), 'submit', ctx({ sharingAnalysisPresent: true }), 'preparer')).toEqual([]);
    }
  });

  it('第七条, 第八条, 第十一条: every missing material of a stage is listed with its own article, not just the first', () => {
    const problems = check(A('feasibilityStudy', 'returned'), 'submit', { ...BARE, highEnergyConsumption: true }, 'preparer');
    expect(problems.map((p) => `${p.params.material}:${p.article}`)).toEqual([
      'feasibilityStudy:第七条', 'sharingAnalysis:第十一条', 'energyReview:第八条', 'siteSelection:第八条',
      'landPreReview:第八条', 'environmentalImpactAssessment:第八条',
    ]);
    expect(missingMaterials('feasibilityStudy', { ...BARE, materials: ['feasibilityStudy'], sharingAnalysisPresent: true })).toEqual([]);
  });

  it('第八条, 第十一条: the checklist lists every required item with its presence, and agrees with what is missing', () => {
    const c: LifecycleContext = { ...BARE, newCivilConstruction: true, materials: ['feasibilityStudy', 'energyReview'], sharingAnalysisPresent: true };
    const list = stageChecklist('feasibilityStudy', c);
    expect(list.map((m) => `${m.code}:${m.present}`)).toEqual([
      'feasibilityStudy:true', 'sharingAnalysis:true', 'energyReview:true', 'siteSelection:false', 'landPreReview:false',
      'environmentalImpactAssessment:false',
    ]);
    expect(list.filter((m) => !m.present).map((m) => m.code)).toEqual(missingMaterials('feasibilityStudy', c).map((m) => m.code));
    // A waived 第八条 approval (I-10) leaves the checklist.
    const waived = stageChecklist('feasibilityStudy', { ...c, prerequisiteWaivers: { siteSelection: '不涉及新增用地选址' } });
    expect(waived.map((m) => m.code)).not.toContain('siteSelection');
  });
});

describe('第十一条: approval gates', () => {
  const approveAt = (stage: ApprovalStage, c: LifecycleContext) => check(A(stage, 'under_review'), 'approve', c, 'approver');

  it('第十一条: no approval at any stage without an information-resource catalog (I-14)', () => {
    for (const stage of APPROVAL_STAGES) {
      const problems = approveAt(stage, ctx({ catalog: null }));
      expect(problems.map((p) => [p.code, p.article])).toEqual([['catalog.missing', '第十一条']]);
    }
  });

  it('第十一条: a catalog with no resource is no catalog; one resource is enough', () => {
    expect(codes(approveAt('proposal', ctx({ catalog: { resourceCount: 0, resourcesWithoutSharingType: 0 } })))).toEqual(['catalog.empty']);
    expect(approveAt('proposal', ctx({ catalog: { resourceCount: 1, resourcesWithoutSharingType: 0 } }))).toEqual([]);
  });

  it('第十一条 (I-14): every resource states its sharing type', () => {
    const problems = approveAt('feasibilityStudy', ctx({ catalog: { resourceCount: 4, resourcesWithoutSharingType: 2 } }));
    expect(codes(problems)).toEqual(['catalog.sharing_type_missing']);
    expect(problems[0]!.params.count).toBe('2');
  });

  it('第十一条: the approval decision must carry sharing opinions; blank or whitespace is none', () => {
    for (const sharingOpinions of [undefined, '', '  ', '\n　']) {
      expect(codes(approveAt('preliminaryDesign', ctx({ decision: { sharingOpinions } })))).toEqual(['decision.sharing_opinions_missing']);
    }
    expect(approveAt('preliminaryDesign', ctx({ decision: { sharingOpinions: '同意' } }))).toEqual([]);
  });

  it('第十一条: a missing catalog and missing opinions are both reported', () => {
    expect(codes(approveAt('combinedStage', ctx({ catalog: null, decision: {} })))).toEqual(['catalog.missing', 'decision.sharing_opinions_missing']);
  });

  it('第十一条: the assessment report must exist and carry sharing opinions', () => {
    const from = A('feasibilityStudy', 'assessing');
    expect(codes(check(from, 'completeAssessment', ctx({ assessmentReport: null }), 'assessor'))).toEqual(['assessment.report_missing']);
    expect(codes(check(from, 'completeAssessment', ctx({ assessmentReport: { sharingOpinions: ' ' } }), 'assessor')))
      .toEqual(['assessment.sharing_opinions_missing']);
    expect(check(from, 'completeAssessment', ctx({ assessmentReport: { sharingOpinions: '共享分析充分' } }), 'assessor')).toEqual([]);
  });
});

describe('第七条: decisions, returns and reasons', () => {
  const blanks = [undefined, '', ' ', '\t\n', '　'];

  it('第七条: a return for revision requires the reviewer’s reasons; whitespace-only reasons are none', () => {
    for (const reasons of blanks) {
      for (const from of [A('proposal', 'submitted'), A('proposal', 'under_review')]) {
        expect(codes(check(from, 'returnForRevision', ctx({ decision: { reasons } }), 'reviewer'))).toEqual(['return.reasons_missing']);
      }
    }
    expect(check(A('proposal', 'under_review'), 'returnForRevision', ctx({ decision: { reasons: '投资估算依据不足' } }), 'reviewer')).toEqual([]);
  });

  it('第七条: a rejection requires reasons', () => {
    for (const reasons of blanks) {
      expect(codes(check(A('proposal', 'under_review'), 'reject', ctx({ decision: { reasons } }), 'approver'))).toEqual(['reject.reasons_missing']);
    }
    expect(check(A('proposal', 'under_review'), 'reject', ctx({ decision: { reasons: '与已建系统重复' } }), 'approver')).toEqual([]);
  });

  it('第七条: the unit lead declines to sign only with reasons, back to the draft', () => {
    const from = A('feasibilityStudy', 'awaiting_signature');
    expect(codes(check(from, 'declineSignature', ctx({ decision: { reasons: ' ' } }), 'unit_lead'))).toEqual(['signature.reasons_missing']);
    expect(run(from, ctx(), [['declineSignature', 'unit_lead']]).state).toEqual(A('feasibilityStudy', 'draft'));
  });

  it('第九条: NDRC returns a filing for completion only with reasons', () => {
    for (const reasons of blanks) {
      expect(codes(check(F('submitted'), 'returnForCompletion', filingCtx({ decision: { reasons } }), 'ndrc'))).toEqual(['filing.reasons_missing']);
    }
  });

  it('第七条: a return goes back to the same stage, editable, unless the reviewer says otherwise', () => {
    const r = run(A('feasibilityStudy', 'under_review'), ctx({ decision: { reasons: '补充' } }), [['returnForRevision', 'reviewer']]);
    expect(r.state).toEqual(A('feasibilityStudy', 'returned'));
    expect(isEditable(r.state)).toBe(true);
  });

  it('第七条: the reviewer may return the feasibility study to the proposal, and the preliminary design to the feasibility study', () => {
    const back = ctx({ inPlan: false, urgent: null, decision: { reasons: '需求变化', returnTo: 'previousStage' } });
    expect(run(A('feasibilityStudy', 'under_review'), back, [['returnForRevision', 'reviewer']]).state).toEqual(A('proposal', 'returned'));
    expect(run(A('preliminaryDesign', 'submitted'), back, [['returnForRevision', 'reviewer']]).state).toEqual(A('feasibilityStudy', 'returned'));
    // In the plan the path starts at the feasibility study, so the preliminary design can still go back to it.
    expect(run(A('preliminaryDesign', 'under_review'), { ...back, inPlan: true }, [['returnForRevision', 'reviewer']]).state)
      .toEqual(A('feasibilityStudy', 'returned'));
  });

  it('第七条: no return to a previous stage the project never had', () => {
    const back = ctx({ urgent: null, decision: { reasons: '需求变化', returnTo: 'previousStage' } });
    const cases: Array<[LifecycleState, LifecycleContext]> = [
      [A('proposal', 'under_review'), back],
      [A('combinedStage', 'under_review'), { ...back, urgent: URGENT }],
      [A('feasibilityStudy', 'under_review'), { ...back, inPlan: true }], // in the plan: no 建议书 stage
    ];
    for (const [from, c] of cases) {
      const problems = check(from, 'returnForRevision', c, 'reviewer');
      expect(problems.map((p) => [p.code, p.article, p.params.stage]), stateKey(from)).toEqual([['return.no_previous_stage', '第七条', from.stage]]);
    }
  });

  it('第七条: missing reasons and an impossible target are reported together', () => {
    expect(codes(check(A('proposal', 'submitted'), 'returnForRevision', ctx({ decision: { returnTo: 'previousStage' } }), 'reviewer')))
      .toEqual(['return.reasons_missing', 'return.no_previous_stage']);
  });

  it('第七条: reassigning the reviewer leaves the state as it is', () => {
    for (const status of ['submitted', 'assessing', 'under_review'] as const) {
      const from = A('preliminaryDesign', status);
      expect(run(from, ctx(), [['reassignReviewer', 'reviewer']]).state).toEqual(from);
    }
    expect(codes(check(A('preliminaryDesign', 'draft'), 'reassignReviewer', ctx(), 'reviewer'))).toEqual(['transition.not_available']);
  });
});

describe('第七条: assessment only when the rule settings require it', () => {
  it('第七条: accepting goes to assessment when required, straight to review otherwise', () => {
    expect(run(A('proposal', 'submitted'), ctx({ assessmentRequired: true }), [['accept', 'reviewer']]).state).toEqual(A('proposal', 'assessing'));
    expect(run(A('proposal', 'submitted'), ctx({ assessmentRequired: false }), [['accept', 'reviewer']]).state).toEqual(A('proposal', 'under_review'));
  });

  it('第七条: no decision during assessment, no assessment outside it', () => {
    expect(codes(check(A('proposal', 'assessing'), 'approve', ctx(), 'approver'))).toEqual(['transition.not_available']);
    expect(codes(check(A('proposal', 'under_review'), 'completeAssessment', ctx(), 'assessor'))).toEqual(['transition.not_available']);
  });
});

describe('第七条: withdrawal only before review starts', () => {
  it('第七条: the preparer withdraws while awaiting signature or before acceptance, back to draft', () => {
    for (const status of ['awaiting_signature', 'submitted'] as const) {
      expect(run(A('feasibilityStudy', status), ctx(), [['withdraw', 'preparer']]).state).toEqual(A('feasibilityStudy', 'draft'));
    }
    expect(run(F('submitted'), filingCtx(), [['withdraw', 'preparer']]).state).toEqual(F('draft'));
  });

  it('第七条: once the department has accepted it (assessment or review), it cannot be withdrawn', () => {
    for (const status of ['assessing', 'under_review'] as const) {
      expect(codes(check(A('feasibilityStudy', status), 'withdraw', ctx(), 'preparer'))).toEqual(['transition.not_available']);
    }
    expect(codes(check(A('feasibilityStudy', 'draft'), 'withdraw', ctx(), 'preparer'))).toEqual(['transition.not_available']);
  });
});

describe('paths through the lifecycle', () => {
  it('第七条: the full normal path — proposal, feasibility study, preliminary design — with assessments', () => {
    const c = ctx({ urgent: null, inPlan: false, assessmentRequired: true });
    const start = initialState(c);
    const stage = [...throughStage(true), ['approve', 'approver']] as Array<[LifecycleAction, RoleCode]>;
    const { state, trail } = run(start, c, [...stage, ...stage, ...stage]);
    expect(state).toEqual(A('preliminaryDesign', 'approved'));
    expect(isProjectApproved(state)).toBe(true);
    expect(trail).toEqual([
      'proposal.draft', 'proposal.awaiting_signature', 'proposal.submitted', 'proposal.assessing', 'proposal.under_review',
      'feasibilityStudy.draft', 'feasibilityStudy.awaiting_signature', 'feasibilityStudy.submitted', 'feasibilityStudy.assessing',
      'feasibilityStudy.under_review', 'preliminaryDesign.draft', 'preliminaryDesign.awaiting_signature', 'preliminaryDesign.submitted',
      'preliminaryDesign.assessing', 'preliminaryDesign.under_review', 'preliminaryDesign.approved',
    ]);
    expect(isProjectApproved(A('feasibilityStudy', 'draft'))).toBe(false);
  });

  it('第七条: the in-plan path skips the proposal', () => {
    const c = ctx({ urgent: null, inPlan: true });
    const stage = [...throughStage(false), ['approve', 'approver']] as Array<[LifecycleAction, RoleCode]>;
    const { state, trail } = run(initialState(c), c, [...stage, ...stage]);
    expect(state).toEqual(A('preliminaryDesign', 'approved'));
    expect(trail[0]).toBe('feasibilityStudy.draft');
    expect(trail.some((k) => k.startsWith('proposal.'))).toBe(false);
  });

  it('第七条: the urgent path approves the project in one combined stage', () => {
    const c = ctx({ urgent: URGENT });
    const { state, trail } = run(initialState(c), c, [...throughStage(false), ['approve', 'approver']]);
    expect(state).toEqual(A('combinedStage', 'approved'));
    expect(isProjectApproved(state)).toBe(true);
    expect(trail).toHaveLength(5);
  });

  it('第七条: returned to the same stage, the project is revised, resubmitted and approved', () => {
    const c = ctx({ urgent: null });
    const { state, trail } = run(A('proposal', 'draft'), c, [
      ...throughStage(false), ['returnForRevision', 'reviewer'], ...throughStage(false), ['approve', 'approver'],
    ]);
    expect(trail).toContain('proposal.returned');
    expect(state).toEqual(A('feasibilityStudy', 'draft'));
  });

  it('第七条: returned to the previous stage, the project goes through that stage again', () => {
    const c = ctx({ urgent: null });
    const { state, trail } = run(A('feasibilityStudy', 'draft'), c, [
      ...throughStage(false),
      ['returnForRevision', 'reviewer', { decision: { reasons: '建议书批复内容需调整', returnTo: 'previousStage' } }],
      ...throughStage(false), ['approve', 'approver'],
    ]);
    expect(trail).toContain('proposal.returned');
    expect(state).toEqual(A('feasibilityStudy', 'draft'));
  });

  it('第七条: 不予批复 is final — no action by any role is possible afterwards', () => {
    const c = ctx();
    const { state } = run(A('feasibilityStudy', 'draft'), c, [...throughStage(false), ['reject', 'approver']]);
    expect(state).toEqual(A('feasibilityStudy', 'rejected'));
    for (const action of LIFECYCLE_ACTIONS) {
      for (const role of ROLE_CODES) {
        expect(codes(check(state, action, c, role))).toEqual(['state.terminal']);
        expect(apply(state, action, c, role).ok).toBe(false);
      }
    }
    for (const role of ROLE_CODES) expect(availableActions(state, role, c)).toEqual([]);
  });

  it('第九条: a filing is refused while incomplete, returned for completion, completed and filed', () => {
    const complete = filingCtx({ projectKind: 'expansion' });
    const incomplete = filingCtx({ projectKind: 'expansion', materials: complete.materials.filter((m) => m !== 'thirdPartyPostEvaluation') });
    expect(missingCodes(check(F('draft'), 'submit', incomplete, 'preparer'))).toEqual(['thirdPartyPostEvaluation']);
    const { state, trail } = run(initialState(complete), complete, [
      ['submit', 'preparer'], ['returnForCompletion', 'ndrc'], ['submit', 'preparer'], ['file', 'ndrc'],
    ]);
    expect(trail).toEqual(['filing.draft', 'filing.submitted', 'filing.returned', 'filing.submitted', 'filing.filed']);
    expect(isTerminal(state)).toBe(true);
    expect(codes(check(state, 'submit', complete, 'preparer'))).toEqual(['state.terminal']);
  });
});

describe('check, apply and availableActions', () => {
  it('reports a role problem together with every guard problem (the dry run shows them all)', () => {
    expect(codes(check(A('proposal', 'under_review'), 'approve', ctx({ catalog: null, decision: {} }), 'reviewer')))
      .toEqual(['role.not_permitted', 'catalog.missing', 'decision.sharing_opinions_missing']);
  });

  it('refuses an unknown state, a state of the other track and an action not available from the state', () => {
    const bogus = { track: 'approval', stage: 'construction', status: 'draft' } as unknown as LifecycleState;
    expect(codes(check(bogus, 'submit', ctx(), 'preparer'))).toEqual(['state.unknown']);
    expect(codes(check(F('draft'), 'submit', ctx({ track: 'approval' }), 'preparer'))).toEqual(['state.track_mismatch']);
    expect(codes(check(A('proposal', 'draft'), 'submit', filingCtx(), 'preparer'))).toEqual(['state.track_mismatch']);
    expect(codes(check(A('proposal', 'draft'), 'file', ctx(), 'ndrc'))).toEqual(['transition.not_available']);
    expect(availableActions(bogus, 'preparer', ctx())).toEqual([]);
    expect(availableActions(F('draft'), 'preparer', ctx())).toEqual([]);
  });

  it('lists a role’s actions with what still blocks each; an unblocked one applies', () => {
    const blocked = availableActions(A('proposal', 'draft'), 'preparer', BARE);
    expect(blocked.map((a) => [a.action, codes(a.problems)])).toEqual([['submit', ['material.missing']]]);
    expect(availableActions(A('proposal', 'under_review'), 'approver', ctx()).map((a) => [a.action, a.problems.length]))
      .toEqual([['approve', 0], ['reject', 0]]);
    expect(availableActions(A('proposal', 'under_review'), 'reviewer', ctx()).map((a) => a.action)).toEqual(['reassignReviewer', 'returnForRevision']);
    expect(availableActions(A('proposal', 'under_review'), 'auditor', ctx())).toEqual([]);
    for (const s of LIFECYCLE_STATES) {
      const c = ctx({ track: s.track });
      for (const role of ROLE_CODES) {
        for (const a of availableActions(s, role, c)) {
          expect(a.problems).toEqual([]);
          expect(apply(s, a.action, c, role).ok).toBe(true);
        }
      }
    }
  });

  it('names states and stages for display', () => {
    expect(stateName(A('feasibilityStudy', 'under_review'))).toEqual({ zh: '可行性研究报告 · 审核中', en: 'Feasibility study · Under review' });
    expect(stateName(F('returned')).zh).toBe('备案 · 退回补正');
    expect(STAGE_NAMES.combinedStage.zh).toBe('可研、初设和概算合并编报');
  });

  it('finds the row of an action from a state', () => {
    expect(findTransition(A('proposal', 'under_review'), 'approve')?.to[0]?.state).toEqual(A('feasibilityStudy', 'draft'));
    expect(findTransition(A('proposal', 'draft'), 'approve')).toBeUndefined();
  });
});

describe('property: random sequences never leave the declared states', () => {
  const text = fc.constantFrom('', ' ', '　\t', '理由', '共享意见');
  const optText = fc.option(text, { nil: undefined });
  const arbContext = fc.record({
    projectKind: fc.constantFrom(...PROJECT_KINDS),
    inPlan: fc.boolean(),
    urgent: fc.option(fc.record({
      reasonCategory: fc.option(fc.constantFrom(...URGENT_REASON_CATEGORIES)),
      justification: text,
      situationUrgent: fc.boolean(),
      preparationAdequate: fc.boolean(),
    })),
    newCivilConstruction: fc.boolean(),
    highEnergyConsumption: fc.boolean(),
    classified: fc.boolean(),
    materials: fc.oneof(fc.constant([...MATERIAL_CODES]), fc.subarray([...MATERIAL_CODES])),
    prerequisiteWaivers: fc.option(fc.record({ energyReview: text }, { requiredKeys: [] }), { nil: undefined }),
    sharingAnalysisPresent: fc.boolean(),
    catalog: fc.option(fc.record({ resourceCount: fc.nat(3), resourcesWithoutSharingType: fc.nat(2) })),
    assessmentRequired: fc.boolean(),
    assessmentReport: fc.option(fc.record({ sharingOpinions: text })),
    decision: fc.record({
      reasons: optText, sharingOpinions: optText, returnTo: fc.constantFrom('sameStage' as const, 'previousStage' as const, undefined),
    }),
  });
  // Two in three contexts satisfy the content guards, so that paths get far; the flags stay random.
  const arbMostlyComplete = fc.oneof(
    { arbitrary: arbContext, weight: 1 },
    {
      arbitrary: arbContext.map((c): Omit<LifecycleContext, 'track'> => ({
        ...c, materials: [...MATERIAL_CODES], sharingAnalysisPresent: true, catalog: { resourceCount: 2, resourcesWithoutSharingType: 0 },
        assessmentReport: { sharingOpinions: '意见' }, urgent: c.urgent === null ? null : URGENT,
        decision: { reasons: '理由', sharingOpinions: '意见', returnTo: c.decision.returnTo },
      })),
      weight: 2,
    },
  );
  const arbStep = fc.record({
    ctx: arbMostlyComplete,
    // Mostly an action the table offers from the current state (so many steps are accepted), sometimes anything.
    fromTable: fc.boolean(),
    pick: fc.nat(),
    action: fc.constantFrom(...LIFECYCLE_ACTIONS),
    role: fc.constantFrom(...ROLE_CODES),
    otherTrack: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  });
  const arbStart = fc.oneof(
    arbContext.chain((c) => fc.constantFrom('approval' as const, 'filing' as const).map((track) => initialState({ ...c, track }))),
    fc.constantFrom(...LIFECYCLE_STATES),
  );

  it('every accepted step is a declared transition by one of its roles, to one of its declared targets', () => {
    let accepted = 0;
    const exercised = new Set<string>();
    fc.assert(fc.property(arbStart, fc.array(arbStep, { minLength: 1, maxLength: 40, size: "max" }), (start, steps) => {
      expect(isLifecycleState(start)).toBe(true);
      let state = start;
      for (const step of steps) {
        const rows = transitionsFrom(state);
        const row = rows.length > 0 ? rows[step.pick % rows.length]! : undefined;
        const action = step.fromTable && row ? row.action : step.action;
        const role = step.fromTable && row ? row.roles[step.pick % row.roles.length]! : step.role;
        const track = step.otherTrack ? (state.track === 'approval' ? 'filing' : 'approval') : state.track;
        const c: LifecycleContext = { ...step.ctx, track };
        const result = apply(state, action, c, role);
        if (result.ok) {
          accepted++;
          exercised.add(`${stateKey(state)} ${action} ${stateKey(result.state)}`);
          const declared = findTransition(state, action);
          expect(declared).toBe(result.transition);
          expect(declared!.roles).toContain(role);
          expect(check(state, action, c, role)).toEqual([]);
          expect(declared!.to.some((t) => sameState(t.state, result.state))).toBe(true);
          expect(LIFECYCLE_STATES.some((s) => sameState(s, result.state))).toBe(true);
          state = result.state;
        } else {
          expect(result.problems.length).toBeGreaterThan(0);
        }
      }
    }), { numRuns: 400 });
    // The walk is not vacuous: typically ~2000 accepted steps covering ~70 of the 73 (row, target) edges.
    expect(accepted).toBeGreaterThan(1000);
    expect(exercised.size).toBeGreaterThan(50);
  });

  it('a project’s start is a declared state and the start of its stage path', () => {
    fc.assert(fc.property(arbContext, fc.constantFrom('approval' as const, 'filing' as const), (c, track) => {
      const full = { ...c, track };
      const start = initialState(full);
      expect(isLifecycleState(start)).toBe(true);
      expect(start.status).toBe('draft');
      if (track === 'approval') expect(stagePath(full)[0]).toBe(start.stage);
    }));
  });
});

describe('docs/lifecycle.md', () => {
  it('is the generated text (run `node scripts/gen-lifecycle-doc.ts` after changing the machine)', () => {
    const onDisk = readFileSync(new URL('../../docs/lifecycle.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderLifecycleDoc());
  });

  it('draws one edge per transition target, start rule and final state', () => {
    const doc = renderLifecycleDoc();
    const mermaid = doc.slice(doc.indexOf('```mermaid'), doc.indexOf('```', doc.indexOf('```mermaid') + 3));
    const edges = mermaid.split('\n').filter((l) => l.includes('-->'));
    const expected = TRANSITIONS.reduce((n, t) => n + t.to.length, 0) + START_RULES.length + LIFECYCLE_STATES.filter(isTerminal).length;
    expect(edges).toHaveLength(expected);
    expect(mermaid).toContain('proposal_under_review --> feasibilityStudy_draft : approve · approver · 第七条');
    for (const s of LIFECYCLE_STATES) expect(mermaid).toContain(` as ${s.stage}_${s.status}`);
  });
});
