// The one place where the environment is read. Every variable is validated here and a bad
// value stops start-up with a message that names the variable, so nothing downstream
// ever sees an unchecked setting.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/** A configuration error: the message names the variable and says what is wrong. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce.number().int().min(0).max(65535);
const minutes = z.coerce.number().int().min(1).max(7 * 24 * 60);

const envSchema = z.object({
  /** TCP port of the HTTP server. */
  PORT: port.default(3000),
  /** Interface to listen on; loopback by default so a fresh install is not exposed. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** A PostgreSQL connection string; when absent the embedded PGlite database is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Where the embedded database, the generated master key and uploads live. */
  GOVPROJ_DATA_DIR: z.string().min(1).default('./data'),
  /** 32 bytes as 64 hex characters: the SM4/SM3/SM2 key material of this installation. */
  GOVPROJ_MASTER_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (32 bytes)')
    .optional(),
  /** Password given to every demo account; generated and printed when absent. */
  GOVPROJ_DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(128).optional(),
  /** Base32 TOTP secret given to demo accounts that need a second factor. */
  GOVPROJ_DEMO_TOTP_SECRET: z
    .string()
    .regex(/^[A-Z2-7]{16,}=*$/, 'must be base32 (A–Z, 2–7), at least 16 characters')
    .optional(),
  /** Idle session timeout in minutes (等保 / ASVS: 30). */
  GOVPROJ_SESSION_IDLE_MINUTES: minutes.default(30),
  /** Absolute session lifetime in minutes (12 h). */
  GOVPROJ_SESSION_ABSOLUTE_MINUTES: minutes.default(12 * 60),
  /** How often an audit checkpoint is signed, in seconds (0: only at shutdown). From 60 up it is a
   *  job schedule rounded up to whole minutes; below 60 a local timer sends the same job. */
  GOVPROJ_CHECKPOINT_SECONDS: z.coerce.number().int().min(0).max(86400).default(60),
  /** Whether this process runs the job runner (pg-boss): schedules (audit checkpoints, worklist
   *  reminders) and background jobs. `off` leaves only the checkpoint at shutdown. */
  GOVPROJ_JOBS: z.enum(['on', 'off']).default('on'),
  /** Worker threads searching replicas of the similarity index (src/usecases/similarity-pool.ts); 0: none. */
  // Replicas pay off only with cores to spare: on 2 cores one replica added no similarity-check
  // throughput and cost ~700 MiB of RSS under load (docs/benchmarks.md, "Memory per app process").
  GOVPROJ_SIMILARITY_WORKERS: z.coerce.number().int().min(0).max(64).default(availableParallelism() >= 4 ? availableParallelism() - 1 : 0),
  /** The shared similarity service (`govproj similarity serve`, src/similarity-service.ts) app
   *  processes search instead of each building its own index; absent: each process builds one. */
  GOVPROJ_SIMILARITY_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Where `govproj similarity serve` listens; loopback by default (the API is internal). */
  GOVPROJ_SIMILARITY_HOST: z.string().min(1).default('127.0.0.1'),
  GOVPROJ_SIMILARITY_PORT: port.default(3100),
  /** scrypt cost (log2 N) for new password hashes; 17 (128 MiB, about 0.6 s here) is OWASP's
   *  recommendation. Test suites lower it; existing hashes keep the cost they were made with. */
  GOVPROJ_PASSWORD_COST: z.coerce.number().int().min(14).max(20).default(17),
  /** Sign-in attempts allowed per client address per minute (on top of the account lockout). */
  GOVPROJ_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Open-data API requests allowed per client address per minute (SPEC §11; stricter than the signed-in API, which has none). */
  GOVPROJ_OPEN_DATA_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Largest material upload in MiB (SPEC §10: size limits); larger uploads answer 413. */
  GOVPROJ_UPLOAD_LIMIT_MB: z.coerce.number().int().min(1).max(10_240).default(200),
  /** Log level of the server. */
  GOVPROJ_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // S3-compatible object storage for material files (SPEC §10); GOVPROJ_S3_BUCKET turns it on,
  // otherwise files live under GOVPROJ_DATA_DIR/files. All or nothing: see s3Settings below.
  /** Endpoint URL of the S3-compatible service (MinIO, Ceph RGW, a cloud's OSS/COS/OBS, AWS). */
  GOVPROJ_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Bucket holding the files; it must exist. */
  GOVPROJ_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)')
    .optional(),
  GOVPROJ_S3_REGION: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a region name such as us-east-1').default('us-east-1'),
  GOVPROJ_S3_ACCESS_KEY_ID: z.string().min(1).max(256).optional(),
  GOVPROJ_S3_SECRET_ACCESS_KEY: z.string().min(1).max(256).optional(),
  /** Key prefix of every object (e.g. `govproj/`), so a bucket can be shared; empty for none. */
  GOVPROJ_S3_PREFIX: z.string().max(512).regex(/^(?!\/)/, 'must not start with /').optional(),
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`), which most S3-compatible servers need. */
  GOVPROJ_S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  // SPEC §11: reminders by email when SMTP is configured (src/mail/smtp.ts).
  /** smtp://[user:password@]host[:port] (STARTTLS when offered, required with credentials) or
   *  smtps://… (TLS from the start, port 465); absent: no email, in-app reminders only. */
  GOVPROJ_SMTP_URL: z.string().regex(/^smtps?:\/\/[^/\s]+\/?$/, 'must be smtp://[user:password@]host[:port] or smtps://…').optional(),
  /** The sender address of reminder emails. */
  GOVPROJ_SMTP_FROM: z.string().regex(/^[^@\s<>]+@[^@\s<>]+$/, 'must be an email address').default('govproj@localhost'),
  // Resilience (issue 7): audit checkpoints also written outside the database (src/audit/checkpoint-file.ts).
  /** A directory (ideally another volume, or a retention-locked mount) to which every signed audit
   *  checkpoint is appended, fsync'd; absent: checkpoints live in the database only. */
  GOVPROJ_CHECKPOINT_DIR: z.string().min(1).optional(),
});

/** S3-compatible object storage (GOVPROJ_S3_*). */
export interface S3Config {
  /** Absent: the AWS S3 endpoint of `region`. */
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** '' or a prefix ending in '/'. */
  prefix: string;
  forcePathStyle: boolean;
}

/** CopyObject, which moves a staged upload under its key, copies at most 5 GiB. */
const S3_MAX_UPLOAD_MB = 5 * 1024;

export interface Config {
  port: number;
  host: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgresql'; url: string };
  dataDir: string;
  masterKey: Buffer;
  /** True when the master key was generated by this start (first embedded start). */
  masterKeyGenerated: boolean;
  demoPassword: string | undefined;
  demoTotpSecret: string | undefined;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  checkpointIntervalMs: number;
  /** GOVPROJ_JOBS=on: this process runs schedules and background jobs (src/jobs/runner.ts). */
  jobs: boolean;
  passwordCost: number;
  loginRateLimit: number;
  openDataRateLimit: number;
  /** Largest material upload, bytes (GOVPROJ_UPLOAD_LIMIT_MB). */
  uploadLimitBytes: number;
  logLevel: string;
  /** Where material files are stored: this object storage, or (null) `<dataDir>/files`. */
  s3: S3Config | null;
  /** SPEC §11: the SMTP server reminders are emailed through; null: no email. */
  smtp: SmtpConfig | null;
  /** GOVPROJ_SIMILARITY_WORKERS: replicas of the similarity index searching in worker threads (0: none). */
  similarityWorkers?: number;
  /** Index size from which searches go to the replicas (default POOL_MIN_DOCUMENTS; tests lower it). */
  similarityPoolMinDocuments?: number;
  /**
   * GOVPROJ_SIMILARITY_URL: the shared similarity service this process searches instead of building
   * its own index (null or absent: its own). GOVPROJ_SIMILARITY_HOST / _PORT: where that service listens.
   */
  similarityService?: { url: string | null; host: string; port: number };
  /** GOVPROJ_CHECKPOINT_DIR, resolved: where checkpoints are also appended; null: the database only. */
  checkpointDir: string | null;
}

/** GOVPROJ_SMTP_URL and GOVPROJ_SMTP_FROM, parsed. */
export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

function smtpSettings(e: z.infer<typeof envSchema>): SmtpConfig | null {
  if (!e.GOVPROJ_SMTP_URL) return null;
  const url = new URL(e.GOVPROJ_SMTP_URL);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : secure ? 465 : 587, secure,
    user: url.username ? decodeURIComponent(url.username) : null, password: url.password ? decodeURIComponent(url.password) : null,
    from: e.GOVPROJ_SMTP_FROM,
  };
}

/**
 * The object-storage settings, all or nothing: any GOVPROJ_S3_* variable without a bucket, or a
 * bucket without both credentials, is a mistake that would otherwise put files on local disk
 * (or fail at the first upload) without anyone noticing.
 */
function s3Settings(env: NodeJS.ProcessEnv, e: z.infer<typeof envSchema>): S3Config | null {
  const given = Object.keys(env).filter((k) => k.startsWith('GOVPROJ_S3_') && env[k] !== undefined && env[k] !== '');
  if (!e.GOVPROJ_S3_BUCKET) {
    if (given.length === 0) return null;
    throw new ConfigError(`Invalid configuration:\n  GOVPROJ_S3_BUCKET: required when ${given.sort().join(', ')} ${given.length === 1 ? 'is' : 'are'} set (S3-compatible storage is configured all or nothing)`);
  }
  const missing = (['GOVPROJ_S3_ACCESS_KEY_ID', 'GOVPROJ_S3_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]);
  if (missing.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${missing.map((k) => `  ${k}: required when GOVPROJ_S3_BUCKET is set`).join('\n')}`);
  }
  if (e.GOVPROJ_UPLOAD_LIMIT_MB > S3_MAX_UPLOAD_MB) {
    throw new ConfigError(`Invalid configuration:\n  GOVPROJ_UPLOAD_LIMIT_MB: at most ${S3_MAX_UPLOAD_MB} with GOVPROJ_S3_BUCKET (S3 CopyObject copies at most 5 GiB)`);
  }
  const prefix = (e.GOVPROJ_S3_PREFIX ?? '').replace(/\/+$/, '');
  return {
    endpoint: e.GOVPROJ_S3_ENDPOINT, bucket: e.GOVPROJ_S3_BUCKET, region: e.GOVPROJ_S3_REGION,
    accessKeyId: e.GOVPROJ_S3_ACCESS_KEY_ID!, secretAccessKey: e.GOVPROJ_S3_SECRET_ACCESS_KEY!,
    prefix: prefix === '' ? '' : `${prefix}/`, forcePathStyle: e.GOVPROJ_S3_FORCE_PATH_STYLE,
  };
}

