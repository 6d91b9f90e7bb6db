import { describe, expect, it } from 'vitest';
import { FIELD_MESSAGES } from '../errors.ts';
import { DEMO_FRAMEWORK } from './demo-frameworks.ts';
import {
  FRAMEWORK_ACTIONS, FRAMEWORK_PROBLEM_CODES, FRAMEWORK_STATUSES, FRAMEWORK_TRANSITIONS, actionProblems, businessFlowProblems, catalogEntryProblems,
  coordinationProblems, dataFlowProblems, findOverlaps, frameworkInputProblems, isEditable, nextStatus, pairKey, projectLinkProblems,
  submissionProblems, type CatalogEntryInput, type ContentText, type DataFlowInput, type FrameworkStatus, type OverlapFacts, type SubmissionFacts,
} from './frameworks.ts';
import { SIMILARITY_THRESHOLD } from './similarity/index.ts';

const MOHRSS = 'a0000000-0000-4000-8000-000000000001';
const MPS = 'a0000000-0000-4000-8000-000000000002';
const MCA = 'a0000000-0000-4000-8000-000000000003';
const OTHER = 'a0000000-0000-4000-8000-000000000009';
const PARTICIPANTS = new Set([MOHRSS, MPS, MCA]);

const content = (id: string, organizationId: string, title: string, description: string): ContentText => ({ id, organizationId, title, description });

// 社会保障卡居民服务“一卡通”: 人社部 leads, 公安部 and 民政部 take part.
const CARD = content('c1', MOHRSS, '社会保障卡居民服务一卡通平台', '建设社会保障卡签发、应用和跨省通用服务，支撑居民凭卡办理社保、就医、乘车等业务。');
const CARD_COPY = content('c2', MPS, '居民服务一卡通社会保障卡应用平台', '建设社会保障卡跨省通用和应用服务，支撑居民凭卡办理社保和乘车等业务。');
const IDENTITY = content('c3', MPS, '公民身份信息核验服务', '依托人口信息库，提供公民身份号码与姓名一致性核验接口。');
const ASSISTANCE = content('c4', MCA, '社会救助对象认定', '汇聚低保、特困人员认定信息，向相关部门推送救助对象名单。');
const CARD_SAME_DEPT = content('c5', MOHRSS, '社会保障卡居民服务一卡通平台二期', '建设社会保障卡签发、应用和跨省通用服务，支撑居民凭卡办理社保、就医、乘车等业务。');

function facts(overrides: Partial<SubmissionFacts> = {}): SubmissionFacts {
  return {
    participants: [
      { organizationId: MOHRSS, organizationName: '人力资源和社会保障部', confirmed: true, contentCount: 1 },
      { organizationId: MPS, organizationName: '公安部', confirmed: true, contentCount: 1 },
    ],
    businessFlowCount: 1, dataFlowCount: 1, catalogEntryCount: 1, overlaps: [],
    ...overrides,
  };
}

function overlapFacts(justified: boolean): OverlapFacts {
  const [o] = findOverlaps([CARD, CARD_COPY]);
  return { ...o!, aTitle: CARD.title, bTitle: CARD_COPY.title, aOrganizationName: '人力资源和社会保障部', bOrganizationName: '公安部', justified };
}

/** A content of the plan and a master-catalog system above the threshold (I-13). */
const catalogOverlap = (justified: boolean) => ({
  contentId: 'c-lead', organizationId: 'org-lead', organizationName: '人力资源和社会保障部信息中心', title: '电子社保卡服务平台',
  systemId: 'sys-1', systemName: '电子社保卡服务系统', systemOwnerName: '人力资源和社会保障部信息中心',
  similarity: 0.5151, terms: [{ term: '社会保障卡', contribution: 0.3 }, { term: '签发', contribution: 0.2 }], justified,
});

