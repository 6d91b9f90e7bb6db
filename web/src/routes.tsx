import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AlertOutlined,
  AccountBookOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BookOutlined,
  CarryOutOutlined,
  ClusterOutlined,
  ControlOutlined,
  CopyOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DesktopOutlined,
  FileSearchOutlined,
  FolderOpenOutlined,
  FundProjectionScreenOutlined,
  NodeIndexOutlined,
  PartitionOutlined,
  PieChartOutlined,
  ProfileOutlined,
  LoginOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { MessageKey } from './i18n';

export interface PageRoute {
  path: string;
  title: MessageKey;
  icon: ReactNode;
  /** The permission that shows the menu item and opens the page. */
  permission?: string;
  component: LazyExoticComponent<ComponentType>;
}

export interface MenuGroup {
  path: string;
  title: MessageKey;
  icon: ReactNode;
  children: PageRoute[];
}

export type MenuEntry = PageRoute | MenuGroup;

export function isGroup(entry: MenuEntry): entry is MenuGroup {
  return 'children' in entry;
}

const Dashboard = lazy(() => import('./pages/Dashboard'));
const ProjectList = lazy(() => import('./pages/projects/ProjectList'));
const ProjectDetail = lazy(() => import('./pages/projects/ProjectDetail'));
const ProjectForm = lazy(() => import('./pages/projects/ProjectForm'));
const FrameworkList = lazy(() => import('./pages/frameworks/FrameworkList'));
const FrameworkDetail = lazy(() => import('./pages/frameworks/FrameworkDetail'));
const Plans = lazy(() => import('./pages/plans/Plans'));
const Organizations = lazy(() => import('./pages/system/Organizations'));
const Users = lazy(() => import('./pages/system/Users'));
const Roles = lazy(() => import('./pages/system/Roles'));
const Sessions = lazy(() => import('./pages/system/Sessions'));
const OperationLogs = lazy(() => import('./pages/audit/OperationLogs'));
const LoginLogs = lazy(() => import('./pages/audit/LoginLogs'));
const Verify = lazy(() => import('./pages/audit/Verify'));
// 第三十一条: signed decisions re-verified; 双随机、一公开 for the organizers.
const Signatures = lazy(() => import('./pages/audit/Signatures'));
const SpotChecks = lazy(() => import('./pages/spotchecks/SpotChecks'));
const SpotCheckManage = lazy(() => import('./pages/spotchecks/SpotCheckManage'));
const Worklist = lazy(() => import('./pages/worklist/Worklist'));
const Notifications = lazy(() => import('./pages/notifications/Notifications'));
const RuleSettings = lazy(() => import('./pages/system/RuleSettings'));
const SystemList = lazy(() => import('./pages/catalog/SystemList'));
const SystemDetail = lazy(() => import('./pages/catalog/SystemDetail'));
const NationalCatalog = lazy(() => import('./pages/catalog/NationalCatalog'));
const DuplicateCollection = lazy(() => import('./pages/catalog/DuplicateCollection'));
const ResourceCatalog = lazy(() => import('./pages/resources/ResourceCatalog'));
// 第二十八条: O&M funding eligibility for 财政部 and the supervisory bodies.
const EligibilityList = lazy(() => import('./pages/security/EligibilityList'));
// The deadline engine: 履约日历 (第二十条, 第二十五条, 第二十七条).
const ObligationsCalendar = lazy(() => import('./pages/obligations/ObligationsCalendar'));
// 统计分析, 风险评级, 经费安排建议 (SPEC §8, §9; 第三十二条).
const OversightDashboard = lazy(() => import('./pages/oversight/OversightDashboard'));
const DrillList = lazy(() => import('./pages/oversight/DrillList'));
const ProjectRisk = lazy(() => import('./pages/oversight/ProjectRisk'));
const FundingRecommendations = lazy(() => import('./pages/oversight/FundingRecommendations'));
// 第三十条, 第三十三条: findings, rectification, the escalation ladder, accountability.
const Supervision = lazy(() => import('./pages/supervision/Supervision'));
// 第二十九条: document requests (资料调阅).
const DocumentRequests = lazy(() => import('./pages/supervision/DocumentRequests'));

