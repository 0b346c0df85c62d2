#!/usr/bin/env tsx
import { run } from './run.js';

/**
 * The `chimera` command: `npm run chimera -- <command> [options]`. The only file of the CLI
 * that touches the process; everything else gets argv, env and the streams from here.
 */
// eslint-disable-next-line no-restricted-syntax -- the CLI's entry point, like shared/local/main.ts
process.exitCode = await run(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
