/**
 * Training steps of two models beyond exercise 6, each written in nabla here and in PyTorch in
 * bench/torch_models.py, with the same initial weights and data (both draw them from seed 0 in the
 * same order; the eval-mode loss on the batch, printed for both, shows they agree), timed side by
 * side at the same thread count:
 * - resnet18: torchvision's ResNet-18 ported as a new user would (7×7/2 stem, 3×3 max-pool,
 *   BasicBlocks with BatchNorm and residual adds, 1×1 downsampling, adaptive average pool, one
 *   input channel, 10 classes, torchvision's Kaiming-normal init), batch 32 of 1×28×28, SGD
 *   lr 0.1, momentum 0.9, weight decay 5e-4, cross-entropy;
 * - mnist-cnn: pytorch/examples' MNIST CNN (conv 1→32 3×3, conv 32→64 3×3, max-pool 2, dropout
 *   0.25, fc 9216→128, dropout 0.5, fc 128→10, log-softmax, NLL loss), batch 64, Adadelta lr 1.
 *
 * Run (after `npm run build`): npx tsx bench/models.ts --model resnet18|mnist-cnn [--threads 2] [--steps 20] [--js]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { manualSeed, nn, noGrad, optim, rand, randint, type Tensor } from '../dist/src/index.js';
import { backendInfo, setNumThreads, useNativeBackend } from '../dist/src/nodejs/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'resnet18' },
    threads: { type: 'string', default: '2' },
    steps: { type: 'string', default: '20' },
    js: { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
  },
});
const threads = Number(values.threads);
const steps = Number(values.steps);
const which = values.model as string;
if (which !== 'resnet18' && which !== 'mnist-cnn') throw new Error(`bench/models.ts: --model must be resnet18 or mnist-cnn, got ${which}`);
if (!values.js) useNativeBackend();
setNumThreads(threads);

class BasicBlock extends nn.Module<[Tensor], Tensor> {
  conv1: nn.Conv2d;
  bn1: nn.BatchNorm2d;
  relu = new nn.ReLU();
  conv2: nn.Conv2d;
  bn2: nn.BatchNorm2d;
  downsample: nn.Sequential | null = null;
  constructor(cin: number, cout: number, stride: number) {
    super();
    this.conv1 = new nn.Conv2d(cin, cout, 3, { stride, padding: 1, bias: false });
    this.bn1 = new nn.BatchNorm2d(cout);
    this.conv2 = new nn.Conv2d(cout, cout, 3, { padding: 1, bias: false });
    this.bn2 = new nn.BatchNorm2d(cout);
    if (stride !== 1 || cin !== cout)
      this.downsample = new nn.Sequential(new nn.Conv2d(cin, cout, 1, { stride, bias: false }), new nn.BatchNorm2d(cout));
  }
  override forward(x: Tensor): Tensor {
    let out = this.relu.call(this.bn1.call(this.conv1.call(x)));
    out = this.bn2.call(this.conv2.call(out));
    const identity = this.downsample === null ? x : this.downsample.call(x);
    return this.relu.call(out.add(identity));
  }
}

class ResNet18 extends nn.Module<[Tensor], Tensor> {
  conv1 = new nn.Conv2d(1, 64, 7, { stride: 2, padding: 3, bias: false });
  bn1 = new nn.BatchNorm2d(64);
  relu = new nn.ReLU();
  maxpool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
  layer1 = new nn.Sequential(new BasicBlock(64, 64, 1), new BasicBlock(64, 64, 1));
  layer2 = new nn.Sequential(new BasicBlock(64, 128, 2), new BasicBlock(128, 128, 1));
  layer3 = new nn.Sequential(new BasicBlock(128, 256, 2), new BasicBlock(256, 256, 1));
  layer4 = new nn.Sequential(new BasicBlock(256, 512, 2), new BasicBlock(512, 512, 1));
  avgpool = new nn.AdaptiveAvgPool2d(1);
  fc = new nn.Linear(512, 10);
  constructor() {
    super();
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
    }
  }
  override forward(x: Tensor): Tensor {
    let h = this.maxpool.call(this.relu.call(this.bn1.call(this.conv1.call(x))));
    h = this.layer4.call(this.layer3.call(this.layer2.call(this.layer1.call(h))));
    return this.fc.call(this.avgpool.call(h).flatten(1));
  }
}

class MnistCnn extends nn.Module<[Tensor], Tensor> {
  conv1 = new nn.Conv2d(1, 32, 3, 1);
  conv2 = new nn.Conv2d(32, 64, 3, 1);
  dropout1 = new nn.Dropout(0.25);
  dropout2 = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);
  override forward(x: Tensor): Tensor {
    let h = nn.F.relu(this.conv1.call(x));
    h = nn.F.maxPool2d(nn.F.relu(this.conv2.call(h)), 2);
    h = this.dropout1.call(h).flatten(1);
    h = this.dropout2.call(nn.F.relu(this.fc1.call(h)));
    return nn.F.logSoftmax(this.fc2.call(h), 1);
  }
}

manualSeed(0);
const resnet = which === 'resnet18';
const model = resnet ? new ResNet18() : new MnistCnn();
const batch = resnet ? 32 : 64;
const x = rand([batch, 1, 28, 28]);
const y = randint(0, 10, [batch]);
const lossOf = (out: Tensor) => (resnet ? nn.F.crossEntropy(out, y) : nn.F.nllLoss(out, y));
const opt = resnet
  ? new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 })
  : new optim.Adadelta(model.parameters(), { lr: 1.0 });

model.eval();
const evalLoss = noGrad(() => lossOf(model.call(x)).item());
model.train();
const step = () => {
  opt.zeroGrad();
  lossOf(model.call(x)).backward();
  opt.step();
};
for (let i = 0; i < 3; i++) step(); // warm-up: primitive creation, scratch buffers
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let i = 0; i < steps; i++) step();
const ours = (performance.now() - t0) / 1000 / steps;
// CPU time (all threads, user + system) per step: on a machine shared with other work it moves far
// less than wall time, so it shows the work each side does when wall-clock ratios are noise.
const cpu = process.cpuUsage(c0);
const oursCpu = (cpu.user + cpu.system) / 1e6 / steps;

let theirs: { version: string; step: number; cpu: number; evalLoss: number } | string;
if (values['no-torch']) theirs = 'PyTorch skipped (--no-torch)';
else {
  try {
    const script = fileURLToPath(new URL('./torch_models.py', import.meta.url));
    theirs = JSON.parse(execFileSync('/usr/bin/python3', [script, which, String(threads), String(steps)], { encoding: 'utf8' }));
  } catch (e) {
    theirs = `PyTorch not available (${(e as Error).message.split('\n')[0]})`;
  }
}
const ms = (s: number) => `${(s * 1e3).toFixed(1)} ms/step`;
console.log(`| ${which}, batch ${batch}, ${threads} threads | nabla (${backendInfo().active}) | PyTorch | nabla ÷ PyTorch speed |`);
console.log('|---|---|---|---|');
if (typeof theirs === 'string') {
  console.log(`| training step | ${ms(ours)} | — | — |`);
  console.log(`| CPU time per step (all threads) | ${ms(oursCpu)} | — | — |`);
  console.log(theirs);
} else {
  console.log(`| training step | ${ms(ours)} | ${ms(theirs.step)} | ${(theirs.step / ours).toFixed(2)}× |`);
  console.log(`| CPU time per step (all threads) | ${ms(oursCpu)} | ${ms(theirs.cpu)} | ${(theirs.cpu / oursCpu).toFixed(2)}× |`);
  console.log(`eval-mode loss on the batch (same weights and data): nabla ${evalLoss.toFixed(6)}, PyTorch ${theirs.evalLoss.toFixed(6)}`);
  console.log(`PyTorch ${theirs.version}; nabla on ${process.version}; ${steps} steps after 3 warm-up steps.`);
}
