import { describe, expect, it } from 'vitest';
import { dataItemKey, duplicateCollections, type CollectedItem } from './duplicate-collection.ts';

const row = (systemId: string, owner: string, dataItemName: string, resourceId = `r-${systemId}`): CollectedItem =>
  ({ systemId, ownerOrganizationId: owner, resourceId, dataItemName });

describe('重复采集 (第二十八条)', () => {
  it('第二十八条: the same data item under other names has one normalized form (身份证号 ≡ 公民身份号码, 手机号 ≡ 联系电话)', () => {
    expect(dataItemKey('身份证号')).toBe(dataItemKey('公民身份号码'));
    expect(dataItemKey('身份证号码')).toBe(dataItemKey('公民身份号码'));
    expect(dataItemKey('手机号码')).toBe(dataItemKey('联系电话'));
    expect(dataItemKey('公民身份号码')).not.toBe(dataItemKey('联系电话'));
    expect(dataItemKey('姓名')).not.toBe(dataItemKey('持证人姓名'));
    // Full-width and punctuation do not matter; a name without terms keys on its text.
    expect(dataItemKey('  公民身份号码（ ）')).toBe(dataItemKey('公民身份号码'));
    expect(dataItemKey('的')).toBe('的');
  });

  it('第二十八条: groups items collected by systems of two or more owners, most owners first, with every spelling', () => {
    const groups = duplicateCollections([
      row('s1', 'org-a', '身份证号'),
      row('s2', 'org-b', '公民身份号码'),
      row('s3', 'org-c', '公民身份号码'),
      row('s1', 'org-a', '手机号'),
      row('s4', 'org-b', '联系电话'),
      row('s1', 'org-a', '姓名'),
      row('s5', 'org-a', '姓名'),
    ]);
    expect(groups.map((g) => g.label)).toEqual(['公民身份号码', '手机号']);
    const [id, phone] = groups;
    expect(id).toMatchObject({ ownerOrganizationIds: ['org-a', 'org-b', 'org-c'], systemIds: ['s1', 's2', 's3'] });
    expect(id!.names).toEqual([{ name: '公民身份号码', similarity: 1 }, { name: '身份证号', similarity: expect.closeTo(1, 10) }]);
    // A tie between spellings goes to the shorter one.
    expect(phone!.names.map((n) => n.name)).toEqual(['手机号', '联系电话']);
    expect(phone!.ownerOrganizationIds).toEqual(['org-a', 'org-b']);
  });

  it('第二十八条: one owner collecting an item in several systems or resources is not a duplicate collection', () => {
    expect(duplicateCollections([row('s1', 'org-a', '姓名'), row('s2', 'org-a', '姓名'), row('s1', 'org-a', '姓名', 'r-other')])).toEqual([]);
    const twice = duplicateCollections([row('s1', 'org-a', '姓名'), row('s1', 'org-a', '姓名', 'r-2'), row('s2', 'org-b', '姓名')]);
    expect(twice[0]).toMatchObject({ systemIds: ['s1', 's2'] });
    expect(twice[0]!.items).toHaveLength(3);
  });
});
