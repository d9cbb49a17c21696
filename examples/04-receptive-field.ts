/**
 * docs/exercises.md exercise 4: receptive fields.
 *
 * X is 3×224×224; y1 = conv5×5 (padding 2) of X, y2 = maxpool 2×2 (stride 2) of y1,
 * y3 = maxpool 2×2 of conv5×5 (padding 2) of y2. Which X[c, m, n] does y_l[k, i, j] depend on?
 * The exercise's answer (1-based): y1 → m ∈ [max(1, i−2), min(224, i+2)];
 * y2 → [max(1, 2i−3), min(224, 2i+2)]; y3 → [max(1, 4i−9), min(224, 4i+6)]; n likewise with j;
 * c over all 3 channels. `analysis.receptiveField` computes these ranges from the real network,
 * and this example prints them next to the formulas, borders included.
 *
 * Run: npx tsx examples/04-receptive-field.ts
 */
import { analysis, Generator, nn } from '../src/index.js';

export const N = 224;

/** The exercise's formulas (1-based): the m range of y_l at i. */
export const formulas: Record<'y1' | 'y2' | 'y3', (i: number) => [number, number]> = {
  y1: (i) => [Math.max(1, i - 2), Math.min(N, i + 2)],
  y2: (i) => [Math.max(1, 2 * i - 3), Math.min(N, 2 * i + 2)],
  y3: (i) => [Math.max(1, 4 * i - 9), Math.min(N, 4 * i + 6)],
};

/** The layer of the network that computes y_l. */
export const layers = { y1: 'conv1', y2: 'pool1', y3: 'pool2' } as const;

export interface RangeRow {
  y: 'y1' | 'y2' | 'y3';
  /** 1-based [k, i, j]. */
  index: [number, number, number];
  m: [number, number];
  n: [number, number];
  channels: [number, number][];
  expectedM: [number, number];
  expectedN: [number, number];
  agrees: boolean;
}

export interface ReceptiveFieldResult {
  net: nn.Sequential;
  rf: analysis.ReceptiveField;
  rows: RangeRow[];
  text: string;
}

/** Exercise 4's network: conv5×5 (pad 2) → maxpool 2 → conv5×5 (pad 2) → maxpool 2. */
export function exercise4Net(): nn.Sequential {
  const generator = new Generator(0);
  return new nn.Sequential({
    conv1: new nn.Conv2d(3, 6, 5, { padding: 2, generator }),
    pool1: new nn.MaxPool2d(2, { stride: 2 }),
    conv2: new nn.Conv2d(6, 16, 5, { padding: 2, generator }),
    pool2: new nn.MaxPool2d(2),
  });
}

export function receptiveFieldExample(): ReceptiveFieldResult {
  const net = exercise4Net();
  const rf = analysis.receptiveField(net, [1, 3, N, N]);
  const positions: Record<'y1' | 'y2' | 'y3', [number, number][]> = {
    y1: [
      [1, 1],
      [2, 3],
      [100, 224],
      [224, 224],
    ],
    y2: [
      [1, 1],
      [2, 56],
      [111, 112],
      [112, 112],
    ],
    y3: [
      [1, 1],
      [2, 3],
      [28, 55],
      [56, 56],
    ],
  };
  const rows: RangeRow[] = [];
  for (const y of ['y1', 'y2', 'y3'] as const) {
    for (const [i, j] of positions[y]) {
      const r = rf.at([1, i, j], { layer: layers[y], base: 1 });
      const m = r.dims[0].range as [number, number];
      const n = r.dims[1].range as [number, number];
      const expectedM = formulas[y](i);
      const expectedN = formulas[y](j);
      const agrees = m[0] === expectedM[0] && m[1] === expectedM[1] && n[0] === expectedN[0] && n[1] === expectedN[1];
      rows.push({ y, index: [1, i, j], m, n, channels: r.channels, expectedM, expectedN, agrees });
    }
  }
  const lines = [
    'Exercise 4: which X[c, m, n] does y_l[k, i, j] depend on? (1-based, X is 3×224×224)',
    '',
    analysis.formatReceptiveField(rf),
    '',
  ];
  const computed = rows.map((row) => analysis.formatRanges(rf.at(row.index, { layer: layers[row.y], base: 1 }), { details: false }));
  const width = Math.max(...computed.map((c) => c.length)) + 3;
  lines.push(`${'y_l[k, i, j]'.padEnd(18)}${'computed'.padEnd(width)}formula`);
  rows.forEach((row, r) => {
    const label = `${row.y}[${row.index.join(', ')}]`;
    lines.push(
      `${label.padEnd(18)}${computed[r].padEnd(width)}` +
        `m ∈ [${row.expectedM.join(', ')}], n ∈ [${row.expectedN.join(', ')}] ${row.agrees ? '✓' : '✗ DIFFERS'}`,
    );
  });
  const corner = rf.at([1, 1, 1], { layer: 'pool2', base: 1 });
  lines.push('', `Details of y3[1, 1, 1]: ${analysis.formatRanges(corner)}`);
  return { net, rf, rows, text: `${lines.join('\n')}\n` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(receptiveFieldExample().text);
}
