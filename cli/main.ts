#!/usr/bin/env node
/**
 * The `nabla` command. Each subcommand lives in cli/commands/ and is listed here; bad
 * arguments print one line and exit with code 2.
 */
import { useDefaultBackend } from '../src/backend/select-node.js';
import { type Command, UsageError } from './command.js';
import { doctor } from './commands/doctor.js';
import { memorize } from './commands/memorize.js';
import { playground } from './commands/playground.js';
import { plot } from './commands/plot.js';
import { summaryCommand } from './commands/summary.js';
import { sweep } from './commands/sweep.js';
import { worker } from './commands/worker.js';

const commands: Command[] = [doctor, memorize, playground, plot, summaryCommand, sweep, worker];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: nabla <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `nabla <command> --help` for a command's options.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`nabla: unknown command '${name}' (commands: ${commands.map((c) => c.name).join(', ')})`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(cmd.usage);
    return 0;
  }
  try {
    useDefaultBackend();
  } catch (e) {
    console.error(`nabla: ${(e as Error).message}`);
    return 2;
  }
  try {
    return await cmd.run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`nabla ${name}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`nabla: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
