// The load generator: forked by bench/run.ts so that autocannon has its own process (and,
// on a 2-core machine, its own core) instead of sharing the server's event loop. It runs one
// case per message and sends the summary back.
import { request } from 'node:http';
import autocannon, { type Request, type Result } from 'autocannon';
import { benchCreditCode, httpJson, type FromLoad, type LoadResult, type LoadSpec, type ToLoad } from './protocol.ts';

if (!process.send) throw new Error('bench/load.ts is forked by bench/run.ts; it is not run on its own');

const send = (message: FromLoad) => process.send!(message);

/** Codes already used per series, so that a warm-up and its measurement never collide. */
const seriesCounters = new Map<string, number>();

interface Failure { status: number; body: string }

/** The requests of one case, with the hooks that make writes valid and catch failures. */
function requestsFor(spec: LoadSpec, failures: { first: Failure | null }, versions: Map<string, number>): Request[] {
  const noteFailure = (status: number, body: string) => {
    if (status >= 200 && status < 300) return false;
    failures.first ??= { status, body: body.slice(0, 600) };
    return true;
  };
  switch (spec.kind) {
    case 'get':
      return [{ method: 'GET', path: spec.path, headers: spec.headers, onResponse: (status, body) => void noteFailure(status, body) }];
    case 'get-rotate': {
      let next = 0;
      return [{
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: spec.paths[next++ % spec.paths.length]!, headers: spec.headers }),
        onResponse: (status, body) => void noteFailure(status, body),
      }];
    }
    case 'patch-orgs': {
      // Organizations not in flight; a request takes one and its response returns it.
      const free = spec.orgs.map((o) => o.id);
      for (const o of spec.orgs) if (!versions.has(o.id)) versions.set(o.id, o.version);
      let revision = 0;
      return [{
        method: 'PATCH',
        setupRequest: (request, context) => {
          const id = free.shift();
          if (id === undefined) throw new Error('patch-orgs: more connections than organizations');
          context.org = id;
          revision++;
          return {
            ...request,
            path: `/api/v1/organizations/${id}`,
            headers: {
              authorization: `Bearer ${spec.token}`,
              'content-type': 'application/json',
              'if-match': `"${versions.get(id)}"`,
            },
            body: JSON.stringify({ name: `基准测试机构 ${id.slice(0, 8)} 第${revision}次修改`, nameEn: `Benchmark organization rev ${revision}` }),
          };
        },
        onResponse: (status, body, context, headers) => {
          const id = context.org as string;
          if (!noteFailure(status, body)) {
            const etag = /^"(\d+)"$/.exec(String(headers.etag ?? headers.ETag ?? ''));
            if (etag) versions.set(id, Number(etag[1]));
            else failures.first ??= { status: 0, body: `PATCH ${id}: 2xx without an ETag` };
          }
          free.push(id);
        },
      }];
    }
    case 'post-rotate': {
      let next = 0;
      return [{
        method: 'POST',
        setupRequest: (request) => ({
          ...request, path: spec.path, headers: { ...spec.headers, 'content-type': 'application/json' }, body: spec.bodies[next++ % spec.bodies.length]!,
        }),
        onResponse: (status, body) => void noteFailure(status, body),
      }];
    }
    case 'download':
      throw new Error('download is not an autocannon case');
    case 'post-orgs':
      return [{
        method: 'POST',
        setupRequest: (request) => {
          const n = seriesCounters.get(spec.series) ?? 0;
          seriesCounters.set(spec.series, n + 1);
          return {
            ...request,
            path: '/api/v1/organizations',
            headers: { authorization: `Bearer ${spec.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              parentId: spec.parentId, name: `基准测试新建机构 ${spec.series}${n}`, nameEn: `Benchmark org ${spec.series}${n}`,
              kind: 'construction_unit', creditCode: benchCreditCode(spec.series, n), divisionCode: '110108',
            }),
          };
        },
        onResponse: (status, body) => void noteFailure(status, body),
      }];
  }
}

async function cannon(spec: LoadSpec, seconds: number, requests: Request[], responseTimes?: number[]): Promise<Result> {
  const instance = autocannon({
    url: spec.origin,
    connections: spec.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    requests,
  });
  // Each response's time in ms (a float), for percentiles autocannon does not report.
  if (responseTimes) instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => void responseTimes.push(ms));
  return instance;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * autocannon stops with requests in flight, which the server still completes: the versions
 * the pool knows may then be one behind. Wait for the server to settle and read them back.
 */
async function refreshVersions(spec: Extract<LoadSpec, { kind: 'patch-orgs' }>, versions: Map<string, number>) {
  await new Promise((r) => setTimeout(r, 500));
  const res = await httpJson(spec.origin, 'GET', '/api/v1/organizations', { authorization: `Bearer ${spec.token}` });
  if (res.status !== 200) throw new Error(`reading organization versions back: HTTP ${res.status} ${res.text}`);
  const { items } = JSON.parse(res.text) as { items: Array<{ id: string; version: number }> };
  for (const o of items) if (versions.has(o.id)) versions.set(o.id, o.version);
}

/** One GET read to the end and discarded: status, bytes and the time to the last byte. */
function download(spec: Extract<LoadSpec, { kind: 'download' }>): Promise<LoadResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(new URL(spec.path, spec.origin), { method: 'GET', agent: false, headers: { ...spec.headers, connection: 'close' } }, (res) => {
      let bytes = 0;
      let head = '';
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (head.length < 600 && (res.statusCode ?? 0) >= 300) head += c.toString('utf8');
      });
      res.on('end', () => {
        const ms = performance.now() - started;
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        resolve({
          title: spec.title, requestsPerSec: 1000 / ms, total: 1, durationSec: ms / 1000,
          latencyMs: { p50: ms, p97_5: ms, p99: ms, mean: ms, max: ms }, exact: { p50: ms, p95: ms, p99: ms, samples: 1 },
          non2xx: ok ? 0 : 1, errors: 0, timeouts: 0, statusCodes: { [String(status)]: 1 }, firstFailure: ok ? null : { status, body: head }, bytes,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function runCase(spec: LoadSpec): Promise<LoadResult> {
  if (spec.kind === 'download') return download(spec);
  const failures: { first: Failure | null } = { first: null };
  const versions = new Map<string, number>();
  let warmupNon2xx = 0;
  if (spec.warmup > 0) {
    const w = await cannon(spec, spec.warmup, requestsFor(spec, failures, versions));
    warmupNon2xx = w.non2xx + w.errors;
    if (spec.kind === 'patch-orgs') await refreshVersions(spec, versions);
  }
  const responseTimes: number[] = [];
  const r = await cannon(spec, spec.duration, requestsFor(spec, failures, versions), responseTimes);
  responseTimes.sort((a, b) => a - b);
  if (spec.kind === 'patch-orgs') await refreshVersions(spec, versions);
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats)) statusCodes[code] = s.count;
  return {
    title: spec.title,
    requestsPerSec: r.requests.average,
    total: r.requests.total,
    durationSec: r.duration,
    latencyMs: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, mean: r.latency.mean, max: r.latency.max },
    exact: { p50: percentile(responseTimes, 50), p95: percentile(responseTimes, 95), p99: percentile(responseTimes, 99), samples: responseTimes.length },
    // A failure during the warm-up invalidates the case just as much.
    non2xx: r.non2xx + warmupNon2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    firstFailure: failures.first,
    ...(spec.kind === 'patch-orgs' ? { versions: Object.fromEntries(versions) } : {}),
  };
}

process.on('message', (message: ToLoad) => {
  runCase(message.spec).then(
    (result) => send({ id: message.id, result }),
    (err: unknown) => send({ id: message.id, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
// When the parent closes the channel there is nothing left to do; the process then exits.
process.on('disconnect', () => process.removeAllListeners('message'));
send({ ready: true });