describe('framework plan status machine (第十条)', () => {
  it('第十条: draft or returned → submitted (the lead); submitted → confirmed | returned (NDRC, decisions) or back to draft (withdraw)', () => {
    const table: Record<FrameworkStatus, Partial<Record<(typeof FRAMEWORK_ACTIONS)[number], FrameworkStatus>>> = {
      draft: { submit: 'submitted' },
      submitted: { withdraw: 'draft', confirm: 'confirmed', return: 'returned' },
      confirmed: {},
      returned: { submit: 'submitted' },
    };
    for (const status of FRAMEWORK_STATUSES) {
      for (const action of FRAMEWORK_ACTIONS) expect(nextStatus(status, action), `${status} × ${action}`).toBe(table[status][action] ?? null);
    }
  });

  it('第十条: NDRC\'s confirm and return are decisions under framework:decide; the lead\'s submit and withdraw are not', () => {
    for (const t of FRAMEWORK_TRANSITIONS) {
      expect(t.decision, t.action).toBe(t.permission === 'framework:decide');
      expect(t.permission, t.action).toBe(t.action === 'confirm' || t.action === 'return' ? 'framework:decide' : 'framework:manage');
    }
  });

  it('第十条: a plan is edited only while drawn up or returned; a confirmed plan is final', () => {
    expect(FRAMEWORK_STATUSES.filter(isEditable)).toEqual(['draft', 'returned']);
    expect(FRAMEWORK_ACTIONS.filter((a) => nextStatus('confirmed', a) !== null)).toEqual([]);
  });
});

describe('overlaps between participants\' contents (第十条, I-13)', () => {
  it('第十条: two participants describing the same card platform are a suspected overlap, with the shared terms as evidence', () => {
    const overlaps = findOverlaps([CARD, CARD_COPY, IDENTITY, ASSISTANCE]);
    expect(overlaps).toHaveLength(1);
    const [o] = overlaps;
    expect(o!.a).toEqual({ contentId: 'c1', organizationId: MOHRSS });
    expect(o!.b).toEqual({ contentId: 'c2', organizationId: MPS });
    expect(o!.similarity).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(o!.similarity).toBeLessThanOrEqual(1);
    expect(o!.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['社会保障卡', '一卡通']));
    // The terms account for the whole similarity, largest part first.
    expect(o!.terms.reduce((s, t) => s + t.contribution, 0)).toBeCloseTo(o!.similarity, 6);
    expect([...o!.terms].sort((x, y) => y.contribution - x.contribution)).toEqual(o!.terms);
  });

  it('第十条: distinct contents (identity verification, social assistance) are not flagged', () => {
    expect(findOverlaps([IDENTITY, ASSISTANCE, CARD])).toEqual([]);
  });

  it('第十条: contents of the same participant are never compared with each other', () => {
    expect(findOverlaps([CARD, CARD_SAME_DEPT])).toEqual([]);
    // …but each of them is compared with another participant's.
    expect(findOverlaps([CARD, CARD_SAME_DEPT, CARD_COPY]).map((o) => pairKey(o.a.contentId, o.b.contentId)).sort()).toEqual(['c1:c2', 'c2:c5']);
  });

  it('I-13: the pair is symmetric and keyed in id order, whatever order the contents come in', () => {
    const forward = findOverlaps([CARD, CARD_COPY]);
    const backward = findOverlaps([CARD_COPY, CARD]);
    expect(backward).toEqual(forward);
    expect(pairKey('c2', 'c1')).toBe('c1:c2');
  });

  it('I-13: the threshold is inclusive: at exactly the similarity the pair is flagged, just above it is not', () => {
    const [o] = findOverlaps([CARD, CARD_COPY]);
    expect(findOverlaps([CARD, CARD_COPY], o!.similarity)).toHaveLength(1);
    expect(findOverlaps([CARD, CARD_COPY], o!.similarity + 1e-9)).toHaveLength(0);
  });

  it('I-13: most similar pairs come first', () => {
    const near = content('c6', MCA, '社会保障卡居民服务一卡通平台', '建设社会保障卡签发、应用和跨省通用服务，支撑居民凭卡办理社保、就医、乘车等业务。');
    const overlaps = findOverlaps([CARD, CARD_COPY, near]);
    expect(overlaps.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < overlaps.length; i++) expect(overlaps[i - 1]!.similarity).toBeGreaterThanOrEqual(overlaps[i]!.similarity);
    expect(overlaps[0]!.similarity).toBeCloseTo(1, 6); // identical text in two departments
  });

  it('第十条: the demo plan has exactly one suspected overlap, and it is the justified one', () => {
    const ids = new Map<string, string>();
    const contents = DEMO_FRAMEWORK.contents.map((c, i) => {
      ids.set(c.title, `d${i}`);
      return content(`d${i}`, c.orgKey, c.title, c.description);
    });
    const overlaps = findOverlaps(contents);
    expect(overlaps.map((o) => pairKey(o.a.contentId, o.b.contentId)))
      .toEqual(DEMO_FRAMEWORK.justifications.map((j) => pairKey(ids.get(j.titles[0])!, ids.get(j.titles[1])!)));
  });
});

