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
