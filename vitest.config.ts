import { defineConfig } from 'vitest/config';

// Three tiers (STYLE.md): pure unit tests beside the code; database tests run twice, on
// PGlite and on the PostgreSQL server; end-to-end tests start real server processes.
const dbTests = ['test/db/**/*.test.ts'];
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test/output/vitest.json' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'] } },
      { extends: true, test: { name: 'db-pglite', include: dbTests, env: { GOVPROJ_TEST_DB: 'pglite' } } },
      { extends: true, test: { name: 'db-postgresql', include: dbTests, env: { GOVPROJ_TEST_DB: 'postgresql' } } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false } },
    ],
  },
});
