#!/usr/bin/env tsx
import { run } from './run.js';

/**
 * The `chimera` command: `npm run chimera -- <command> [options]`, or `npx chimera <command>`
 * inside the project (the package's bin; npm puts node_modules/.bin, and so tsx, on PATH for
 * the shebang). Run from elsewhere, e.g. after `npm link`, it needs tsx on PATH. The only file
 * of the CLI that touches the process; everything else gets argv, env and the streams from here.
 */
process.exitCode = await run(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
