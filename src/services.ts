// What every use case needs, built once at start-up: configuration, the database and the keys
// derived from the master key. Passed explicitly; there are no module-level singletons.
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { JobQueue } from './jobs/runner.ts';
import { sm2KeyPairFromSeed, type Sm2KeyPair } from './crypto/sm2.ts';
import { deriveKey } from './crypto/sm3.ts';
import { fieldKeysFromMaster, type FieldKeys } from './crypto/sm4.ts';

export interface Keys {
  /** SM4 + HMAC-SM3 keys for personal fields and secrets at rest. */
  field: FieldKeys;
  /** The installation's SM2 key that signs audit checkpoints. */
  checkpoint: Sm2KeyPair;
  /** HMAC-SM3 key binding CSRF tokens to sessions. */
  csrf: Buffer;
}

export function deriveKeys(masterKey: Uint8Array): Keys {
  return {
    field: fieldKeysFromMaster(masterKey),
    checkpoint: sm2KeyPairFromSeed(deriveKey(masterKey, 'govproj/audit-checkpoint/v1', 32)),
    csrf: deriveKey(masterKey, 'govproj/csrf/v1', 32),
  };
}

export interface Services {
  config: Config;
  database: Database;
  keys: Keys;
  /** Injected so tests can move time (lockouts, session timeouts) without sleeping. */
  now: () => Date;
  /**
   * The job runner, when this process runs one (`govproj serve` with GOVPROJ_JOBS=on); absent in
   * CLI commands and in tests that do not start it. Background jobs need it.
   */
  jobs?: JobQueue;
}
