import type { CliIo } from './cli-io.js';
import type { ObjectStoreFactory } from './decompress/open-location.js';

/** What every command gets from the entry point. */
export interface CommandContext {
  io: CliIo;
  env: Record<string, string | undefined>;
  /** The store behind `gs://` locations. */
  objectStore: ObjectStoreFactory;
}

/** One `chimera <name>` subcommand. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full usage text, shown by `--help` and after a usage error. */
  usage: string;
  /** Runs the command and returns the exit code; throws UsageError for a bad command line. */
  run(argv: string[], context: CommandContext): Promise<number>;
}
