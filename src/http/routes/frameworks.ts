// 跨部门项目框架方案 (第十条; SPEC §3; I-13): plans (list, read, create, edit, delete), their parts
// (participants and their confirmations, contents, business flows, data flows and system
// interfaces, the preliminary data catalog), overlap justifications, the status actions (联合报送,
// 撤回; NDRC 确定 / 退回, signed), the signed history, the data-flow export, project links; and a
// project's coordination (its plan, its national project, its local sub-projects by province).
import { z } from 'zod';
import {
  FRAMEWORK_ACTIONS, FRAMEWORK_PROBLEM_CODES, FRAMEWORK_STATUSES, FREQUENCIES, INTERFACE_METHODS, LIMITS, businessFlowProblems,
  catalogEntryProblems, dataFlowProblems, frameworkInputProblems,
  type BusinessFlowInput, type CatalogEntryInput, type DataFlowInput, type FieldProblem, type FrameworkInput,
} from '../../domain/frameworks.ts';
import { SHARING_TYPES } from '../../domain/resource-catalog.ts';
import { listFrameworkActions, takeFrameworkAction } from '../../usecases/framework-actions.ts';
import {
  addParticipant, confirmPart, createBusinessFlow, createCatalogEntry, createContent, createDataFlow, createFramework, deleteBusinessFlow,
  deleteCatalogEntry, deleteContent, deleteDataFlow, deleteFramework, exportDataFlows, getFramework, justifyOverlap, justifyCatalogOverlap, removeCatalogJustification, listFrameworks,
  removeJustification, removeParticipant, updateBusinessFlow, updateCatalogEntry, updateContent, updateDataFlow, updateFramework,
  withdrawConfirmation, type DataFlow,
} from '../../usecases/frameworks.ts';
import {
  linkProject, localProjectsByRegion, projectCoordination, removeNationalProject, setNationalProject, unlinkProject,
} from '../../usecases/project-coordination.ts';
import { ifMatchVersion, optionalIfMatchVersion, setEtag } from '../concurrency.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { idParams, pagination, text, uuid } from './schemas.ts';

const localized = z.object({ zh: z.string(), en: z.string() });

/** Adds the domain's cross-field problems (those that need no database) to the schema's own. */
function withDomainRules<T extends z.ZodType>(schema: T, problems: (value: never) => FieldProblem[]) {
  return schema.superRefine((value, ctx) => {
    const flagged = ctx.issues.map((i) => (i.path ?? []).join('.'));
    for (const p of problems(value as never)) {
      if (flagged.some((f) => p.path === f || p.path.startsWith(`${f}.`))) continue;
      ctx.addIssue({ code: 'custom', message: p.code, path: p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)), input: value });
    }
  }, { when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) });
}

const dataItems = z.array(text(LIMITS.dataItem)).min(1).max(LIMITS.dataItems).describe('数据项 names, at least one, each once');
const optional = (max: number) => z.string().trim().max(max).nullable().default(null);

