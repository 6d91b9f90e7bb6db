// Schema-driven fuzzing (issue 7, item 3), the small run of `npm test`: about a thousand
// requests generated from the OpenAPI document with a fixed seed, over every endpoint and every
// role, on each backend. GOVPROJ_FUZZ_SEED / GOVPROJ_FUZZ_REQUESTS change the run; a failure
// names the seed and the request to replay (`npm run fuzz -- --seed N --requests M`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { seedTestDemo } from '../support/fixtures.ts';
import { runFuzz, type FuzzReport } from '../support/fuzz.ts';

const SEED = Number(process.env.GOVPROJ_FUZZ_SEED ?? 20261127);
const REQUESTS = Number(process.env.GOVPROJ_FUZZ_REQUESTS ?? 1000);

let t: TestDatabase;
let dataDir: string;
let report: FuzzReport;

beforeAll(async () => {
  t = await openTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'govproj-fuzz-'));
  const services = testServices(t.database, { dataDir });
  await seedTestDemo(services);
  const app = await buildApp(services);
  try {
    report = await runFuzz({ app, services, dataDir }, { requests: REQUESTS, seed: SEED, stopOnFailure: false });
  } finally {
    await app.close();
  }
}, 300_000);
afterAll(async () => {
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const show = (kind: string) => report.failures.filter((f) => f.kind === kind).slice(0, 5)
  .map((f) => `#${f.index} ${f.role}: ${f.request} → ${f.status}\n  ${f.detail}`).join('\n') + `\n(seed ${SEED}: npm run fuzz -- --seed ${SEED})`;

describe(`fuzzing from the OpenAPI document (seed ${SEED})`, () => {
  it('covers every operation of the document and every role', () => {
    expect(report.requests).toBe(REQUESTS);
    expect(Object.keys(report.perEndpoint).length).toBe(report.operations);
    expect(report.operations).toBeGreaterThan(100);
    expect(Object.keys(report.perRole).length).toBe(16);
    expect(report.perMutation.valid).toBeGreaterThan(REQUESTS * 0.4);
    expect(report.rejected).toBeGreaterThan(REQUESTS * 0.3);
  });
  it('answers no request with a 5xx', () => {
    expect(report.counts.server_error, show('server_error')).toBe(0);
  });
  it('writes nothing for a rejected request but the refusal event it logs', () => {
    expect(report.rejectedChecked).toBe(report.rejected);
    expect(report.counts.write_on_reject, show('write_on_reject')).toBe(0);
  });
  it('returns nothing outside the caller\'s data scope', () => {
    expect(report.scopeChecks).toBeGreaterThan(100);
    expect(report.counts.scope_leak, show('scope_leak')).toBe(0);
  });
  it('refuses a caller without the route\'s permission, and any request that breaks the schema', () => {
    expect(report.counts.authz, show('authz')).toBe(0);
    expect(report.counts.accepted_invalid, show('accepted_invalid')).toBe(0);
  });
});
