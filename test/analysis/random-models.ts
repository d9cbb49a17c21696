// Random convolutional models for the receptive-field cross-check: chains of convolutions
// (non-square kernels, strides, integer/pair/'same'/'valid' padding, dilation, groups), max and
// average pooling (padding, dilation, ceil mode), ReLU, Inception-style concatenated branches and
// residual additions whose branches have different, sometimes unaligned, fields.
import { cat, nn, type Tensor, zeros } from '../../src/index.js';

/** A small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pair = [number, number];

export type Stage =
  | { kind: 'conv'; cout: number; k: Pair; stride: Pair; padding: number | Pair | 'same' | 'valid'; dilation: Pair; groups: number }
  | { kind: 'max'; k: Pair; stride: Pair; padding: Pair; dilation: Pair; ceil: boolean }
  | { kind: 'avg'; k: Pair; stride: Pair; padding: Pair; ceil: boolean }
  | { kind: 'relu' }
  | { kind: 'inception'; branches: Stage[][] }
  | { kind: 'residual'; branch: Stage[] };

export interface Config {
  input: [number, number, number, number];
  stages: Stage[];
}

/** A random configuration (it may still be invalid for its input size; `buildValid` resamples). */
export function randomConfig(r: () => number): Config {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const pair = (lo: number, hi: number, square = 0.6): Pair => {
    const a = int(lo, hi);
    return r() < square ? [a, a] : [a, int(lo, hi)];
  };
  let channels = int(1, 3);
  const input: Config['input'] = [r() < 0.2 ? 2 : 1, channels, int(5, 20), int(5, 20)];

  const conv = (cin: number, sameSize: boolean): Stage & { kind: 'conv' } => {
    const k = pair(1, 5);
    const dilation = r() < 0.35 ? pair(1, 3) : ([1, 1] as Pair);
    const cout = int(1, 3);
    const g = [1, 2, 3].filter((x) => cin % x === 0 && cout % x === 0);
    const groups = r() < 0.3 ? pick(g) : 1;
    if (sameSize) return { kind: 'conv', cout, k, stride: [1, 1], padding: 'same', dilation, groups };
    const stride = r() < 0.5 ? ([1, 1] as Pair) : pair(1, 3);
    const unit = stride[0] === 1 && stride[1] === 1;
    const padding = unit && r() < 0.25 ? pick(['same', 'valid'] as const) : r() < 0.3 ? pair(0, 3, 0.5) : int(0, 3);
    return { kind: 'conv', cout, k, stride, padding, dilation, groups };
  };
  const pool = (sameSize: boolean): Stage => {
    if (sameSize) {
      const k = pick([1, 3, 5]);
      return r() < 0.5
        ? { kind: 'max', k: [k, k], stride: [1, 1], padding: [k >> 1, k >> 1], dilation: [1, 1], ceil: false }
        : { kind: 'avg', k: [k, k], stride: [1, 1], padding: [k >> 1, k >> 1], ceil: false };
    }
    const k = pair(1, 4);
    const stride = r() < 0.3 ? pair(1, 3) : k;
    const padding: Pair = [int(0, k[0] >> 1), int(0, k[1] >> 1)];
    const ceil = r() < 0.4;
    if (r() < 0.6) return { kind: 'max', k, stride, padding, dilation: r() < 0.3 ? pair(1, 2) : [1, 1], ceil };
    return { kind: 'avg', k, stride, padding, ceil };
  };
  const stageCount = int(1, 4);
  const stages: Stage[] = [];
  for (let s = 0; s < stageCount; s++) {
    const u = r();
    if (u < 0.4) {
      const c = conv(channels, false);
      stages.push(c);
      channels = c.cout;
    } else if (u < 0.65) stages.push(pool(false));
    else if (u < 0.72) stages.push({ kind: 'relu' });
    else if (u < 0.88) {
      const branches: Stage[][] = [];
      let total = 0;
      for (let b = int(2, 3); b > 0; b--) {
        const branch: Stage[] = [];
        let ch = channels;
        for (let d = int(1, 2); d > 0; d--) {
          if (r() < 0.7) {
            const c = conv(ch, true);
            branch.push(c);
            ch = c.cout;
          } else branch.push(pool(true));
        }
        branches.push(branch);
        total += ch;
      }
      stages.push({ kind: 'inception', branches });
      channels = total;
    } else {
      // x + branch(x): the branch keeps the size and ends with as many channels as it started.
      const first = conv(channels, true);
      const last = { ...conv(first.cout, true), cout: channels, groups: 1 };
      stages.push({ kind: 'residual', branch: r() < 0.5 ? [first, last] : [{ ...first, cout: channels, groups: 1 }] });
    }
  }
  return { input, stages };
}

