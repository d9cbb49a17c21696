import { builtinModels } from '../../src/analysis/models.js';
import { formatSummary } from '../../src/analysis/summary/format.js';
import { type SummaryOptions, summary as summarize } from '../../src/analysis/summary/summary.js';
import { Generator } from '../../src/random/generator.js';
import { type Command, UsageError } from '../command.js';

const names = Object.keys(builtinModels);

const usage = `nabla summary --model <name> [options]

Prints a built-in model's layers with their output shapes, parameters and the operations one
forward pass executes (multiplications, additions, activation evaluations, comparisons, MACs),
counted op by op from an instrumented run.

models:
${names.map((n) => `  ${n.padEnd(22)}${builtinModels[n].description}`).join('\n')}

options:
  --input C,H,W         input shape without the batch dim (default: the model's own)
  --batch N             batch size (default 1)
  --json                machine-readable output
  --flops [convention]  also report FLOPs: all (default), mul+add or 2*macs
  --depth N             show rows down to depth N
  --additions exact|per-mac          dot-product additions: n − 1 (default) or n per n products
  --pooling exact|window             pooling windows: elements inside the input (default) or k·k
  --relu activation|comparison       ReLU as an activation evaluation (default) or a comparison`;

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive integer (got ${v ?? 'nothing'})`);
  return n;
}

function choice<T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T {
  if (v === undefined || !allowed.includes(v as T))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got ${v ?? 'nothing'})`);
  return v as T;
}

/** `nabla summary`: the summary table (or JSON) of a built-in model. */
export const summaryCommand: Command = {
  name: 'summary',
  summary: 'layer-by-layer parameters and exact operation counts of a built-in model',
  usage,
  async run(args) {
    let model: string | undefined;
    let input: number[] | undefined;
    let batch = 1;
    let json = false;
    let depth: number | undefined;
    const opts: SummaryOptions = { conventions: {} };
    const conventions = opts.conventions as NonNullable<SummaryOptions['conventions']>;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const value = () => {
        const v = args[++i];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
        return v;
      };
      switch (a) {
        case '--model':
          model = value();
          break;
        case '--input': {
          const v = value();
          input = v.split(/[,x×]/).map((s) => Number(s.trim()));
          if (input.length === 0 || !input.every((n) => Number.isInteger(n) && n > 0)) {
            throw new UsageError(`--input must be positive integers separated by commas, like 1,28,28 (got ${v})`);
          }
          break;
        }
        case '--batch':
          batch = positiveInt(a, args[++i]);
          break;
        case '--json':
          json = true;
          break;
        case '--depth':
          depth = Number(args[++i]);
          if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`--depth needs a non-negative integer (got ${args[i]})`);
          break;
        case '--flops': {
          const next = args[i + 1];
          opts.flops = next !== undefined && !next.startsWith('--') ? choice(a, args[++i], ['all', 'mul+add', '2*macs'] as const) : true;
          break;
        }
        case '--additions':
          conventions.dotAdditions = choice(a, args[++i], ['exact', 'per-mac'] as const);
          break;
        case '--pooling':
          conventions.pooling = choice(a, args[++i], ['exact', 'window'] as const);
          break;
        case '--relu':
          conventions.relu = choice(a, args[++i], ['activation', 'comparison'] as const);
          break;
        default:
          throw new UsageError(`unknown option ${a} (see nabla summary --help)`);
      }
    }
    if (model === undefined) throw new UsageError(`--model is required (one of ${names.join(', ')})`);
    const spec = builtinModels[model];
    if (spec === undefined) throw new UsageError(`unknown model '${model}' (one of ${names.join(', ')})`);
    const shape = [batch, ...(input ?? spec.input.slice(1))];
    const net = spec.make({ generator: new Generator(0) });
    let s: ReturnType<typeof summarize>;
    try {
      s = summarize(net, shape, opts);
    } catch (e) {
      // A shape the model can't take is a usage error; the op's message says why.
      if (input !== undefined && e instanceof RangeError)
        throw new UsageError(`model ${model} can't take input [${shape.join(', ')}]: ${e.message}`);
      throw e;
    }
    console.log(json ? JSON.stringify(s, null, 2) : formatSummary(s, { depth }));
    return 0;
  },
};
