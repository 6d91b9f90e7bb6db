// What makes the open-data API cheap (issue 6 performance): the data version (max(seq) of a log
// appended at the commit of any change to what the public API shows, migration 20261127T0300), the keyset
// cursors, and per-database caches of the response bodies, the totals and the withheld spot
// checks, all keyed by that version.
//
// Totals. An exact count(*) of the filtered set on every page made the project list cost as much
// as the table; the count is now kept per filter and reused while the data version is the one it
// was counted at (then it is exact: nothing the API shows has changed). After a change it is
// counted again, except that a large set (at least `approximateFrom` rows when last counted)
// counted less than `approximateFor` ms ago is served as it was and marked approximate
// (`totalApproximate: true`, header X-Total-Approximate): under a steady stream of writes the big
// counts then run at most once per filter per interval instead of once per request. A small set is
// always counted, so its total is always exact.
//
// Bodies. A response is stored under its ETag (the data version, the URL and the language), so
// the next request for the same page at the same version is answered from memory, and a
// conditional GET is answered 304 from the ETag alone without building the page. Entries live at
// most `bodyTtlMs` (the responses' max-age), which bounds the one staleness the version allows
// (two writers committing at the same moment, the later-numbered one visible first; see the migration).
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';

export interface CachedBody { body: string; headers: Record<string, string>; at: number }
interface CountEntry { total: number; version: string; at: number }

export interface OpenDataCache {
  bodies: Map<string, CachedBody>;
  counts: Map<string, CountEntry>;
  withheld: { version: string; ids: Set<string> } | null;
  /** Tuning (tests lower them to exercise the approximate path on small data). */
  approximateFrom: number;
  approximateFor: number;
  bodyTtlMs: number;
  maxBodies: number;
  /** Characters of stored bodies at most (a CSV page of 200 rows is some 60,000). */
  maxBodyChars: number;
  bodyChars: number;
  maxCounts: number;
}

const caches = new WeakMap<Database, OpenDataCache>();

/** One cache per database: every app built on the same database shares it (the version is the database's). */
export function openDataCache(services: Services): OpenDataCache {
  let c = caches.get(services.database);
  if (!c) {
    c = { bodies: new Map(), counts: new Map(), withheld: null, approximateFrom: 10_000, approximateFor: 10_000, bodyTtlMs: 60_000, maxBodies: 500, maxBodyChars: 16_000_000, bodyChars: 0, maxCounts: 1000 };
    caches.set(services.database, c);
  }
  return c;
}

/** The current data version: max(seq) of the change log, one index lookup. */
export async function openDataVersion(services: Services): Promise<string> {
  const r = await sql<{ v: string | null }>`select max(seq)::text as v from open_data_changes`.execute(services.database.db);
  return r.rows[0]!.v ?? '0';
}

/** Insertion-ordered map used as an LRU: a hit moves the key to the end; the oldest go first. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number) {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value!);
}

export function cachedBody(services: Services, etag: string, now: number): CachedBody | null {
  const c = openDataCache(services);
  const hit = c.bodies.get(etag);
  if (!hit) return null;
  c.bodies.delete(etag);
  if (now - hit.at > c.bodyTtlMs) {
    c.bodyChars -= hit.body.length;
    return null;
  }
  c.bodies.set(etag, hit);
  return hit;
}

/** Stores a body; the least recently used go first when there are too many or they are too large. */
export function storeBody(services: Services, etag: string, entry: CachedBody) {
  const c = openDataCache(services);
  const old = c.bodies.get(etag);
  if (old) c.bodyChars -= old.body.length;
  c.bodies.delete(etag);
  c.bodies.set(etag, entry);
  c.bodyChars += entry.body.length;
  while (c.bodies.size > 0 && (c.bodies.size > c.maxBodies || c.bodyChars > c.maxBodyChars)) {
    const [key, first] = c.bodies.entries().next().value!;
    c.bodies.delete(key);
    c.bodyChars -= first.body.length;
  }
}

/** The filtered set's size: see the header comment for when it is exact and when approximate. */
export async function cachedTotal(services: Services, version: string, key: string, count: () => Promise<number>): Promise<{ total: number; approximate: boolean }> {
  const c = openDataCache(services);
  const now = Date.now();
  const hit = c.counts.get(key);
  if (hit && hit.version === version) return { total: hit.total, approximate: false };
  if (hit && hit.total >= c.approximateFrom && now - hit.at < c.approximateFor) return { total: hit.total, approximate: true };
  const total = await count();
  remember(c.counts, key, { total, version, at: now }, c.maxCounts);
  return { total, approximate: false };
}

/** A value computed once per data version (the withheld spot checks). */
export async function withheldAt(services: Services, version: string, compute: () => Promise<Set<string>>): Promise<Set<string>> {
  const c = openDataCache(services);
  if (c.withheld && c.withheld.version === version) return c.withheld.ids;
  const ids = await compute();
  c.withheld = { version, ids };
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Keyset cursors: opaque to clients (base64url of the list name and the sort key of the last row
// sent), checked strictly on the way back in; anything else is 400 opendata.bad_cursor.

export function encodeCursor(list: string, key: string[]): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
export const CURSOR_CHECKS = { uuid: (s: string) => UUID.test(s), timestamp: (s: string) => TIMESTAMP.test(s), text: (s: string) => s.length <= 400 };

/** The sort key a cursor carries, each part checked by its kind; throws opendata.bad_cursor. */
export function decodeCursor(list: string, cursor: string, kinds: Array<keyof typeof CURSOR_CHECKS>): string[] {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('opendata.bad_cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== kinds.length + 1 || parsed[0] !== list) throw new AppError('opendata.bad_cursor');
  const key = parsed.slice(1);
  if (!key.every((v, i) => typeof v === 'string' && CURSOR_CHECKS[kinds[i]!](v))) throw new AppError('opendata.bad_cursor');
  return key as string[];
}
