/**
 * docs/exercises.md exercise 5: counting an Inception module.
 *
 * On a 256×32×32 input, the naive module (1×1→128, 3×3→192, 5×5→96, "same" padding, bias, ReLU
 * after each conv) against the module with 1×1 bottlenecks (1×1→128; 1×1→64 then 3×3→192;
 * 1×1→64 then 5×5→96; 3×3 max-pool then 1×1→64). Both are real modules (`analysis.Inception`
 * concatenates the branches); `analysis.summary` counts what one forward pass executes, with the
 * exercise's convention: a k×k×C_in dot product plus its bias is k·k·C_in multiplications and
 * k·k·C_in additions; one activation evaluation per ReLU output element.
 *
 * Run: npx tsx examples/05-inception.ts
 */
import { analysis, Generator } from '../src/index.js';

export interface InceptionResult {
  naive: analysis.ModelSummary;
  bottleneck: analysis.ModelSummary;
  /** naive / bottleneck for parameters, multiplications, additions, activations and MACs. */
  ratios: Record<'params' | 'mul' | 'add' | 'act' | 'macs', number>;
  text: string;
}

export function inceptionExample(): InceptionResult {
  const input = [1, 256, 32, 32];
  const naive = analysis.summary(analysis.inceptionNaive({ generator: new Generator(0) }), input);
  const bottleneck = analysis.summary(analysis.inceptionBottleneck({ generator: new Generator(0) }), input);

  const rows: [string, (s: analysis.ModelSummary) => number, keyof InceptionResult['ratios'] | null][] = [
    ['trainable parameters', (s) => s.params.trainable, 'params'],
    ['multiplications', (s) => s.total.mul, 'mul'],
    ['additions', (s) => s.total.add, 'add'],
    ['activation evaluations', (s) => s.total.act, 'act'],
    ['comparisons (max-pool)', (s) => s.total.cmp, null],
    ['MACs', (s) => s.total.macs, 'macs'],
  ];
  const ratios = {} as InceptionResult['ratios'];
  const fmt = analysis.formatInt;
  const lines = [
    'Exercise 5: Inception module on a 256×32×32 input',
    '',
    `${''.padEnd(24)}${'naive'.padStart(16)}${'bottleneck'.padStart(16)}${'naive/bottleneck'.padStart(18)}`,
  ];
  for (const [label, get, key] of rows) {
    const a = get(naive);
    const b = get(bottleneck);
    const ratio = a === 0 || b === 0 ? null : a / b;
    if (key !== null && ratio !== null) ratios[key] = ratio;
    lines.push(
      `${label.padEnd(24)}${fmt(a).padStart(16)}${fmt(b).padStart(16)}${(ratio === null ? '—' : `${ratio.toFixed(2)}×`).padStart(18)}`,
    );
  }
  lines.push(
    '',
    `Output channels: naive ${naive.outputShapes[0][1]}, bottleneck ${bottleneck.outputShapes[0][1]}.`,
    'The 1×1 bottlenecks cut the multiplications by ' +
      `${ratios.mul.toFixed(2)}× while the module outputs more channels (and evaluates more activations).`,
    '',
    'Naive module:',
    analysis.formatSummary(naive),
    '',
    'Module with 1×1 bottlenecks:',
    analysis.formatSummary(bottleneck),
  );
  return { naive, bottleneck, ratios, text: `${lines.join('\n')}\n` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(inceptionExample().text);
}
