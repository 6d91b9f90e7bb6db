// Real `govproj` processes for end-to-end tests: a server started with `govproj serve` on a
// free port, signing in over HTTP, kill -9, and the operator CLI. Every child started here is
// remembered, so a test's afterEach/afterAll can stop whatever a failed test left running.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { base32Decode, totpAt } from '../../src/crypto/totp.ts';
import { DEMO_PASSWORD, DEMO_TOTP } from './fixtures.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOVPROJ_BIN = join(REPO_ROOT, 'bin', 'govproj.js');
// E2E_START_TIMEOUT_MS: a longer wait on a loaded machine (the demo seed runs at start).
const START_TIMEOUT_MS = Number(process.env.E2E_START_TIMEOUT_MS ?? 90_000);
const OUTPUT_LIMIT = 64 * 1024;

/** What a server or CLI process runs against: the same values give the same installation. */
export interface Installation {
  /** GOVPROJ_DATA_DIR; with PGlite the database lives in `<dataDir>/pglite`. */
  dataDir: string;
  /** GOVPROJ_MASTER_KEY, 64 hex characters. */
  masterKey: string;
  /** DATABASE_URL; absent for the embedded PGlite database. */
  databaseUrl?: string | undefined;
}

export function randomMasterKey(): string {
  return randomBytes(32).toString('hex');
}

/** A fresh temporary directory; remove it with removeDir. */
export function tempDir(prefix = 'govproj-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string | null | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A TCP port that was free a moment ago (the server cannot report a port chosen by PORT=0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

/** The environment of a govproj process: the parent's, minus any govproj settings, plus ours. */
export function govprojEnv(inst: Installation, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GOVPROJ_') || k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST') continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOST: '127.0.0.1',
    GOVPROJ_DATA_DIR: inst.dataDir,
    GOVPROJ_MASTER_KEY: inst.masterKey,
    GOVPROJ_PASSWORD_COST: '14',
    GOVPROJ_LOG_LEVEL: 'warn',
    GOVPROJ_DEMO_PASSWORD: DEMO_PASSWORD,
    GOVPROJ_DEMO_TOTP_SECRET: DEMO_TOTP,
    ...(inst.databaseUrl ? { DATABASE_URL: inst.databaseUrl } : {}),
    ...extra,
  });
  return env;
}

/** Keeps the last OUTPUT_LIMIT characters of a stream. */
function collect(stream: NodeJS.ReadableStream | null): { text(): string } {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > OUTPUT_LIMIT) text = text.slice(-OUTPUT_LIMIT);
  });
  return { text: () => text };
}

const running = new Set<ChildProcess>();

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export interface ServerProcess {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  port: number;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** kill -9, then wait until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful: the server signs a last checkpoint), then wait; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `govproj serve [--demo]` and waits until GET /api/v1/health answers 200. */
export async function startServer(
  inst: Installation,
  options: { demo?: boolean; checkpointSeconds?: number; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const env = govprojEnv(inst, {
    PORT: String(port),
    GOVPROJ_CHECKPOINT_SECONDS: String(options.checkpointSeconds ?? 1),
    ...options.env,
  });
  const args = [GOVPROJ_BIN, 'serve', ...(options.demo === false ? [] : ['--demo'])];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = exitOf(child).finally(() => running.delete(child));
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  const url = `http://127.0.0.1:${port}`;

  const server: ServerProcess = {
    url, port, child,
    stdout: out.text,
    stderr: err.text,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  let early: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void exited.then((e) => (early = e));
  let last = '';
  while (Date.now() < deadline) {
    if (early) break;
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return server;
      last = `status ${res.status}`;
    } catch (e) {
      last = String((e as Error).cause ?? e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.kill9();
  const exit = early as { code: number | null; signal: NodeJS.Signals | null } | null;
  throw new Error(
    `govproj serve did not become healthy within ${START_TIMEOUT_MS / 1000} s ` +
      `(${exit ? `exited with code ${exit.code} signal ${exit.signal}` : `last health check: ${last}`})\n` +
      `--- stderr ---\n${err.text()}\n--- stdout ---\n${out.text()}`,
  );
}

/** Kills (SIGKILL) every server and CLI process these helpers started that is still running. */
export async function killAllChildren(): Promise<void> {
  const children = [...running];
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map(exitOf));
}

/** The current TOTP code of the demo secret; `steps` shifts it by whole 30-second periods. */
export function currentDemoTotp(steps = 0): string {
  return totpAt(base32Decode(DEMO_TOTP), Math.floor(Date.now() / 1000) + steps * 30);
}

/**
 * Signs in over HTTP and returns the Bearer token. Accounts with a second factor get the
 * current demo TOTP code; a code is accepted once per user, so sign such a user in once per
 * database and reuse the token.
 */
export async function signInHttp(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, totp: currentDemoTotp() }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${text}`);
  return (JSON.parse(text) as { token: string }).token;
}

/** A JSON request with a Bearer token; returns the status and the parsed body. */
export async function apiRequest<T = unknown>(
  baseUrl: string, token: string | null, method: string, path: string, body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `govproj ARGS...` against an installation and waits for it (SIGKILL after `timeoutMs`). */
export async function runCli(inst: Installation, args: string[], timeoutMs = 60_000): Promise<CliResult> {
  const child = spawn(process.execPath, [GOVPROJ_BIN, ...args], {
    cwd: REPO_ROOT, env: govprojEnv(inst), stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  // 'close' rather than 'exit': the output is complete only when the pipes are closed.
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const { code, signal } = await closed;
    return { code, signal, stdout: out.text(), stderr: err.text() };
  } finally {
    clearTimeout(timer);
    running.delete(child);
  }
}

/** `govproj audit verify --json`: exit 0 when intact, 3 when broken, with the parsed report. */
export async function verifyAuditCli(inst: Installation): Promise<CliResult & { report: { status: string; eventsChecked: number; checkpointsChecked: number; problems: unknown[] } | null }> {
  const r = await runCli(inst, ['audit', 'verify', '--json']);
  let report = null;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    report = null;
  }
  return { ...r, report };
}
