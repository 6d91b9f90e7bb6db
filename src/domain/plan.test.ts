import { describe, expect, it } from 'vitest';
import { DEMO_DEPARTMENT_PLAN, DEMO_NATIONAL_PLAN } from './demo-plans.ts';
import { diffSnapshots, isBlank, isEmptyDiff, shanghaiDate, type PlanSnapshot } from './plan.ts';

const snapshot = (overrides: Partial<PlanSnapshot['plan']> = {}, tasks: PlanSnapshot['tasks'] = []): PlanSnapshot => ({
  plan: {
    id: 'p', level: 'national', parentPlanId: null, organizationId: 'o', organizationName: '国家发展和改革委员会',
    name: '规划', periodStartYear: 2021, periodEndYear: 2025, ...overrides,
  },
  approval: { approvedOn: '2021-11-17', approvalDocumentNumber: 'x' },
  tasks,
});
const task = (id: string, code: string, title: string) => ({ id, code, title, description: '', parentTaskId: null, sortOrder: Number(code) });

describe('第六条 plan versions: what an adjustment changed', () => {
  it('names the plan fields changed, and the tasks added, withdrawn and edited', () => {
    const before = snapshot({}, [task('a', '1', '网络'), task('b', '2', '平台')]);
    const after = { ...snapshot({ periodEndYear: 2026 }, [task('a', '1', '统一网络'), task('c', '3', '数据')]), approval: { approvedOn: '2023-01-01', approvalDocumentNumber: 'y' } };
    const diff = diffSnapshots(before, after);
    expect(diff.plan).toEqual({ before: { periodEndYear: 2025 }, after: { periodEndYear: 2026 } });
    expect(diff.added.map((t) => t.id)).toEqual(['c']);
    expect(diff.withdrawn.map((t) => t.id)).toEqual(['b']);
    expect(diff.changed).toEqual([{ id: 'a', code: '1', before: { title: '网络' }, after: { title: '统一网络' } }]);
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('a new approval of the same content is no change', () => {
    const s = snapshot({}, [task('a', '1', '网络')]);
    expect(isEmptyDiff(diffSnapshots(s, { ...s, approval: { approvedOn: '2024-01-01', approvalDocumentNumber: null } }))).toBe(true);
  });
});

describe('第六条 adjustments: the evaluation must say something', () => {
  it.each([['', true], ['  ', true], ['\u3000\n', true], [null, true], [undefined, true], ['评估', false]])('isBlank(%j) is %s', (text, blank) => {
    expect(isBlank(text)).toBe(blank);
  });
});

describe('calendar dates in Asia/Shanghai', () => {
  it('the Shanghai date turns at 16:00 UTC', () => {
    expect(shanghaiDate(new Date('2025-12-31T15:59:59Z'))).toBe('2025-12-31');
    expect(shanghaiDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });
});

describe('第六条 demo plans', () => {
  it('the national plan has the six 14th Five-Year priorities; the department tasks link to national tasks 2 and 3', () => {
    expect(DEMO_NATIONAL_PLAN.tasks.map((t) => t.code)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(DEMO_NATIONAL_PLAN.tasks.every((t) => t.nationalTaskCode === null && t.description.length > 0)).toBe(true);
    expect(DEMO_DEPARTMENT_PLAN.tasks.map((t) => t.nationalTaskCode)).toEqual(['2', '3']);
  });
});
