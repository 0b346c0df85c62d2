import type { Command } from '../command.js';
import { cancelCommand } from './cancel-command.js';
import { decompressCommand } from './decompress-command.js';
import { failuresCommand } from './failures-command.js';
import { followCommand } from './follow-command.js';
import { historyCommand } from './history-command.js';
import { statusCommand } from './status-command.js';
import { submitCommand } from './submit-command.js';

/** Every `chimera` subcommand, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  decompressCommand,
  submitCommand,
  followCommand,
  statusCommand,
  historyCommand,
  failuresCommand,
  cancelCommand,
];
