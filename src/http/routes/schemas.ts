// Schemas shared by several resources.
import { z } from 'zod';

export const uuid = z.uuid();
export const idParams = z.strictObject({ id: uuid });
export const pagination = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
/** A calendar date (Asia/Shanghai), YYYY-MM-DD. */
export const calendarDate = z.iso.date();
/** Text without control characters (which PostgreSQL text and jsonb would refuse or hide). */
export const text = (max: number) =>
  z.string().trim().min(1).max(max).regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'control characters are not allowed');
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
