// 第二十九条 资料调阅: states, transitions, the deadline and overdue at its boundary, answers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkAnswer, defaultDueOn, findingAllowed, isOverdue, nextRequestStatus, REQUEST_STATUSES, validDueOn, type RequestStatus,
} from './document-requests.ts';
import { addDays } from './worklist.ts';
import { RULES } from './rules.ts';

const date = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('第二十九条: document request transitions', () => {
  it('the unit answers an open or returned request; the requester accepts or returns an answered one', () => {
    expect(nextRequestStatus('open', 'answer')).toBe('answered');
    expect(nextRequestStatus('returned', 'answer')).toBe('answered');
    expect(nextRequestStatus('answered', 'accept')).toBe('accepted');
    expect(nextRequestStatus('answered', 'return')).toBe('returned');
  });

  it('nothing else is allowed; accepted is final', () => {
    expect(nextRequestStatus('answered', 'answer')).toBeNull();
    expect(nextRequestStatus('accepted', 'answer')).toBeNull();
    for (const s of ['open', 'returned', 'accepted'] as const) {
      expect(nextRequestStatus(s, 'accept')).toBeNull();
      expect(nextRequestStatus(s, 'return')).toBeNull();
    }
  });

  it('any sequence of allowed events ends in accepted only through an accept of an answer', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('answer', 'accept', 'return' as const), { maxLength: 30 }), (events) => {
      let s: RequestStatus = 'open';
      let lastAllowed: string | null = null;
      for (const e of events) {
        const next = nextRequestStatus(s, e);
        if (next === null) continue;
        expect(REQUEST_STATUSES).toContain(next);
        s = next;
        lastAllowed = e;
      }
      if (s === 'accepted') expect(lastAllowed).toBe('accept');
      if (s === 'answered') expect(lastAllowed).toBe('answer');
    }));
  });
});

describe('第二十九条: the deadline (I-90) and overdue at its boundary', () => {
  it('the default deadline is responseDays calendar days after the request, across month and year ends', () => {
    expect(defaultDueOn('2026-11-27', 15)).toBe('2026-12-12');
    expect(defaultDueOn('2026-12-20', 15)).toBe('2027-01-04');
    expect(defaultDueOn('2028-02-20', 10)).toBe('2028-03-01');
    expect(RULES['documentRequest.responseDays']).toMatchObject({ unit: 'days', defaultValue: 15, article: '第二十九条' });
  });

  it('an explicit deadline is a real date not before today', () => {
    expect(validDueOn('2026-11-27', '2026-11-27')).toBe(true);
    expect(validDueOn('2026-11-26', '2026-11-27')).toBe(false);
    expect(validDueOn('2027-02-29', '2026-11-27')).toBe(false);
    expect(validDueOn('2026-13-01', '2026-11-27')).toBe(false);
  });

  it('the deadline day itself is not overdue, the next day is', () => {
    const r = { status: 'open' as const, dueOn: '2026-12-12' };
    expect(isOverdue(r, '2026-12-11')).toBe(false);
    expect(isOverdue(r, '2026-12-12')).toBe(false);
    expect(isOverdue(r, '2026-12-13')).toBe(true);
    expect(isOverdue({ ...r, status: 'returned' }, '2026-12-13')).toBe(true);
  });

  it('an answer waiting for review or an accepted request is never overdue', () => {
    fc.assert(fc.property(date, fc.integer({ min: -400, max: 400 }), fc.constantFrom('answered', 'accepted' as const), (due, offset, status) => {
      expect(isOverdue({ status, dueOn: due }, addDays(due, offset))).toBe(false);
    }));
  });

  it('for any deadline, an owed answer is overdue exactly from the day after it', () => {
    fc.assert(fc.property(date, fc.integer({ min: -400, max: 400 }), fc.constantFrom('open', 'returned' as const), (due, offset, status) => {
      expect(isOverdue({ status, dueOn: due }, addDays(due, offset))).toBe(offset >= 1);
    }));
  });
});

describe('第二十九条 → 第三十条: a finding from a request (I-92)', () => {
  it('allowed once a request is overdue or its answer was returned, once per request', () => {
    const base = { status: 'open' as const, dueOn: '2026-12-12', findingId: null };
    expect(findingAllowed(base, '2026-12-12')).toBeNull();
    expect(findingAllowed(base, '2026-12-13')).toBe('overdue');
    expect(findingAllowed({ ...base, status: 'returned' }, '2026-12-01')).toBe('returned');
    expect(findingAllowed({ ...base, status: 'answered' }, '2027-01-01')).toBeNull();
    expect(findingAllowed({ ...base, status: 'accepted' }, '2027-01-01')).toBeNull();
    expect(findingAllowed({ ...base, findingId: 'f1' }, '2027-01-01')).toBeNull();
  });
});

describe('第二十九条: an answer (如实提供)', () => {
  it('provides a file, or says of an item that it does not exist and why; never nothing', () => {
    expect(checkAnswer(2, [], 1)).toBeNull();
    expect(checkAnswer(2, [{ index: 1, reason: '未形成该资料' }], 1)).toBeNull();
    expect(checkAnswer(2, [{ index: 0, reason: 'a' }, { index: 1, reason: 'b' }], 0)).toBeNull();
    // After a return, an answer may only explain the item that was missing.
    expect(checkAnswer(2, [{ index: 1, reason: '尚未开展' }], 0)).toBeNull();
    expect(checkAnswer(2, [], 0)).toEqual({ code: 'document_request.answer_empty', params: {} });
  });

  it('for any well-formed missing list, an answer is refused as empty exactly when it has no file and no missing item', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 3 }), fc.array(fc.nat(), { maxLength: 10 }), (items, files, raw) => {
      const indexes = [...new Set(raw.map((i) => i % items))];
      const problem = checkAnswer(items, indexes.map((index) => ({ index, reason: '原因' })), files);
      expect(problem === null).toBe(files > 0 || indexes.length > 0);
    }));
  });

  it('refuses an unknown item, an item twice, or a missing item without a reason', () => {
    expect(checkAnswer(2, [{ index: 2, reason: 'x' }], 1)).toEqual({ code: 'document_request.item_unknown', params: { item: '3' } });
    expect(checkAnswer(2, [{ index: -1, reason: 'x' }], 1)?.code).toBe('document_request.item_unknown');
    expect(checkAnswer(2, [{ index: 0, reason: 'x' }, { index: 0, reason: 'y' }], 1)).toEqual({ code: 'document_request.item_twice', params: { item: '1' } });
    expect(checkAnswer(2, [{ index: 0, reason: '  ' }], 1)).toEqual({ code: 'document_request.reason_required', params: { item: '1' } });
  });
});
