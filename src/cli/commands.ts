/**
 * The command table of `loom`: one row per subcommand, each in its own file under
 * `commands/`. Adding a command is adding a row; the parser and the help read the table and
 * need no change.
 *
 * @module
 */

import type { Command } from './command.js';
import { demoCommand } from './commands/demo.js';
import { idleCommand } from './commands/idle.js';
import { lifeServerCommand } from './commands/life-server.js';
import { lifeCommand } from './commands/life.js';
import { parallelCommand } from './commands/parallel.js';
import { workerCommand } from './commands/worker.js';

/**
 * Every `loom` subcommand, in the order `loom --help` lists them.
 *
 * @example
 * ```ts
 * const demo = commands.find((command) => command.name === 'demo');
 * ```
 */
export const commands: readonly Command[] = [demoCommand, lifeCommand, lifeServerCommand, parallelCommand, workerCommand, idleCommand];