const headerFields = {
  name: text(LIMITS.name).describe('框架方案名称'),
  goals: text(LIMITS.goals).describe('建设目标, shared by every participant (editing it clears every confirmation)'),
};
const frameworkBody = withDomainRules(z.strictObject({
  ...headerFields,
  leadOrganizationId: uuid.describe('牵头部门: inside the caller\'s framework:manage scope; becomes the first participant'),
  participantIds: z.array(uuid).max(LIMITS.participants).default([]).describe('参与部门 other than the lead, each once'),
}), (v: FrameworkInput) => frameworkInputProblems(v));
const headerBody = z.strictObject(headerFields);
const contentBody = z.strictObject({
  title: text(LIMITS.title).describe('建设内容名称 (compared with other participants\' contents for overlaps)'),
  description: text(LIMITS.description).describe('建设内容说明 (compared as well)'),
});
const businessFlowBody = withDomainRules(z.strictObject({
  name: text(LIMITS.name).describe('业务流名称'),
  description: z.string().trim().max(LIMITS.description).default('').describe('业务流说明'),
  steps: z.array(z.strictObject({
    organizationId: uuid.describe('the participant taking this step'),
    activity: text(LIMITS.activity).describe('what it does'),
  })).min(1).max(LIMITS.steps).describe('the steps in order'),
}), (v: BusinessFlowInput) => businessFlowProblems(v, null));
const endpoint = z.strictObject({
  organizationId: uuid.describe('a participant'),
  system: optional(LIMITS.system).describe('系统名称 at this end (system interface), optional'),
});
const dataFlowBody = withDomainRules(z.strictObject({
  from: endpoint.describe('提供方 department [/ system]'),
  to: endpoint.describe('接收方 department [/ system]'),
  dataItems,
  frequency: z.enum(FREQUENCIES).describe('交换频度: realtime 实时 / daily / weekly / monthly / quarterly / yearly / irregular 不定期'),
  interfaceMethod: z.enum(INTERFACE_METHODS).describe('接口方式: api 接口调用 / file 文件交换 / database 数据库同步 / message 消息队列 / exchange_platform 数据共享交换平台 / other'),
  description: optional(LIMITS.flowDescription).describe('说明'),
}), (v: DataFlowInput) => dataFlowProblems(v, null));
const catalogBody = withDomainRules(z.strictObject({
  name: text(LIMITS.name).describe('数据资源名称, unique per provider'),
  providerOrganizationId: uuid.describe('提供方: a participant'),
  dataItems,
  sharingType: z.enum(SHARING_TYPES).describe('无条件共享 / 有条件共享 / 不予共享'),
  sharingBasis: optional(LIMITS.basis).describe('共享条件或依据: required for conditional and none, not used for unconditional'),
}), (v: CatalogEntryInput) => catalogEntryProblems(v, null));

const orgParams = z.strictObject({ id: uuid, organizationId: uuid });
const contentParams = z.strictObject({ id: uuid, contentId: uuid });
const flowParams = z.strictObject({ id: uuid, flowId: uuid });
const entryParams = z.strictObject({ id: uuid, entryId: uuid });
const pairParams = z.strictObject({ id: uuid, contentA: uuid, contentB: uuid });

// ——— response shapes ———

