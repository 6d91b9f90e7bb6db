// govproj — the operator CLI. Every command reads the same validated configuration as the
// server (src/config.ts) and prints a clear message and a non-zero exit code on failure.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { signCheckpoint, verifyCheckpointFile } from '../audit/checkpoint-file.ts';
import { verifyAuditLog } from '../audit/verifier.ts';
import { backupDatabase, restoreDatabase, RestoreError } from '../db/backup.ts';
import { migrate, MigrationError } from '../db/migrate.ts';
import { isRoleCode, type RoleCode } from '../domain/authz.ts';
import { AppError, errorMessage, fieldMessage } from '../errors.ts';
import { platformJobs } from '../jobs/definitions.ts';
import { jobsOverview, JOBS_TIME_ZONE, schedulePlan } from '../jobs/runner.ts';
import { openServices, startPlatform } from '../server.ts';
import { seedDemo, type DemoCredentials } from '../usecases/seed-demo.ts';
import { seedDemoConstruction } from '../usecases/seed-demo-construction.ts';
import { seedSynthetic } from '../usecases/seed-synthetic.ts';
import { seedSyntheticSystems } from '../usecases/seed-synthetic-systems.ts';
import { createUser } from '../usecases/users.ts';
import { systemActor } from '../usecases/actor.ts';
import type { Services } from '../services.ts';

const USAGE = `govproj — 政务信息化项目管理平台 / government informatization project platform

Usage:
  govproj serve [--demo]            start the server (with --demo: seed the demo data once)
  govproj similarity serve          start the shared similarity service (duplicate detection's index,
                                    held once for every app process started with GOVPROJ_SIMILARITY_URL;
                                    listens on GOVPROJ_SIMILARITY_HOST:GOVPROJ_SIMILARITY_PORT; needs DATABASE_URL)
  govproj migrate                   apply database migrations
  govproj seed --demo               seed the demo organizations and accounts (once)
  govproj seed --synthetic N [--seed S]
                                    add N synthetic projects across 31 regions and 19 ministries
                                    (seeds the demo first when it is missing)
  govproj seed --synthetic-systems N [--seed S]
                                    add N synthetic 政务信息系统 to the national catalog, each
                                    collecting an information resource with 2–5 data items
                                    (adds synthetic projects first when there are too few)
  govproj user create --username U --name NAME --password P [--org CREDIT_CODE]... [--role ROLE]...
  govproj audit verify [--public-key HEX] [--json] [--checkpoint-dir DIR]
                                    verify the audit log; exit 0 when intact, 3 when broken
                                    (also against the checkpoint file of DIR or GOVPROJ_CHECKPOINT_DIR)
  govproj audit checkpoint          sign a checkpoint over the audit chains now
  govproj jobs [--json]             list the job schedules and the recent state of each job queue
  govproj spot-check redraw --package FILE [--seed HEX] [--json]
                                    (offline; bin/govproj.js runs it without loading the server)
                                    re-draw a published 双随机 spot check offline from its draw
                                    package (/api/open/v1/spot-checks/ID/package) and compare with
                                    the published result; exit 0 when it matches, 4 when not
  govproj backup FILE               write an online logical backup
  govproj restore FILE              restore a backup into an empty database

Configuration comes from the environment; see README.md.`;

function printDemo(url: string | null, demo: DemoCredentials) {
  const lines = [
    '',
    '演示账号 / Demo accounts',
    `  密码 / password: ${demo.password}`,
    `  动态口令密钥 / TOTP secret (accounts marked *): ${demo.totpSecret}`,
    ...demo.accounts.map((a) => `  ${a.totp ? '*' : ' '} ${a.username.padEnd(11)} ${a.displayName}  (${a.roles.join(', ')})`),
    '',
  ];
  if (url) lines.unshift(`govproj 已启动 / is running at ${url}`);
  console.log(lines.join('\n'));
}

