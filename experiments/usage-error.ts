/**
 * A bad command line or option: the `nabla` command prints it as one line without a stack trace
 * and exits with code 2. The experiment runners throw it for options they reject; the CLI
 * re-exports it (cli/command.ts), so the runners never import the CLI.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
