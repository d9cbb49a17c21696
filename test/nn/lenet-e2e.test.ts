// End to end against PyTorch 1.13 (test/fixtures/lenet.json, from tools/gen_lenet_fixture.py): a
// LeNet trained 1 epoch (32 steps of SGD, lr 0.05, momentum 0.9, batch 64, shuffled) on the first
// 2,000 Fashion-MNIST training images after manualSeed(0), with nabla's loadIdxDataset,
// TensorDataset/DataLoader, nn modules and optim.SGD. The initial weights and the shuffle are
// PyTorch's exactly; each step's loss must be within 1e-3 (absolute) of PyTorch's.
//
// Measured max |Δloss| over the 32 steps: 2.4e-7 on both the js and the native backend, one
// float32 ulp at 2.3 (11 of the 32 losses differ by that ulp, the rest are equal): float32
// summation order in the conv/linear forward and backward, which 32 momentum steps have not
// amplified at this learning rate. The 1e-3 bound is the issue's; the measured gap is far below.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { data, manualSeed, nn, optim, type Tensor } from '../../src/index.js';
import { loadIdxDataset } from '../../src/nodejs/index.js';
import { fsum } from './fixture.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const ATOL = 1e-3;

interface Summary {
  shape: number[];
  first: number[];
  sum: number;
}

interface LenetFixture {
  command: string;
  n: number;
  seed: number;
  batchSize: number;
  lr: number;
  momentum: number;
  data: { pixelSum: number; labelsHead: number[] };
  initial: Record<string, Summary>;
  firstBatchLabels: number[];
  losses: number[];
}

const lenet = JSON.parse(readFileSync(new URL('../fixtures/lenet.json', import.meta.url), 'utf8')) as LenetFixture;

function makeLenet(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(400, 120),
    new nn.ReLU(),
    new nn.Linear(120, 84),
    new nn.ReLU(),
    new nn.Linear(84, 10),
  );
}

// Needs Debian's dataset-fashion-mnist (.ci/run installs it); a missing folder fails the test.
describe('LeNet, 1 epoch on 2,000 Fashion-MNIST images, matches PyTorch step by step', () => {
  it('same data, same initial weights, same shuffle, same loss curve within 1e-3 per step', () => {
    expect(lenet.command).toBe('/usr/bin/python3 tools/gen_lenet_fixture.py');
    const n = lenet.n;

    // The first n training images, scaled by toTensor (x / 255 in float32), as one TensorDataset.
    const fashion = loadIdxDataset(FASHION);
    const [x, y] = fashion.getBatch(Int32Array.from({ length: n }, (_, i) => i)) as unknown as [Tensor, Tensor];
    expect([...x.shape]).toEqual([n, 1, 28, 28]);
    expect(fsum(x.data)).toBe(lenet.data.pixelSum);
    expect(Array.from(y.data.subarray(0, 16))).toEqual(lenet.data.labelsHead);

    manualSeed(lenet.seed);
    const model = makeLenet();
    const initial = lenet.initial;
    const named = [...model.namedParameters()];
    expect(named.map(([name]) => name)).toEqual(Object.keys(initial));
    for (const [name, p] of named) {
      expect([...p.shape], name).toEqual(initial[name].shape);
      expect(Array.from(p.data.subarray(0, 4)), name).toEqual(initial[name].first);
      expect(fsum(p.data), name).toBe(initial[name].sum);
    }

    const opt = new optim.SGD(model.parameters(), { lr: lenet.lr, momentum: lenet.momentum });
    const lossFn = new nn.CrossEntropyLoss();
    const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: lenet.batchSize, shuffle: true });
    const losses: number[] = [];
    for (const [xb, yb] of loader) {
      if (losses.length === 0) expect(Array.from(yb.data)).toEqual(lenet.firstBatchLabels);
      opt.zeroGrad();
      const loss = lossFn.call(model.call(xb), yb);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }

    expect(losses.length).toBe(lenet.losses.length);
    const deltas = losses.map((l, i) => Math.abs(l - lenet.losses[i]));
    const worst = Math.max(...deltas);
    const at = deltas.indexOf(worst);
    expect(worst, `step ${at}: nabla ${losses[at]}, PyTorch ${lenet.losses[at]}`).toBeLessThanOrEqual(ATOL);

    // It trained: the last 8 steps' mean loss is below the first 8 steps' (2.30 → 2.24 in PyTorch).
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-8))).toBeLessThan(mean(losses.slice(0, 8)) - 0.03);
  });
});
