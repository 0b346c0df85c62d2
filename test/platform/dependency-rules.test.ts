import path from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'dependency-rules');

/** The folders `npm run depcruise` checks. */
const CHECKED = ['shared', 'functions', 'cdktf'];

let options: ICruiseOptions;
let tsConfig: ReturnType<typeof extractTSConfig>;

/** Runs the project's rules over `CHECKED` folders below `baseDir`, as `npm run depcruise` does. */
async function violations(baseDir: string): Promise<string[]> {
  const { output } = await cruise(CHECKED, { ...options, baseDir }, {}, { tsConfig });
  const result = output as ICruiseResult;
  return result.summary.violations
    .map((v) => `${v.rule.name}: ${v.from} → ${packageOf(v.to)}`)
    .sort();
}

/** `(../)node_modules/@scope/pkg/lib/index.js` → `@scope/pkg`; anything else unchanged. */
function packageOf(resolved: string): string {
  const match = /^(?:\.\.\/)*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved);
  return match?.[1] ?? resolved;
}

beforeAll(async () => {
  options = await extractDepcruiseOptions(path.join(ROOT, '.dependency-cruiser.cjs'));
  tsConfig = extractTSConfig(path.join(ROOT, 'tsconfig.json'));
});

describe('the dependency rules', () => {
  it('report each deliberate violation in the fixture tree, and nothing in its clean files', async () => {
    // Every file named violates-<rule> breaks that rule; every other file is allowed by all.
    expect(await violations(FIXTURE)).toEqual([
      'domain-uses-ports: shared/betfair/violates-domain-uses-ports-type-only.ts → @google-cloud/storage',
      'domain-uses-ports: shared/pipeline/violates-domain-uses-ports.ts → @google-cloud/storage',
      'local-stays-local: functions/entry/violates-local-stays-local.ts → shared/local/runtime.ts',
      'local-stays-local: shared/pipeline/violates-local-stays-local.ts → shared/local/runtime.ts',
      'no-cycles: shared/engine/violates-no-cycles-a.ts → shared/engine/violates-no-cycles-b.ts',
      // A cycle made only of `import type` counts too. Each cycle is reported once.
      'no-cycles: shared/engine/violates-no-cycles-type-a.ts → shared/engine/violates-no-cycles-type-b.ts',
      'not-to-unresolvable: shared/pipeline/violates-not-to-unresolvable.ts → ./no-such-file.js',
      'prod-no-dev-deps: shared/betfair/violates-prod-no-dev-deps.ts → vitest',
    ]);
  });

  // Parses every module of the project (a few seconds), like `npm run depcruise`.
  it('hold for the project itself', async () => {
    expect(await violations(ROOT)).toEqual([]);
  }, 60_000);
});
