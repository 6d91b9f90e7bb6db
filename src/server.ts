// Starting and stopping the platform: database, migrations, the optional demo, the job runner
// (schedules and background jobs) and HTTP. Used by `govproj serve` and by tests that need a real server.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { signCheckpoint } from './audit/checkpoint-file.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { buildApp } from './http/app.ts';
import { platformJobs } from './jobs/definitions.ts';
import { startJobs } from './jobs/runner.ts';
import { fileStoreFor } from './storage/file-store.ts';
import { deriveKeys, type Services } from './services.ts';
import { seedDemo, type DemoCredentials } from './usecases/seed-demo.ts';
import { seedDemoConstruction } from './usecases/seed-demo-construction.ts';
import { warmSimilarityCatalog } from './usecases/similarity.ts';

export async function openServices(config: Config): Promise<Services> {
  const database = await openDatabase(config.database.kind === 'pglite'
    ? { kind: 'pglite', dataDir: config.database.dataDir }
    : { kind: 'postgresql', url: config.database.url });
  return { config, database, keys: deriveKeys(config.masterKey), now: () => new Date() };
}

export interface RunningPlatform {
  services: Services;
  app: FastifyInstance;
  url: string;
  demo: DemoCredentials | null;
  stop(): Promise<void>;
}

const DEMO_FILE = 'demo-accounts.json';

/**
 * Migrates, seeds the demo when asked (once), starts the job runner (GOVPROJ_JOBS: periodic audit
 * checkpoints, reminders, background jobs) and listens.
 */
export async function startPlatform(config: Config, options: { demo: boolean; logger?: boolean }): Promise<RunningPlatform> {
  const services = await openServices(config);
  await migrate(services.database);
  // Uploads a crash cut off midway stay in the staging area; a day later they are garbage.
  await fileStoreFor(config).sweepStaging(24 * 3600_000);
  let demo: DemoCredentials | null = null;
  if (options.demo) {
    const file = resolve(config.dataDir, DEMO_FILE);
    demo = await seedDemo(services);
    if (demo) {
      writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
      chmodSync(file, 0o600);
      // 第十三条, 第十九条–第二十二条: a filed project with its construction records (after the seed commits).
      await seedDemoConstruction(services, demo.totpSecret);
    } else if (existsSync(file)) {
      demo = JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
    }
  }
  const app = await buildApp(services, { logger: options.logger ?? true });
  // Before listening, so the first request can already start a background job.
  const jobs = config.jobs ? await startJobs(services, platformJobs(config), app.log) : null;
  if (jobs) services.jobs = jobs;
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await jobs?.stop();
    throw err;
  }
  // 第二十八条: build the duplicate-detection index now, not in the first user's request.
  void warmSimilarityCatalog(services).catch((err: unknown) => app.log.warn({ err }, 'similarity index warm-up failed'));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    services, app, demo, url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/`,
    async stop() {
      await app.close();
      // Running jobs get JOBS_STOP_TIMEOUT_MS to finish; pg-boss then fails them, to be retried later.
      await jobs?.stop();
      // The last checkpoint signs whatever the final requests and jobs wrote.
      await signCheckpoint(services).catch(() => null);
      await services.database.close();
    },
  };
}
