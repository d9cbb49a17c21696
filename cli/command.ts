/** One `nabla <name>` subcommand. */
export interface Command {
  name: string;
  /** One line for `nabla help`. */
  summary: string;
  /** Full usage text for `nabla <name> --help`. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

export { UsageError } from '../experiments/usage-error.js';
