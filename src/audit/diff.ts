// Before/after differences recorded in audit events.

/** The before/after of only the fields that changed, for the audit event. */
export function changedFields<T extends object>(before: T, after: T): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key as string] = before[key];
      a[key as string] = after[key];
    }
  }
  return { before: b, after: a };
}
