// The catalog counts as the summary computed them before migration 20261127T1200: every system
// `s` counted directly. The reference the per-organization counts are held to
// (test/db/catalog-counts.test.ts) and measured against (bench/catalog-summary.ts).
import { sql } from 'kysely';
import { isolatedWithoutExceptionSql } from '../../src/usecases/system-catalog.ts';

/** The count columns over systems `s` (null rows of a left join count nothing), named as CatalogCounts. */
export const directCountColumns = sql`count(s.id)::int as "systems",
  count(s.id) filter (where s.status = 'under_construction')::int as "underConstruction",
  count(s.id) filter (where s.status = 'operating')::int as "operating",
  count(s.id) filter (where s.status = 'retired')::int as "retired",
  count(s.id) filter (where s.network_type = 'extranet')::int as "extranet",
  count(s.id) filter (where s.network_type = 'intranet')::int as "intranet",
  count(s.id) filter (where s.network_type = 'internet')::int as "internet",
  count(s.id) filter (where s.network_type = 'isolated')::int as "isolated",
  count(s.id) filter (where ${isolatedWithoutExceptionSql})::int as "isolatedWithoutException",
  count(s.id) filter (where s.protection_scheme = 'classified')::int as "classified",
  count(s.id) filter (where s.mlps_level = 1)::int as "mlpsLevel1",
  count(s.id) filter (where s.mlps_level = 2)::int as "mlpsLevel2",
  count(s.id) filter (where s.mlps_level = 3)::int as "mlpsLevel3",
  count(s.id) filter (where s.mlps_level = 4)::int as "mlpsLevel4",
  count(s.id) filter (where s.mlps_level = 5)::int as "mlpsLevel5"`;
