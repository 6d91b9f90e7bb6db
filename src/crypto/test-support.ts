// Test-only helpers shared by the src/crypto tests: the openssl CLI, temp
// directories and the legacy `sm-crypto` package used as an independent
// implementation. Not exported from index.ts; nothing in production imports it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OPENSSL = '/usr/bin/openssl';

export type OpensslResult = { status: number; stdout: Buffer; stderr: string };

/** Runs the Debian openssl CLI; a non-zero exit is reported, not thrown, so tests can assert on it. */
export function runOpenssl(args: readonly string[], input?: Uint8Array | string): OpensslResult {
  try {
    const stdout = execFileSync(OPENSSL, args, {
      input: input ?? '',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
    return { status: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status?: number | null; stdout?: Buffer; stderr?: Buffer };
    return {
      status: e.status ?? -1,
      stdout: e.stdout ?? Buffer.alloc(0),
      stderr: e.stderr?.toString('utf8') ?? String(err),
    };
  }
}

/** Like runOpenssl but throws with stderr on failure, for commands that must succeed. */
export function openssl(args: readonly string[], input?: Uint8Array | string): Buffer {
  const r = runOpenssl(args, input);
  if (r.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  return r.stdout;
}

/** Gives a fresh private temp dir and always removes it, even when the body throws. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'govproj-crypto-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The subset of the legacy `sm-crypto` (v1, CommonJS, untyped) API the tests use. */
export type LegacySmCrypto = {
  sm3: (input: string | Uint8Array | number[], options?: { key: string | Uint8Array }) => string;
  sm2: {
    doSignature: (
      msg: string | Uint8Array | number[],
      privateKey: string,
      opts: { hash: boolean; der: boolean; userId?: string; publicKey?: string },
    ) => string;
    doVerifySignature: (
      msg: string | Uint8Array | number[],
      signHex: string,
      publicKey: string,
      opts: { hash: boolean; der: boolean; userId?: string },
    ) => boolean;
  };
};

const require = createRequire(import.meta.url);
export const legacySmCrypto = require('sm-crypto') as LegacySmCrypto;
