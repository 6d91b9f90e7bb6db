#!/usr/bin/env node
// The govproj operator CLI. Sources are TypeScript run by Node 24's type stripping, so
// there is no build step for the server; an older Node cannot run them.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`govproj needs Node.js 24 or later (this is ${process.version}); run it through npm (npm start, npx govproj) so the pinned node@24 is used.`);
  process.exit(1);
}
// Offline commands load only what they need (no configuration, database or server code).
if (process.argv[2] === 'spot-check') {
  const { spotCheckCommand } = await import('../src/cli/spot-check-redraw.ts');
  process.exit(spotCheckCommand(process.argv.slice(3)));
}
await import('../src/cli/main.ts');
