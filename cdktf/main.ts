import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chimeraApp, STACK_ID } from './app.js';
import { bundledArchives } from './bundling/archives.js';
import { stackOptions } from './options.js';

/**
 * `npm run synth`: bundles every function, then writes the stack's Terraform JSON to
 * `cdktf.out/stacks/chimera/`. Offline: no Terraform binary or registry is needed. Stack
 * parameters come from CHIMERA_* variables (see options.ts and the README).
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = path.join(root, 'cdktf.out');
const started = Date.now();
const { app } = await chimeraApp({
  root,
  outdir,
  options: stackOptions(process.env),
  archives: bundledArchives(root, outdir),
});
app.synth();
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`Synthesised ${path.join(outdir, 'stacks', STACK_ID, 'cdk.tf.json')} in ${seconds} s`);
