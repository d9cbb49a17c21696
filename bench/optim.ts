/**
 * One optimizer step over ResNet-18's parameters (62 tensors, 11.2 M float32 elements, the shapes
 * of bench/resnet.ts's model): SGD with momentum 0.9 and weight decay 5e-4, Adam, Adadelta. nabla's
 * fused step kernels (the active backend's, and the TypeScript reference), the op-by-op
 * formulation the optimizers used before them, and PyTorch 1.13 (foreach=False, its default on
 * CPU, and foreach=True) in the same invocation at the same thread count.
 *
 * Run (after `npm run build`): npx tsx bench/optim.ts [--threads 2] [--rounds 5]
 */
import { execFileSync } from 'node:child_process';
import { setNumThreads, useNativeBackend } from '../dist/src/backend/native/index.js';
import { referenceBackend, setBackend } from '../dist/src/backend/registry.js';
import { backend, manualSeed, noGrad, optim, randn, type Tensor, zerosLike } from '../dist/src/index.js';
import { bestOf, printTable } from './report.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const threads = arg('threads', 2);
const rounds = arg('rounds', 5);
useNativeBackend();
setNumThreads(threads);

/** ResNet-18's parameter shapes (1 input channel, 10 classes). */
function resnetShapes(): number[][] {
  const s: number[][] = [[64, 1, 7, 7], [64], [64]];
  let cin = 64;
  for (const [c, stride] of [
    [64, 1],
    [128, 2],
    [256, 2],
    [512, 2],
  ]) {
    for (let b = 0; b < 2; b++) {
      const first = b === 0;
      s.push([c, first ? cin : c, 3, 3], [c], [c], [c, c, 3, 3], [c], [c]);
      if (first && (stride !== 1 || cin !== c)) s.push([c, cin, 1, 1], [c], [c]);
    }
    cin = c;
  }
  s.push([10, 512], [10]);
  return s;
}
const SHAPES = resnetShapes();
const NUMEL = SHAPES.reduce((a, sh) => a + sh.reduce((x, y) => x * y, 1), 0);

function params(): Tensor[] {
  manualSeed(0);
  return SHAPES.map((sh) => {
    const p = randn(sh).requiresGrad_(true);
    p.grad = randn(sh);
    return p;
  });
}

const OPTIMIZERS = {
  'SGD momentum 0.9, wd 5e-4': (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.01, momentum: 0.9, weightDecay: 5e-4 }),
  Adam: (ps: Tensor[]) => new optim.Adam(ps, { lr: 1e-3 }),
  Adadelta: (ps: Tensor[]) => new optim.Adadelta(ps),
};

// The formulation before the fused kernels: one op per PyTorch op.
function composedSgd(ps: Tensor[], bufs: Tensor[]): void {
  noGrad(() =>
    ps.forEach((p, i) => {
      const d = (p.grad as Tensor).add(p, 5e-4);
      bufs[i].mul_(0.9).add_(d, 1);
      p.add_(bufs[i], -0.01);
    }),
  );
}

function time(make: (ps: Tensor[]) => { step(): unknown }): number {
  const ps = params();
  const opt = make(ps);
  opt.step();
  return bestOf(() => opt.step(), 3, rounds);
}

const active = backend().name;
const rows: Record<string, Record<string, number>> = {};
for (const [name, make] of Object.entries(OPTIMIZERS)) {
  rows[name] = { [`nabla ${active}`]: time(make) };
  const prev = setBackend(referenceBackend());
  rows[name]['nabla js kernel'] = time(make);
  setBackend(prev);
}
{
  const ps = params();
  const bufs = ps.map((p) => zerosLike(p));
  rows['SGD momentum 0.9, wd 5e-4']['op by op (before)'] = bestOf(() => composedSgd(ps, bufs), 3, rounds);
}

const PY = `
import json, sys, time, torch
torch.set_num_threads(${threads})
shapes = json.loads(sys.argv[1])
out = {}
for name, make in [('SGD momentum 0.9, wd 5e-4', lambda ps, fe: torch.optim.SGD(ps, lr=0.01, momentum=0.9, weight_decay=5e-4, foreach=fe)),
                   ('Adam', lambda ps, fe: torch.optim.Adam(ps, lr=1e-3, foreach=fe)),
                   ('Adadelta', lambda ps, fe: torch.optim.Adadelta(ps, foreach=fe))]:
    for fe in (False, True):
        ps = [torch.randn(s, requires_grad=True) for s in shapes]
        for p in ps: p.grad = torch.randn(p.shape)
        opt = make(ps, fe)
        opt.step()
        best = 1e9
        for r in range(${rounds}):
            t0 = time.perf_counter()
            for i in range(3): opt.step()
            best = min(best, (time.perf_counter() - t0) / 3)
        out.setdefault(name, {})['PyTorch foreach' if fe else 'PyTorch'] = best
print(json.dumps(out))
`;
try {
  const out = execFileSync('/usr/bin/python3', ['-c', PY, JSON.stringify(SHAPES)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: String(threads) },
  });
  for (const [name, r] of Object.entries(JSON.parse(out) as Record<string, Record<string, number>>)) Object.assign(rows[name], r);
} catch (e) {
  console.log(`PyTorch not available (${(e as Error).message.split('\n')[0]})`);
}

const cols = [`nabla ${active}`, 'nabla js kernel', 'op by op (before)', 'PyTorch', 'PyTorch foreach'];
const ms = (s: number | undefined) => (s === undefined ? '—' : `${(s * 1e3).toFixed(1)} ms`);
const table = [['step over ResNet-18 params', ...cols, `PyTorch ÷ nabla ${active}`]];
for (const [name, r] of Object.entries(rows)) {
  const ratio = r.PyTorch === undefined ? '—' : `${(r.PyTorch / r[`nabla ${active}`]).toFixed(2)}×`;
  table.push([name, ...cols.map((c) => ms(r[c])), ratio]);
}
printTable(table);
console.log(`${SHAPES.length} tensors, ${NUMEL} float32 elements; ${threads} thread(s), best of ${rounds} rounds of 3 steps.`);
