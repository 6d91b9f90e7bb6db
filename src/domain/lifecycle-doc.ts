// docs/lifecycle.md, generated from the state machine in lifecycle.ts so the two cannot drift.
// Pure: returns the markdown; scripts/gen-lifecycle-doc.ts writes it and a unit test compares
// the file on disk with it.

import { ROLES } from './authz.ts';
import {
  GUARDS, LIFECYCLE_STATES, MATERIALS, PROBLEM_CODES, STAGES, STAGE_MATERIALS, STAGE_NAMES, START_RULES, TRANSITIONS,
  ACTION_NAMES, isTerminal, stateKey, stateName,
  type Guard, type LifecycleState, type ProblemCode, type Transition, type TransitionTarget,
} from './lifecycle.ts';

const mermaidId = (s: LifecycleState): string => `${s.stage}_${s.status}`;
const code = (text: string): string => `\`${text}\``;
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]): string[] =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)];

function targetText(t: TransitionTarget, transition: Transition): string {
  const state = sameAsFrom(t, transition) ? '(不变 unchanged)' : code(stateKey(t.state));
  return t.condition === null ? state : `${state} 当 ${t.condition.text.zh} / if ${t.condition.text.en}`;
}

const sameAsFrom = (t: TransitionTarget, transition: Transition): boolean => stateKey(t.state) === stateKey(transition.from);

function edgeLabel(t: Transition, target: TransitionTarget): string {
  const parts = [t.action, t.roles.join(', '), t.article];
  if (target.condition !== null) parts.push(target.condition.text.zh);
  return parts.join(' · ');
}

function diagram(): string[] {
  const lines = ['```mermaid', 'stateDiagram-v2'];
  for (const s of LIFECYCLE_STATES) lines.push(`  state "${stateName(s).zh}" as ${mermaidId(s)}`);
  for (const rule of START_RULES) lines.push(`  [*] --> ${mermaidId(rule.state)} : ${rule.condition.text.zh} · ${rule.article}`);
  for (const t of TRANSITIONS) {
    for (const target of t.to) lines.push(`  ${mermaidId(t.from)} --> ${mermaidId(target.state)} : ${edgeLabel(t, target)}`);
  }
  for (const s of LIFECYCLE_STATES.filter(isTerminal)) lines.push(`  ${mermaidId(s)} --> [*]`);
  lines.push('```');
  return lines;
}

const guardIds = (guards: readonly Guard[]): string => (guards.length === 0 ? '—' : guards.map((g) => code(g.id)).join(', '));

/** The structural problem codes: reported by `check` itself, not by a guard. */
function structuralCodes(): ProblemCode[] {
  const fromGuards = new Set<string>(Object.values(GUARDS).flatMap((g: Guard) => [...g.problemCodes]));
  return PROBLEM_CODES.filter((c) => !fromGuards.has(c));
}