export const menu: MenuEntry[] = [
  { path: '/', title: 'menu.dashboard', icon: <DashboardOutlined />, component: Dashboard },
  // 第七条: what waits for the signed-in user; every signed-in user has a worklist (maybe empty).
  { path: '/worklist', title: 'menu.worklist', icon: <CarryOutOutlined />, component: Worklist },
  // 第二十条, 第二十五条, 第二十七条: the deadlines of the caller's projects and systems (data scope of project:read).
  { path: '/obligations', title: 'menu.obligations', icon: <ScheduleOutlined />, permission: 'project:read', component: ObligationsCalendar },
  {
    path: '/project-management',
    title: 'menu.projects',
    icon: <FundProjectionScreenOutlined />,
    children: [
      { path: '/projects', title: 'menu.projects.library', icon: <FolderOpenOutlined />, permission: 'project:read', component: ProjectList },
      // 第十条: the cross-department framework plans the user's organization takes part in.
      { path: '/frameworks', title: 'menu.projects.frameworks', icon: <PartitionOutlined />, permission: 'project:read', component: FrameworkList },
    ],
  },
  { path: '/plans', title: 'menu.plans', icon: <NodeIndexOutlined />, permission: 'plan:read', component: Plans },
  // 第三十条, 第三十三条: 监督检查与整改 (the supervisory bodies, the approval department, the unit, auditors).
  // 第二十九条: 资料调阅 (the requesters, the units, auditors reading).
  {
    path: '/supervision-area',
    title: 'menu.supervisionArea',
    icon: <AlertOutlined />,
    children: [
      { path: '/supervision', title: 'menu.supervision', icon: <AlertOutlined />, permission: 'rectification:read', component: Supervision },
      { path: '/document-requests', title: 'menu.documentRequests', icon: <FileSearchOutlined />, permission: 'rectification:read', component: DocumentRequests },
    ],
  },
  // 第十二条: the departments' system lists and the national catalog; 第二十八条: the 孤网 flag.
  {
    path: '/catalog',
    title: 'menu.catalog',
    icon: <BookOutlined />,
    children: [
      { path: '/catalog/systems', title: 'menu.catalog.systems', icon: <DatabaseOutlined />, permission: 'catalog:read', component: SystemList },
      { path: '/catalog/national', title: 'menu.catalog.national', icon: <ClusterOutlined />, permission: 'catalog:read', component: NationalCatalog },
      // 第十一条: the projects' information-resource catalogs read together (a project permission).
      { path: '/resources', title: 'menu.catalog.resources', icon: <ProfileOutlined />, permission: 'project:read', component: ResourceCatalog },
      // 第二十八条: the same data item collected by systems of several owners.
      {
        path: '/catalog/duplicate-collection',
        title: 'menu.catalog.duplicateCollection',
        icon: <CopyOutlined />,
        permission: 'catalog:read',
        component: DuplicateCollection,
      },
      // 第二十八条: whether each system gets O&M funding, with every reason (财政部, NDRC, CAC, 国办, auditors).
      { path: '/catalog/eligibility', title: 'menu.catalog.eligibility', icon: <AccountBookOutlined />, permission: 'eligibility:read', component: EligibilityList },
    ],
  },
  // SPEC §8, §9: dashboards over the caller's projects; 第三十二条 funding recommendations (NDRC, MoF).
  {
    path: '/oversight',
    title: 'menu.oversight',
    icon: <BarChartOutlined />,
    children: [
      { path: '/oversight/dashboard', title: 'menu.oversight.dashboard', icon: <PieChartOutlined />, permission: 'project:read', component: OversightDashboard },
      { path: '/oversight/funding', title: 'menu.oversight.funding', icon: <AccountBookOutlined />, permission: 'funding:read', component: FundingRecommendations },
    ],
  },
  {
    path: '/system',
    title: 'menu.system',
    icon: <SettingOutlined />,
    children: [
      {
        path: '/system/organizations',
        title: 'menu.system.organizations',
        icon: <ApartmentOutlined />,
        permission: 'system:org:read',
        component: Organizations,
      },
      { path: '/system/users', title: 'menu.system.users', icon: <TeamOutlined />, permission: 'system:user:read', component: Users },
      { path: '/system/roles', title: 'menu.system.roles', icon: <SafetyOutlined />, permission: 'system:role:read', component: Roles },
      {
        path: '/system/sessions',
        title: 'menu.system.sessions',
        icon: <DesktopOutlined />,
        permission: 'system:session:read',
        component: Sessions,
      },
      // 第三十四条: every signed-in user may read the rule settings; changing one needs 'rule:update'.
      { path: '/system/rule-settings', title: 'menu.system.ruleSettings', icon: <ControlOutlined />, component: RuleSettings },
    ],
  },
  {
    path: '/audit',
    title: 'menu.audit',
    icon: <AuditOutlined />,
    children: [
      {
        path: '/audit/operation-logs',
        title: 'menu.audit.operationLogs',
        icon: <FileSearchOutlined />,
        permission: 'audit:log:read',
        component: OperationLogs,
      },
      {
        path: '/audit/login-logs',
        title: 'menu.audit.loginLogs',
        icon: <LoginOutlined />,
        permission: 'audit:log:read',
        component: LoginLogs,
      },
      {
        path: '/audit/verify',
        title: 'menu.audit.verify',
        icon: <SafetyCertificateOutlined />,
        permission: 'audit:verify',
        component: Verify,
      },
      // 第三十一条: any signed decision's SM2 signature verified against its stored text and the signer's key.
      {
        path: '/audit/signatures',
        title: 'menu.audit.signatures',
        icon: <SafetyCertificateOutlined />,
        permission: 'audit:verify',
        component: Signatures,
      },
    ],
  },
  // 双随机、一公开 (SPEC §9): the organizing bodies create, draw, record and publish; auditors read.
  { path: '/spot-checks', title: 'menu.spotChecks', icon: <FileSearchOutlined />, permission: 'spotcheck:read', component: SpotChecks },
];