/**
 * Reads and validates the environment. The master key is generated into the data directory
 * on the first embedded start; with DATABASE_URL it must be given, because a generated key on
 * one app server would not be known to the others.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const s3 = s3Settings(env, e);
  if (e.GOVPROJ_SIMILARITY_URL && !e.DATABASE_URL) {
    // The service reads the same database from its own process; PGlite is one process's.
    throw new ConfigError('Invalid configuration:\n  GOVPROJ_SIMILARITY_URL: requires DATABASE_URL (the similarity service and the app processes share one PostgreSQL database)');
  }
  const dataDir = resolve(e.GOVPROJ_DATA_DIR);
  let masterKey: Buffer;
  let masterKeyGenerated = false;
  if (e.GOVPROJ_MASTER_KEY) {
    masterKey = Buffer.from(e.GOVPROJ_MASTER_KEY, 'hex');
  } else if (e.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  GOVPROJ_MASTER_KEY: required when DATABASE_URL is set (64 hexadecimal characters; generate one with `openssl rand -hex 32`)',
    );
  } else {
    const keyFile = resolve(dataDir, 'master.key');
    if (existsSync(keyFile)) {
      const text = readFileSync(keyFile, 'utf8').trim();
      if (!/^[0-9a-fA-F]{64}$/.test(text)) {
        throw new ConfigError(`Invalid configuration:\n  GOVPROJ_MASTER_KEY: ${keyFile} does not hold 64 hexadecimal characters`);
      }
      masterKey = Buffer.from(text, 'hex');
    } else {
      mkdirSync(dataDir, { recursive: true });
      masterKey = randomBytes(32);
      writeFileSync(keyFile, masterKey.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(keyFile, 0o600);
      masterKeyGenerated = true;
    }
  }
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgresql', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') },
    dataDir,
    masterKey,
    masterKeyGenerated,
    demoPassword: e.GOVPROJ_DEMO_PASSWORD,
    demoTotpSecret: e.GOVPROJ_DEMO_TOTP_SECRET,
    sessionIdleMs: e.GOVPROJ_SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.GOVPROJ_SESSION_ABSOLUTE_MINUTES * 60_000,
    checkpointIntervalMs: e.GOVPROJ_CHECKPOINT_SECONDS * 1000,
    jobs: e.GOVPROJ_JOBS === 'on',
    passwordCost: e.GOVPROJ_PASSWORD_COST,
    loginRateLimit: e.GOVPROJ_LOGIN_RATE_LIMIT,
    openDataRateLimit: e.GOVPROJ_OPEN_DATA_RATE_LIMIT,
    uploadLimitBytes: e.GOVPROJ_UPLOAD_LIMIT_MB * 1024 * 1024,
    logLevel: e.GOVPROJ_LOG_LEVEL,
    s3,
    smtp: smtpSettings(e),
    similarityWorkers: e.GOVPROJ_SIMILARITY_WORKERS,
    similarityService: { url: e.GOVPROJ_SIMILARITY_URL ?? null, host: e.GOVPROJ_SIMILARITY_HOST, port: e.GOVPROJ_SIMILARITY_PORT },
    checkpointDir: e.GOVPROJ_CHECKPOINT_DIR ? resolve(e.GOVPROJ_CHECKPOINT_DIR) : null,
  };
}