/** The whole of docs/lifecycle.md. */
export function renderLifecycleDoc(): string {
  const lines: string[] = [
    '<!-- 由 `node scripts/gen-lifecycle-doc.ts` 从 src/domain/lifecycle.ts 生成，请勿手工修改。 Generated: do not edit. -->',
    '',
    '# 审批与备案生命周期 / Approval and filing lifecycle',
    '',
    '本文件由状态机 `src/domain/lifecycle.ts` 生成;状态机是审批、备案流程的唯一依据,用例、接口、界面和本文档都读取它。',
    '修改状态机后运行 `node scripts/gen-lifecycle-doc.ts` 重新生成本文件,否则单元测试失败。',
    '',
    'This file is generated from the state machine in `src/domain/lifecycle.ts`, the single source of',
    'truth of the approval and filing lifecycle: use cases, the API, the UI and this document all read',
    'it. Change the machine, then run `node scripts/gen-lifecycle-doc.ts`; a unit test fails otherwise.',
    '',
    '- **审批类 / approval track (第七条)**: 项目建议书 → 可行性研究报告 → 初步设计方案和投资概算。已列入国家规划的',
    '  项目从可研起步;紧急项目可研、初设和概算合并编报(须申报原因类别、确认情况紧急和前期工作深度并书面说明,',
    '  见 `docs/compliance.md` I-8)。每一阶段:草稿 → 提交 → 单位负责人签章 → 受理 → [咨询评估,规则设置要求时] →',
    '  审核 → 批复 | 退回修改(本阶段或上一阶段)| 不予批复(终态)。受理前经办人可撤回。初设/概算(或合并阶段)批复后',
    '  项目即为已批复,可下达投资计划(建设阶段不在本状态机内)。',
    '  Each stage: draft → submit → unit-lead signature → accepted → [assessment when the rule settings',
    '  require it] → review → approved | returned (to this stage or the previous one) | rejected (final).',
    '  The preparer may withdraw until the department accepts the submission.',
    '- **备案类 / filing track (第九条)**: 草稿 → 提交 → 予以备案 | 退回补正。缺任何一项即拒收并列出全部缺项。',
    '  Draft → submitted → filed | returned for completion; a filing missing anything is refused with every missing item.',
    '- **第八条**: 节能审查、规划选址、用地预审、环评仅对新建土建或高耗能项目为必备材料(I-10)。',
    '- **第十一条**: 可研、初设须含信息资源共享分析篇(章);评估报告须含共享分析评估意见;批复须含共享分析意见;',
    '  任何阶段批复前须有信息资源目录(I-14)。',
    '- 每次校验返回全部问题(`check`),每个问题有稳定代码、条款和中英文说明。',
    '  `check` returns every problem, each with a stable code, its article and a zh/en message.',
    '',
    '## 起始阶段 / Where a project starts',
    '',
    '按顺序取第一条成立的规则。 The first rule whose condition holds applies.',
    '',
    ...table(['#', '条件 / Condition', '起始状态 / Start', '条款 / Article'],
      START_RULES.map((r, i) => [String(i + 1), `${r.condition.text.zh} / ${r.condition.text.en}`, code(stateKey(r.state)), r.article])),
    '',
    '## 状态 / States',
    '',
    ...table(['状态 / State', '名称', 'Name', '终态 / Final'],
      LIFECYCLE_STATES.map((s) => [code(stateKey(s)), stateName(s).zh, stateName(s).en, isTerminal(s) ? '是 yes' : ''])),
    '',
    '## 状态图 / State diagram',
    '',
    '连线标注:动作 · 角色 · 条款(· 条件)。 Edge labels: action · roles · article (· condition).',
    '',
    ...diagram(),
    '',
    '## 迁移表 / Transitions',
    '',
    ...table(['#', '动作 / Action', '从 / From', '到 / To', '角色 / Roles', '权限 / Permission', '条款 / Article', '校验 / Guards'],
      TRANSITIONS.map((t, i) => [
        String(i + 1),
        `${code(t.action)} ${ACTION_NAMES[t.action].zh}`,
        code(stateKey(t.from)),
        t.to.map((target) => targetText(target, t)).join('<br>'),
        t.roles.map((r) => `${code(r)} ${ROLES[r].name}`).join(', '),
        code(t.permission),
        t.article,
        guardIds(t.guards),
      ])),
    '',
    '## 校验规则 / Guards',
    '',
    ...table(['校验 / Guard', '条款 / Articles', '说明', 'Description', '问题代码 / Problem codes'],
      Object.values(GUARDS).map((g: Guard) => [
        code(g.id), g.articles.join('、'), g.description.zh, g.description.en, g.problemCodes.map(code).join(', '),
      ])),
    '',
    `结构性问题(无条款)/ Structural problems (no article): ${structuralCodes().map(code).join(', ')}.`,
    '',
    '## 必备材料 / Required materials per stage',
    '',
    '审核人可将第八条的某项前置审批标记为“不适用”并说明理由,该项即不再必备(I-10)。',
    'A reviewer may mark one of the 第八条 approvals not applicable, with a reason; it is then not required (I-10).',
    '',
    ...table(['阶段 / Stage', '代码 / Code', '材料', 'Material', '条款 / Article', '条件 / When'],
      STAGES.flatMap((stage) => STAGE_MATERIALS[stage].map((rule) => {
        const def = MATERIALS[rule.code];
        const name = def.classifiedName ? `${def.name.zh}(涉密:${def.classifiedName.zh})` : def.name.zh;
        return [
          `${STAGE_NAMES[stage].zh} ${code(stage)}`, code(rule.code), name, def.name.en, def.article,
          rule.condition === null ? '必备 always' : `${rule.condition.text.zh} / ${rule.condition.text.en}`,
        ];
      }))),
    '',
  ];
  return lines.join('\n');
}
