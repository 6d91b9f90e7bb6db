// One database API over two engines. Kysely's PostgreSQL dialect drives node-postgres against
// a real server, and the same dialect drives PGlite (real Postgres compiled to WASM) through a
// small pool adapter, so there is one schema, one set of migrations and one code path.
import { PGlite, type Extensions } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<DB>;
  close(): Promise<void>;
}

export type Tx = Transaction<DB>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Kysely<DB> | Tx;

// int8 and date come back as text on both engines: int8 can exceed 2^53 (audit event ids,
// sums), and a calendar date must never be shifted by a time zone.
const OID_INT8 = 20;
const OID_DATE = 1082;
const OID_NUMERIC = 1700;
const asText = (value: string) => value;

/**
 * A serializing mutex: PGlite has exactly one connection, so a transaction must own it from
 * BEGIN to COMMIT. Callers queue here instead of interleaving statements.
 */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

function commandOf(sqlText: string): string {
  const word = /^\s*(\w+)/.exec(sqlText)?.[1]?.toUpperCase() ?? '';
  // A data-modifying CTE reports its affected rows like the statement it wraps.
  return word === 'WITH' ? 'UPDATE' : word;
}

/** Presents PGlite as the node-postgres pool that Kysely's PostgresDriver expects. */
function pglitePool(pglite: PGlite) {
  const mutex = new Mutex();
  return {
    async connect() {
      const release = await mutex.acquire();
      return {
        async query(text: string, params: readonly unknown[]) {
          // Without parameters use the simple protocol, as node-postgres does, so that a
          // migration script of several statements runs the same way on both engines.
          const result =
            params.length === 0
              ? (await pglite.exec(text)).at(-1)
              : await pglite.query(text, params as unknown[]);
          return { command: commandOf(text), rowCount: result?.affectedRows ?? 0, rows: result?.rows ?? [] };
        },
        release() {
          release();
        },
      };
    },
    async end() {
      await pglite.close();
    },
  };
}

/**
 * Opens the embedded database in `dataDir` (created when missing). `extensions`: PGlite
 * contrib extensions to load (each still needs `create extension`), e.g. pg_trgm for the
 * similarity comparison test.
 */
export async function openPglite(dataDir: string | undefined, extensions?: Extensions): Promise<Database> {
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(extensions ? { extensions } : {}),
    parsers: { [OID_INT8]: asText, [OID_DATE]: asText, [OID_NUMERIC]: asText },
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) as never }) });
  return { kind: 'pglite', db, close: () => db.destroy() };
}

/** Connects to a PostgreSQL server. */
export async function openPostgres(url: string, maxConnections = 10): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === OID_INT8 || oid === OID_DATE || oid === OID_NUMERIC
          ? asText
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server (restart, failover) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  // Fail fast with a clear message instead of at the first request.
  await sql`select 1`.execute(db);
  return { kind: 'postgresql', db, close: () => db.destroy() };
}

export async function openDatabase(
  target: { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgresql'; url: string },
): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target.dataDir) : openPostgres(target.url);
}
