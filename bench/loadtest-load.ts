// The load generator of `npm run loadtest`: forked by bench/loadtest.ts so that autocannon has
// its own process. Each message is one step (a number of connections for a number of seconds)
// of the year-end mix; the reply carries throughput, exact latency percentiles overall and per
// kind of request, status codes, and the CPU this process took during the step
// (process.cpuUsage, user + system, as a share of one core).
import autocannon, { type RequestParams } from 'autocannon';
import { base32Decode, totpAt } from '../src/crypto/totp.ts';

if (!process.send) throw new Error('bench/loadtest-load.ts is forked by bench/loadtest.ts');

/** One request the mix can send; `body` is sent as is with `contentType`. */
export interface MixRequest { method: 'GET' | 'POST'; path: string; token: string | null; body?: string; contentType?: string }

export type OpKind =
  | 'worklist' | 'projectList' | 'projectDetail' | 'dashboard' | 'openData'
  | 'annualReport' | 'material' | 'review' | 'decision';

export const READ_KINDS: readonly OpKind[] = ['worklist', 'projectList', 'projectDetail', 'dashboard', 'openData'];

export interface MixSpec {
  origin: string;
  connections: number;
  warmup: number;
  duration: number;
  /** Weight of each kind in the schedule (per 1000 requests). */
  weights: Record<OpKind, number>;
  /** Read requests of each read kind, in rotation. */
  reads: Record<'worklist' | 'projectList' | 'projectDetail' | 'dashboard' | 'openData', MixRequest[]>;
  /** Writes: each entry is used once (a pool), except materials, which may repeat. */
  annualReports: MixRequest[];
  materials: MixRequest[];
  reviews: MixRequest[];
  /** Signed decisions without their TOTP code, which is computed when sent. */
  decisions: Array<MixRequest & { approver: string }>;
  totpSecret: string;
}

export interface KindFigures { count: number; p50: number; p95: number; p99: number }

export interface StepResult {
  connections: number;
  durationSec: number;
  total: number;
  requestsPerSec: number;
  p50: number; p95: number; p99: number; max: number;
  kinds: Partial<Record<OpKind, KindFigures>>;
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  firstFailure: { kind: string; status: number; body: string } | null;
  /** Writes that fell back to a review because no approver had a fresh TOTP step. */
  decisionFallbacks: number;
  /** CPU of this process during the measured window, in % of one core. */
  generatorCpuPercent: number;
  /** Pool entries left after the step. */
  left: { annualReports: number; reviews: number; decisions: number };
}

type ToLoad = { id: number; spec: MixSpec };

const percentile = (sorted: number[], p: number) => sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** A fixed schedule of 1000 slots spread evenly (largest remainder, interleaved). */
function schedule(weights: Record<OpKind, number>): OpKind[] {
  const kinds = (Object.keys(weights) as OpKind[]).filter((k) => weights[k] > 0);
  const total = kinds.reduce((s, k) => s + weights[k], 0);
  const slots: Array<{ kind: OpKind; at: number }> = [];
  for (const k of kinds) {
    const n = Math.round((weights[k] / total) * 1000);
    for (let i = 0; i < n; i++) slots.push({ kind: k, at: (i + 0.5) / n });
  }
  return slots.sort((a, b) => a.at - b.at).map((s) => s.kind);
}

const cursors = new Map<string, number>();
const rotate = <T>(key: string, list: T[]): T => {
  const i = cursors.get(key) ?? 0;
  cursors.set(key, i + 1);
  return list[i % list.length]!;
};

/** Approver → the TOTP counter they last used; a signed decision needs a later one. */
const lastCounter = new Map<string, number>();

