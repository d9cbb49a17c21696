import { parseSweepArgs, SWEEP_USAGE } from '../../experiments/sweep/options.js';
import { runSweep } from '../../experiments/sweep/run.js';
import type { Command } from '../command.js';

/**
 * `nabla sweep`: a grid of `nabla memorize` runs (Zhang et al.'s randomization experiments) on
 * local workers or a BullMQ queue, with the summary and Figure 1 (experiments/sweep). Exit
 * codes: 0 every point done, 1 some point failed, 2 bad options, 130 stopped by Ctrl-C.
 */
export const sweep: Command = {
  name: 'sweep',
  summary: "run a grid of memorize runs (Zhang et al.'s randomizations) locally or on a Redis queue",
  usage: SWEEP_USAGE,
  async run(args) {
    const parsed = parseSweepArgs(args);
    const signal = { stop: false };
    const onSigint = () => {
      if (signal.stop) process.exit(130);
      signal.stop = true;
      process.stdout.write('\nnabla sweep: stopping (Ctrl-C again to quit at once)\n');
    };
    process.on('SIGINT', onSigint);
    try {
      return await runSweep(parsed, { say: (l) => console.log(l), signal, argv: ['nabla', 'sweep', ...args] });
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
