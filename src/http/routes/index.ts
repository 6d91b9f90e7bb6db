// Every route of the API, in one table (the authorization-matrix test walks it).
import type { RouteDefinition } from '../route.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { documentRoutes } from './documents.ts';
import { duplicateCollectionRoutes } from './duplicate-collection.ts';
import { frameworkRoutes } from './frameworks.ts';
import { healthRoutes } from './health.ts';
import { importRoutes } from './imports.ts';
import { jobRoutes } from './jobs.ts';
import { lifecycleRoutes } from './lifecycle.ts';
import { materialRoutes } from './materials.ts';
import { organizationRoutes } from './organizations.ts';
import { projectRoutes } from './projects.ts';
import { resourceCatalogRoutes } from './resource-catalog.ts';
import { resourceCatalogViewRoutes } from './resource-catalog-views.ts';
import { planRoutes } from './plans.ts';
import { roleRoutes } from './roles.ts';
import { sessionRoutes } from './sessions.ts';
import { similarityRoutes } from './similarity.ts';
import { systemCatalogRoutes } from './system-catalog.ts';
import { userRoutes } from './users.ts';
import { workflowRoutes } from './workflow.ts';
// The deadline engine: 履约日历 (第二十条, 第二十五条, 第二十七条).
import { obligationRoutes } from './obligations.ts';
// 双随机、一公开 and the open-data portal
import { openDataRoutes } from './open-data.ts';
import { spotCheckRoutes } from './spot-checks.ts';
import { constructionRecordRoutes } from './construction-records.ts';
// 第二十二条–第二十四条
import { investmentRoutes } from './investment.ts';
import { securityRoutes } from './security.ts';
import { acceptanceRoutes } from './acceptance.ts';
// 第三十条, 第三十三条: supervision, rectification, escalation, accountability
import { supervisionRoutes } from './supervision.ts';
// 第二十九条: document requests (资料调阅)
import { documentRequestRoutes } from './document-requests.ts';
// Dashboards, risk ratings, funding recommendations (issue 6 items 4, 6, 7)
import { oversightRoutes } from './oversight.ts';
// Issue 4: the department directory for pickers and the catalog's label lists.
import { departmentRoutes } from './departments.ts';

export const ALL_ROUTES: readonly RouteDefinition[] = [
  ...healthRoutes, ...authRoutes, ...organizationRoutes, ...projectRoutes, ...resourceCatalogRoutes, ...lifecycleRoutes, ...materialRoutes, ...userRoutes, ...roleRoutes, ...sessionRoutes, ...auditRoutes,
  ...planRoutes, ...workflowRoutes, ...jobRoutes,
  ...documentRoutes,
  ...systemCatalogRoutes, ...importRoutes,
  ...similarityRoutes, ...duplicateCollectionRoutes, ...resourceCatalogViewRoutes,
  ...frameworkRoutes,
  ...obligationRoutes,
  ...spotCheckRoutes, ...openDataRoutes,
  ...constructionRecordRoutes,
  ...investmentRoutes,
  ...securityRoutes,
  ...acceptanceRoutes,
  ...supervisionRoutes,
  ...documentRequestRoutes,
  ...oversightRoutes,
  ...departmentRoutes,
];
