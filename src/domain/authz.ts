// Roles, permissions and data scopes (SPEC §1, §10). Pure: no I/O.
//
// A permission is granted by a role together with the data scope that role has for it. A
// user with several roles gets, for each permission, the union of the scopes of the roles
// that grant *that* permission, and nothing from roles that do not grant it: a role that
// can read everything never widens what another role may write (RuoYi's common flaw).

/** Data scope of one grant (数据权限范围). */
export type ScopeKind = 'all' | 'custom' | 'own' | 'subtree' | 'self';

export type PermissionKind = 'menu' | 'button';

export interface PermissionDefinition {
  name: string;
  nameEn: string;
  group: string;
  kind: PermissionKind;
  /** A project decision (第七条, 第九条): the 三员 may never hold one. */
  decision?: true;
}

/** Every permission code, down to buttons. Routes name one of these. */
export const PERMISSIONS = {
  'system:org:read': { name: '机构查看', nameEn: 'View organizations', group: 'system', kind: 'menu' },
  'system:org:create': { name: '机构新增', nameEn: 'Create organizations', group: 'system', kind: 'button' },
  'system:org:update': { name: '机构修改', nameEn: 'Edit organizations', group: 'system', kind: 'button' },
  'system:user:read': { name: '用户查看', nameEn: 'View users', group: 'system', kind: 'menu' },
  'system:user:create': { name: '用户新增', nameEn: 'Create users', group: 'system', kind: 'button' },
  'system:user:update': { name: '用户修改', nameEn: 'Edit users', group: 'system', kind: 'button' },
  'system:user:grant': { name: '角色授权', nameEn: 'Assign roles', group: 'system', kind: 'button' },
  'system:user:reset-password': { name: '重置密码', nameEn: 'Reset passwords', group: 'system', kind: 'button' },
  'system:user:lock': { name: '锁定/解锁用户', nameEn: 'Lock and unlock users', group: 'system', kind: 'button' },
  'system:user:export': { name: '用户导出', nameEn: 'Export users', group: 'system', kind: 'button' },
  'system:role:read': { name: '角色权限查看', nameEn: 'View roles and permissions', group: 'system', kind: 'menu' },
  'system:session:read': { name: '在线会话查看', nameEn: 'View sessions', group: 'system', kind: 'menu' },
  'system:session:revoke': { name: '强制下线', nameEn: 'Revoke sessions', group: 'system', kind: 'button' },
  'audit:log:read': { name: '日志查看', nameEn: 'View logs', group: 'audit', kind: 'menu' },
  'audit:log:export': { name: '日志导出', nameEn: 'Export logs', group: 'audit', kind: 'button' },
  'audit:verify': { name: '审计日志校验', nameEn: 'Verify the audit log', group: 'audit', kind: 'menu' },
  'audit:checkpoint:create': { name: '生成检查点', nameEn: 'Create a checkpoint', group: 'audit', kind: 'button' },
  'project:read': { name: '项目查看', nameEn: 'View projects', group: 'project', kind: 'menu' },
  'project:create': { name: '项目新增', nameEn: 'Create projects', group: 'project', kind: 'button' },
  'project:update': { name: '项目编辑', nameEn: 'Edit projects', group: 'project', kind: 'button' },
  'project:submit': { name: '项目申报', nameEn: 'Submit projects', group: 'project', kind: 'button' },
  'project:sign': { name: '单位负责人签章', nameEn: 'Sign submissions', group: 'project', kind: 'button' },
  'project:review': { name: '项目审核', nameEn: 'Review projects', group: 'project', kind: 'button' },
  'project:assess': { name: '咨询评估意见', nameEn: 'Give assessment opinions', group: 'project', kind: 'button' },
  'project:decide': { name: '审批决定', nameEn: 'Decide approvals', group: 'project', kind: 'button', decision: true },
  'filing:decide': { name: '备案管理', nameEn: 'Manage filings', group: 'project', kind: 'button', decision: true },
  'plan:read': { name: '规划查看', nameEn: 'View plans', group: 'plan', kind: 'menu' },
  'plan:manage': { name: '规划管理', nameEn: 'Manage plans', group: 'plan', kind: 'button' },
  'supervision:report': { name: '监理报告', nameEn: 'Supervision reports', group: 'supervision', kind: 'button' },
  'evaluation:report': { name: '第三方后评价', nameEn: 'Third-party post-evaluation', group: 'supervision', kind: 'button' },
  'oversight:finding': { name: '监督检查意见', nameEn: 'Record oversight findings', group: 'supervision', kind: 'button' },
  'rule:update': { name: '规则设置', nameEn: 'Change rule settings', group: 'rule', kind: 'button' },
  // 第十条 跨部门项目框架方案. Reading a plan is project:read within the plan's parties (supervisory
  // bodies: all). manage: the lead's people edit the whole plan and submit it; each participant's
  // people edit and confirm their own part and link their projects once NDRC has confirmed it.
  // decide: NDRC 确定 or 退回 a submitted plan, a signed decision.
  'framework:manage': { name: '框架方案编制', nameEn: 'Prepare framework plans', group: 'framework', kind: 'button' },
  'framework:decide': { name: '框架方案确定', nameEn: 'Confirm framework plans', group: 'framework', kind: 'button', decision: true },
  // 第十二条 政务信息系统目录: read (the national catalog, drill-down, confirmation status) and
  // manage (a department's own list: register, edit, remove, confirm). 第二十八条 孤网例外决定 is a
  // signed decision of its own.
  'catalog:read': { name: '政务信息系统目录查看', nameEn: 'View the system catalog', group: 'catalog', kind: 'menu' },
  'catalog:manage': { name: '政务信息系统目录维护', nameEn: 'Maintain the system catalog', group: 'catalog', kind: 'button' },
  'catalog:exception': { name: '孤网例外决定', nameEn: 'Decide isolated-network exceptions', group: 'catalog', kind: 'button', decision: true },
  // 双随机、一公开 (SPEC §9; 第三十条: 国务院办公厅、国家发展改革委、财政部、中央网信办 实施监督管理): read the
  // spot checks with who the inspectors are (the public sees them pseudonymous, I-63); manage:
  // create the pools, draw, record outcomes and publish them.
  'spotcheck:read': { name: '双随机抽查查看', nameEn: 'View spot checks', group: 'supervision', kind: 'menu' },
  'spotcheck:manage': { name: '双随机抽查组织', nameEn: 'Organize spot checks', group: 'supervision', kind: 'button' },
  // 第十三条, 第十九条–第二十二条 建设实施: the construction unit records (实施机构, 负责人, 采购, 合同, 监理,
  // 年度绩效评估报告, 重大问题, 整改情况, 建成); the approval department orders 整改 or 暂停 and lifts a
  // suspension (第二十一条), a signed decision.
  'construction:record': { name: '建设实施记录', nameEn: 'Record construction', group: 'construction', kind: 'button' },
  'construction:order': { name: '整改/暂停决定', nameEn: 'Order rectification or suspension', group: 'construction', kind: 'button', decision: true },
  // 第二十二条–第二十四条 (I-44): the construction unit records spending, applies for an early
  // investment and files adjustments; the approval department (NDRC for what it approves, and for
  // the central budget investment it compiles) releases investment; the approval department
  // decides early investments and adjustments that need re-approval (signed).
  'investment:record': { name: '投资支出与提前安排申请', nameEn: 'Record spending and apply for early investment', group: 'investment', kind: 'button' },
  'investment:release': { name: '下达投资计划', nameEn: 'Release investment plans', group: 'investment', kind: 'button', decision: true },
  'investment:decide': { name: '提前安排投资决定', nameEn: 'Decide early investments', group: 'investment', kind: 'button', decision: true },
  'adjustment:file': { name: '建设内容调整', nameEn: 'File adjustments', group: 'investment', kind: 'button' },
  'adjustment:decide': { name: '调整重新报批决定', nameEn: 'Decide adjustments sent for re-approval', group: 'investment', kind: 'button', decision: true },
  // 第十四条–第十七条 安全与资源记录 (a construction unit's records of its projects and systems);
  // 第二十八条(一) 共享问题认定 (国务院办公厅 and 国家发展改革委, I-20); 第二十八条 运维经费资格清单
  // (财政部 and the supervisory bodies).
  'security:record': { name: '安全与资源记录', nameEn: 'Record security and resources', group: 'catalog', kind: 'button' },
  'sharing:finding': { name: '共享问题认定', nameEn: 'Record sharing findings', group: 'catalog', kind: 'button' },
  'eligibility:read': { name: '运维经费资格', nameEn: 'O&M funding eligibility', group: 'catalog', kind: 'menu' },
  // 第三十条 监督检查与整改 (I-66): the supervisory bodies and the approval department record findings
  // (oversight:finding), verify answers and take the signed steps of the escalation ladder; the
  // construction unit reads and answers its rectification orders. 第三十三条: accountability records.
  'rectification:read': { name: '监督检查与整改查看', nameEn: 'View findings and rectification', group: 'supervision', kind: 'menu' },
  'rectification:answer': { name: '整改情况报告', nameEn: 'Answer rectification orders', group: 'supervision', kind: 'button' },
  'rectification:escalate': { name: '整改升级决定', nameEn: 'Decide escalation steps', group: 'supervision', kind: 'button', decision: true },
  'accountability:record': { name: '责任追究记录', nameEn: 'Record accountability decisions', group: 'supervision', kind: 'button' },
  // 第三十二条: next year's investment and O&M funding recommendations (docs/scoring-model.md), read by
  // 国家发展改革委 and 财政部 (and the 审计机关, which reads everything).
  'funding:read': { name: '投资与运维经费安排建议', nameEn: 'Funding recommendations', group: 'supervision', kind: 'menu' },
} as const satisfies Record<string, PermissionDefinition>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_CODES = Object.keys(PERMISSIONS) as Permission[];