const problem = z.object({
  code: z.enum(FRAMEWORK_PROBLEM_CODES), article: z.string().nullable(), params: z.record(z.string(), z.string()), message: localized,
});
const endpointView = z.object({ organizationId: z.string(), organizationName: z.string(), system: z.string().nullable() });
const dataFlowView = z.object({
  id: z.string(), from: endpointView, to: endpointView, dataItems: z.array(z.string()),
  frequency: z.enum(FREQUENCIES), frequencyName: localized, interfaceMethod: z.enum(INTERFACE_METHODS), interfaceMethodName: localized,
  description: z.string().nullable(), version: z.number().int().describe('If-Match of its edits'),
});
const overlapSide = z.object({ contentId: z.string(), organizationId: z.string(), organizationName: z.string(), title: z.string() });
const frameworkView = z.object({
  id: z.string(), name: z.string(), leadOrganizationId: z.string(), leadOrganizationName: z.string(), goals: z.string(),
  status: z.enum(FRAMEWORK_STATUSES).describe('draft 编制中 / submitted 已报国家发展改革委 / confirmed 已确定 / returned 已退回'),
  statusName: localized,
  version: z.number().int().describe('bumped by every change; If-Match of header edits, deletion and (optionally) actions'),
  createdBy: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
  participants: z.array(z.object({
    organizationId: z.string(), organizationName: z.string(), isLead: z.boolean(),
    version: z.number().int().describe('bumped by every change to this participant\'s part; If-Match of its confirmation'),
    confirmation: z.object({ confirmedAt: z.string(), confirmedBy: z.string().nullable(), confirmedByName: z.string().nullable() }).nullable()
      .describe('null until confirmed, and again after any change to the part'),
    contents: z.array(z.object({
      id: z.string(), organizationId: z.string(), title: z.string(), description: z.string(), version: z.number().int(), updatedAt: z.string(),
    })).describe('主要建设内容'),
  })).describe('参与部门, the lead first'),
  businessFlows: z.array(z.object({
    id: z.string(), name: z.string(), description: z.string(), version: z.number().int(),
    steps: z.array(z.object({ organizationId: z.string(), organizationName: z.string(), activity: z.string() })),
  })),
  dataFlows: z.array(dataFlowView).describe('数据流与系统接口'),
  catalogEntries: z.array(z.object({
    id: z.string(), name: z.string(), providerOrganizationId: z.string(), providerOrganizationName: z.string(), dataItems: z.array(z.string()),
    sharingType: z.enum(SHARING_TYPES), sharingBasis: z.string().nullable(), version: z.number().int(),
  })).describe('初步数据目录'),
  overlaps: z.array(z.object({
    a: overlapSide, b: overlapSide, similarity: z.number().describe('0–1; at least overlapThreshold'),
    terms: z.array(z.object({ term: z.string(), contribution: z.number() })).describe('the shared terms, largest part of the similarity first'),
    justification: z.object({
      reason: z.string(), similarity: z.number(), justifiedBy: z.string().nullable(), justifiedByName: z.string().nullable(), justifiedAt: z.string(),
    }).nullable().describe('null: unhandled (blocks submission)'),
  })).describe('I-13 suspected overlaps between participants\' contents, most similar first'),
  catalogOverlaps: z.array(z.object({
    content: overlapSide,
    system: z.object({ systemId: z.string(), name: z.string(), organizationId: z.string(), organizationName: z.string() }),
    similarity: z.number().describe('0–1; at least overlapThreshold'),
    terms: z.array(z.object({ term: z.string(), contribution: z.number() })).describe('the shared terms, largest part of the similarity first'),
    justification: z.object({
      reason: z.string(), similarity: z.number(), justifiedBy: z.string().nullable(), justifiedByName: z.string().nullable(), justifiedAt: z.string(),
    }).nullable().describe('null: unhandled (blocks submission)'),
  })).describe('I-13, I-59: suspected overlaps of each content with non-secret systems already in the master catalog (第十二条), the ranked top per content'),
  overlapThreshold: z.number(),
  submissionProblems: z.array(problem).describe('what stands in the way of 联合报送 now; empty when nothing does (or when not editable)'),
  projects: z.array(z.object({
    projectId: z.string(), code: z.string(), name: z.string(), organizationId: z.string(), organizationName: z.string(),
    constructionUnitName: z.string(), stage: z.string(), status: z.string(), linkedAt: z.string(),
  })).describe('本部门分项 linked after confirmation'),
  caller: z.object({
    leads: z.boolean().describe('the caller edits the whole plan and submits it'),
    ownOrganizationIds: z.array(z.string()).describe('the parts the caller edits and confirms'),
    actions: z.array(z.object({ action: z.enum(FRAMEWORK_ACTIONS), name: localized, needsTotp: z.boolean(), problems: z.array(problem) })),
  }),
});
const summary = z.object({
  id: z.string(), name: z.string(), leadOrganizationId: z.string(), leadOrganizationName: z.string(),
  status: z.enum(FRAMEWORK_STATUSES), statusName: localized, participantCount: z.number().int(), confirmedCount: z.number().int(),
  version: z.number().int(), updatedAt: z.string(),
});
const actionRecord = z.object({
  id: z.string(), actionNo: z.number().int(), action: z.enum(FRAMEWORK_ACTIONS), actionName: localized,
  from: z.enum(FRAMEWORK_STATUSES), to: z.enum(FRAMEWORK_STATUSES), actorId: z.string(), actorName: z.string(), role: z.string(),
  reasons: z.string().nullable(), payload: z.string().describe('the canonical JSON signed (or recorded): the whole plan as acted on'),
  signature: z.string().nullable(), publicKey: z.string().nullable(), signatureValid: z.boolean().nullable(), createdAt: z.string(),
});
const projectRef = { id: z.string(), code: z.string(), name: z.string(), constructionUnitName: z.string() };
const coordination = z.object({
  projectId: z.string(),
  framework: z.object({
    id: z.string(), name: z.string(), status: z.enum(FRAMEWORK_STATUSES), statusName: localized, organizationId: z.string(), organizationName: z.string(),
  }).nullable().describe('the framework plan whose part this project is'),
  nationalProject: z.object({ ...projectRef, linkedAt: z.string() }).nullable().describe('the national project this local sub-project follows'),
  localProjectCount: z.number().int(),
});

