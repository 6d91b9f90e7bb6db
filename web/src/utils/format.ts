import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import localizedFormat from 'dayjs/plugin/localizedFormat';

dayjs.extend(utc);
dayjs.extend(localizedFormat);

/** China Standard Time has no daylight saving: Asia/Shanghai is always UTC+8. */
const SHANGHAI_OFFSET_MINUTES = 8 * 60;

/** Formats an ISO instant in Asia/Shanghai time. */
export function formatDateTime(value: string | null | undefined, pattern = 'YYYY-MM-DD HH:mm:ss'): string {
  if (!value) return '';
  const parsed = dayjs.utc(value);
  if (!parsed.isValid()) return value;
  return parsed.utcOffset(SHANGHAI_OFFSET_MINUTES).format(pattern);
}

/** The current moment in Asia/Shanghai. */
export function shanghaiToday(): dayjs.Dayjs {
  return dayjs().utcOffset(SHANGHAI_OFFSET_MINUTES);
}

/**
 * Today's calendar date in Asia/Shanghai as a DatePicker day (local midnight of that date). A
 * picker's days are local-midnight instants, so comparing one with the Shanghai *moment* by
 * `isAfter(…, 'day')` goes wrong whenever the browser's date differs from Shanghai's (a browser in
 * UTC between 16:00 and 24:00 would refuse today); compare calendar dates instead.
 */
export function shanghaiDay(): dayjs.Dayjs {
  return dayjs(shanghaiToday().format('YYYY-MM-DD'));
}

/** A picker's day later than today in Asia/Shanghai (a future date). */
export const afterShanghaiToday = (day: dayjs.Dayjs): boolean => day.format('YYYY-MM-DD') > shanghaiToday().format('YYYY-MM-DD');

/** A picker's day earlier than today in Asia/Shanghai (a past date). */
export const beforeShanghaiToday = (day: dayjs.Dayjs): boolean => day.format('YYYY-MM-DD') < shanghaiToday().format('YYYY-MM-DD');
