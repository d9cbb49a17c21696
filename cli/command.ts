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

/** A bad command line: printed as one line without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
