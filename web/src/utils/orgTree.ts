import type { Organization } from '../api/types';

export interface OrgNode {
  org: Organization;
  children: OrgNode[];
}

/** Builds the forest from the flat list (an organization whose parent is unknown becomes a root). */
export function buildOrgTree(items: Organization[]): OrgNode[] {
  const nodes = new Map<string, OrgNode>();
  for (const org of items) nodes.set(org.id, { org, children: [] });
  const roots: OrgNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.org.parentId ? nodes.get(node.org.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The ids of an organization and all its descendants. */
export function subtreeIds(items: Organization[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const org of items) {
    if (!org.parentId) continue;
    children.set(org.parentId, [...(children.get(org.parentId) ?? []), org.id]);
  }
  const result = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (result.has(id)) continue;
    result.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return result;
}

export interface OrgTreeSelectNode {
  value: string;
  title: string;
  disabled?: boolean;
  children?: OrgTreeSelectNode[];
}

/** Tree data for antd TreeSelect; ids in `disabledIds` cannot be chosen. */
export function orgTreeSelectData(items: Organization[], disabledIds?: Set<string>): OrgTreeSelectNode[] {
  const convert = (node: OrgNode): OrgTreeSelectNode => ({
    value: node.org.id,
    title: node.org.name,
    disabled: disabledIds?.has(node.org.id) || undefined,
    children: node.children.length > 0 ? node.children.map(convert) : undefined,
  });
  return buildOrgTree(items).map(convert);
}

/** 统一社会信用代码: 18 characters from the GB 32100 alphabet (no I, O, Z, S, V). */
export const CREDIT_CODE_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015 check character of a 统一社会信用代码 (the server checks it as well). */
export function creditCodeChecksumOk(code: string): boolean {
  if (!CREDIT_CODE_PATTERN.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CREDIT_CODE_CHARS.indexOf(code[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31] === code[17];
}

/** 行政区划代码: 6 digits. */
export const DIVISION_CODE_PATTERN = /^\d{6}$/;
