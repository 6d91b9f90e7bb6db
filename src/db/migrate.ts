// Applies the SQL migrations in src/db/migrations in name order. Applied migrations are
// recorded with their SM3 checksum; an edited migration stops start-up, since migrations
// are append-only. On PostgreSQL an advisory lock keeps concurrent app processes from
// migrating at the same time.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK_KEY = 4_710_2019; // any constant shared by all govproj processes

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const text = readFileSync(dir + name, 'utf8');
      return { name, sql: text, checksum: createHash('sm3').update(text).digest('hex') };
    });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrate(database: Database): Promise<string[]> {
  const { db } = database;
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    if (database.kind === 'postgresql') await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        name text primary key, checksum char(64) not null, applied_at timestamptz not null default now())`.execute(conn);
      const done = new Map(
        (await conn.selectFrom('schema_migrations').select(['name', 'checksum']).execute()).map((r) => [r.name, r.checksum]),
      );
      for (const m of listMigrations()) {
        const previous = done.get(m.name);
        if (previous !== undefined) {
          if (previous.trim() !== m.checksum) {
            throw new MigrationError(`migration ${m.name} was changed after it was applied; migrations are append-only`);
          }
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await trx.insertInto('schema_migrations').values({ name: m.name, checksum: m.checksum }).execute();
        });
        applied.push(m.name);
      }
    } finally {
      if (database.kind === 'postgresql') await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
  return applied;
}
