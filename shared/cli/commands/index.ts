import type { Command } from '../command.js';
import { decompressCommand } from './decompress-command.js';

/** Every `chimera` subcommand, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [decompressCommand];
