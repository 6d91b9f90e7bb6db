// Writes docs/lifecycle.md from the lifecycle state machine (src/domain/lifecycle.ts).
// Run after changing the machine: `node scripts/gen-lifecycle-doc.ts`. A unit test fails while
// the file on disk differs from what this writes.
import { writeFileSync } from 'node:fs';
import { renderLifecycleDoc } from '../src/domain/lifecycle-doc.ts';

const target = new URL('../docs/lifecycle.md', import.meta.url);
writeFileSync(target, renderLifecycleDoc());
console.log(`wrote ${target.pathname}`);
