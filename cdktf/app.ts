import path from 'node:path';
import { App } from 'cdktf';
import { readFile } from 'node:fs/promises';
import { SECRET_NAMES } from '../shared/live/recorder/settings.js';
import { deployedFunctions } from '../shared/platform/functions.js';
import type { ArchiveBuilder, SourceArchive } from './bundling/archives.js';
import { RECORDER_SECRET_PREFIX, RESOURCE_NAMES, type ResourceNames } from './names.js';
import type { StackOptions } from './options.js';
import { ChimeraStack } from './stack.js';

/** The stack's id: `cdktf.out/stacks/<STACK_ID>/cdk.tf.json`. */
export const STACK_ID = 'chimera';

/** The workflow the pipeline API starts, read as-is at synth time. */
export const WORKFLOW_FILE = 'workflows/decompress-job.yaml';

/**
 * Secret Manager ids of the Betfair credentials: CloudSecretStore's default prefix followed
 * by the recorder's secret names.
 */
export const SECRET_IDS = Object.values(SECRET_NAMES).map(
  (name) => `${RECORDER_SECRET_PREFIX}${name}`,
);

/** Where the project is and what to build with. */
export interface ChimeraAppParams {
  /** The repository root. */
  root: string;
  /** Where Terraform JSON (and, with real bundles, the archives) are written. */
  outdir: string;
  options: StackOptions;
  archives: ArchiveBuilder;
  /** Resource names; RESOURCE_NAMES unless a test wants others. */
  names?: ResourceNames;
}

/** Builds every function's archive, then declares the stack in a new app (not yet synthesised). */
export async function chimeraApp(
  params: ChimeraAppParams,
): Promise<{ app: App; stack: ChimeraStack }> {
  const names = params.names ?? RESOURCE_NAMES;
  const functions = deployedFunctions({ decompressTopic: names.decompressTopic });
  const archives: Record<string, SourceArchive> = {};
  for (const spec of functions) archives[spec.name] = await params.archives(spec.name);
  const app = new App({ outdir: params.outdir });
  const stack = new ChimeraStack(app, STACK_ID, {
    options: params.options,
    names,
    functions,
    archives,
    workflowSource: await readFile(path.join(params.root, WORKFLOW_FILE), 'utf8'),
    secretIds: SECRET_IDS,
  });
  return { app, stack };
}
