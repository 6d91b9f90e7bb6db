// The app side of the shared similarity service (GOVPROJ_SIMILARITY_URL; the service is
// src/similarity-service.ts, `govproj similarity serve`). Issue 7 (memory per app process < 300 MB):
// each app process used to build its own index of every project and catalog system (≈155 MiB at
// 300,000 systems) and load jieba (≈50 MiB native); with the service, one process holds them
// and app processes ask it over HTTP, loading neither (the analysis code is imported but jieba
// and the IDF table are loaded on first use only, and nothing here uses them).
//
// What crosses the wire is what the index knows: ids (`system:<uuid>`), kinds, revisions, scores
// and shared terms. Names, owners and visibility stay in the app, which re-reads every hit from
// the database as before (similarity.ts).
//
// Authentication: every request carries HMAC-SM3 over its time, method, path and body under a
// key derived from GOVPROJ_MASTER_KEY, which every process of an installation shares; the
// service refuses a missing, wrong or stale signature (401). No key ever travels.
//
// When the service cannot answer (down, starting, overloaded past TIMEOUT_MS, or refusing the
// signature), the check fails with `similarity.unavailable` (503, Retry-After): it could not run,
// and says so; callers whose check only warns (lifecycle-actions.ts) show that instead of hits.
import { timingSafeEqual } from 'node:crypto';
import type { PairSimilarity, SearchOptions, TextFields } from '../domain/similarity/index.ts';
import { deriveKey, hmacSm3 } from '../crypto/sm3.ts';
import { AppError } from '../errors.ts';
import type { CatalogIndex, IndexedHit } from './similarity.ts';

/** The request header carrying `t=<unix ms>,s=<hex HMAC-SM3>`. */
export const SIGNATURE_HEADER = 'x-govproj-signature';
/** How far a signature's time may lie from the receiver's clock (replays older than this are refused). */
export const SIGNATURE_WINDOW_MS = 60_000;
/**
 * How long the app waits for an answer. The service's first search after it starts waits for its
 * index to be built (≈30 s at 300,000 systems); a check waiting longer is better told to retry.
 */
const TIMEOUT_MS = 30_000;

/** The key both sides sign with: one per installation, never the master key itself. */
export function serviceKey(masterKey: Uint8Array): Buffer {
  return deriveKey(masterKey, 'govproj/similarity-service/v1', 32);
}

function mac(key: Uint8Array, at: number, method: string, path: string, body: string): Buffer {
  return hmacSm3(key, `${at}\n${method}\n${path}\n${body}`);
}

/** The signature header's value for one request. */
export function signRequest(key: Uint8Array, method: string, path: string, body: string, now = Date.now()): string {
  return `t=${now},s=${mac(key, now, method, path, body).toString('hex')}`;
}

/** Whether `header` signs this request with `key`, within SIGNATURE_WINDOW_MS of `now`. */
export function verifyRequest(key: Uint8Array, header: string | undefined, method: string, path: string, body: string, now = Date.now()): boolean {
  const match = /^t=(\d{1,15}),s=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const at = Number(match[1]);
  if (Math.abs(now - at) > SIGNATURE_WINDOW_MS) return false;
  return timingSafeEqual(Buffer.from(match[2]!, 'hex'), mac(key, at, method, path, body));
}

/** One search: what /v1/search takes. */
export interface RemoteSearch {
  query: TextFields;
  options: Pick<SearchOptions, 'limit' | 'kinds' | 'minSimilarity' | 'excludeId'>;
  sync: boolean;
}

async function call<T>(base: URL, key: Buffer, path: string, body: unknown): Promise<T> {
  const url = new URL(path, base);
  const text = JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST', body: text, signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signRequest(key, 'POST', url.pathname, text) },
    });
  } catch (err) {
    throw new AppError('similarity.unavailable', { message: `similarity service ${url.origin}: ${err instanceof Error ? err.message : String(err)}` });
  }
  if (!response.ok) {
    // 401: the processes do not share GOVPROJ_MASTER_KEY — the check cannot run either way.
    await response.body?.cancel();
    throw new AppError('similarity.unavailable', { message: `similarity service ${url.origin} answered ${response.status}` });
  }
  return await response.json() as T;
}

const clients = new Map<string, CatalogIndex>();

/** The shared service at `url` as a `CatalogIndex` (one client per service and key). */
export function remoteCatalogIndex(url: string, masterKey: Uint8Array): CatalogIndex {
  const key = serviceKey(masterKey);
  const id = `${url}\n${key.toString('hex')}`;
  let client = clients.get(id);
  if (!client) {
    const base = new URL(url.endsWith('/') ? url : `${url}/`);
    client = {
      sync: async () => {
        await call<{ documents: number }>(base, key, 'v1/sync', {});
      },
      search: async (query, options, sync) => {
        const body: RemoteSearch = {
          query,
          options: {
            ...(options.limit !== undefined ? { limit: options.limit } : {}), ...(options.kinds ? { kinds: options.kinds } : {}),
            ...(options.minSimilarity !== undefined ? { minSimilarity: options.minSimilarity } : {}),
            ...(options.excludeId !== undefined ? { excludeId: options.excludeId } : {}),
          },
          sync,
        };
        return (await call<{ hits: IndexedHit[] }>(base, key, 'v1/search', body)).hits;
      },
      similarity: (query, text) => call<PairSimilarity>(base, key, 'v1/similarity', { query, text }),
    };
    clients.set(id, client);
  }
  return client;
}
