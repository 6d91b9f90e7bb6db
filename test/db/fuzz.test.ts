// Schema-driven fuzzing (issue 7, item 3), the small run of `npm test`: about a thousand
// requests generated from the OpenAPI document with a fixed seed, over every endpoint and every
// role, on each backend. GOVPROJ_FUZZ_SEED / GOVPROJ_FUZZ_REQUESTS change the run; a failure
// names the seed and the request to replay (`npm run fuzz -- --seed N --requests M`).
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_DB_KIND } from '../support/db.ts';
import { leaksIn, openFuzzEnv, runFuzz, type FuzzReport } from '../support/fuzz.ts';
import { ScopeOracle } from '../support/fuzz-oracle.ts';

const SEED = Number(process.env.GOVPROJ_FUZZ_SEED ?? 20261127);
const REQUESTS = Number(process.env.GOVPROJ_FUZZ_REQUESTS ?? 1000);

let report: FuzzReport;
/** The leak check on made-up answers: it must be able to fail. */
const selfCheck: Record<string, string[]> = {};

beforeAll(async () => {
  const env = await openFuzzEnv(TEST_DB_KIND);
  try {
    const db = env.services.database.db;
    const oracle = new ScopeOracle();
    await oracle.load(db);
    const preparer = await db.selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow();
    const unit = await db.selectFrom('user_organizations').select('organization_id').where('user_id', '=', preparer.id).executeTakeFirstOrThrow();
    const own = await db.selectFrom('projects').select('id').where('construction_unit_id', '=', unit.organization_id).executeTakeFirstOrThrow();
    const other = await db.selectFrom('projects').select('id').where('construction_unit_id', '!=', unit.organization_id)
      .where('approval_department_id', '!=', unit.organization_id).executeTakeFirstOrThrow();
    selfCheck.own = leaksIn(oracle, preparer.id, { items: [{ id: own.id, name: 'x' }] });
    selfCheck.other = leaksIn(oracle, preparer.id, { items: [{ id: own.id }, { projectId: other.id }] });
    selfCheck.anonymous = leaksIn(oracle, null, { id: own.id });
    report = await runFuzz(env, { requests: REQUESTS, seed: SEED });
  } finally {
    await env.close();
  }
}, 600_000);

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
    expect(report.checksummed).toBeGreaterThan(0);
    expect(report.refusalEvents).toBeGreaterThan(0);
    expect(report.counts.write_on_reject, show('write_on_reject')).toBe(0);
  });
  it('has a leak check that fails on an object outside the scope', () => {
    expect(selfCheck.own).toEqual([]);
    expect(selfCheck.other).toEqual([expect.stringMatching(/^\$\.items\[1\]\.projectId = .* \(project\)$/)]);
    expect(selfCheck.anonymous).toHaveLength(1);
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
