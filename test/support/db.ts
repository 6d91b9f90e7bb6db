// Test databases: an in-memory PGlite, or a fresh database on the PostgreSQL server, chosen
// by GOVPROJ_TEST_DB (set per Vitest project). Each test file gets its own, dropped at the end.
import { randomBytes } from 'node:crypto';
import type { Extensions } from '@electric-sql/pglite';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.ts';
import { openPglite, openPostgres, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { deriveKeys, type Services } from '../../src/services.ts';

export const TEST_DB_KIND = (process.env.GOVPROJ_TEST_DB ?? 'pglite') as 'pglite' | 'postgresql';
/** The server the PostgreSQL tier uses; .ci/run makes sure it is running. */
export const TEST_PG_URL = process.env.GOVPROJ_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  database: Database;
  /** A connection string for a server process to use the same database (PostgreSQL only). */
  url: string | null;
  drop(): Promise<void>;
}

/** Creates an empty database on the PostgreSQL server and returns its URL. */
export async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `govproj_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * An empty, migrated database of the kind under test. `pgliteExtensions`: contrib extensions
 * PGlite must load at start (the PostgreSQL server has its contrib modules installed).
 */
export async function openTestDatabase(kind = TEST_DB_KIND, pgliteExtensions?: Extensions): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openPglite(undefined, pgliteExtensions);
    await migrate(database);
    return { database, url: null, drop: () => database.close() };
  }
  const server = await createServerDatabase();
  const database = await openPostgres(server.url, 5);
  await migrate(database);
  return {
    database,
    url: server.url,
    drop: async () => {
      await database.close();
      await server.drop();
    },
  };
}

export const TEST_MASTER_KEY = randomBytes(32).toString('hex');

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ GOVPROJ_MASTER_KEY: TEST_MASTER_KEY, GOVPROJ_DATA_DIR: '/tmp/govproj-test-unused', GOVPROJ_PASSWORD_COST: '14', GOVPROJ_CHECKPOINT_SECONDS: '0', GOVPROJ_LOGIN_RATE_LIMIT: '10000' }),
    ...overrides,
  };
}

/** Services over `database` with a movable clock. */
export function testServices(database: Database, overrides: Partial<Config> = {}): Services & { clock: { now: Date } } {
  const config = testConfig(overrides);
  const clock = { now: new Date() };
  return { config, database, keys: deriveKeys(config.masterKey), now: () => new Date(clock.now), clock };
}