class Residual extends nn.Module<[Tensor], Tensor> {
  constructor(readonly body: nn.Sequential) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return x.add(this.body.call(x));
  }
}

class Concat extends nn.Module<[Tensor], Tensor> {
  constructor(readonly branches: nn.ModuleList) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return cat(
      this.branches.map((b) => b.call(x) as Tensor),
      1,
    );
  }
}

/**
 * Max pooling's gradient reaches only the maximum, so the autograd cross-check needs a stand-in
 * with the same windows whose gradient reaches every element: explicit zero padding (constants, no
 * dependence) and a depthwise convolution with ones, cut to max pooling's output size.
 */
class DenseWindows extends nn.Module<[Tensor], Tensor> {
  constructor(readonly pool: nn.MaxPool2d) {
    super();
  }
  override forward(x: Tensor): Tensor {
    const reference = this.pool.call(x) as Tensor; // the real op decides the output size
    const [n, c, h, w] = x.shape;
    const [oh, ow] = reference.shape.slice(2);
    const k = this.pool.kernelSize as Pair;
    const s = this.pool.stride as Pair;
    const p = this.pool.padding as Pair;
    const d = this.pool.dilation as Pair;
    const needH = (oh - 1) * s[0] + d[0] * (k[0] - 1) + 1;
    const needW = (ow - 1) * s[1] + d[1] * (k[1] - 1) + 1;
    const padH: Pair = [p[0], Math.max(0, needH - h - p[0])];
    const padW: Pair = [p[1], Math.max(0, needW - w - p[1])];
    const z = (shape: number[]) => zeros(shape, { dtype: x.dtype });
    let y = x;
    const rows = [padH[0] ? [z([n, c, padH[0], w])] : [], [y], padH[1] ? [z([n, c, padH[1], w])] : []].flat();
    y = cat(rows, 2);
    const hp = y.shape[2];
    const cols = [padW[0] ? [z([n, c, hp, padW[0]])] : [], [y], padW[1] ? [z([n, c, hp, padW[1]])] : []].flat();
    y = cat(cols, 3);
    const ones = z([c, 1, k[0], k[1]]).add(1);
    const out = nn.F.conv2d(y, ones, null, { stride: s, dilation: d, groups: c });
    return out.narrow(2, 0, oh).narrow(3, 0, ow);
  }
}

/** Builds the model of a configuration; `dense` swaps max pooling for `DenseWindows`. */
export function build(config: Config, opts: { dense: boolean }): nn.Sequential {
  const stage = (s: Stage, cin: number): [nn.AnyModule, number] => {
    switch (s.kind) {
      case 'conv':
        return [
          new nn.Conv2d(cin, s.cout, s.k, {
            stride: s.stride,
            padding: s.padding,
            dilation: s.dilation,
            groups: s.groups,
            dtype: 'float64',
          }),
          s.cout,
        ];
      case 'max': {
        const m = new nn.MaxPool2d(s.k, { stride: s.stride, padding: s.padding, dilation: s.dilation, ceilMode: s.ceil });
        return [opts.dense ? new DenseWindows(m) : m, cin];
      }
      case 'avg':
        return [new nn.AvgPool2d(s.k, { stride: s.stride, padding: s.padding, ceilMode: s.ceil }), cin];
      case 'relu':
        return [new nn.ReLU(), cin];
      case 'inception': {
        const list = new nn.ModuleList();
        let total = 0;
        for (const b of s.branches) {
          const [seq, c] = chain(b, cin);
          list.append(seq);
          total += c;
        }
        return [new Concat(list), total];
      }
      case 'residual': {
        const [seq, c] = chain(s.branch, cin);
        if (c !== cin) throw new Error('residual branch must keep the channels');
        return [new Residual(seq), cin];
      }
    }
  };
  const chain = (stages: Stage[], cin: number): [nn.Sequential, number] => {
    const mods: nn.AnyModule[] = [];
    let c = cin;
    for (const s of stages) {
      const [m, next] = stage(s, c);
      mods.push(m);
      c = next;
    }
    return [new nn.Sequential(...mods), c];
  };
  const model = chain(config.stages, config.input[1])[0];
  // Positive weights and biases: every dependence shows up as a nonzero gradient.
  for (const p of model.parameters()) nn.init.uniform_(p, 0.5, 1);
  return model;
}

/** Describes a configuration compactly (for failure messages). */
export function describe(config: Config): string {
  return JSON.stringify(config);
}

/** Every index tuple of a shape, in row-major order. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  for (let f = 0; f < n; f++) {
    const p = new Array<number>(shape.length);
    let rest = f;
    for (let d = shape.length - 1; d >= 0; d--) {
      p[d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
    yield p;
  }
}