export type RoleCode =
  | 'preparer' | 'unit_lead' | 'reviewer' | 'approver' | 'ndrc' | 'mof' | 'cac' | 'go'
  | 'assessor' | 'supervisor' | 'evaluator' | 'auditor' | 'admin' | 'security_admin' | 'audit_admin';

/** 三员分立: the three administrator duties are distinct roles; business roles have none. */
export type Duty = 'business' | 'system_admin' | 'security_admin' | 'audit_admin';

export interface RoleDefinition {
  code: RoleCode;
  name: string;
  nameEn: string;
  duty: Duty;
  /** Decision makers and administrators need a second factor (SPEC §10). */
  requiresTotp: boolean;
  grants: Partial<Record<Permission, ScopeKind>>;
}

// 第十二条: the supervisory bodies read the national system catalog (管理平台汇总…总目录) as well.
const READ_ALL_PROJECTS = { 'project:read': 'all', 'system:org:read': 'all', 'plan:read': 'all', 'catalog:read': 'all' } as const;

/** The roles of SPEC §1 with their permissions and the data scope of each. */
export const ROLES: Readonly<Record<RoleCode, RoleDefinition>> = {
  preparer: {
    code: 'preparer', name: '项目建设单位经办人', nameEn: 'Project preparer', duty: 'business', requiresTotp: false,
    // 第十二条: it keeps its own unit's system list.
    grants: {
      'project:read': 'own', 'project:create': 'own', 'project:update': 'own', 'project:submit': 'own', 'system:org:read': 'own', 'plan:read': 'all',
      'catalog:read': 'own', 'catalog:manage': 'own',
      'security:record': 'own',
      // 第十条: its unit's part of a framework plan (the whole plan when its unit leads).
      'framework:manage': 'own',
      'construction:record': 'own',
      // 第二十二条–第二十四条 (I-44).
      'investment:record': 'own', 'adjustment:file': 'own',
      // 第三十条: its unit's rectification orders.
      'rectification:read': 'own', 'rectification:answer': 'own',
    },
  },
  unit_lead: {
    code: 'unit_lead', name: '项目建设单位负责人', nameEn: 'Construction unit lead', duty: 'business', requiresTotp: true,
    // 第六条: a unit lead manages its own department's plans (衔接 the national plan).
    // 第十二条: it keeps (and confirms) the system lists of its unit and the units below it.
    grants: {
      'project:read': 'subtree', 'project:sign': 'subtree', 'system:org:read': 'subtree', 'plan:read': 'all', 'plan:manage': 'subtree',
      'catalog:read': 'subtree', 'catalog:manage': 'subtree',
      'security:record': 'subtree',
      'framework:manage': 'subtree',
      'construction:record': 'subtree',
      // 第三十条: its units' rectification orders.
      'rectification:read': 'subtree', 'rectification:answer': 'subtree',
    },
  },
  reviewer: {
    code: 'reviewer', name: '项目审批部门审核人', nameEn: 'Reviewer', duty: 'business', requiresTotp: false,
    grants: { 'project:read': 'custom', 'project:review': 'custom', 'system:org:read': 'all', 'plan:read': 'all' },
  },
  approver: {
    code: 'approver', name: '项目审批部门领导', nameEn: 'Approver', duty: 'business', requiresTotp: true,
    // 第三十四条: an approval department runs its own rule settings (I-25), set for it by the
    // security administrator (I-56).
    grants: {
      'project:read': 'custom', 'project:decide': 'custom', 'system:org:read': 'all', 'plan:read': 'all',
      // 第二十一条: orders rectification or suspension (signed).
      'construction:order': 'custom',
      // 第二十三条, 第二十四条 (I-44): the approval department releases and decides.
      'investment:release': 'custom', 'investment:decide': 'custom', 'adjustment:decide': 'custom',
      // 第三十条 (I-66): 项目审批部门可以通报批评… — findings and escalation on its projects.
      'oversight:finding': 'custom', 'rectification:read': 'custom', 'rectification:escalate': 'custom', 'accountability:record': 'custom',
    },
  },
  ndrc: {
    code: 'ndrc', name: '国家发展改革委', nameEn: 'NDRC', duty: 'business', requiresTotp: true,
    // 第二十八条: NDRC reports a 孤网 exception to the State Council and records its approval (I-22).
    grants: {
      ...READ_ALL_PROJECTS, 'plan:manage': 'all', 'filing:decide': 'all', 'oversight:finding': 'all',
      'catalog:exception': 'all',
      // 第十条: 联合报国家发展改革委 — NDRC confirms (确定) or returns a submitted framework plan.
      'framework:decide': 'all',
      // 第二十四条 (I-44): NDRC releases the central budget investment (中央预算内投资) plans.
      'investment:release': 'all',
      // 第二十八条: records findings against non-sharing systems (I-20) and reads the eligibility list.
      'sharing:finding': 'all', 'eligibility:read': 'all',
      'spotcheck:read': 'all', 'spotcheck:manage': 'all',
      'rectification:read': 'all', 'rectification:escalate': 'all', 'accountability:record': 'all',
      // 第三十二条: funding recommendations.
      'funding:read': 'all',
    },
  },
  mof: {
    code: 'mof', name: '财政部', nameEn: 'Ministry of Finance', duty: 'business', requiresTotp: true,
    grants: {
      ...READ_ALL_PROJECTS, 'oversight:finding': 'all', 'eligibility:read': 'all', 'spotcheck:read': 'all', 'spotcheck:manage': 'all',
      'rectification:read': 'all', 'rectification:escalate': 'all', 'accountability:record': 'all',
      // 第三十二条: funding recommendations.
      'funding:read': 'all',
    },
  },
  cac: {
    code: 'cac', name: '中央网信办', nameEn: 'Cyberspace Administration', duty: 'business', requiresTotp: true,
    grants: {
      ...READ_ALL_PROJECTS, 'oversight:finding': 'all', 'eligibility:read': 'all', 'spotcheck:read': 'all', 'spotcheck:manage': 'all',
      'rectification:read': 'all', 'rectification:escalate': 'all', 'accountability:record': 'all',
    },
  },
  go: {
    code: 'go', name: '国务院办公厅', nameEn: 'General Office of the State Council', duty: 'business', requiresTotp: true,
    // 第二十八条: 国务院办公厅 supervises information sharing (records sharing findings, I-20).
    grants: {
      ...READ_ALL_PROJECTS, 'oversight:finding': 'all', 'sharing:finding': 'all', 'eligibility:read': 'all',
      'spotcheck:read': 'all', 'spotcheck:manage': 'all',
      'rectification:read': 'all', 'rectification:escalate': 'all', 'accountability:record': 'all',
    },
  },
  assessor: {
    code: 'assessor', name: '咨询评估单位', nameEn: 'Assessor', duty: 'business', requiresTotp: false,
    // 第七条: it sees the projects its organization was entrusted with (project_assignments).
    grants: { 'project:read': 'own', 'project:assess': 'own', 'system:org:read': 'own' },
  },
  supervisor: {
    code: 'supervisor', name: '监理单位', nameEn: 'Supervisor', duty: 'business', requiresTotp: false,
    grants: { 'project:read': 'custom', 'supervision:report': 'custom', 'system:org:read': 'own' },
  },
  evaluator: {
    code: 'evaluator', name: '第三方评价机构', nameEn: 'Evaluator', duty: 'business', requiresTotp: false,
    // 第二十七条: like an assessor, it sees the projects its organization was commissioned to
    // post-evaluate (post_evaluations, the evaluator arm of visible() in src/usecases/projects.ts).
    grants: { 'project:read': 'own', 'evaluation:report': 'own', 'system:org:read': 'own' },
  },
  auditor: {
    code: 'auditor', name: '审计机关', nameEn: 'Auditor', duty: 'business', requiresTotp: false,
    // 第三十一条: read everything, change nothing, verify the log.
    grants: {
      ...READ_ALL_PROJECTS, 'system:user:read': 'all', 'system:role:read': 'all', 'system:session:read': 'all',
      'audit:log:read': 'all', 'audit:log:export': 'all', 'audit:verify': 'all',
      'eligibility:read': 'all',
      'spotcheck:read': 'all',
      'rectification:read': 'all',
      'funding:read': 'all',
    },
  },
  admin: {
    code: 'admin', name: '系统管理员', nameEn: 'System administrator', duty: 'system_admin', requiresTotp: true,
    grants: {
      'system:org:read': 'all', 'system:org:create': 'all', 'system:org:update': 'all',
      'system:user:read': 'all', 'system:user:create': 'all', 'system:user:update': 'all', 'system:user:export': 'all',
      'system:role:read': 'all',
    },
  },
  security_admin: {
    code: 'security_admin', name: '安全管理员', nameEn: 'Security administrator', duty: 'security_admin', requiresTotp: true,
    grants: {
      'system:org:read': 'all', 'system:user:read': 'all', 'system:user:grant': 'all', 'system:user:reset-password': 'all',
      'system:user:lock': 'all', 'system:role:read': 'all', 'system:session:read': 'all', 'system:session:revoke': 'all',
      // 第三十四条 (I-56): rule settings (central, a province's, a ministry's) are security
      // configuration: only the security administrator changes them, audited, effective by date.
      'rule:update': 'all',
    },
  },
  audit_admin: {
    code: 'audit_admin', name: '安全审计员', nameEn: 'Audit administrator', duty: 'audit_admin', requiresTotp: true,
    grants: {
      'system:org:read': 'all', 'system:user:read': 'all', 'system:role:read': 'all',
      'audit:log:read': 'all', 'audit:log:export': 'all', 'audit:verify': 'all', 'audit:checkpoint:create': 'all',
    },
  },
};