const tags = ['frameworks'];
const frameworkUrl = '/api/v1/frameworks/:id';

/** A part edit: the plan as it now is. */
const edited = { 200: frameworkView };

export const frameworkRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/frameworks', access: 'project:read', tags,
    summary: '框架方案列表 / Framework plans the caller takes part in (supervisory bodies: all) (第十条)',
    query: z.strictObject({
      q: z.string().trim().max(100).optional(), status: z.enum(FRAMEWORK_STATUSES).optional(), organizationId: uuid.optional(), ...pagination,
    }),
    responses: { 200: z.object({ items: z.array(summary), total: z.number().int() }) },
    handler: async ({ services, actor, query }) => listFrameworks(services, actor, query, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/frameworks', access: 'framework:manage', tags,
    summary: '新建框架方案 / Create a plan led by the caller\'s organization', body: frameworkBody, responses: { 201: frameworkView },
    handler: async ({ services, actor, body, reply }) => {
      const f = await createFramework(services, actor, body);
      setEtag(reply, f.version);
      reply.code(201);
      return f;
    },
  }),
  defineRoute({
    method: 'GET', url: frameworkUrl, access: 'project:read', tags, params: idParams, responses: { 200: frameworkView },
    summary: '框架方案 / A plan with its parts, suspected overlaps, what blocks submission and what the caller may do',
    handler: async ({ services, actor, params, reply }) => {
      const f = await getFramework(services, actor, params.id);
      setEtag(reply, f.version);
      return f;
    },
  }),
  defineRoute({
    method: 'PUT', url: frameworkUrl, access: 'framework:manage', tags, params: idParams, body: headerBody, responses: edited,
    summary: '修改名称和建设目标 / Edit name and goals (the lead; If-Match: version; clears every confirmation when the goals change)',
    handler: async ({ services, actor, params, body, request, reply }) => {
      const f = await updateFramework(services, actor, params.id, ifMatchVersion(request), body);
      setEtag(reply, f.version);
      return f;
    },
  }),
  defineRoute({
    method: 'DELETE', url: frameworkUrl, access: 'framework:manage', tags, params: idParams,
    summary: '删除框架方案 / Delete a draft never submitted (the lead; If-Match: version)',
    handler: async ({ services, actor, params, request }) => { await deleteFramework(services, actor, params.id, ifMatchVersion(request)); },
  }),
  defineRoute({
    method: 'POST', url: `${frameworkUrl}/participants`, access: 'framework:manage', tags, params: idParams, responses: edited,
    summary: '增加参与部门 / Add a participating department (the lead)',
    body: z.strictObject({ organizationId: uuid.describe('a government department') }),
    handler: async ({ services, actor, params, body }) => addParticipant(services, actor, params.id, body.organizationId),
  }),
  defineRoute({
    method: 'DELETE', url: `${frameworkUrl}/participants/:organizationId`, access: 'framework:manage', tags, params: orgParams, responses: edited,
    summary: '移除参与部门 / Remove a participant and its contents (the lead; not while a flow or catalog entry names it)',
    handler: async ({ services, actor, params }) => removeParticipant(services, actor, params.id, params.organizationId),
  }),
  defineRoute({
    method: 'POST', url: `${frameworkUrl}/participants/:organizationId/confirmation`, access: 'framework:manage', tags, params: orgParams, responses: edited,
    summary: '确认本部门分项 / Confirm the participant\'s part as it stands (its own people; If-Match: the participant\'s version)',
    handler: async ({ services, actor, params, request }) => confirmPart(services, actor, params.id, params.organizationId, ifMatchVersion(request)),
  }),
  defineRoute({
    method: 'DELETE', url: `${frameworkUrl}/participants/:organizationId/confirmation`, access: 'framework:manage', tags, params: orgParams, responses: edited,
    summary: '撤销确认 / Take the participant\'s confirmation back (its own people)',
    handler: async ({ services, actor, params }) => withdrawConfirmation(services, actor, params.id, params.organizationId),
  }),
  defineRoute({
    method: 'POST', url: `${frameworkUrl}/participants/:organizationId/contents`, access: 'framework:manage', tags, params: orgParams,
    body: contentBody, responses: { 201: frameworkView },
    summary: '增加建设内容 / Add a main content to a participant\'s part (its people or the lead\'s)',
    handler: async ({ services, actor, params, body, reply }) => {
      reply.code(201);
      return createContent(services, actor, params.id, params.organizationId, body);
    },
  }),
  defineRoute({
    method: 'PUT', url: `${frameworkUrl}/contents/:contentId`, access: 'framework:manage', tags, params: contentParams, body: contentBody, responses: edited,
    summary: '修改建设内容 / Edit a content (If-Match: its version; its overlap justifications are removed)',
    handler: async ({ services, actor, params, body, request }) => updateContent(services, actor, params.id, params.contentId, ifMatchVersion(request), body),
  }),
  defineRoute({
    method: 'DELETE', url: `${frameworkUrl}/contents/:contentId`, access: 'framework:manage', tags, params: contentParams, responses: edited,
    summary: '删除建设内容 / Remove a content (If-Match: its version)',
    handler: async ({ services, actor, params, request }) => deleteContent(services, actor, params.id, params.contentId, ifMatchVersion(request)),
  }),
  defineRoute({
    method: 'POST', url: `${frameworkUrl}/business-flows`, access: 'framework:manage', tags, params: idParams, body: businessFlowBody,
    responses: { 201: frameworkView }, summary: '增加业务流 / Add a business flow (the lead)',
    handler: async ({ services, actor, params, body, reply }) => {
      reply.code(201);
      return createBusinessFlow(services, actor, params.id, body);
    },
  }),
  defineRoute({
    method: 'PUT', url: `${frameworkUrl}/business-flows/:flowId`, access: 'framework:manage', tags, params: flowParams, body: businessFlowBody,
    responses: edited, summary: '修改业务流 / Edit a business flow (the lead; If-Match: its version)',
    handler: async ({ services, actor, params, body, request }) => updateBusinessFlow(services, actor, params.id, params.flowId, ifMatchVersion(request), body),
  }),
  defineRoute({
    method: 'DELETE', url: `${frameworkUrl}/business-flows/:flowId`, access: 'framework:manage', tags, params: flowParams, responses: edited,
    summary: '删除业务流 / Remove a business flow (the lead; If-Match: its version)',
    handler: async ({ services, actor, params, request }) => deleteBusinessFlow(services, actor, params.id, params.flowId, ifMatchVersion(request)),
  }),
  defineRoute({
    method: 'POST', url: `${frameworkUrl}/data-flows`, access: 'framework:manage', tags, params: idParams, body: dataFlowBody,
    responses: { 201: frameworkView }, summary: '增加数据流/系统接口 / Add a data flow (either end\'s people or the lead\'s)',
    handler: async ({ services, actor, params, body, reply }) => {
      reply.code(201);
      return createDataFlow(services, actor, params.id, body);
    },
  }),
  defineRoute({
    method: 'PUT', url: `${frameworkUrl}/data-flows/:flowId`, access: 'framework:manage', tags, params: flowParams, body: dataFlowBody,
    responses: edited, summary: '修改数据流 / Edit a data flow (If-Match: its version)',
    handler: async ({ services, actor, params, body, request }) => updateDataFlow(services, actor, params.id, params.flowId, ifMatchVersion(request), body),
  }),
  defineRoute({
    method: 'DELETE', url: `${frameworkUrl}/data-flows/:flowId`, access: 'framework:manage', tags, params: flowParams, responses: edited,
    summary: '删除数据流 / Remove a data flow (If-Match: its version)',
    handler: async ({ services, actor, params, request }) => deleteDataFlow(services, actor, params.id, params.flowId, ifMatchVersion(request)),
  }),
  defineRoute({
    method: 'GET', url: `${frameworkUrl}/data-flows/export`, access: 'project:read', tags, params: idParams,
    summary: '导出数据流与系统接口 / Export the data flows (.xlsx)',
    handler: async ({ services, actor, params, reply }) => {
      const { framework, rows } = await exportDataFlows(services, actor, params.id);
      return sendXlsx<DataFlow>(reply, `数据流与系统接口-${framework.name}.xlsx`, '数据流与系统接口', [
        { header: '提供方部门', width: 30, value: (f) => f.from.organizationName },
        { header: '提供方系统', width: 30, value: (f) => f.from.system },
        { header: '接收方部门', width: 30, value: (f) => f.to.organizationName },
        { header: '接收方系统', width: 30, value: (f) => f.to.system },
        { header: '数据项', width: 60, value: (f) => f.dataItems.join('、') },
        { header: '交换频度', value: (f) => f.frequencyName.zh },
        { header: '接口方式', width: 20, value: (f) => f.interfaceMethodName.zh },
        { header: '说明', width: 40, value: (f) => f.description },
      ], (async function* () { yield rows; })());
    },
  }),
  defineRoute({
    method: 'POST', url: `${frameworkUrl}/catalog`, access: 'framework:manage', tags, params: idParams, body: catalogBody,
    responses: { 201: frameworkView }, summary: '增加初步数据目录条目 / Add a preliminary catalog entry (the provider\'s people or the lead\'s)',
    handler: async ({ services, actor, params, body, reply }) => {
      reply.code(201);
      return createCatalogEntry(services, actor, params.id, body);
    },
  }),
  defineRoute({
    method: 'PUT', url: `${frameworkUrl}/catalog/:entryId`, access: 'framework:manage', tags, params: entryParams, body: catalogBody,
    responses: edited, summary: '修改初步数据目录条目 / Edit a catalog entry (If-Match: its version)',
    handler: async ({ services, actor, params, body, request }) => updateCatalogEntry(services, actor, params.id, params.entryId, ifMatchVersion(request), body),
  }),
  defineRoute({
    method: 'DELETE', url: `${frameworkUrl}/catalog/:entryId`, access: 'framework:manage', tags, params: entryParams, responses: edited,
    summary: '删除初步数据目录条目 / Remove a catalog entry (If-Match: its version)',
    handler: async ({ services, actor, params, request }) => deleteCatalogEntry(services, actor, params.id, params.entryId, ifMatchVersion(request)),
  }),
  defineRoute({
    method: 'PUT', url: `${frameworkUrl}/overlaps/:contentA/:contentB`, access: 'framework:manage', tags, params: pairParams, responses: edited,
    summary: '说明疑似重叠 / Justify a suspected overlap in writing (I-13; the lead\'s or either side\'s people; clears both confirmations)',
    body: z.strictObject({ reason: text(LIMITS.reason).describe('why the two contents do not duplicate each other') }),
    handler: async ({ services, actor, params, body }) => justifyOverlap(services, actor, params.id, [params.contentA, params.contentB], body.reason),
  }),
  defineRoute({
    method: 'DELETE', url: `${frameworkUrl}/overlaps/:contentA/:contentB`, access: 'framework:manage', tags, params: pairParams, responses: edited,
    summary: '撤销重叠说明 / Take a justification back',
    handler: async ({ services, actor, params }) => removeJustification(services, actor, params.id, [params.contentA, params.contentB]),
  }),
  defineRoute({
    method: 'PUT', url: `${frameworkUrl}/catalog-overlaps/:contentId/:systemId`, access: 'framework:manage', tags,
    params: z.strictObject({ id: uuid, contentId: uuid, systemId: uuid }), responses: edited,
    summary: '说明与总目录已有系统的疑似重叠 / Justify a content\'s suspected overlap with a master-catalog system (I-13; clears the department\'s confirmation)',
    body: z.strictObject({ reason: text(LIMITS.reason).describe('why the content does not build the catalog system again') }),
    handler: async ({ services, actor, params, body }) => justifyCatalogOverlap(services, actor, params.id, params.contentId, params.systemId, body.reason),
  }),
  defineRoute({
    method: 'DELETE', url: `${frameworkUrl}/catalog-overlaps/:contentId/:systemId`, access: 'framework:manage', tags,
    params: z.strictObject({ id: uuid, contentId: uuid, systemId: uuid }), responses: edited,
    summary: '撤销与总目录重叠的说明 / Take a catalog-overlap justification back',
    handler: async ({ services, actor, params }) => removeCatalogJustification(services, actor, params.id, params.contentId, params.systemId),
  }),
  defineRoute({
    method: 'POST', url: `${frameworkUrl}/actions/:action`, access: ['framework:manage', 'framework:decide'], tags,
    summary: '办理 / submit 联合报送 or withdraw 撤回 (the lead); confirm 确定 or return 退回 (NDRC: a fresh TOTP code, signed). ?dryRun=true lists every problem and writes nothing; If-Match: version (optional)',
    params: z.strictObject({ id: uuid, action: z.enum(FRAMEWORK_ACTIONS) }),
    query: z.strictObject({ dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }),
    body: z.strictObject({
      reasons: z.string().max(10_000).optional().describe('required to return'),
      totp: z.string().regex(/^\d{6}$/).optional().describe('required to confirm or return'),
    }).default({}),
    handler: async ({ services, actor, params, query, body, request }) =>
      takeFrameworkAction(services, actor, params.id, params.action, body, { dryRun: query.dryRun, expectedVersion: optionalIfMatchVersion(request) }),
  }),
  defineRoute({
    method: 'GET', url: `${frameworkUrl}/history`, access: 'project:read', tags, params: idParams,
    summary: '办理记录与签名 / The plan\'s actions, each SM2 signature verified',
    responses: { 200: z.object({ items: z.array(actionRecord) }) },
    handler: async ({ services, actor, params }) => ({ items: await listFrameworkActions(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'POST', url: `${frameworkUrl}/projects`, access: 'framework:manage', tags, params: idParams, responses: edited,
    summary: '关联本部门分项 / Link a participant\'s project to the confirmed plan (that participant\'s people)',
    body: z.strictObject({
      projectId: uuid.describe('a project built by the participant or a unit below it'),
      organizationId: uuid.describe('the participant whose part it is'),
    }),
    handler: async ({ services, actor, params, body }) => linkProject(services, actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: `${frameworkUrl}/projects/:projectId`, access: 'framework:manage', tags, params: z.strictObject({ id: uuid, projectId: uuid }),
    responses: edited, summary: '取消关联 / Unlink a project (the people of the participant it was linked for)',
    handler: async ({ services, actor, params }) => unlinkProject(services, actor, params.id, params.projectId),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/coordination', access: 'project:read', tags, params: idParams, responses: { 200: coordination },
    summary: '协同关系 / The project\'s framework plan, its national project and how many local sub-projects follow it (第十条)',
    handler: async ({ services, actor, params }) => projectCoordination(services, actor, params.id),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/projects/:id/national-project', access: 'project:update', tags, params: idParams, responses: { 200: coordination },
    summary: '关联国家项目 / Link this local sub-project to the national project it follows (第十条 地方协同)',
    body: z.strictObject({ nationalProjectCode: z.string().trim().min(1).max(40).describe('项目代码 of the national project (built by a central organization)') }),
    handler: async ({ services, actor, params, body }) => setNationalProject(services, actor, params.id, body.nationalProjectCode),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/projects/:id/national-project', access: 'project:update', tags, params: idParams, responses: { 200: coordination },
    summary: '取消关联国家项目 / End the link to the national project',
    handler: async ({ services, actor, params }) => removeNationalProject(services, actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/local-projects', access: 'project:read', tags, params: idParams,
    query: z.strictObject({ province: z.string().regex(/^\d{2}$/).optional().describe('only this province (first two digits of the 行政区划代码)') }),
    summary: '地方子项目（按地区） / The national project\'s local sub-projects by province',
    responses: {
      200: z.object({
        nationalProject: z.object(projectRef),
        regions: z.array(z.object({
          province: z.object({ code: z.string(), name: localized }),
          projects: z.array(z.object({
            ...projectRef, constructionUnitId: z.string(), divisionCode: z.string(), stage: z.string(), status: z.string(), stateName: localized, linkedAt: z.string(),
          })),
        })),
        total: z.number().int(),
      }),
    },
    handler: async ({ services, actor, params, query }) => localProjectsByRegion(services, actor, params.id, query),
  }),
];
