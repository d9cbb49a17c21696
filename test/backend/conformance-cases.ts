// The conformance cases: every kernel of the Backend interface on deterministic inputs —
// strided and broadcast operands, empty tensors, NaN, ±Inf and −0, float32 and float64, int32
// edge values, sizes on both sides of the native and wasm backends' thresholds — and how results
// are compared. Shared by conformance.test.ts (Node) and the wasm browser suite (Chromium).
import type {
  AdadeltaStepOptions,
  AdamStepOptions,
  AdaptivePool2dParams,
  AvgPool2dParams,
  BatchNormParams,
  Conv2dParams,
  Pool2dParams,
  SgdStepOptions,
  Strided,
} from '../../src/backend/backend.js';
import { jsBackend } from '../../src/backend/js/index.js';
import type { KernelName } from '../../src/backend/kernels.js';
import type { TypedArray } from '../../src/tensor/dtype.js';

type Kind = 'f32' | 'f64' | 'i32' | 'u8';
const SPECIAL_FLOATS = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1, -1, 0.5, 1e-40, 3.4e38];
const SPECIAL_INTS = [2147483647, -2147483648, 0, -1, 1, 65536, -65536];

/** Deterministic values in [-2, 2) (ints: [-100, 100)); `specials` sprinkles the edge values. */
function values(kind: Kind, n: number, seed: number, specials = true): TypedArray {
  let s = (seed * 2654435761) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const arr =
    kind === 'f32' ? new Float32Array(n) : kind === 'f64' ? new Float64Array(n) : kind === 'i32' ? new Int32Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = next();
    arr[i] = kind === 'u8' ? (u < 0.5 ? 1 : 0) : kind === 'i32' ? Math.floor(u * 200) - 100 : u * 4 - 2;
  }
  if (specials && kind !== 'u8') {
    const sp = kind === 'i32' ? SPECIAL_INTS : SPECIAL_FLOATS;
    for (let j = 0; j < sp.length && n > 0; j++) arr[(j * 7919) % n] = sp[j];
  }
  return arr;
}
const empty = (kind: Kind, n: number) => values(kind, n, 99, false).fill(0);
const flat = (buf: TypedArray, offset = 0): Strided => ({ buf, offset, strides: [1] });
const float: Kind[] = ['f32', 'f64'];

export interface Case {
  label: string;
  /** Fresh arguments (same values on every call). */
  args: () => unknown[];
  /** Which arguments the kernel writes. */
  outputs: number[];
  /** 0: bit-for-bit (NaN positions and −0 included); else max |Δ| ≤ tol · max(1, max |reference|). */
  tol?: number;
}
const tolOf = (k: Kind, f32: number, f64: number) => (k === 'f32' ? f32 : f64);
const BIG = (1 << 16) + 5; // above the native elementwise threshold

const UNARY_FLOAT = [
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'rsqrt',
  'reciprocal',
  'square',
  'sin',
  'cos',
  'sigmoid',
  'tanh',
  'relu',
] as const;
const BINARY_FLOAT = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'reluGrad'] as const;