async function withServices<T>(config: Config, fn: (s: Services) => Promise<T>): Promise<T> {
  const services = await openServices(config);
  try {
    await migrate(services.database);
    return await fn(services);
  } finally {
    await services.database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean', default: false } }, strict: true });
      const platform = await startPlatform(config, { demo: values.demo ?? false });
      if (platform.demo) printDemo(platform.url, platform.demo);
      else console.log(`govproj 已启动 / is running at ${platform.url}`);
      const stop = async (signal: string) => {
        console.log(`${signal}: stopping`);
        await platform.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      return -1; // keep running
    }
    case 'similarity': {
      if (rest[0] !== 'serve' || rest.length > 1) {
        console.error('usage: govproj similarity serve');
        return 2;
      }
      if (config.database.kind !== 'postgresql') {
        // The embedded database belongs to one process; the service reads the app's PostgreSQL.
        console.error('govproj similarity serve needs DATABASE_URL (a PostgreSQL database shared with the app processes)');
        return 2;
      }
      const services = await openServices(config);
      const { startSimilarityService } = await import('../similarity-service.ts');
      const service = await startSimilarityService(services, { logger: true });
      console.log(`govproj similarity service is running at ${service.url}`);
      const stop = async (signal: string) => {
        console.log(`${signal}: stopping`);
        await service.stop();
        await services.database.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      return -1; // keep running
    }
    case 'migrate':
      return withServices(config, async () => {
        console.log('migrations are up to date');
        return 0;
      });
    case 'seed': {
      const { values } = parseArgs({
        args: rest, strict: true,
        options: { demo: { type: 'boolean', default: false }, synthetic: { type: 'string' }, 'synthetic-systems': { type: 'string' }, seed: { type: 'string' } },
      });
      const systems = values['synthetic-systems'];
      if (systems !== undefined) {
        const count = Number(systems);
        if (!/^\d+$/.test(systems) || count < 1) {
          console.error('usage: govproj seed --synthetic-systems N [--seed S]   (N a positive integer)');
          return 2;
        }
        return withServices(config, async (services) => {
          console.log(`seeding ${count} synthetic systems${values.seed ? ` (seed ${values.seed})` : ''} …`);
          let lastReport = 0;
          const r = await seedSyntheticSystems(services, {
            count, ...(values.seed ? { seed: values.seed } : {}),
            onProgress: ({ done, total, elapsedMs }) => {
              if (done < total && elapsedMs - lastReport < 2000) return;
              lastReport = elapsedMs;
              console.log(`  ${done} / ${total} systems (${(elapsedMs / 1000).toFixed(1)} s)`);
            },
          });
          console.log(`added ${r.created} synthetic systems with ${r.dataItems} data items (${r.nearDuplicates} planted near-duplicates; ` +
            `${r.projectsSeeded} synthetic projects added first) in ${(r.elapsedMs / 1000).toFixed(1)} s; ` +
            `audit: ${r.batches} seed.synthetic_systems events in chain seed:${r.runId}`);
          return 0;
        });
      }
      if (values.synthetic !== undefined) {
        const count = Number(values.synthetic);
        if (!/^\d+$/.test(values.synthetic) || count < 1) {
          console.error('usage: govproj seed --synthetic N [--seed S]   (N a positive integer)');
          return 2;
        }
        return withServices(config, async (services) => {
          console.log(`seeding ${count} synthetic projects${values.seed ? ` (seed ${values.seed})` : ''} …`);
          let lastReport = 0;
          const r = await seedSynthetic(services, {
            count, ...(values.seed ? { seed: values.seed } : {}),
            onProgress: ({ done, total, elapsedMs }) => {
              if (done < total && elapsedMs - lastReport < 2000) return;
              lastReport = elapsedMs;
              console.log(`  ${done} / ${total} projects (${(elapsedMs / 1000).toFixed(1)} s)`);
            },
          });
          if (r.demo) printDemo(null, r.demo);
          console.log(`added ${r.created} synthetic projects in ${r.batches} batches (${r.organizationsCreated} new organizations, seed ${r.seed}) ` +
            `in ${(r.elapsedMs / 1000).toFixed(1)} s; audit: ${r.batches} seed.synthetic events in chain seed:${r.runId}`);
          return 0;
        });
      }
      if (!values.demo) {
        console.error('seed: run `govproj seed --demo` or `govproj seed --synthetic N`');
        return 2;
      }
      return withServices(config, async (services) => {
        const demo = await seedDemo(services);
        if (demo) await seedDemoConstruction(services, demo.totpSecret);
        if (demo) printDemo(null, demo);
        else console.log('the demo data was already seeded');
        return 0;
      });
    }
    case 'user': {
      const { positionals, values } = parseArgs({
        args: rest, allowPositionals: true, strict: true,
        options: {
          username: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' },
          org: { type: 'string', multiple: true }, role: { type: 'string', multiple: true },
        },
      });
      if (positionals[0] !== 'create' || !values.username || !values.name || !values.password) {
        console.error('usage: govproj user create --username U --name NAME --password P [--org CREDIT_CODE]... [--role ROLE]...');
        return 2;
      }
      const roles = values.role ?? [];
      const badRole = roles.find((r) => !isRoleCode(r));
      if (badRole) {
        console.error(`unknown role: ${badRole}`);
        return 2;
      }
      return withServices(config, async (services) => {
        const orgIds: string[] = [];
        for (const code of values.org ?? []) {
          const org = await services.database.db.selectFrom('organizations').select('id').where('credit_code', '=', code).executeTakeFirst();
          if (!org) {
            console.error(`no organization with credit code ${code}`);
            return 2;
          }
          orgIds.push(org.id);
        }
        const created = await createUser(services, systemActor(), {
          username: values.username!, displayName: values.name!, password: values.password!,
          organizationIds: orgIds, roleCodes: roles as RoleCode[],
        });
        console.log(`created user ${created.user.username} (${created.user.id})`);
        if (created.totpSecret) console.log(`TOTP secret (shown once): ${created.totpSecret}\n${created.totpUri}`);
        return 0;
      });
    }
    case 'audit': {
      const { positionals, values } = parseArgs({
        args: rest, allowPositionals: true, strict: true,
        options: { 'public-key': { type: 'string' }, json: { type: 'boolean', default: false }, 'checkpoint-dir': { type: 'string' } },
      });
      if (positionals[0] === 'checkpoint') {
        return withServices(config, async (services) => {
          const c = await signCheckpoint(services);
          console.log(c ? `checkpoint ${c.id} signed over ${c.entryCount} chain heads` : 'nothing new to checkpoint');
          return 0;
        });
      }
      if (positionals[0] !== 'verify') {
        console.error('usage: govproj audit verify [--public-key HEX] [--json] | govproj audit checkpoint');
        return 2;
      }
      return withServices(config, async (services) => {
        const publicKey = values['public-key'] ?? services.keys.checkpoint.publicKey;
        const report = await verifyAuditLog(services.database.db, publicKey);
        // I-86: against the checkpoints kept outside the database, when there are any.
        const dir = values['checkpoint-dir'] ?? config.checkpointDir;
        const file = dir ? await verifyCheckpointFile(services.database.db, dir, publicKey) : null;
        if (values.json) console.log(JSON.stringify(file ? { ...report, checkpointFile: file } : report, null, 2));
        else if (report.status === 'intact') {
          console.log(`intact: ${report.eventsChecked} events in ${report.chainsChecked} chains, ${report.checkpointsChecked} signed checkpoints (${report.durationMs} ms)`);
        } else {
          console.log(`BROKEN: ${report.problems.length} problem(s); the first:`);
          for (const p of report.problems.slice(0, 20)) console.log(`  [${p.kind}] ${p.message}`);
        }
        if (file && !values.json) {
          console.log(file.status === 'intact'
            ? `checkpoint file ${dir}: ${file.matched} of ${file.fileCheckpoints} checkpoints match; ${file.missingCheckpoints} newer ones and ${file.eventsBehind} events they witnessed are not in this database (recovery point ${file.lastMatchedAt ?? 'none'})`
            : `checkpoint file ${dir}: BROKEN: ${file.problems.slice(0, 20).join('; ')}`);
        }
        return report.status === 'intact' && (!file || file.status === 'intact') ? 0 : 3;
      });
    }
    case 'jobs': {
      const { values } = parseArgs({ args: rest, strict: true, options: { json: { type: 'boolean', default: false } } });
      return withServices(config, async (services) => {
        const overview = await jobsOverview(services.database.db);
        if (values.json) {
          console.log(JSON.stringify(overview, null, 2));
          return 0;
        }
        const lines = [`jobs ${config.jobs ? 'on' : 'off'} in this configuration (GOVPROJ_JOBS); schedules in ${JOBS_TIME_ZONE}`];
        for (const d of platformJobs(config)) {
          const plan = schedulePlan(d.trigger);
          const configured = !plan ? 'on demand' : 'schedule' in plan ? plan.schedule : `every ${plan.timerSeconds} s (local timer)`;
          const stored = overview.schedules.find((s) => s.name === d.name);
          lines.push(`  ${d.name.padEnd(20)} ${configured.padEnd(28)} ${d.title.zh} / ${d.title.en}${stored && stored.schedule !== configured ? `  [stored: ${stored.schedule}]` : ''}`);
        }
        if (!overview.installed) {
          lines.push('no job has run on this database yet (the server installs the pgboss schema at its first start)');
        } else {
          lines.push('recent jobs (pg-boss keeps finished jobs 7 days):');
          for (const q of overview.queues) {
            const states = Object.entries(q.states).map(([state, n]) => `${state} ${n}`).join(', ');
            const latest = q.latest ? `latest ${q.latest.state} ${q.latest.createdOn.toISOString()}` : '';
            lines.push(`  ${q.name.padEnd(20)} ${states.padEnd(28)} ${latest}`);
          }
          if (overview.queues.length === 0) lines.push('  none');
        }
        console.log(lines.join('\n'));
        return 0;
      });
    }
    case 'backup':
    case 'restore': {
      const file = rest[0];
      if (!file) {
        console.error(`usage: govproj ${command} FILE`);
        return 2;
      }
      return withServices(config, async (services) => {
        const started = Date.now();
        if (command === 'backup') {
          const r = await backupDatabase(services.database, file);
          console.log(`backup written to ${file}: ${r.rows} rows, ${r.bytes} bytes, ${Date.now() - started} ms`);
        } else {
          const r = await restoreDatabase(services.database, file);
          console.log(`restored ${r.rows} rows from ${file} in ${Date.now() - started} ms`);
        }
        return 0;
      });
    }
    default:
      console.error(`unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (err) {
  if (err instanceof ConfigError || err instanceof MigrationError || err instanceof RestoreError) {
    console.error(err.message);
  } else if (err instanceof AppError) {
    const fields = err.fields.map((f) => `${f.path}: ${fieldMessage(f.code, 'zh-CN')}`).join('; ');
    console.error(`${errorMessage(err.code, 'zh-CN', err.params)}${fields ? ` (${fields})` : ''}`);
  } else {
    console.error(err);
  }
  process.exit(1);
}
