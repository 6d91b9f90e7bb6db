// 建设实施 (第十三条, 第十九条–第二十二条): the construction tab's API: the records, annual reports,
// problems and orders, completion, and the .xlsx exports.
import { download, request } from './client';

type Localized = { zh: string; en: string };

export const PROCUREMENT_METHODS = [
  'public_tender', 'invited_tender', 'competitive_negotiation', 'competitive_consultation', 'single_source', 'inquiry',
  'framework_agreement', 'other',
] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number];
/** I-48: openly announced methods, not for a 涉密采购. */
export const PUBLIC_ANNOUNCEMENT_METHODS: readonly ProcurementMethod[] = ['public_tender', 'framework_agreement'];

export interface ConstructionRecord {
  implementingAgency: string | null;
  projectLead: string | null;
  supervisorName: string | null;
  supervisorContractNo: string | null;
  supervisorContractAmount: string | null;
  supervisorContractSignedOn: string | null;
  /** 第十八条: 建设方式 and 运维方式, and the unit's note. */
  buildModel: DeliveryModel | null;
  omModel: DeliveryModel | null;
  deliveryNote: string | null;
  version: number;
  updatedAt: string;
}

export const DELIVERY_MODELS = ['self', 'professional', 'outsourced', 'service'] as const;
export type DeliveryModel = (typeof DELIVERY_MODELS)[number];

export interface Procurement {
  id: string; subject: string; method: ProcurementMethod; methodName: Localized; secretRelated: boolean;
  procuredOn: string; winner: string; amount: string;
}

export interface Contract {
  id: string; procurementId: string | null; procurementSubject: string | null; title: string; counterparty: string;
  amount: string; signedOn: string;
}

export interface IndicatorActual {
  indicator: string; unit: string; direction: 'higher' | 'lower'; target: string | null; actual: string; met: boolean | null;
}

export interface AnnualReport {
  id: string; year: number; dueOn: string; progress: string; investmentExecution: string; plannedInvestment: string;
  completedInvestment: string; indicatorActuals: IndicatorActual[]; trialOperation: boolean; trialEffects: string | null;
  problems: string | null; submittedOn: string; late: boolean; submittedBy: string | null; submittedAt: string;
}

export interface ReportYear {
  year: number; dueOn: string; submitted: boolean;
  state: { status: 'notDue' | 'dueSoon' | 'dueToday' | 'overdue'; dueOn: string; daysLeft: number } | null;
}

export interface ConstructionProblem {
  id: string; kind: 'serious_delay' | 'investment_loss'; kindName: Localized; description: string; delayDays: number | null;
  lossAmount: string | null; reportedBy: string | null; reportedAt: string;
}

export type RectificationStatus = 'open' | 'overdue' | 'done' | 'doneLate';

export interface ConstructionOrder {
  id: string; problemId: string | null; kind: 'rectification' | 'suspension'; opinion: string; dueOn: string | null;
  orderedBy: string | null; orderedAt: string; signatureValid: boolean; rectifiedOn: string | null; rectificationReport: string | null;
  rectificationStatus: RectificationStatus | null; liftedAt: string | null; liftReason: string | null; liftedBy: string | null;
  standing: boolean;
}

export interface Construction {
  projectId: string;
  started: boolean;
  today: string;
  suspendedSince: string | null;
  /** 第三十条: escalation decisions standing against the project (dates in Asia/Shanghai). */
  sanctions: { investmentDeferredSince: string | null; constructionSuspendedSince: string | null; terminatedSince: string | null } | null;
  completedOn: string | null;
  record: ConstructionRecord | null;
  procurements: Procurement[];
  contracts: Contract[];
  annualReports: { constructionStartedOn: string | null; dueMonthDay: string | null; years: ReportYear[]; reports: AnnualReport[] };
  indicators: Array<{ indicator: string; unit: string; direction: 'higher' | 'lower'; targets: Array<{ year: number; value: string }> }>;
  problems: ConstructionProblem[];
  orders: ConstructionOrder[];
  completion: { completedOn: string; finalAccountsAmount: string; surplusAmount: string; surplusReturnedOn: string | null; declaredAt: string } | null;
}

const base = (id: string) => `/projects/${encodeURIComponent(id)}/construction`;

export const constructionApi = {
  get: (id: string) => request<Construction>('GET', base(id)),
  updateRecord: (id: string, body: Omit<ConstructionRecord, 'version' | 'updatedAt'>) => request<Construction>('PUT', `${base(id)}/record`, { body }),
  addProcurement: (id: string, body: Omit<Procurement, 'id' | 'methodName'>) => request<Procurement>('POST', `${base(id)}/procurements`, { body }),
  addContract: (id: string, body: Omit<Contract, 'id' | 'procurementSubject'>) => request<Contract>('POST', `${base(id)}/contracts`, { body }),
  submitReport: (id: string, body: {
    year: number; progress: string; investmentExecution: string; plannedInvestment: string; completedInvestment: string;
    indicatorActuals: Array<{ indicator: string; actual: string }>; trialOperation: boolean; trialEffects: string | null; problems: string | null;
  }) => request<Construction>('POST', `${base(id)}/annual-reports`, { body }),
  reportProblem: (id: string, body: { kind: ConstructionProblem['kind']; description: string; delayDays: number | null; lossAmount: string | null }) =>
    request<Construction>('POST', `${base(id)}/problems`, { body }),
  order: (id: string, body: { kind: 'rectification' | 'suspension'; problemId: string | null; opinion: string; dueOn: string | null; totp: string }) =>
    request<Construction>('POST', `${base(id)}/orders`, { body }),
  rectified: (id: string, orderId: string, body: { rectifiedOn: string; report: string }) =>
    request<Construction>('POST', `${base(id)}/orders/${encodeURIComponent(orderId)}/rectification`, { body }),
  lift: (id: string, orderId: string, body: { reason: string; totp: string }) =>
    request<Construction>('POST', `${base(id)}/orders/${encodeURIComponent(orderId)}/lift`, { body }),
  complete: (id: string, body: { completedOn: string; finalAccountsAmount: string; surplusAmount: string; surplusReturnedOn: string | null }) =>
    request<Construction>('POST', `${base(id)}/completion`, { body }),
  export: (id: string, list: 'procurements' | 'contracts' | 'annual-reports' | 'orders') => download(`${base(id)}/${list}.xlsx`, {}, `${list}.xlsx`),
};

const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d{1,6}))?$/;

/** Exact decimal millionths (no float), as the server's rule compares them. */
function micros(text: string): bigint | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const v = BigInt(m[2]!) * 1_000_000n + BigInt((m[3] ?? '').padEnd(6, '0'));
  return m[1] ? -v : v;
}

/** SPEC §11, 第二十条: met when at least (higher is better) or at most (lower) the target; null when it cannot tell. */
export function indicatorMet(direction: 'higher' | 'lower', target: string | null, actual: string | undefined): boolean | null {
  if (target === null || actual === undefined) return null;
  const t = micros(target);
  const a = micros(actual);
  if (t === null || a === null) return null;
  return direction === 'higher' ? a >= t : a <= t;
}
