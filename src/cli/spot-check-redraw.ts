// `govproj spot-check redraw`: re-draws a published 双随机 spot check offline, from its draw package
// (GET /api/open/v1/spot-checks/:id/package, or the 下载抽取数据包 button on /open), with no
// database and no server: anyone can check that the published seed and pools give the published
// result (SPEC §9). Exit 0: same inputs and same result; 4: something differs (named).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DRAW_ALGORITHM, compareWithPublished, type DrawDigests, type DrawInput } from '../domain/spot-check-draw.ts';

const NAMES: Record<keyof DrawDigests, string> = {
  seed: '随机种子 / seed', rules: '抽取规则 / rules', targets: '抽查对象库 / target pool', inspectors: '检查人员库 / inspector pool', input: '输入总摘要 / input',
};

/** `govproj spot-check …`, run by bin/govproj.js before the rest of the CLI is loaded. */
export function spotCheckCommand(args: string[]): number {
  if (args[0] !== 'redraw') {
    console.error('usage: govproj spot-check redraw --package FILE [--seed HEX] [--json]');
    return 2;
  }
  try {
    return redrawCommand(args.slice(1));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
}

export function redrawCommand(args: string[], out: (line: string) => void = console.log): number {
  const { values } = parseArgs({
    args,
    options: { package: { type: 'string' }, pools: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const file = values.package ?? values.pools;
  if (!file) {
    out('usage: govproj spot-check redraw --package FILE [--seed HEX] [--json]');
    return 2;
  }
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
    input: Omit<DrawInput, 'seed'> & { seed: string | null };
    published: { digests: DrawDigests; resultDigest: string | null };
  };
  if (pkg.input.algorithm !== DRAW_ALGORITHM) {
    out(`unsupported algorithm ${String(pkg.input.algorithm)}; this command implements ${DRAW_ALGORITHM}`);
    return 2;
  }
  const seed = values.seed ?? pkg.input.seed;
  if (!seed || !pkg.published.resultDigest) {
    out('该抽查尚未抽取 / not drawn yet: no seed or result published');
    return 2;
  }
  const c = compareWithPublished({ ...pkg.input, seed }, { digests: pkg.published.digests, resultDigest: pkg.published.resultDigest });
  if (values.json) {
    out(JSON.stringify(c, null, 2));
  } else {
    if (c.outcome) {
      out(`输入摘要 / input digest   ${c.outcome.digests.input}`);
      out(`结果摘要 / result digest  ${c.outcome.resultDigest}`);
      for (const a of c.outcome.assignments) out(`  ${a.targetRef}  ←  ${a.inspectorRefs.join(', ')}`);
    } else {
      out(`不能抽取 / cannot draw: ${c.problems.map((p) => p.code + (p.ref ? `(${p.ref})` : '')).join(', ')}`);
    }
    for (const k of c.differingDigests) out(`输入不同 / differs: ${NAMES[k]}  (published ${pkg.published.digests[k]})`);
    out(c.differingDigests.length === 0 && c.sameResult ? '一致 / the re-draw matches the published result'
      : c.sameResult ? '结果一致但输入不同 / same result from different inputs' : '不一致 / the re-draw does not match the published result');
  }
  return c.differingDigests.length === 0 && c.sameResult ? 0 : 4;
}