export const ROLE_CODES = Object.keys(ROLES) as RoleCode[];

export function isRoleCode(value: string): value is RoleCode {
  return Object.hasOwn(ROLES, value);
}

/** One role held by a user, with the organizations of its custom scope. */
export interface RoleAssignment {
  role: RoleCode;
  customOrganizationIds: readonly string[];
}

/** Who is asking: the identity facts that scopes are resolved against. */
export interface Principal {
  userId: string;
  organizationIds: readonly string[];
  roles: readonly RoleAssignment[];
}

/**
 * The resolved data scope of one permission for one principal, as a typed predicate the
 * repositories translate to SQL: a row is visible when `all`, or its organization is in
 * `organizationIds`, or under one of `subtreeRootIds`, or it belongs to `selfUserId`.
 */
export interface DataScope {
  all: boolean;
  organizationIds: readonly string[];
  subtreeRootIds: readonly string[];
  selfUserId: string | null;
}

export type Access = { allowed: false } | { allowed: true; scope: DataScope };

const NOTHING: DataScope = { all: false, organizationIds: [], subtreeRootIds: [], selfUserId: null };

/** Resolves what `principal` may do with `permission`, from the roles that grant it only. */
export function resolveAccess(principal: Principal, permission: Permission): Access {
  let granted = false;
  let all = false;
  const orgs = new Set<string>();
  const roots = new Set<string>();
  let self: string | null = null;
  for (const assignment of principal.roles) {
    const kind = ROLES[assignment.role]?.grants[permission];
    if (kind === undefined) continue;
    granted = true;
    switch (kind) {
      case 'all':
        all = true;
        break;
      case 'custom':
        for (const id of assignment.customOrganizationIds) orgs.add(id);
        break;
      case 'own':
        for (const id of principal.organizationIds) orgs.add(id);
        break;
      case 'subtree':
        for (const id of principal.organizationIds) roots.add(id);
        break;
      case 'self':
        self = principal.userId;
        break;
    }
  }
  if (!granted) return { allowed: false };
  if (all) return { allowed: true, scope: { ...NOTHING, all: true } };
  return {
    allowed: true,
    scope: { all: false, organizationIds: [...orgs].sort(), subtreeRootIds: [...roots].sort(), selfUserId: self },
  };
}

