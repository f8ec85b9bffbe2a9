import type { CliCommand } from '../context';
import { changesCommand } from './changes';
import { diffCommand } from './diff';
import { exportCommand } from './export';
import { generationsCommand } from './generations';
import { getCommand } from './get';
import { historyCommand } from './history';
import { scriptCommand } from './script';
import { serveCommand } from './serve';
import { stateCommand } from './state';
import { storesCommand } from './stores';
import { verifyCommand } from './verify';

/** Every subcommand, in the order `jrn --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  storesCommand,
  generationsCommand,
  stateCommand,
  getCommand,
  historyCommand,
  diffCommand,
  changesCommand,
  verifyCommand,
  exportCommand,
  scriptCommand,
  serveCommand,
];
