import os from 'node:os';
import path from 'node:path';
import { Testing } from 'cdktf';
import { mkdtemp } from 'node:fs/promises';
import { chimeraApp } from '../../cdktf/app.js';
import { writeArchive } from '../../cdktf/bundling/archives.js';
import { zip } from '../../cdktf/bundling/zip.js';
import type { ResourceNames } from '../../cdktf/names.js';
import { stackOptions } from '../../cdktf/options.js';

/** The synthesised Terraform JSON, loosely typed: tests read it like a user reads the file. */
export interface Synthesised {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string }>;
}

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Options with every name different from loadConfig's defaults, so a variable the functions
 * do not actually read shows up as a default where the stack's name was expected.
 */
export const TEST_ENV = {
  CHIMERA_PROJECT: 'chimera-test-42',
  CHIMERA_REGION: 'europe-west1',
  CHIMERA_RECORDER_BUCKET: 'test-recorded-days',
  CHIMERA_SOURCE_BUCKETS: 'betfair-raw,betfair-archive',
  CHIMERA_LOG_LEVEL: 'DEBUG',
  CHIMERA_WAREHOUSE_DATASET: 'test_racing',
};

/** Resource names unlike loadConfig's defaults, for the same reason. */
export const TEST_NAMES: ResourceNames = {
  decompressTopic: 'test-files',
  deadLetterTopic: 'test-files-dead',
  decompressSubscription: 'test-files-push',
  deadLetterSubscription: 'test-files-dead-hold',
  workflow: 'test-job',
};

/** Synthesises the stack with placeholder archives (real bundling is tested on its own). */
export async function synthStack(env: Record<string, string> = {}): Promise<Synthesised> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chimera-cdktf-'));
  const { stack } = await chimeraApp({
    root: ROOT,
    outdir: dir,
    options: stackOptions({ ...TEST_ENV, ...env }),
    names: TEST_NAMES,
    archives: (name) =>
      writeArchive(
        path.join(dir, `${name}.zip`),
        zip([{ name: 'index.js', data: Buffer.from(name) }]),
      ),
  });
  return JSON.parse(Testing.synth(stack)) as Synthesised;
}

/** Resources of one type, by logical id. */
export function resources(
  json: Synthesised,
  type: string,
): Record<string, Record<string, unknown>> {
  return json.resource[type] ?? {};
}

/** The one resource of `type` whose `field` is `value`. */
export function resourceWhere(
  json: Synthesised,
  type: string,
  field: string,
  value: unknown,
): Record<string, unknown> {
  const found = Object.values(resources(json, type)).filter((r) => r[field] === value);
  if (found.length !== 1)
    throw new Error(`${found.length} ${type} with ${field} = ${String(value)}`);
  return found[0] as Record<string, unknown>;
}

/** A function's environment variables, as the stack sets them. */
export function functionEnvironment(json: Synthesised, name: string): Record<string, string> {
  const fn = resourceWhere(json, 'google_cloudfunctions2_function', 'name', name);
  return (fn.service_config as { environment_variables: Record<string, string> })
    .environment_variables;
}

/** `${google_x.id.attr}` → `google_x.id`: which resource a reference points at. */
export function referenced(expression: unknown): string {
  const match = /^\$\{([a-z0-9_]+\.[\w-]+)\./.exec(String(expression));
  if (!match?.[1]) throw new Error(`${String(expression)} is not a reference`);
  return match[1];
}
