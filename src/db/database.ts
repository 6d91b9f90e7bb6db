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
  /** How a second client in this process (the job runner, src/jobs/runner.ts) reaches the same database. */
  readonly shared: SharedAccess;
  close(): Promise<void>;
}

/**
 * PGlite: the one connection, each statement taken under the app's own mutex ({@link SerializedSession});
 * PostgreSQL: the connection string, for a pool of the client's own.
 */
export type SharedAccess = { kind: 'pglite'; session: SerializedSession } | { kind: 'postgresql'; url: string };

/** The shape of PGlite that pg-boss's `fromPglite` adapter takes. */
export interface SerializedSession {
  query(text: string, params?: unknown[]): Promise<{ rows: any[] }>;
  exec(text: string): Promise<Array<{ rows: any[] }>>;
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
function pglitePool(pglite: PGlite, mutex: Mutex) {
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
 * PGlite for a second client: every statement waits for the mutex, so it never runs inside an app
 * transaction (which owns the connection from BEGIN to COMMIT) and an app transaction never starts
 * inside one of its scripts. A script that fails after its own BEGIN would leave the one connection
 * in an aborted transaction; it is rolled back before the mutex is released (a ROLLBACK outside a
 * transaction only warns).
 */
function serializedSession(pglite: PGlite, mutex: Mutex): SerializedSession {
  const exclusive = async <T>(run: () => Promise<T>): Promise<T> => {
    const release = await mutex.acquire();
    try {
      return await run();
    } catch (err) {
      await pglite.exec('ROLLBACK').catch(() => null);
      throw err;
    } finally {
      release();
    }
  };
  return {
    query: (text, params) => exclusive(() => pglite.query(text, params)),
    exec: (text) => exclusive(() => pglite.exec(text)),
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
  const mutex = new Mutex();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pglitePool(pglite, mutex) as never }) });
  return { kind: 'pglite', db, shared: { kind: 'pglite', session: serializedSession(pglite, mutex) }, close: () => db.destroy() };
}

/** Connects to a PostgreSQL server. */
export async function openPostgres(url: string, maxConnections = 10): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    // No JIT compilation for this application's statements: it is meant for long analytical
    // queries, and on the catalog summary it spent 3.1 s compiling a statement that then ran
    // for 2.5 s (issue 7 load test). Planning and results are unchanged.
    options: '-c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === OID_INT8 || oid === OID_DATE || oid === OID_NUMERIC
          ? asText
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server (restart, failover) must not crash the process.
  pool.on('error', () => {});
  // Nor may a client in use: node-postgres rejects its queries and then emits 'error' on the
  // client itself, where the pool listens only while the client is idle; unheard, that event
  // would kill the process in the middle of a database outage (test/e2e/faults.test.ts). The
  // request gets its 503 from the rejected query; the pool drops the broken client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  // Fail fast with a clear message instead of at the first request.
  await sql`select 1`.execute(db);
  return { kind: 'postgresql', db, shared: { kind: 'postgresql', url }, close: () => db.destroy() };
}

export async function openDatabase(
  target: { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgresql'; url: string },
): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target.dataDir) : openPostgres(target.url);
}