describe('what stands in the way of 联合报送 (第十条, I-13)', () => {
  it('第十条: a complete plan, every part confirmed, no overlap: nothing', () => {
    expect(submissionProblems(facts())).toEqual([]);
  });

  it('第十条: every unconfirmed participant and every unhandled overlap is listed at once, each citing 第十条', () => {
    const problems = submissionProblems(facts({
      participants: [
        { organizationId: MOHRSS, organizationName: '人力资源和社会保障部', confirmed: true, contentCount: 1 },
        { organizationId: MPS, organizationName: '公安部', confirmed: false, contentCount: 1 },
        { organizationId: MCA, organizationName: '民政部', confirmed: false, contentCount: 1 },
      ],
      overlaps: [overlapFacts(false)],
    }));
    expect(problems.map((p) => `${p.code}:${p.params.organizationName ?? p.params.aTitle}`)).toEqual([
      'framework.participant_unconfirmed:公安部',
      'framework.participant_unconfirmed:民政部',
      `framework.overlap_unresolved:${CARD.title}`,
    ]);
    expect(problems.every((p) => p.article === '第十条')).toBe(true);
    const overlap = problems[2]!;
    expect(overlap.params).toMatchObject({ aContentId: 'c1', bContentId: 'c2', aOrganizationId: MOHRSS, bOrganizationId: MPS, bTitle: CARD_COPY.title });
    expect(Number(overlap.params.similarity)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(overlap.params.terms).toContain('社会保障卡');
    expect(overlap.message.zh).toContain('人力资源和社会保障部「社会保障卡居民服务一卡通平台」');
    expect(overlap.message.zh).toContain('重叠词');
    expect(problems[0]!.message).toEqual({ zh: '公安部尚未确认本部门分项内容', en: '公安部 has not confirmed its part' });
  });

  it('I-13: a justified overlap no longer stands in the way (similarity alone refuses nothing)', () => {
    expect(submissionProblems(facts({ overlaps: [overlapFacts(true)] }))).toEqual([]);
  });

  it('第十条: the parts the article names — two departments, contents of each, business flows, data flows, a preliminary catalog', () => {
    const problems = submissionProblems(facts({
      participants: [{ organizationId: MOHRSS, organizationName: '人力资源和社会保障部', confirmed: true, contentCount: 0 }],
      businessFlowCount: 0, dataFlowCount: 0, catalogEntryCount: 0,
    }));
    expect(problems.map((p) => p.code)).toEqual([
      'framework.too_few_participants', 'framework.contents_missing', 'framework.business_flows_missing',
      'framework.data_flows_missing', 'framework.catalog_missing',
    ]);
  });

  it('第十条: an action not available in the status is the only problem; a return needs reasons; withdraw and confirm need nothing more', () => {
    expect(actionProblems('draft', 'confirm', facts(), {}).map((p) => p.code)).toEqual(['framework.action_not_available']);
    expect(actionProblems('draft', 'confirm', facts(), {})[0]!.article).toBeNull();
    expect(actionProblems('confirmed', 'submit', facts({ participants: [] }), {}).map((p) => p.code)).toEqual(['framework.action_not_available']);
    expect(actionProblems('submitted', 'return', facts(), { reasons: '  ' }).map((p) => p.code)).toEqual(['framework.reasons_missing']);
    expect(actionProblems('submitted', 'return', facts(), { reasons: '数据流不完整' })).toEqual([]);
    // Listing what a caller may do, before any request: the reasons are not asked for yet.
    expect(actionProblems('submitted', 'return', facts())).toEqual([]);
    expect(actionProblems('submitted', 'confirm', facts(), {})).toEqual([]);
    expect(actionProblems('submitted', 'withdraw', facts(), {})).toEqual([]);
    expect(actionProblems('returned', 'submit', facts({ overlaps: [overlapFacts(false)] }), {}).map((p) => p.code)).toEqual(['framework.overlap_unresolved']);
  });

  it('I-13: a content\'s suspected overlap with a master-catalog system blocks submission until justified, with the system named', () => {
    const blocked = submissionProblems(facts({ catalogOverlaps: [catalogOverlap(false), catalogOverlap(true)] })).filter((p) => p.code === 'framework.catalog_overlap_unresolved');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.article).toBe('第十条');
    expect(blocked[0]!.message.zh).toContain('电子社保卡服务系统');
    expect(blocked[0]!.params).toMatchObject({ systemName: '电子社保卡服务系统', similarity: '0.52', terms: '社会保障卡、签发' });
    expect(submissionProblems(facts({ catalogOverlaps: [catalogOverlap(true)] })).some((p) => p.code === 'framework.catalog_overlap_unresolved')).toBe(false);
  });

  it('every problem code can arise, and each has its message in both languages', () => {
    const all = [
      ...actionProblems('confirmed', 'submit', facts(), {}),
      ...actionProblems('submitted', 'return', facts(), { reasons: '' }),
      ...submissionProblems(facts({
        participants: [{ organizationId: MOHRSS, organizationName: '人力资源和社会保障部', confirmed: false, contentCount: 0 }],
        businessFlowCount: 0, dataFlowCount: 0, catalogEntryCount: 0, overlaps: [overlapFacts(false)], catalogOverlaps: [catalogOverlap(false)],
      })),
    ];
    expect([...new Set(all.map((p) => p.code))].sort()).toEqual([...FRAMEWORK_PROBLEM_CODES].sort());
    for (const p of all) {
      expect(p.message.zh.trim().length, p.code).toBeGreaterThan(0);
      expect(p.message.en.trim().length, p.code).toBeGreaterThan(0);
      expect(p.message.zh, p.code).not.toContain('undefined');
    }
  });
});

