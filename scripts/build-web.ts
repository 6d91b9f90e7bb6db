// Builds the web front end with Vite. With --if-stale it skips the build when web/dist is
// newer than every source file, so `npm start` on a fresh clone builds once and then starts fast.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const web = join(root, 'web');
const dist = join(web, 'dist', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(dist) && statSync(dist).mtimeMs >= newestSource(web)) {
  process.exit(0);
}
console.log('building the web front end (vite)…');
execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'], {
  stdio: 'inherit',
  cwd: root,
});