function conv(batch: number, inC: number, inH: number, inW: number, outC: number, k: number, o: Partial<Conv2dParams> = {}): Conv2dParams {
  const p = { strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, groups: 1, ...o };
  const outH = Math.floor((inH + p.padTop + p.padBottom - p.dilationH * (k - 1) - 1) / p.strideH) + 1;
  const outW = Math.floor((inW + p.padLeft + p.padRight - p.dilationW * (k - 1) - 1) / p.strideW) + 1;
  return { batch, inChannels: inC, inH, inW, outChannels: outC, kernelH: k, kernelW: k, outH, outW, ...p };
}
const CONVS: [string, Conv2dParams][] = [
  ['3×3', conv(2, 3, 7, 6, 4, 3)],
  [
    'stride 2, pad 1, groups 2, dilation 2',
    conv(1, 4, 9, 9, 6, 3, {
      strideH: 2,
      strideW: 2,
      padTop: 1,
      padLeft: 1,
      padBottom: 1,
      padRight: 1,
      groups: 2,
      dilationH: 2,
      dilationW: 2,
    }),
  ],
  ['asymmetric padding', conv(1, 2, 5, 6, 3, 2, { padTop: 0, padBottom: 1, padLeft: 1, padRight: 0 })],
  ['large (over the native threshold)', conv(2, 16, 32, 32, 32, 3)],
  // Native: on a 1×1 image oneDNN's channel-blocked layout is the plain one byte for byte (no
  // reorder), and only the centre tap meets the image; the others are dropped.
  ['3×3 pad 1 on 1×1 images, 128 channels', conv(32, 128, 1, 1, 128, 3, { padTop: 1, padLeft: 1, padBottom: 1, padRight: 1 })],
  [
    '3×3 stride 2 pad 1 on 2×2 images (4 taps of 9 meet the image)',
    conv(32, 128, 2, 2, 256, 3, { strideH: 2, strideW: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1 }),
  ],
  ['3×3 pad (2, 1) on 1×3 images, groups 2', conv(64, 128, 1, 3, 128, 3, { padTop: 2, padLeft: 1, padBottom: 2, padRight: 1, groups: 2 })],
  // Over the wasm backend's threshold: its im2col edges, strides, groups and the 1×1 fast path.
  [
    'stride 2, pad 1, groups 2, dilation 2, 3 images',
    conv(3, 8, 33, 31, 12, 3, {
      strideH: 2,
      strideW: 2,
      padTop: 1,
      padLeft: 1,
      padBottom: 1,
      padRight: 1,
      groups: 2,
      dilationH: 2,
      dilationW: 2,
    }),
  ],
  ['asymmetric padding, column stride 3', conv(2, 6, 20, 23, 10, 2, { padTop: 0, padBottom: 1, padLeft: 1, padRight: 0, strideW: 3 })],
  ['1×1, 4 images', conv(4, 32, 9, 9, 24, 1)],
  ['5×5, pad 2, 3 images', conv(3, 5, 16, 16, 7, 5, { padTop: 2, padLeft: 2, padBottom: 2, padRight: 2 })],
];
const pool = (planes: number, inH: number, inW: number, k: number, stride: number, pad: number, dil = 1): Pool2dParams => ({
  planes,
  inH,
  inW,
  kernelH: k,
  kernelW: k,
  strideH: stride,
  strideW: stride,
  padH: pad,
  padW: pad,
  dilationH: dil,
  dilationW: dil,
  outH: Math.floor((inH + 2 * pad - dil * (k - 1) - 1) / stride) + 1,
  outW: Math.floor((inW + 2 * pad - dil * (k - 1) - 1) / stride) + 1,
});
const POOLS: [string, Pool2dParams][] = [
  ['2×2 stride 2', pool(3, 6, 6, 2, 2, 0)],
  ['3×3 stride 2 pad 1', pool(2, 7, 5, 3, 2, 1)],
  ['dilated', pool(2, 8, 8, 2, 1, 0, 2)],
  ['2×2 stride 2, over the native threshold', pool(64, 16, 16, 2, 2, 0)],
  // The wasm backend's four-at-a-time 2×2 path with a partial group of outputs (outW 11).
  ['2×2 stride 2, odd width', pool(48, 18, 23, 2, 2, 0)],
  ['3×3 stride 2 pad 1, over the native threshold', pool(32, 28, 28, 3, 2, 1)],
  ["3×3 stride 2 pad 1, over the native kernels' threading threshold", pool(16, 258, 256, 3, 2, 1)],
];
const ADAPTIVE: AdaptivePool2dParams[] = [
  { planes: 3, inH: 7, inW: 5, outH: 3, outW: 2 },
  { planes: 2, inH: 4, inW: 4, outH: 1, outW: 1 },
  { planes: 64, inH: 9, inW: 7, outH: 4, outW: 3 }, // over the native threshold
  { planes: 256, inH: 4, inW: 4, outH: 1, outW: 1 }, // ResNet's global average pool, likewise
];
const numel = (p: Conv2dParams) => ({
  x: p.batch * p.inChannels * p.inH * p.inW,
  w: p.outChannels * (p.inChannels / p.groups) * p.kernelH * p.kernelW,
  y: p.batch * p.outChannels * p.outH * p.outW,
});

