// What bench/run.ts (the server process) and bench/load.ts (the load generator it forks)
// say to each other over the IPC channel, and the identifiers both sides make up.
import { request } from 'node:http';
import { CREDIT_CODE_ALPHABET, uniformSocialCreditCodeCheckChar } from '../src/domain/identifiers.ts';

interface CommonSpec {
  /** Name of the case, for the table. */
  title: string;
  /** Base URL of the server under test, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Measured seconds. */
  duration: number;
  /** Seconds of unreported load before the measurement (JIT, caches, connection pools). */
  warmup: number;
  connections: number;
}

/** The same GET over and over. */
export interface GetSpec extends CommonSpec {
  kind: 'get';
  path: string;
  headers: Record<string, string>;
}

/** GETs of a rotating list of paths (e.g. project details by id), one after the other. */
export interface GetRotateSpec extends CommonSpec {
  kind: 'get-rotate';
  paths: string[];
  headers: Record<string, string>;
}

/**
 * PATCH /api/v1/organizations/:id with If-Match. Every success bumps the version, so the load
 * generator keeps a pool of organizations: a connection takes one, sends the version it knows,
 * and puts it back with the version of the ETag. No two requests ever race on one row, so a
 * 409/412 would be a real bug, not an artefact of the benchmark.
 */
export interface PatchOrgsSpec extends CommonSpec {
  kind: 'patch-orgs';
  token: string;
  orgs: Array<{ id: string; version: number }>;
}

/** POST /api/v1/organizations, each with a fresh, valid 统一社会信用代码. */
export interface PostOrgsSpec extends CommonSpec {
  kind: 'post-orgs';
  token: string;
  parentId: string;
  /** One character of the credit-code alphabet, so that different writers never collide. */
  series: string;
}

/** POSTs of a rotating list of JSON bodies to one path (e.g. similarity checks of project descriptions). */
export interface PostRotateSpec extends CommonSpec {
  kind: 'post-rotate';
  path: string;
  /** JSON texts, sent in turn. */
  bodies: string[];
  headers: Record<string, string>;
}

/**
 * One GET whose body is read and thrown away (a streamed export), timed from the request to
 * the last byte; `duration`, `warmup` and `connections` are ignored. The result has total 1,
 * the time in exact.p50 and the size in `bytes`.
 */
export interface DownloadSpec extends CommonSpec {
  kind: 'download';
  path: string;
  headers: Record<string, string>;
}

export type LoadSpec = GetSpec | GetRotateSpec | PatchOrgsSpec | PostOrgsSpec | PostRotateSpec | DownloadSpec;

export interface LoadResult {
  title: string;
  /** autocannon's average of its per-second samples. */
  requestsPerSec: number;
  /** Responses received in the measured window (all statuses). */
  total: number;
  durationSec: number;
  latencyMs: { p50: number; p97_5: number; p99: number; mean: number; max: number };
  /** Percentiles of the measured window's response times in ms, from every response (autocannon's histogram has no p95). */
  exact: { p50: number; p95: number; p99: number; samples: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** The first non-2xx response seen (warm-up included), to say what went wrong. */
  firstFailure: { status: number; body: string } | null;
  /** download only: bytes received. */
  bytes?: number;
  /** patch-orgs only: the versions the pool ended with. */
  versions?: Record<string, number>;
}

export type ToLoad = { id: number; spec: LoadSpec };
export type FromLoad = { ready: true } | { id: number; result: LoadResult } | { id: number; error: string };

/**
 * A valid 统一社会信用代码 (GB 32100-2015) for benchmark organizations: 9 (工商) 1 (企业),
 * 行政区划 110108, a 主体标识码 made of `series` and `n` in base 31, and the check character.
 * Distinct (series, n) give distinct codes; none collides with the demo organizations.
 */
export function benchCreditCode(series: string, n: number): string {
  if (series.length !== 1 || !CREDIT_CODE_ALPHABET.includes(series)) throw new RangeError(`bad series ${series}`);
  let digits = '';
  for (let v = n; digits.length < 8; v = Math.floor(v / 31)) digits = CREDIT_CODE_ALPHABET[v % 31]! + digits;
  const first17 = `91110108${series}${digits}`;
  return first17 + uniformSocialCreditCodeCheckChar(first17);
}

/**
 * One HTTP request on a connection of its own (no keep-alive), for setup and probes: the bench
 * process is busy for minutes between them, and a pooled socket the server has timed out
 * meanwhile would fail the run for nothing.
 */
export function httpJson(origin: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, origin), {
      method,
      agent: false,
      headers: { ...headers, connection: 'close', ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