/** The permissions a principal holds at all (for the menu and buttons). */
export function permissionsOf(roles: readonly RoleAssignment[]): Permission[] {
  const held = new Set<Permission>();
  for (const a of roles) for (const p of Object.keys(ROLES[a.role]?.grants ?? {})) held.add(p as Permission);
  return PERMISSION_CODES.filter((p) => held.has(p));
}

/** True when the scope can match no row at all (e.g. a user with no organization). */
export function isEmptyScope(scope: DataScope): boolean {
  return !scope.all && scope.organizationIds.length === 0 && scope.subtreeRootIds.length === 0 && scope.selfUserId === null;
}

/**
 * Whether a row owned by `organizationId` (with its ancestors, nearest first) and created by
 * `ownerUserId` is inside the scope. The repositories express the same rule in SQL; this
 * form serves checks on a single loaded object and the tests that pin the two together.
 */
export function scopeContains(
  scope: DataScope,
  row: { organizationId: string | null; ancestorIds: readonly string[]; ownerUserId: string | null },
): boolean {
  if (scope.all) return true;
  if (row.organizationId !== null && scope.organizationIds.includes(row.organizationId)) return true;
  if (row.organizationId !== null) {
    const lineage = [row.organizationId, ...row.ancestorIds];
    if (scope.subtreeRootIds.some((root) => lineage.includes(root))) return true;
  }
  return scope.selfUserId !== null && row.ownerUserId === scope.selfUserId;
}

/** Whether a principal needs TOTP: any of its roles requires it. */
export function requiresTotp(roles: readonly RoleCode[]): boolean {
  return roles.some((r) => ROLES[r].requiresTotp);
}
