// 重复采集 (第二十八条: 重复采集数据的 … 不得安排运维经费; SPEC §5, §7): the same data item
// collected by systems of different owners. Items are compared by what they mean, not how they
// are spelled: a data item's name is analysed by the similarity engine (src/domain/similarity),
// whose synonym list folds 身份证号 / 身份证号码 into 公民身份号码 and 手机号 / 移动电话 into 联系电话,
// and two items are the same when they come to the same terms. Pure: no I/O.
import { normalizeText, termOccurrences } from './similarity/analysis.ts';
import { similarity } from './similarity/index.ts';

/**
 * The normalized form of a data item's name: its canonical terms, sorted, space-separated
 * (身份证号, 身份证号码 and 公民身份号码 give the same key). A name without terms (only stop
 * words or punctuation) keys on its normalized text.
 */
export function dataItemKey(name: string): string {
  const terms = [...termOccurrences(name).keys()].sort();
  return terms.length > 0 ? terms.join(' ') : normalizeText(name);
}

/** One data item a system collects, through one resource of a project's catalog (第十一条). */
export interface CollectedItem {
  systemId: string;
  ownerOrganizationId: string;
  resourceId: string;
  /** The item's name as the resource spells it. */
  dataItemName: string;
}

/** A data item collected by systems of at least two owners. */
export interface CollectionGroup<T extends CollectedItem = CollectedItem> {
  /** dataItemKey of every member. */
  key: string;
  /** The spelling most members use (ties: the shorter, then the first in code-point order). */
  label: string;
  /** Every spelling, with its similarity to the label (1 for an exact synonym). */
  names: Array<{ name: string; similarity: number }>;
  /** Distinct owners, in code-point order. */
  ownerOrganizationIds: string[];
  /** Distinct systems. */
  systemIds: string[];
  items: T[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * 第二十八条: the data items collected by systems of two or more owners, grouped by normalized
 * item, most owners first (then most systems, then by label). A system listing the same item
 * twice (two resources) counts once. `keyOf` is dataItemKey; callers analysing many rows pass a
 * memoized one.
 */
export function duplicateCollections<T extends CollectedItem>(items: readonly T[], keyOf: (name: string) => string = dataItemKey): CollectionGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item.dataItemName.trim());
    let members = groups.get(key);
    if (!members) groups.set(key, members = []);
    members.push(item);
  }
  const result: CollectionGroup<T>[] = [];
  for (const [key, members] of groups) {
    const owners = [...new Set(members.map((m) => m.ownerOrganizationId))].sort(byText);
    if (owners.length < 2) continue;
    const spellings = new Map<string, number>();
    for (const m of members) spellings.set(m.dataItemName.trim(), (spellings.get(m.dataItemName.trim()) ?? 0) + 1);
    const label = [...spellings].sort(([a, x], [b, y]) => y - x || a.length - b.length || byText(a, b))[0]![0];
    result.push({
      key, label,
      names: [...spellings.keys()].sort(byText).map((name) => ({ name, similarity: name === label ? 1 : similarity({ name }, { name: label }).similarity })),
      ownerOrganizationIds: owners,
      systemIds: [...new Set(members.map((m) => m.systemId))].sort(byText),
      items: [...members].sort((a, b) => byText(a.systemId, b.systemId) || byText(a.resourceId, b.resourceId) || byText(a.dataItemName, b.dataItemName)),
    });
  }
  return result.sort((a, b) => b.ownerOrganizationIds.length - a.ownerOrganizationIds.length
    || b.systemIds.length - a.systemIds.length || byText(a.label, b.label) || byText(a.key, b.key));
}
