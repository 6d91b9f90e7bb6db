// `npm run bench:processes`: API throughput with one app process and with two on the same
// PostgreSQL database, measured in one run (issue 7 item 2; docs/benchmarks.md, "Several app
// processes"). Two real `govproj serve` processes on a fresh database; autocannon (in this
// process, which serves nothing) sends the same read/write mix first to one process, then split
// over both with the same total number of connections. Any non-2xx answer fails the run.
//
// Options: --duration 10 (seconds per step) --connections 16 --warmup 2
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon, { type Request, type Result } from 'autocannon';
import pg from 'pg';
import { uniformSocialCreditCodeCheckChar } from '../src/domain/identifiers.ts';
import {
  killAllChildren, randomMasterKey, removeDir, signInHttp, startServer, tempDir, type ServerProcess,
} from '../test/support/server-process.ts';

const { values } = parseArgs({ options: {
  duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '16' }, warmup: { type: 'string', default: '2' },
} });
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const WARMUP = Number(values.warmup);
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let serial = 0;
/** 9 reads (organization list, current user, user list) to 1 write (a new organization). */
function mix(token: string, failures: string[]): Request[] {
  const headers = { authorization: `Bearer ${token}` };
  const check = (status: number, body: string) => {
    if ((status < 200 || status >= 300) && failures.length < 5) failures.push(`${status} ${body.slice(0, 200)}`);
  };
  const read = (path: string): Request => ({ method: 'GET', path, headers, onResponse: check });
  return [
    read('/api/v1/organizations'), read('/api/v1/auth/me'), read('/api/v1/users'),
    read('/api/v1/organizations'), read('/api/v1/auth/me'), read('/api/v1/users'),
    read('/api/v1/organizations'), read('/api/v1/auth/me'), read('/api/v1/users'),
    {
      method: 'POST', path: '/api/v1/organizations', headers: { ...headers, 'content-type': 'application/json' },
      setupRequest: (req) => {
        const prefix = `12100000B${process.pid % 10}${String(++serial).padStart(7, '0')}`;
        return { ...req, body: JSON.stringify({ parentId: null, name: `基准测试单位 ${serial}`, kind: 'construction_unit', creditCode: prefix + uniformSocialCreditCodeCheckChar(prefix) }) };
      },
      onResponse: check,
    },
  ];
}

async function run(url: string, token: string, connections: number, duration: number, failures: string[]): Promise<Result> {
  return await autocannon({ url, connections, duration, timeout: 30, requests: mix(token, failures) });
}

interface Step { processes: number; requests: number; rps: number; p50: number; p95: number | null; p99: number; errors: number }

function summarize(processes: number, results: Result[]): Step {
  const requests = results.reduce((a, r) => a + r.requests.total, 0);
  const seconds = Math.max(...results.map((r) => r.duration));
  // Latency percentiles of the split run: the worse of the two halves (each had the same share).
  const pick = (k: 'p50' | 'p99') => Math.max(...results.map((r) => (r.latency as unknown as Record<string, number>)[k] ?? 0));
  const p95 = results.map((r) => (r.latency as unknown as Record<string, number>).p97_5 ?? null);
  return {
    processes, requests, rps: Math.round(requests / seconds), p50: pick('p50'), p95: p95.every((x) => x !== null) ? Math.max(...(p95 as number[])) : null, p99: pick('p99'),
    errors: results.reduce((a, r) => a + r.errors + r.timeouts + r.non2xx, 0),
  };
}

const name = `govproj_bench_proc_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
await admin.query(`create database ${name}`);
await admin.end();
const url = new URL(SERVER);
url.pathname = `/${name}`;
const dataDir = tempDir('govproj-bench-processes-');
const servers: ServerProcess[] = [];
try {
  const inst = { dataDir, masterKey: randomMasterKey(), databaseUrl: url.toString() };
  const env = { GOVPROJ_JOBS: 'on', GOVPROJ_LOG_LEVEL: 'warn' };
  servers.push(await startServer(inst, { demo: true, checkpointSeconds: 60, env, startTimeoutMs: 300_000 }));
  servers.push(await startServer(inst, { demo: true, checkpointSeconds: 60, env, startTimeoutMs: 300_000 }));
  const token = await signInHttp(servers[0]!.url, 'admin');
  const failures: string[] = [];
  const load0 = os.loadavg()[0]!;
  await run(servers[0]!.url, token, CONNECTIONS, WARMUP, failures);
  await run(servers[1]!.url, token, CONNECTIONS, WARMUP, failures);
  const one = summarize(1, [await run(servers[0]!.url, token, CONNECTIONS, DURATION, failures)]);
  const half = Math.max(1, Math.floor(CONNECTIONS / 2));
  const two = summarize(2, await Promise.all(servers.map((s) => run(s.url, token, half, DURATION, failures))));
  const load1 = os.loadavg()[0]!;
  if (failures.length > 0 || one.errors + two.errors > 0) throw new Error(`non-2xx answers or errors: ${failures.join(' | ')}`);
  const report = {
    date: new Date().toISOString(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage: [+load0.toFixed(1), +load1.toFixed(1)],
    connections: CONNECTIONS, durationSeconds: DURATION, mix: '90% reads (organizations, auth/me, users) / 10% writes (new organization)',
    steps: [one, two], ratio: +(two.rps / one.rps).toFixed(2),
  };
  console.log(JSON.stringify(report, null, 2));
  console.log(`| processes | requests/s | p50 ms | p97.5 ms | p99 ms |\n|---|---|---|---|---|\n${[one, two].map((s) => `| ${s.processes} | ${s.rps} | ${s.p50} | ${s.p95 ?? '—'} | ${s.p99} |`).join('\n')}\n2 / 1 processes: ×${report.ratio}`);
} finally {
  for (const s of servers) await s.stop().catch(() => undefined);
  await killAllChildren();
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
  removeDir(dataDir);
}