describe('parts of a plan: field rules (第十条)', () => {
  const flow = (overrides: Partial<DataFlowInput> = {}): DataFlowInput => ({
    from: { organizationId: MPS, system: '全国人口信息管理系统' }, to: { organizationId: MOHRSS, system: '社会保障卡管理系统' },
    dataItems: ['公民身份号码', '姓名'], frequency: 'realtime', interfaceMethod: 'api', description: null, ...overrides,
  });
  const entry = (overrides: Partial<CatalogEntryInput> = {}): CatalogEntryInput => ({
    name: '社会保障卡基础信息', providerOrganizationId: MOHRSS, dataItems: ['社会保障号码', '发卡日期'],
    sharingType: 'conditional', sharingBasis: '依据《社会保险法》共享', ...overrides,
  });

  it('第十条: the lead is a participant already and a department is listed once', () => {
    expect(frameworkInputProblems({ name: 'x', goals: 'y', leadOrganizationId: MOHRSS, participantIds: [MPS, MOHRSS, MCA, MPS] })).toEqual([
      { path: 'participantIds.1', code: 'project.lead_in_participants' },
      { path: 'participantIds.3', code: 'framework.duplicate_participant' },
    ]);
    expect(frameworkInputProblems({ name: 'x', goals: 'y', leadOrganizationId: MOHRSS, participantIds: [MPS, MCA] })).toEqual([]);
  });

  it('第十条: a data flow runs between participants, somewhere else than where it starts, each data item once', () => {
    expect(dataFlowProblems(flow(), PARTICIPANTS)).toEqual([]);
    expect(dataFlowProblems(flow({ from: { organizationId: OTHER, system: null }, dataItems: ['姓名', ' 姓名 '] }), PARTICIPANTS)).toEqual([
      { path: 'from.organizationId', code: 'framework.not_participant' },
      { path: 'dataItems.1', code: 'resource.duplicate_data_item' },
    ]);
    expect(dataFlowProblems(flow({ to: { organizationId: MPS, system: '全国人口信息管理系统' } }), PARTICIPANTS))
      .toEqual([{ path: 'to', code: 'framework.same_endpoint' }]);
    // Two systems of one department: a system interface inside the plan.
    expect(dataFlowProblems(flow({ to: { organizationId: MPS, system: '出入境管理系统' } }), PARTICIPANTS)).toEqual([]);
    // Without the participants (the request schema), membership is not checked.
    expect(dataFlowProblems(flow({ from: { organizationId: OTHER, system: null } }), null)).toEqual([]);
  });

  it('第十条, 第十一条: a catalog entry is a participant\'s, with a basis exactly when it is not shared unconditionally', () => {
    expect(catalogEntryProblems(entry(), PARTICIPANTS)).toEqual([]);
    expect(catalogEntryProblems(entry({ sharingBasis: ' ' }), PARTICIPANTS)).toEqual([{ path: 'sharingBasis', code: 'resource.sharing_basis_required' }]);
    expect(catalogEntryProblems(entry({ sharingType: 'none', sharingBasis: null }), PARTICIPANTS)).toEqual([{ path: 'sharingBasis', code: 'resource.sharing_basis_required' }]);
    expect(catalogEntryProblems(entry({ sharingType: 'unconditional' }), PARTICIPANTS)).toEqual([{ path: 'sharingBasis', code: 'resource.basis_not_applicable' }]);
    expect(catalogEntryProblems(entry({ sharingType: 'unconditional', sharingBasis: null, providerOrganizationId: OTHER }), PARTICIPANTS))
      .toEqual([{ path: 'providerOrganizationId', code: 'framework.not_participant' }]);
  });

  it('第十条: every step of a business flow is taken by a participant', () => {
    expect(businessFlowProblems({ name: '凭卡领取救助金', description: '', steps: [
      { organizationId: MCA, activity: '认定救助对象' }, { organizationId: OTHER, activity: '发放' }, { organizationId: MOHRSS, activity: '写入社保卡金融账户' },
    ] }, PARTICIPANTS)).toEqual([{ path: 'steps.1.organizationId', code: 'framework.not_participant' }]);
  });

  it('the rules tolerate a body of the wrong shape (they run beside the request schema)', () => {
    const junk = [{}, { steps: 'x', from: 3, dataItems: [1, null], participantIds: 'y' }, { from: {}, to: {}, steps: [null, 4] }] as never[];
    for (const input of junk) {
      expect(() => frameworkInputProblems(input)).not.toThrow();
      expect(() => businessFlowProblems(input, PARTICIPANTS)).not.toThrow();
      expect(() => dataFlowProblems(input, PARTICIPANTS)).not.toThrow();
      expect(() => catalogEntryProblems(input, PARTICIPANTS)).not.toThrow();
    }
  });

  it('every field code the rules use has a message', () => {
    const codes = new Set([
      'project.lead_in_participants', 'framework.duplicate_participant', 'framework.not_participant', 'framework.same_endpoint',
      'resource.duplicate_data_item', 'resource.sharing_basis_required', 'resource.basis_not_applicable', 'framework.project_not_participant',
      'coordination.not_local', 'coordination.not_national', 'coordination.self', 'framework.not_government', 'framework.lead_fixed', 'framework.not_an_overlap',
    ]);
    for (const code of codes) expect(Object.hasOwn(FIELD_MESSAGES, code), code).toBe(true);
  });
});

