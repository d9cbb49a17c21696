/**
 * Exercise 6's AlexNet training step (docs/exercises.md; batch 64, float32) written directly on
 * nabla's WebGPU kernels: forward (conv2d + bias, ReLU, max pooling, dropout mask, linear),
 * softmax cross-entropy, the backward pass (conv2d backward-data/-weights, pooling backward,
 * ReLU backward, matmuls) and the SGD update, many kernels per submit and one read of the loss
 * per timed block. Prints the adapter and samples/s.
 *
 * On SwiftShader (a CPU adapter, about 1 GFLOP/s here) the number is meaningless for speed; it
 * only shows the step runs. Run it where a real GPU is present (bench/webgpu-gpu.sh):
 *   npx tsx bench/webgpu-alexnet.ts [--steps 20] [--batch 64]
 * Without a GPU on Linux: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/webgpu-alexnet.ts --steps 1 --batch 2
 */
import { parseArgs } from 'node:util';
import type { Conv2dParams, Pool2dParams } from '../src/backend/backend.js';
import * as gpu from '../src/backend/webgpu/index.js';
import { nodeGpu, nodeNoAdapterHint } from '../src/backend/webgpu/node-gpu.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '20' }, batch: { type: 'string', default: '64' } } });
const steps = Number(values.steps);
const B = Number(values.batch);
const { device, report } = await gpu.requestDevice(await nodeGpu(), {}, nodeNoAdapterHint());
const ctx = new gpu.WebGpuContext(device, report);
console.log(
  `adapter: ${[report.vendor, report.architecture, report.description].filter(Boolean).join(' ')}${report.isFallbackAdapter ? ' (FALLBACK: software, numbers meaningless for speed)' : ''}`,
);

let seed = 1;
function rand(n: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    a[i] = ((seed / 4294967296) * 2 - 1) * scale;
  }
  return a;
}
const lr = 0.01;

interface Layer {
  forward(x: gpu.GpuArray): gpu.GpuArray;
  backward(g: gpu.GpuArray): gpu.GpuArray;
  update(): void;
}

function conv(inC: number, outC: number, k: number, inHW: number, pad: number): { layer: Layer; outHW: number } {
  const outHW = inHW + 2 * pad - k + 1;
  const p: Conv2dParams = {
    batch: B,
    inChannels: inC,
    inH: inHW,
    inW: inHW,
    outChannels: outC,
    kernelH: k,
    kernelW: k,
    outH: outHW,
    outW: outHW,
    strideH: 1,
    strideW: 1,
    padTop: pad,
    padLeft: pad,
    padBottom: pad,
    padRight: pad,
    dilationH: 1,
    dilationW: 1,
    groups: 1,
  };
  const nw = outC * inC * k * k;
  const w = ctx.upload(rand(nw, 1 / Math.sqrt(inC * k * k)));
  const b = ctx.upload(rand(outC, 0.01));
  const gw = ctx.alloc('float32', nw);
  const gb = ctx.alloc('float32', outC);
  const y = ctx.alloc('float32', B * outC * outHW * outHW);
  const r = ctx.alloc('float32', y.length);
  const gz = ctx.alloc('float32', y.length);
  const gx = ctx.alloc('float32', B * inC * inHW * inHW);
  let x: gpu.GpuArray;
  return {
    outHW,
    layer: {
      forward(input) {
        x = input;
        gpu.conv2d(ctx, x, w, b, y, p);
        gpu.unary(ctx, 'relu', y, 0, r, y.length);
        return r;
      },
      backward(g) {
        gpu.binary(ctx, 'reluGrad', { buf: g, offset: 0, strides: [1] }, { buf: y, offset: 0, strides: [1] }, [y.length], gz);
        gpu.conv2dBackwardData(ctx, gz, w, gx, p);
        gpu.conv2dBackwardWeights(ctx, x, gz, gw, gb, p);
        return gx;
      },
      update() {
        gpu.binary(ctx, 'sub', { buf: w, offset: 0, strides: [1] }, { buf: gw, offset: 0, strides: [1] }, [nw], w, lr);
        gpu.binary(ctx, 'sub', { buf: b, offset: 0, strides: [1] }, { buf: gb, offset: 0, strides: [1] }, [outC], b, lr);
      },
    },
  };
}

function maxPool(c: number, inHW: number): { layer: Layer; outHW: number } {
  const outHW = Math.floor((inHW - 3) / 2) + 1;
  const p: Pool2dParams = {
    planes: B * c,
    inH: inHW,
    inW: inHW,
    outH: outHW,
    outW: outHW,
    kernelH: 3,
    kernelW: 3,
    strideH: 2,
    strideW: 2,
    padH: 0,
    padW: 0,
    dilationH: 1,
    dilationW: 1,
  };
  const y = ctx.alloc('float32', B * c * outHW * outHW);
  const idx = ctx.alloc('int32', y.length);
  const gx = ctx.alloc('float32', B * c * inHW * inHW);
  return {
    outHW,
    layer: {
      forward(x) {
        gpu.maxPool2d(ctx, x, y, idx, p);
        return y;
      },
      backward(g) {
        gpu.maxPool2dBackward(ctx, g, idx, gx, p);
        return gx;
      },
      update() {},
    },
  };
}