// Optimizer steps: three tensors per group (one empty, one over the native threshold), gradients
// with NaN/±Inf/−0, state arrays with positive values (second moments are never negative).
const STEP_SIZES = [37, 0, BIG];
const tensors = (k: Kind, seed: number, specials = true) => STEP_SIZES.map((n, i) => values(k, n, seed + i, specials));
const positive = (k: Kind, seed: number) => tensors(k, seed, false).map((a) => a.map(Math.abs));
const SGD_OPTIONS: SgdStepOptions[] = [
  { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
  { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 5e-4, nesterov: false, maximize: false },
  { lr: 0.01, momentum: 0.9, dampening: 0, weightDecay: 1e-2, nesterov: true, maximize: true },
];
const ADAM_OPTIONS: AdamStepOptions[] = [
  { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, maximize: false },
  { lr: 1e-2, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, decoupled: false, maximize: true },
  { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2, decoupled: true, maximize: false },
];
const ADADELTA_OPTIONS: AdadeltaStepOptions[] = [
  { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false },
  { lr: 0.5, rho: 0.95, eps: 1e-5, weightDecay: 1e-3, maximize: true },
];

// Batch norm geometries [batch, channels, spatial]: small, and over the native threshold.
const BN_SHAPES = [
  [4, 3, 5],
  [8, 6, 512],
] as const;

export const cases: { [K in KernelName]: Case[] } = {
  sgdStep: float.flatMap((k) =>
    SGD_OPTIONS.flatMap((o, j): Case[] => [
      {
        label: `${k} options ${j}`,
        args: () => [tensors(k, 200), tensors(k, 210), o.momentum === 0 ? null : tensors(k, 220, false), [false, true, false], o],
        outputs: [0, 2],
      },
    ]),
  ),
  adamStep: float.flatMap((k) =>
    ADAM_OPTIONS.flatMap((o, j): Case[] =>
      [false, true].map((amsgrad) => ({
        label: `${k} options ${j}${amsgrad ? ' amsgrad' : ''}`,
        args: () => [
          tensors(k, 230),
          tensors(k, 240),
          tensors(k, 250, false),
          positive(k, 260),
          amsgrad ? positive(k, 270) : null,
          [0.1, 0.01 / 0.19, 1e-3 / (1 - 0.9 ** 7)],
          [Math.sqrt(0.001), Math.sqrt(1 - 0.999 ** 2), Math.sqrt(1 - 0.999 ** 7)],
          o,
        ],
        outputs: amsgrad ? [0, 2, 3, 4] : [0, 2, 3],
      })),
    ),
  ),
  adadeltaStep: float.flatMap((k) =>
    ADADELTA_OPTIONS.map(
      (o, j): Case => ({
        label: `${k} options ${j}`,
        args: () => [tensors(k, 280), tensors(k, 290), positive(k, 300), positive(k, 310), o],
        outputs: [0, 2, 3],
      }),
    ),
  ),
  copy: [
    ...float.flatMap((k): Case[] => [
      { label: `${k} contiguous`, args: () => [flat(values(k, 50, 1)), flat(empty(k, 50)), [50]], outputs: [1] },
      {
        label: `${k} transposed source, offset`,
        args: () => [{ buf: values(k, 15, 2), offset: 3, strides: [1, 3] }, { buf: empty(k, 12), offset: 0, strides: [4, 1] }, [3, 4]],
        outputs: [1],
      },
      {
        label: `${k} broadcast source`,
        args: () => [{ buf: values(k, 4, 3), offset: 0, strides: [0, 1] }, { buf: empty(k, 12), offset: 0, strides: [4, 1] }, [3, 4]],
        outputs: [1],
      },
      {
        label: `${k} empty`,
        args: () => [{ buf: values(k, 0, 4), offset: 0, strides: [5, 1] }, { buf: empty(k, 0), offset: 0, strides: [5, 1] }, [0, 5]],
        outputs: [1],
      },
    ]),
    { label: 'f64 → f32 (rounding)', args: () => [flat(values('f64', 40, 5)), flat(empty('f32', 40)), [40]], outputs: [1] },
    { label: 'i32 → f32', args: () => [flat(values('i32', 40, 6)), flat(empty('f32', 40)), [40]], outputs: [1] },
    { label: 'f32 → f64', args: () => [flat(values('f32', 40, 7)), flat(empty('f64', 40)), [40]], outputs: [1] },
  ],
  fill: (['f32', 'f64', 'i32', 'u8'] as const).flatMap((k) =>
    [Number.NaN, -0, Number.NEGATIVE_INFINITY, 1e40, 2.7, -3].flatMap((v): Case[] => [
      { label: `${k} ${v} contiguous`, args: () => [flat(values(k, 30, 92)), [30], v], outputs: [0] },
      { label: `${k} ${v} strided, offset`, args: () => [{ buf: values(k, 40, 93), offset: 2, strides: [1, 5] }, [5, 7], v], outputs: [0] },
      { label: `${k} ${v} empty`, args: () => [{ buf: values(k, 10, 94), offset: 0, strides: [5, 1] }, [0, 5], v], outputs: [0] },
    ]),
  ),
  unary: [
    ...float.flatMap((k) =>
      UNARY_FLOAT.flatMap((op): Case[] => [
        { label: `${op} ${k} n=37 offset 2`, args: () => [op, values(k, 39, 8), 2, empty(k, 37), 37], outputs: [3] },
        { label: `${op} ${k} empty`, args: () => [op, values(k, 0, 9), 0, empty(k, 0), 0], outputs: [3] },
        { label: `${op} ${k} n=${BIG}`, args: () => [op, values(k, BIG, 10), 0, empty(k, BIG), BIG], outputs: [3] },
      ]),
    ),
    ...(['neg', 'abs', 'sign', 'square'] as const).map(
      (op): Case => ({ label: `${op} i32 edge values`, args: () => [op, values('i32', 40, 11), 0, empty('i32', 40), 40], outputs: [3] }),
    ),
    { label: 'not u8', args: () => ['not', values('u8', 40, 12), 0, empty('u8', 40), 40], outputs: [3] },
  ],
  clamp: float.flatMap((k): Case[] => [
    { label: `${k} [-1, 1]`, args: () => [values(k, 40, 13), 0, empty(k, 40), 40, -1, 1], outputs: [2] },
    { label: `${k} no lower bound`, args: () => [values(k, 40, 14), 0, empty(k, 40), 40, Number.NaN, 0.5], outputs: [2] },
    { label: `${k} no upper bound, offset`, args: () => [values(k, 43, 15), 3, empty(k, 40), 40, -0.5, Number.NaN], outputs: [2] },
    { label: `${k} lo > hi`, args: () => [values(k, 40, 16), 0, empty(k, 40), 40, 1, -1], outputs: [2] },
  ]),
  binary: [
    ...float.flatMap((k) =>
      BINARY_FLOAT.flatMap((op): Case[] => [
        {
          label: `${op} ${k} same shape`,
          args: () => [op, flat(values(k, 30, 17)), flat(values(k, 30, 18)), [30], empty(k, 30)],
          outputs: [4],
        },
        {
          label: `${op} ${k} broadcast [3,1]×[1,4]`,
          args: () => [
            op,
            { buf: values(k, 3, 19), offset: 0, strides: [1, 0] },
            { buf: values(k, 4, 20), offset: 0, strides: [0, 1] },
            [3, 4],
            empty(k, 12),
          ],
          outputs: [4],
        },
        {
          label: `${op} ${k} transposed, offset`,
          args: () =>
            [op, { buf: values(k, 14, 21), offset: 2, strides: [1, 3] }, flat(values(k, 12, 22)), [3, 4], empty(k, 12)].map((a, i) =>
              i === 2 ? { buf: (a as Strided).buf, offset: 0, strides: [4, 1] } : a,
            ),
          outputs: [4],
        },
        { label: `${op} ${k} empty`, args: () => [op, flat(values(k, 0, 23)), flat(values(k, 0, 24)), [0], empty(k, 0)], outputs: [4] },
        {
          label: `${op} ${k} n=${BIG}`,
          args: () => [op, flat(values(k, BIG, 25)), flat(values(k, BIG, 26)), [BIG], empty(k, BIG)],
          outputs: [4],
        },
      ]),
    ),
    ...float.flatMap((k) =>
      (['add', 'sub'] as const).flatMap((op): Case[] => [
        {
          label: `${op} ${k} alpha 2.5`,
          args: () => [op, flat(values(k, 30, 27)), flat(values(k, 30, 28)), [30], empty(k, 30), 2.5],
          outputs: [4],
        },
        {
          label: `${op} ${k} alpha -0.01, n=${BIG}`,
          args: () => [op, flat(values(k, BIG, 29)), flat(values(k, BIG, 30)), [BIG], empty(k, BIG), Math.fround(-0.01)],
          outputs: [4],
        },
      ]),
    ),
    ...(['add', 'sub', 'mul', 'maximum', 'minimum', 'eq', 'lt', 'ge'] as const).map(
      (op): Case => ({
        label: `${op} i32 edge values`,
        args: () => [op, flat(values('i32', 40, 31)), flat(values('i32', 40, 32)), [40], empty('i32', 40)],
        outputs: [4],
      }),
    ),
    ...(['and', 'or'] as const).map(
      (op): Case => ({
        label: `${op} u8`,
        args: () => [op, flat(values('u8', 40, 33)), flat(values('u8', 40, 34)), [40], empty('u8', 40)],
        outputs: [4],
      }),
    ),
  ],
  where: float.flatMap((k): Case[] => [
    {
      label: `${k} same shape`,
      args: () => [flat(values('u8', 30, 35)), flat(values(k, 30, 36)), flat(values(k, 30, 37)), [30], empty(k, 30)],
      outputs: [4],
    },
    {
      label: `${k} broadcast`,
      args: () => [
        { buf: values('u8', 4, 38), offset: 0, strides: [0, 1] },
        { buf: values(k, 3, 39), offset: 0, strides: [1, 0] },
        { buf: values(k, 1, 40), offset: 0, strides: [0, 0] },
        [3, 4],
        empty(k, 12),
      ],
      outputs: [4],
    },
    {
      label: `${k} empty`,
      args: () => [flat(values('u8', 0, 41)), flat(values(k, 0, 42)), flat(values(k, 0, 43)), [0], empty(k, 0)],
      outputs: [4],
    },
  ]),
  reduce: [
    ...float.flatMap((k) =>
      (['sum', 'prod', 'max', 'min'] as const).flatMap((op): Case[] => [
        { label: `${op} ${k} [2,5,3]`, args: () => [op, values(k, 30, 44), 2, 5, 3, empty(k, 6)], outputs: [5] },
        { label: `${op} ${k} [3,7,1]`, args: () => [op, values(k, 21, 45, false), 3, 7, 1, empty(k, 3)], outputs: [5] },
        { label: `${op} ${k} over an empty axis`, args: () => [op, values(k, 0, 46), 2, 0, 4, empty(k, 8)], outputs: [5] },
        // Over the wasm backend's threshold, with an inner axis that is not a multiple of 4.
        { label: `${op} ${k} [3,150,37]`, args: () => [op, values(k, 3 * 150 * 37, 144), 3, 150, 37, empty(k, 3 * 37)], outputs: [5] },
        { label: `${op} ${k} [2,1200,8]`, args: () => [op, values(k, 2 * 1200 * 8, 145), 2, 1200, 8, empty(k, 16)], outputs: [5] },
      ]),
    ),
    { label: 'sum i32 edge values', args: () => ['sum', values('i32', 30, 47), 2, 5, 3, empty('i32', 6)], outputs: [5] },
  ],
  argReduce: float.flatMap((k) =>
    (['argmax', 'argmin'] as const).flatMap((op): Case[] => [
      { label: `${op} ${k} [2,5,3] with NaN`, args: () => [op, values(k, 30, 48), 2, 5, 3, new Int32Array(6)], outputs: [5] },
      {
        label: `${op} ${k} ties`,
        args: () => [op, new (k === 'f32' ? Float32Array : Float64Array)([1, 3, 3, 0, -0, 0]), 1, 6, 1, new Int32Array(1)],
        outputs: [5],
      },
    ]),
  ),
  matmul: float
    .flatMap((k) =>
      [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ].flatMap(([ta, tb]): Case[] => [
        {
          label: `${k} 3×4·4×5 tA=${ta} tB=${tb}`,
          args: () => [values(k, 12, 49, false), 12, ta, values(k, 20, 50, false), 20, tb, empty(k, 15), 1, 3, 4, 5],
          outputs: [6],
          tol: tolOf(k, 1e-5, 1e-12),
        },
        {
          label: `${k} batch 2, B broadcast, 32×24·24×40 tA=${ta} tB=${tb}`,
          args: () => [
            values(k, 2 * 32 * 24, 51, false),
            32 * 24,
            ta,
            values(k, 24 * 40, 52, false),
            0,
            tb,
            empty(k, 2 * 32 * 40),
            2,
            32,
            24,
            40,
          ],
          outputs: [6],
          tol: tolOf(k, 1e-5, 1e-12),
        },
      ]),
    )
    .concat(
      float.flatMap((k): Case[] => [
        // NaN and ±Inf spread through their row or column the same way in any summation order.
        {
          label: `${k} NaN and ±Inf, 32×24·24×40`,
          args: () => [values(k, 32 * 24, 53), 0, false, values(k, 24 * 40, 54, false), 0, false, empty(k, 32 * 40), 1, 32, 24, 40],
          outputs: [6],
          tol: tolOf(k, 1e-5, 1e-12),
        },
        // Several cache blocks of k, rows past one A block, partial edge tiles, and a batch to split.
        {
          label: `${k} 300×270·270×37`,
          args: () => [
            values(k, 300 * 270, 57, false),
            0,
            false,
            values(k, 270 * 37, 58, false),
            0,
            false,
            empty(k, 300 * 37),
            1,
            300,
            270,
            37,
          ],
          outputs: [6],
          tol: tolOf(k, 1e-5, 1e-12),
        },
        {
          label: `${k} 270×300ᵀ·37×300ᵀ`,
          args: () => [
            values(k, 300 * 270, 57, false),
            0,
            true,
            values(k, 37 * 300, 58, false),
            0,
            true,
            empty(k, 270 * 37),
            1,
            270,
            300,
            37,
          ],
          outputs: [6],
          tol: tolOf(k, 1e-5, 1e-12),
        },
        // The wasm sgemm's blocking edges: k past two KC (512) blocks with a remainder that is not
        // a multiple of 4 (its 4×4 transposing packs), n past one NC block (512, or 640 for the
        // last one), m past one MC (64);
        // the two transpose mixes take all four packing paths.
        ...[
          [false, true],
          [true, false],
        ].map(
          ([ta, tb]): Case => ({
            label: `${k} 67×1030·1030×700 tA=${ta} tB=${tb}`,
            args: () => [
              values(k, 67 * 1030, 73, false),
              0,
              ta,
              values(k, 1030 * 700, 74, false),
              0,
              tb,
              empty(k, 67 * 700),
              1,
              67,
              1030,
              700,
            ],
            outputs: [6],
            tol: tolOf(k, 1e-5, 1e-12),
          }),
        ),
        {
          label: `${k} batch 3, 64×65·65×66`,
          args: () => [
            values(k, 3 * 64 * 65, 59, false),
            64 * 65,
            false,
            values(k, 3 * 65 * 66, 60, false),
            65 * 66,
            false,
            empty(k, 3 * 64 * 66),
            3,
            64,
            65,
            66,
          ],
          outputs: [6],
          tol: tolOf(k, 1e-5, 1e-12),
        },
        {
          label: `${k} k = 0 (empty inner dimension)`,
          args: () => [values(k, 0, 55), 0, false, values(k, 0, 56), 0, false, empty(k, 6), 1, 2, 0, 3],
          outputs: [6],
        },
      ]),
    ),
  gather: float.map(
    (k): Case => ({
      label: `${k} [2,5,3] by [2,4,3]`,
      args: () => [values(k, 30, 57), 2, 5, 3, Int32Array.from({ length: 24 }, (_, i) => (i * 7) % 5), 4, empty(k, 24)],
      outputs: [6],
    }),
  ),
  scatterAdd: float.map(
    (k): Case => ({
      label: `${k} [2,4,3] into [2,5,3], collisions`,
      args: () => [values(k, 24, 58), 2, 5, 3, Int32Array.from({ length: 24 }, (_, i) => (i * 3) % 5), 4, values(k, 30, 59, false)],
      outputs: [6],
      tol: tolOf(k, 1e-6, 1e-14),
    }),
  ),
  conv2d: float.flatMap((k) =>
    CONVS.flatMap(([label, p]): Case[] => [
      {
        label: `${k} ${label}`,
        args: () => [
          values(k, numel(p).x, 60, false),
          values(k, numel(p).w, 61, false),
          values(k, p.outChannels, 62, false),
          empty(k, numel(p).y),
          p,
        ],
        outputs: [3],
        tol: tolOf(k, 1e-5, 1e-12),
      },
      {
        label: `${k} ${label}, no bias`,
        args: () => [values(k, numel(p).x, 63, false), values(k, numel(p).w, 64, false), null, empty(k, numel(p).y), p],
        outputs: [3],
        tol: tolOf(k, 1e-5, 1e-12),
      },
    ]),
  ),
  conv2dBackwardData: float.flatMap((k) =>
    CONVS.map(
      ([label, p]): Case => ({
        label: `${k} ${label}`,
        args: () => [values(k, numel(p).y, 65, false), values(k, numel(p).w, 66, false), empty(k, numel(p).x), p],
        outputs: [2],
        tol: tolOf(k, 1e-5, 1e-12),
      }),
    ),
  ),
  conv2dBackwardWeights: float.flatMap((k) =>
    CONVS.flatMap(([label, p]): Case[] => [
      {
        label: `${k} ${label}`,
        args: () => [values(k, numel(p).x, 67, false), values(k, numel(p).y, 68, false), empty(k, numel(p).w), empty(k, p.outChannels), p],
        outputs: [2, 3],
        tol: tolOf(k, 1e-5, 1e-12),
      },
      {
        label: `${k} ${label}, bias only`,
        args: () => [values(k, numel(p).x, 69, false), values(k, numel(p).y, 70, false), null, empty(k, p.outChannels), p],
        outputs: [3],
        tol: tolOf(k, 1e-5, 1e-12),
      },
    ]),
  ),
  maxPool2d: float.flatMap((k) =>
    POOLS.map(
      ([label, p]): Case => ({
        label: `${k} ${label}, NaN and ±Inf`,
        args: () => [
          values(k, p.planes * p.inH * p.inW, 71),
          empty(k, p.planes * p.outH * p.outW),
          new Int32Array(p.planes * p.outH * p.outW),
          p,
        ],
        outputs: [1, 2],
      }),
    ),
  ),
  maxPool2dBackward: float.flatMap((k) =>
    POOLS.map(([label, p]): Case => {
      const indices = new Int32Array(p.planes * p.outH * p.outW);
      jsBackend.maxPool2d(values(k, p.planes * p.inH * p.inW, 72), empty(k, indices.length), indices, p);
      return {
        label: `${k} ${label}`,
        args: () => [values(k, indices.length, 73, false), indices.slice(), values(k, p.planes * p.inH * p.inW, 74, false), p],
        outputs: [2],
        tol: tolOf(k, 1e-6, 1e-14),
      };
    }),
  ),
  avgPool2d: float.flatMap((k) =>
    POOLS.flatMap(([label, p]): Case[] =>
      [
        { countIncludePad: true, divisorOverride: 0 },
        { countIncludePad: false, divisorOverride: 0 },
        { countIncludePad: true, divisorOverride: 3 },
      ].map((o): Case => {
        const q: AvgPool2dParams = { ...p, dilationH: 1, dilationW: 1, ...o };
        q.outH = Math.floor((q.inH + 2 * q.padH - q.kernelH) / q.strideH) + 1;
        q.outW = Math.floor((q.inW + 2 * q.padW - q.kernelW) / q.strideW) + 1;
        return {
          label: `${k} ${label} ${JSON.stringify(o)}`,
          args: () => [values(k, q.planes * q.inH * q.inW, 75), empty(k, q.planes * q.outH * q.outW), q],
          outputs: [1],
          tol: tolOf(k, 1e-6, 1e-14),
        };
      }),
    ),
  ),
  avgPool2dBackward: float.flatMap((k) =>
    POOLS.map(([label, p]): Case => {
      const q: AvgPool2dParams = { ...p, dilationH: 1, dilationW: 1, countIncludePad: false, divisorOverride: 0 };
      q.outH = Math.floor((q.inH + 2 * q.padH - q.kernelH) / q.strideH) + 1;
      q.outW = Math.floor((q.inW + 2 * q.padW - q.kernelW) / q.strideW) + 1;
      return {
        label: `${k} ${label}`,
        args: () => [values(k, q.planes * q.outH * q.outW, 76, false), values(k, q.planes * q.inH * q.inW, 77, false), q],
        outputs: [1],
        tol: tolOf(k, 1e-6, 1e-14),
      };
    }),
  ),
  adaptiveAvgPool2d: float.flatMap((k) =>
    ADAPTIVE.map(
      (p): Case => ({
        label: `${k} ${p.inH}×${p.inW} → ${p.outH}×${p.outW}`,
        args: () => [values(k, p.planes * p.inH * p.inW, 78), empty(k, p.planes * p.outH * p.outW), p],
        outputs: [1],
        tol: tolOf(k, 1e-6, 1e-14),
      }),
    ),
  ),
  adaptiveAvgPool2dBackward: float.flatMap((k) =>
    ADAPTIVE.map(
      (p): Case => ({
        label: `${k} ${p.inH}×${p.inW} → ${p.outH}×${p.outW}`,
        args: () => [values(k, p.planes * p.outH * p.outW, 79, false), values(k, p.planes * p.inH * p.inW, 80, false), p],
        outputs: [1],
        tol: tolOf(k, 1e-6, 1e-14),
      }),
    ),
  ),
  batchNorm: float.flatMap((k) =>
    BN_SHAPES.flatMap(([batch, channels, spatial]) =>
      [true, false].flatMap((training): Case[] => {
        const p: BatchNormParams = { batch, channels, spatial, eps: 1e-5, training };
        const n = batch * channels * spatial;
        const stats = () => [
          Float64Array.from(values('f64', channels, 81, false)),
          Float64Array.from(values('f64', channels, 82, false), Math.abs),
        ];
        const at = `${k} [${batch}, ${channels}, ${spatial}] training=${training}`;
        return [
          {
            label: at,
            args: () => [
              values(k, n, 83, false),
              empty(k, n),
              ...stats(),
              values(k, channels, 84, false),
              values(k, channels, 85, false),
              p,
            ],
            outputs: [1, 2, 3],
            tol: 0, // the native kernels repeat the reference's double arithmetic in its order
          },
          {
            label: `${at}, no affine`,
            args: () => [values(k, n, 86, false), empty(k, n), ...stats(), null, null, p],
            outputs: [1, 2, 3],
            tol: 0, // the native kernels repeat the reference's double arithmetic in its order
          },
        ];
      }),
    ),
  ),
  batchNormBackward: float.flatMap((k) =>
    BN_SHAPES.flatMap(([batch, channels, spatial]) =>
      [true, false].map((training): Case => {
        const p: BatchNormParams = { batch, channels, spatial, eps: 1e-5, training };
        const n = batch * channels * spatial;
        return {
          label: `${k} [${batch}, ${channels}, ${spatial}] training=${training}`,
          args: () => [
            values(k, n, 87, false),
            values(k, n, 88, false),
            Float64Array.from(values('f64', channels, 89, false)),
            Float64Array.from(values('f64', channels, 90, false), Math.abs),
            values(k, channels, 91, false),
            empty(k, n),
            empty(k, channels),
            empty(k, channels),
            p,
          ],
          outputs: [5, 6, 7],
          tol: 0, // the native kernels repeat the reference's double arithmetic in its order
        };
      }),
    ),
  ),
};

const SMALLEST_NORMAL_F32 = 2 ** -126;
/** A nonzero float32 below the smallest normal (WebGPU may flush these to zero). */
export const isSubnormal = (v: number) => v !== 0 && Math.abs(v) < SMALLEST_NORMAL_F32;

/** Where `got` and `want` differ beyond `tol`, as a message; null when they agree. */
export function mismatch(got: unknown, want: unknown, tol: number, flushed = false, excused?: (element: number) => boolean): string | null {
  if (got === null || want === null) return got === want ? null : 'null vs array';
  if (Array.isArray(got) && Array.isArray(want)) {
    for (let t = 0; t < want.length; t++) {
      const bad = mismatch(got[t], want[t], tol, flushed);
      if (bad !== null) return `tensor ${t}: ${bad}`;
    }
    return got.length === want.length ? null : `${got.length} vs ${want.length} tensors`;
  }
  const [g, w] = [got as TypedArray, want as TypedArray];
  if (g.length !== w.length) return `length ${g.length} vs ${w.length}`;
  let scale = 1;
  for (let i = 0; i < w.length; i++) if (Number.isFinite(w[i])) scale = Math.max(scale, Math.abs(w[i]));
  for (let i = 0; i < w.length; i++) {
    const [a, b] = [g[i], w[i]];
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (flushed && a === 0 && isSubnormal(b)) continue;
    if (excused?.(i)) continue;
    if (tol === 0 ? Object.is(a, b) : a === b || Math.abs(a - b) <= tol * scale) continue;
    return `element ${i}: ${Object.is(a, -0) ? '-0' : a} vs reference ${Object.is(b, -0) ? '-0' : b}`;
  }
  return null;
}
