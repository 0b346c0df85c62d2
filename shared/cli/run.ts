import { CloudObjectStore } from '../platform/cloud/object-store.js';
import { loadConfig } from '../platform/config.js';
import {
  type Command,
  println,
  type CliIo,
  type CommandContext,
  type ObjectStoreFactory,
  UsageError,
} from './command.js';
import { bookCommand } from './book-command.js';
import { decompressCommand } from './decompress-command.js';
import { importCommand } from './import-command.js';
import { parseCommand } from './parse-command.js';
import { queryCommand } from './query-command.js';
import {
  cancelCommand,
  failuresCommand,
  followCommand,
  historyCommand,
  statusCommand,
  submitCommand,
} from './job-commands.js';

/** Every `chimera` subcommand, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  decompressCommand,
  importCommand,
  parseCommand,
  bookCommand,
  submitCommand,
  followCommand,
  statusCommand,
  historyCommand,
  failuresCommand,
  cancelCommand,
  queryCommand,
];

/** Exit codes: everything worked, something failed, the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** What tests may replace. */
export interface RunDeps {
  objectStore?: ObjectStoreFactory;
}

/**
 * `chimera <command> [options]`: runs one subcommand and returns the process exit code. Errors
 * are printed as one line of text (the API's `detail`, the storage or decoder reason), never a
 * stack trace.
 */
export async function run(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
  deps: RunDeps = {},
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    println(name === undefined ? io.stderr : io.stdout, overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    println(io.stderr, `chimera: unknown command "${name}"\n\n${overview()}`);
    return EXIT.usage;
  }
  const context: CommandContext = {
    io,
    env,
    objectStore: deps.objectStore ?? (() => cloudStore(env)),
  };
  return runCommand(command, rest, context);
}

async function runCommand(command: Command, argv: string[], context: CommandContext) {
  const { io } = context;
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      println(io.stdout, command.usage);
      return EXIT.ok;
    }
    return await command.run(argv, context);
  } catch (error) {
    if (error instanceof UsageError) {
      println(io.stderr, `chimera ${command.name}: ${error.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    println(io.stderr, `chimera ${command.name}: ${describe(error)}`);
    return EXIT.failed;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: chimera <command> [options]   (npm run chimera -- <command> [options])',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `chimera <command> --help` for a command’s options.',
  ].join('\n');
}

/** Cloud Storage for `gs://` locations, honouring STORAGE_EMULATOR_HOST. */
function cloudStore(env: Record<string, string | undefined>): CloudObjectStore {
  const config = loadConfig(env);
  return new CloudObjectStore({
    projectId: config.projectId,
    apiEndpoint: config.storageEmulatorHost,
  });
}