function linear(inF: number, outF: number, relu: boolean, dropout: boolean): Layer {
  const w = ctx.upload(rand(outF * inF, 1 / Math.sqrt(inF)));
  const b = ctx.upload(rand(outF, 0.01));
  const gw = ctx.alloc('float32', w.length);
  const gb = ctx.alloc('float32', outF);
  const y = ctx.alloc('float32', B * outF);
  const r = ctx.alloc('float32', y.length);
  const gz = ctx.alloc('float32', y.length);
  const gx = ctx.alloc('float32', B * inF);
  const xd = ctx.alloc('float32', B * inF);
  // Dropout(0.5) before the layer: a mask drawn on the host (as nabla draws random streams on the CPU) and uploaded.
  const mask = dropout ? ctx.upload(Float32Array.from(rand(B * inF, 1), (v) => (v > 0 ? 2 : 0))) : null;
  let x: gpu.GpuArray;
  const flat = (a: gpu.GpuArray, _n: number) => ({ buf: a, offset: 0, strides: [1] as number[] });
  return {
    forward(input) {
      x = input;
      if (mask) {
        gpu.binary(ctx, 'mul', flat(input, 0), flat(mask, 0), [B * inF], xd);
        x = xd;
      }
      gpu.matmul(ctx, x, 0, false, w, 0, true, y, 1, B, inF, outF);
      gpu.binary(ctx, 'add', { buf: y, offset: 0, strides: [outF, 1] }, { buf: b, offset: 0, strides: [0, 1] }, [B, outF], y);
      if (!relu) return y;
      gpu.unary(ctx, 'relu', y, 0, r, y.length);
      return r;
    },
    backward(g) {
      let gy = g;
      if (relu) {
        gpu.binary(ctx, 'reluGrad', flat(g, 0), flat(y, 0), [y.length], gz);
        gy = gz;
      }
      gpu.matmul(ctx, gy, 0, false, w, 0, false, gx, 1, B, outF, inF);
      gpu.matmul(ctx, gy, 0, true, x, 0, false, gw, 1, outF, B, inF);
      gpu.reduce(ctx, 'sum', gy, 1, B, outF, gb);
      if (mask) gpu.binary(ctx, 'mul', flat(gx, 0), flat(mask, 0), [B * inF], gx);
      return gx;
    },
    update() {
      gpu.binary(ctx, 'sub', flat(w, 0), flat(gw, 0), [w.length], w, lr);
      gpu.binary(ctx, 'sub', flat(b, 0), flat(gb, 0), [outF], b, lr);
    },
  };
}

const layers: Layer[] = [];
let hw = 28;
for (const [inC, outC, k, pad, pool] of [
  [1, 96, 4, 0, 0],
  [96, 96, 3, 0, 0],
  [96, 256, 5, 2, 1],
  [256, 384, 3, 1, 0],
  [384, 384, 3, 1, 0],
  [384, 256, 3, 1, 1],
]) {
  const c = conv(inC, outC, k, hw, pad);
  layers.push(c.layer);
  hw = c.outHW;
  if (pool) {
    const m = maxPool(outC, hw);
    layers.push(m.layer);
    hw = m.outHW;
  }
}
layers.push(linear(256 * hw * hw, 800, true, true), linear(800, 10, false, false));

const x = ctx.upload(rand(B * 28 * 28, 1));
const labels = Array.from({ length: B }, (_, i) => i % 10);
const onehot = ctx.upload(Float32Array.from({ length: B * 10 }, (_, i) => (labels[Math.floor(i / 10)] === i % 10 ? 1 : 0)));
const mx = ctx.alloc('float32', B);
const e = ctx.alloc('float32', B * 10);
const se = ctx.alloc('float32', B);
const grad = ctx.alloc('float32', B * 10);
const logp = ctx.alloc('float32', B * 10);
const lossSum = ctx.alloc('float32', 1);
const invB = ctx.upload(new Float32Array([1 / B]));
const rows = (a: gpu.GpuArray) => ({ buf: a, offset: 0, strides: [10, 1] });
const col = (a: gpu.GpuArray) => ({ buf: a, offset: 0, strides: [1, 0] });

function step(): gpu.GpuArray {
  let h = x;
  for (const l of layers) h = l.forward(h);
  // Softmax cross-entropy: p = exp(z − max) / Σ; loss = −Σ onehot·log p / B; dz = (p − onehot) / B.
  gpu.reduce(ctx, 'max', h, B, 10, 1, mx);
  gpu.binary(ctx, 'sub', rows(h), col(mx), [B, 10], e);
  gpu.unary(ctx, 'exp', e, 0, e, B * 10);
  gpu.reduce(ctx, 'sum', e, B, 10, 1, se);
  gpu.binary(ctx, 'div', rows(e), col(se), [B, 10], grad);
  gpu.unary(ctx, 'log', grad, 0, logp, B * 10);
  gpu.binary(ctx, 'mul', rows(logp), rows(onehot), [B, 10], logp);
  gpu.reduce(ctx, 'sum', logp, 1, B * 10, 1, lossSum);
  gpu.binary(ctx, 'sub', rows(grad), rows(onehot), [B, 10], grad);
  gpu.binary(ctx, 'mul', rows(grad), { buf: invB, offset: 0, strides: [0, 0] }, [B, 10], grad);
  let g = grad;
  for (let i = layers.length - 1; i >= 0; i--) g = layers[i].backward(g);
  for (const l of layers) l.update();
  return lossSum;
}

const first = -(await ctx.read(step()))[0] / B; // warm-up: pipelines compile
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const last = -(await ctx.read(lossSum))[0] / B;
const s = (performance.now() - t0) / 1000;
console.log(
  `AlexNet (ex. 6) training step on webgpu, batch ${B}: ${((B * steps) / s).toFixed(1)} samples/s (${steps} steps in ${s.toFixed(2)} s; loss ${first.toFixed(4)} → ${last.toFixed(4)})`,
);
console.log(
  `kernels: ${ctx.stats.dispatches} dispatches, ${ctx.stats.submits} submits, ${ctx.stats.pipelinesCompiled} pipelines, buffers ${ctx.stats.buffersCreated} created / ${ctx.stats.buffersReused} reused`,
);
ctx.destroy();
