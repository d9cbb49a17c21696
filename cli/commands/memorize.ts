import { parseMemorizeArgs, USAGE } from '../../experiments/memorize/options.js';
import { resumeRun, startRun } from '../../experiments/memorize/run.js';
import type { Command } from '../command.js';

/**
 * `nabla memorize`: trains a network on MNIST digits with random labels and shows it memorizing
 * them (experiments/memorize). Exit codes: 0 finished, 1 diverged (non-finite loss), 2 bad
 * options, 130 stopped by Ctrl-C or SIGTERM (after saving a checkpoint).
 */
export const memorize: Command = {
  name: 'memorize',
  summary: 'train on MNIST with random labels and watch the network memorize them',
  usage: USAGE,
  async run(args) {
    const parsed = parseMemorizeArgs(args);
    const signal = { stop: false };
    const onSigint = () => {
      if (signal.stop) {
        process.stdout.write('\nnabla memorize: interrupted again; quitting without a new checkpoint\n');
        process.exit(130);
      }
      signal.stop = true;
      process.stdout.write('\nnabla memorize: stopping after this step (Ctrl-C again to quit at once)\n');
    };
    process.on('SIGINT', onSigint);
    // `kill` (SIGTERM) stops the same way: after the step, with a checkpoint.
    process.on('SIGTERM', onSigint);
    try {
      const ctx = {
        out: {
          write: (s: string) => {
            process.stdout.write(s);
          },
          isTTY: process.stdout.isTTY === true,
          get columns() {
            return process.stdout.columns;
          },
        },
        signal,
        logEvery: parsed.logEvery,
        argv: ['nabla', 'memorize', ...args],
      };
      const result = parsed.resume !== null ? await resumeRun(parsed.resume, parsed.overrides, ctx) : await startRun(parsed, ctx);
      if (result.status === 'diverged') {
        console.error(`nabla memorize: ${result.message}`);
        return 1;
      }
      return result.status === 'stopped' ? 130 : 0;
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
  },
};