/** Every page route of the menu, flattened. */
export const pages: PageRoute[] = menu.flatMap((entry) => (isGroup(entry) ? entry.children : [entry]));

/**
 * Pages reached from other pages, not from the menu (the menu highlights the entry whose path
 * is their prefix, e.g. 项目库 for /projects/:id).
 */
export const innerPages: PageRoute[] = [
  { path: '/projects/new', title: 'project.create.title', icon: <FolderOpenOutlined />, permission: 'project:create', component: ProjectForm },
  { path: '/projects/:id', title: 'project.detail.title', icon: <FolderOpenOutlined />, permission: 'project:read', component: ProjectDetail },
  { path: '/projects/:id/edit', title: 'project.edit.title', icon: <FolderOpenOutlined />, permission: 'project:update', component: ProjectForm },
  { path: '/frameworks/:id', title: 'framework.detail.title', icon: <PartitionOutlined />, permission: 'project:read', component: FrameworkDetail },
  { path: '/catalog/systems/:id', title: 'catalog.detail.title', icon: <DatabaseOutlined />, permission: 'catalog:read', component: SystemDetail },
  { path: '/notifications', title: 'notification.title', icon: <BellOutlined />, component: Notifications },
  { path: '/oversight/projects', title: 'oversight.drill.title', icon: <BarChartOutlined />, permission: 'project:read', component: DrillList },
  { path: '/oversight/risk/:id', title: 'oversight.risk.title', icon: <BarChartOutlined />, permission: 'project:read', component: ProjectRisk },
  { path: '/spot-checks/:id', title: 'spot.detail.title', icon: <FileSearchOutlined />, permission: 'spotcheck:read', component: SpotCheckManage },
];