describe('linking projects (第十条)', () => {
  it('第十条: a participant\'s part is a project built by that participant or a unit below it', () => {
    expect(projectLinkProblems(MOHRSS, ['ic', MOHRSS])).toEqual([]);
    expect(projectLinkProblems(MOHRSS, [MOHRSS])).toEqual([]);
    expect(projectLinkProblems(MOHRSS, ['ic', MPS])).toEqual([{ path: 'projectId', code: 'framework.project_not_participant' }]);
  });

  it('第十条 地方协同: a local sub-project (a unit with a province-level or lower division code) follows a national project (a central unit)', () => {
    const base = { localProjectId: 'l', nationalProjectId: 'n' };
    expect(coordinationProblems({ ...base, localDivisionCode: '320500', nationalDivisionCode: null })).toEqual([]);
    expect(coordinationProblems({ ...base, localDivisionCode: null, nationalDivisionCode: '510000' })).toEqual([
      { path: 'projectId', code: 'coordination.not_local' }, { path: 'nationalProjectCode', code: 'coordination.not_national' },
    ]);
    // 100000 (全国) is the central level, not a locality.
    expect(coordinationProblems({ ...base, localDivisionCode: '100000', nationalDivisionCode: '100000' })).toEqual([{ path: 'projectId', code: 'coordination.not_local' }]);
    expect(coordinationProblems({ localProjectId: 'x', nationalProjectId: 'x', localDivisionCode: '320000', nationalDivisionCode: null }))
      .toEqual([{ path: 'nationalProjectCode', code: 'coordination.self' }]);
  });
});