async function runStep(spec: MixSpec, pools: { annualReports: MixRequest[]; reviews: MixRequest[]; decisions: MixSpec['decisions'] }, measure: boolean, seconds: number) {
  const order = schedule(spec.weights);
  const secret = base32Decode(spec.totpSecret);
  let slot = 0;
  const latencies: number[] = [];
  const byKind = new Map<OpKind, number[]>();
  let firstFailure: StepResult['firstFailure'] = null;
  let fallbacks = 0;

  const toParams = (r: MixRequest): RequestParams => ({
    method: r.method, path: r.path,
    headers: {
      ...(r.token ? { authorization: `Bearer ${r.token}` } : {}),
      ...(r.body !== undefined ? { 'content-type': r.contentType ?? 'application/json' } : {}),
    },
    ...(r.body !== undefined ? { body: r.body } : {}),
  });
  const next = (): { kind: OpKind; request: MixRequest } => {
    let kind = order[slot++ % order.length]!;
    if (kind === 'decision') {
      const now = Math.floor(Date.now() / 1000);
      const counter = Math.floor(now / 30);
      const i = pools.decisions.findIndex((d) => (lastCounter.get(d.approver) ?? -1) < counter);
      if (i >= 0) {
        const [d] = pools.decisions.splice(i, 1);
        lastCounter.set(d!.approver, counter);
        const body = JSON.parse(d!.body ?? '{}') as Record<string, unknown>;
        return { kind, request: { ...d!, body: JSON.stringify({ ...body, totp: totpAt(secret, now) }) } };
      }
      fallbacks++;
      kind = 'review';
    }
    if (kind === 'annualReport') {
      const r = pools.annualReports.shift();
      if (r) return { kind, request: r };
      kind = 'material';
    }
    if (kind === 'review') {
      const r = pools.reviews.shift();
      if (r) return { kind, request: r };
      kind = 'material';
    }
    if (kind === 'material') return { kind, request: rotate('material', spec.materials) };
    return { kind, request: rotate(kind, spec.reads[kind as keyof MixSpec['reads']]) };
  };

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await autocannon({
    url: spec.origin, connections: spec.connections, pipelining: 1, duration: seconds, timeout: 30,
    requests: [{
      setupRequest: (request, context) => {
        const { kind, request: r } = next();
        context.kind = kind;
        context.started = performance.now();
        return { ...request, ...toParams(r) };
      },
      onResponse: (status, body, context) => {
        const ms = performance.now() - (context.started as number);
        const kind = context.kind as OpKind;
        if (measure) {
          latencies.push(ms);
          let l = byKind.get(kind);
          if (!l) byKind.set(kind, (l = []));
          l.push(ms);
        }
        if (status < 200 || status >= 300) firstFailure ??= { kind, status, body: body.slice(0, 600) };
      },
    }],
  });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const kinds: StepResult['kinds'] = {};
  for (const [k, l] of byKind) {
    l.sort((a, b) => a - b);
    kinds[k] = { count: l.length, p50: percentile(l, 50), p95: percentile(l, 95), p99: percentile(l, 99) };
  }
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats)) statusCodes[code] = s.count;
  return {
    result, latencies, kinds, statusCodes, firstFailure: firstFailure as StepResult['firstFailure'], fallbacks,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100,
  };
}

// Pools live here across steps (each entry is used once per dataset state).
let pools: { annualReports: MixRequest[]; reviews: MixRequest[]; decisions: MixSpec['decisions'] } | null = null;

async function step(spec: MixSpec): Promise<StepResult> {
  if (!pools) {
    pools = { annualReports: [...spec.annualReports], reviews: [...spec.reviews], decisions: [...spec.decisions] };
    // Signing in took each approver's current TOTP step: their first decision waits for the next.
    const counter = Math.floor(Date.now() / 30_000);
    for (const d of spec.decisions) lastCounter.set(d.approver, counter);
  }
  let warmFailures = 0;
  if (spec.warmup > 0) {
    const w = await runStep(spec, pools, false, spec.warmup);
    warmFailures = w.result.non2xx + w.result.errors;
  }
  const m = await runStep(spec, pools, true, spec.duration);
  const l = m.latencies;
  return {
    connections: spec.connections,
    durationSec: m.result.duration,
    total: l.length,
    requestsPerSec: l.length / m.result.duration,
    p50: percentile(l, 50), p95: percentile(l, 95), p99: percentile(l, 99), max: l.at(-1) ?? NaN,
    kinds: m.kinds,
    statusCodes: m.statusCodes,
    non2xx: m.result.non2xx + warmFailures,
    errors: m.result.errors,
    timeouts: m.result.timeouts,
    firstFailure: m.firstFailure,
    decisionFallbacks: m.fallbacks,
    generatorCpuPercent: m.cpuPercent,
    left: { annualReports: pools.annualReports.length, reviews: pools.reviews.length, decisions: pools.decisions.length },
  };
}

process.on('message', (message: ToLoad) => {
  step(message.spec).then(
    (result) => process.send!({ id: message.id, result }),
    (err: unknown) => process.send!({ id: message.id, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.removeAllListeners('message'));
process.send({ ready: true });
