// `npm run fuzz -- --requests 10000 [--postgres] [--seed N] [--synthetic 60] [--json file]
// [--trace file]`: the large run of the schema-driven fuzzer (test/support/fuzz.ts, docs/fuzzing.md;
// the small run is test/db/fuzz.test.ts). A fresh database (PGlite in memory, or a new database
// on the PostgreSQL server of GOVPROJ_TEST_PG_URL / 127.0.0.1:5432) with the demo and 60 synthetic
// projects, the app in-process, then requests generated from its OpenAPI document. Prints the
// per-endpoint counts, the status histogram, per-role counts and every failure (5xx, writes on
// reject, scope leaks, permission and schema violations); exits 1 when there is any. --trace:
// every request and the start of its answer, one JSON line each; --json: the whole report.
import { appendFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BOOKKEEPING, openFuzzEnv, runFuzz, type FuzzReport } from '../test/support/fuzz.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    postgres: { type: 'boolean', default: false },
    json: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    trace: { type: 'string' },
    synthetic: { type: 'string', default: '60' },
  },
});
const requests = Number(values.requests);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const backend = values.postgres ? 'postgresql' : 'pglite';

console.log(`govproj fuzz: ${requests} requests, seed ${seed}, ${backend}`);
const env = await openFuzzEnv(backend, Number(values.synthetic));
const startedAt = Date.now();
let report: FuzzReport;
try {
  report = await runFuzz(env, {
    requests, seed,
    trace: values.trace ? (entry) => appendFileSync(values.trace!, JSON.stringify(entry) + '\n') : undefined,
    progress: values.quiet ? undefined : (done, r) => {
      if (done % 500 === 0) {
        const bad = Object.values(r.counts).reduce((x, y) => x + y, 0);
        process.stdout.write(`  ${done}/${requests} (${((Date.now() - startedAt) / 1000).toFixed(0)} s, failures ${bad})\n`);
      }
    },
  });
} finally {
  await env.close();
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log(`\n${report.requests} requests over ${report.operations} operations in ${(report.durationMs / 1000).toFixed(1)} s ` +
  `(${(report.requests / (report.durationMs / 1000)).toFixed(0)} requests/s, checks included), seed ${seed}, ${backend}`);
console.log('\nper endpoint (total, valid, invalid, statuses):');
for (const [key, s] of Object.entries(report.perEndpoint).sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${pad(key, 78)} ${pad(s.total, 4)} ${pad(s.valid, 4)} ${pad(s.invalid, 4)} ${Object.entries(s.statuses).map(([k, v]) => `${k}×${v}`).join(' ')}`);
}
console.log('\nstatus histogram:', Object.entries(report.statuses).map(([k, v]) => `${k}: ${v}`).join(', '));
console.log('per role:', Object.entries(report.perRole).map(([k, v]) => `${k} ${v}`).join(', '));
console.log('per mutation:', Object.entries(report.perMutation).map(([k, v]) => `${k} ${v}`).join(', '));
console.log(`rejected (4xx): ${report.rejected}, each checked against table checksums and the file store; refusal audit events: ${report.refusalEvents}`);
console.log(`scoped objects checked in 2xx responses: ${report.scopeChecks}`);
console.log('tables exempt from the checksum:', Object.entries(BOOKKEEPING).map(([k, v]) => `${k}${v.columns === '*' ? '' : `.${v.columns.join(',')}`}`).join(', '));
console.log(`\n5xx: ${report.counts.server_error}   write-on-reject: ${report.counts.write_on_reject}   scope leaks: ${report.counts.scope_leak}   ` +
  `permission: ${report.counts.authz}   accepted invalid: ${report.counts.accepted_invalid}`);
for (const f of report.failures.slice(0, 40)) console.log(`  [${f.kind}] #${f.index} ${f.role}: ${f.request.slice(0, 200)} → ${f.status}\n      ${f.detail.slice(0, 500)}`);
if (report.failures.length > 40) console.log(`  … ${report.failures.length - 40} more`);
if (values.json) writeFileSync(values.json, JSON.stringify({ backend, ...report }, null, 2));
process.exit(report.failures.length ? 1 : 0);
