// Dates in the browser are calendar dates in Asia/Shanghai, whatever the browser's own time zone.
import dayjs from 'dayjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { afterShanghaiToday, beforeShanghaiToday, shanghaiDay, shanghaiToday } from './format';

beforeAll(() => {
  // A browser in UTC: between 16:00 and 24:00 its date is a day behind Shanghai's.
  process.env.TZ = 'UTC';
});
afterEach(() => {
  vi.useRealTimers();
});

describe('today in Asia/Shanghai for date pickers', () => {
  it('at 16:30 UTC it is already tomorrow in Shanghai: that day is today, not the future', () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T16:30:00Z') });
    const picked = (date: string) => dayjs(date); // a picker's day: local midnight
    expect(shanghaiDay().format('YYYY-MM-DD')).toBe('2026-11-28');
    expect(afterShanghaiToday(picked('2026-11-28'))).toBe(false);
    expect(afterShanghaiToday(picked('2026-11-29'))).toBe(true);
    expect(beforeShanghaiToday(picked('2026-11-27'))).toBe(true);
    expect(beforeShanghaiToday(picked('2026-11-28'))).toBe(false);
    // What the pickers compared before: the Shanghai moment against a local day refuses today.
    expect(picked('2026-11-28').isAfter(shanghaiToday(), 'day')).toBe(true);
  });

  it('at 15:59 UTC Shanghai is still on the same date as UTC', () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T15:59:00Z') });
    expect(shanghaiDay().format('YYYY-MM-DD')).toBe('2026-11-27');
    expect(afterShanghaiToday(dayjs('2026-11-27'))).toBe(false);
    expect(afterShanghaiToday(dayjs('2026-11-28'))).toBe(true);
    expect(beforeShanghaiToday(dayjs('2026-11-26'))).toBe(true);
  });
});
