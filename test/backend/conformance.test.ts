// Backend conformance: every kernel each available backend registers, run against the TypeScript
// reference kernel on the same inputs — strided and broadcast operands, empty tensors, NaN, ±Inf
// and −0, float32 and float64, int32 edge values, and sizes on both sides of the native backend's
// thresholds. Cases a backend's predicate declines would run on the reference anyway; each
// registered kernel must accept at least one case, so none goes untested. Devices with their own
// memory (the opaque test devices, webgpu) run every kernel on uploaded operands and are read back
// asynchronously; a device that cannot hold some values (webgpu: no float64) declares which case
// kinds it leaves out and why, and its float tolerances per op family (DeviceProfile, WEBGPU_PROFILE).
import { afterAll, describe, expect, it } from 'vitest';
import type { Strided } from '../../src/backend/backend.js';
import type { DeviceMemory } from '../../src/backend/device.js';
import { jsBackend } from '../../src/backend/js/index.js';
import {
  type BackendDefinition,
  defineBackend,
  KERNEL_NAMES,
  type KernelEntry,
  type KernelName,
  type KernelRegistrations,
  type Kernels,
  resolveBackend,
} from '../../src/backend/kernels.js';
import { loadAddon } from '../../src/backend/native/addon.js';
import { nativeBackend } from '../../src/backend/native/backend.js';
import { wasmBackend } from '../../src/backend/wasm/backend.js';
import type { WasmArrayType } from '../../src/backend/wasm/memory.js';
import { createRuntime, type WasmRuntime } from '../../src/backend/wasm/runtime.js';
import { createNodeThreadPool } from '../../src/backend/wasm/threads-node.js';
import { webGpuBackend, webGpuMemory } from '../../src/backend/webgpu/device.js';
import { dtypeOfArray, type TypedArray } from '../../src/tensor/dtype.js';
import { type Case, cases, isSubnormal, mismatch } from './conformance-cases.js';
import { opaqueBackend, opaqueMemory, PARTIAL } from './opaque-device.js';
import { partialBackend } from './partial-backend.js';
import { openGpu } from './webgpu/gpu.js';
import { toleranceFamily, WEBGPU_TOLERANCE } from './webgpu/tolerances.js';

/**
 * The wasm backend called with every TypedArray argument living in its WebAssembly memory (its
 * kernels then read them in place instead of staging copies); results are copied back.
 */
function inWasmMemory(def: BackendDefinition, rt: WasmRuntime): BackendDefinition {
  const kernels: Record<string, unknown> = {};
  for (const [name, reg] of Object.entries(def.kernels)) {
    const entry = reg as KernelEntry<KernelName>;
    kernels[name] = {
      accepts: entry.accepts,
      kernel: (...args: unknown[]) => {
        const moved = args.map((a) =>
          ArrayBuffer.isView(a) ? rt.heap.array(a.constructor as WasmArrayType, (a as TypedArray).length) : a,
        ) as unknown[];
        moved.forEach((m, i) => {
          if (m !== args[i]) (m as TypedArray).set(args[i] as TypedArray as Float32Array);
        });
        (entry.kernel as (...a: unknown[]) => void)(...moved);
        moved.forEach((m, i) => {
          if (m !== args[i]) (args[i] as TypedArray).set(m as TypedArray as Float32Array);
        });
      },
    };
  }
  return defineBackend(`${def.name} (operands in its memory)`, kernels as KernelRegistrations);
}

function wasmBackends(): [string, BackendDefinition | string][] {
  const one = createRuntime();
  const two = createRuntime();
  two.threads = createNodeThreadPool(two, 2);
  return [
    ['wasm', wasmBackend(one)],
    ['wasm, 2 threads', wasmBackend(two)],
    ['wasm, operands in its memory', inWasmMemory(wasmBackend(two), two)],
  ];
}

// The js test project (NABLA_BACKEND=js) checks the TypeScript and test-only backends; the native
// project checks the oneDNN one, or says why it cannot; the wasm project the WebAssembly one.
const wasmProject = process.env.NABLA_BACKEND === 'wasm';
const nativeProject = process.env.NABLA_BACKEND !== 'js' && !wasmProject;
const loaded = nativeProject ? loadAddon() : null;
const backends: [string, BackendDefinition | string][] = wasmProject
  ? wasmBackends()
  : nativeProject
    ? [
        [
          'native',
          typeof loaded === 'string'
            ? `native addon unavailable: ${loaded}`
            : nativeBackend(loaded as Exclude<typeof loaded, string | null>),
        ],
      ]
    : [
        ['js', defineBackend('js', Object.fromEntries(KERNEL_NAMES.map((k) => [k, jsBackend[k]])))],
        ['test-partial', partialBackend],
      ];

/** Where a device's values may differ from the reference's, declared: nothing outside this is excused. */
interface DeviceProfile {
  /** Case kinds the device leaves out, each saying why; a case of any of them does not run there. */
  unsupported: { kind: string; why: string; applies: (kernel: KernelName, args: unknown[]) => boolean }[];
  /**
   * Results the device's API leaves undefined, each saying why: `at` gives, for a case's arguments
   * and an output argument, the elements not compared (null: all are).
   */
  undefinedResults?: {
    kind: string;
    why: string;
    at: (kernel: KernelName, args: unknown[], output: number) => ((element: number) => boolean) | null;
  }[];
  /** The tolerance a case is held to there (default: the case's own). */
  tolerance?: (kernel: KernelName, c: Case, args: unknown[]) => number;
  /**
   * Subnormal floats may be flushed to zero (WebGPU leaves it to the implementation): subnormal
   * inputs are zeroed for the device and the reference alike, and a subnormal reference output
   * accepts ±0.
   */
  flushesSubnormals?: boolean;
}

// Every typed array among a case's arguments (inside strided operands and the optimizer steps' lists).
function arraysOf(args: unknown[]): TypedArray[] {
  return args.flatMap((a): TypedArray[] => {
    if (ArrayBuffer.isView(a)) return [a as TypedArray];
    if (Array.isArray(a)) return arraysOf(a);
    if (typeof a === 'object' && a !== null && 'strides' in a) return [(a as Strided).buf];
    return [];
  });
}
// Batch norm's running statistics: held in the device's statsDType, whatever the reference's.
const STATS_ARGS: Partial<Record<KernelName, number[]>> = { batchNorm: [2, 3], batchNormBackward: [2, 3] };
function flushSubnormals(args: unknown[]): unknown[] {
  for (const a of arraysOf(args)) {
    if (a instanceof Float32Array || a instanceof Float64Array)
      for (let i = 0; i < a.length; i++) if (isSubnormal(a[i])) a[i] = a[i] < 0 ? -0 : 0;
  }
  return args;
}

const WEBGPU_PROFILE: DeviceProfile = {
  unsupported: [
    {
      kind: 'float64 operands',
      why: "WGSL has no f64 type: the 'webgpu' device refuses float64 tensors (batch norm's statistics are held in its statsDType, float32)",
      applies: (kernel, args) => arraysOf(args.filter((_, i) => !STATS_ARGS[kernel]?.includes(i))).some((a) => a instanceof Float64Array),
    },
  ],
  undefinedResults: [
    {
      kind: 'sin and cos of finite arguments outside [-π, π]',
      why: "WGSL bounds sin/cos's error only on [-π, π]; beyond it the result depends on the GPU's range reduction (SwiftShader gives sin(3.4e38) = 1)",
      at: (kernel, args) => {
        if (kernel !== 'unary' || (args[0] !== 'sin' && args[0] !== 'cos')) return null;
        const [x, offset] = [args[1] as TypedArray, args[2] as number];
        return (i) => Number.isFinite(x[offset + i]) && Math.abs(x[offset + i]) > Math.PI;
      },
    },
    {
      kind: 'products whose running value can leave the float32 range',
      why: 'WGSL has no f64 accumulator: where some order of multiplying the finite factors overflows or underflows float32 midway (the product of the factors above 1 in magnitude exceeds its max, or of those below 1 falls under its smallest normal), the GPU may give ±Inf, 0 or NaN where the reference, accumulating in double, recovers',
      at: (kernel, args) => {
        if (kernel !== 'reduce' || args[0] !== 'prod') return null;
        const [x, size, inner] = [args[1] as TypedArray, args[3] as number, args[4] as number];
        return (o) => {
          const [i, j] = [Math.floor(o / inner), o % inner];
          let [up, down] = [0, 0]; // log2 of the largest and smallest running magnitude any order can reach
          for (let k = 0; k < size; k++) {
            const v = Math.abs(x[(i * size + k) * inner + j]);
            if (!Number.isFinite(v) || v === 0) continue;
            if (v > 1) up += Math.log2(v);
            else down += Math.log2(v);
          }
          return up > 128 || down < -126;
        };
      },
    },
  ],
  tolerance: (kernel, c, args) => Math.max(c.tol ?? 0, WEBGPU_TOLERANCE[toleranceFamily(kernel, args[0])]),
  flushesSubnormals: true,
};

// The webgpu device (Dawn from the npm package webgpu, on SwiftShader here) joins the js project's
// devices; without an adapter its cases skip saying why (and fail under NABLA_REQUIRE_WEBGPU=1).
const gpuSetup = nativeProject || wasmProject ? null : await openGpu();
afterAll(() => gpuSetup?.ctx?.destroy());

// Devices with their own memory: every kernel of the resolved dispatch table, so registered
// kernels and transfer fallbacks alike, on operands uploaded to the device and read back.
const devices: [string, BackendDefinition<unknown> | string, DeviceMemory<unknown> | null, DeviceProfile | null][] =
  nativeProject || wasmProject
    ? []
    : [
        [
          'opaque (every kernel)',
          opaqueBackend('opaque-all') as BackendDefinition<unknown>,
          opaqueMemory(false) as DeviceMemory<unknown>,
          null,
        ],
        [
          'opaque (3 kernels, the rest through transfers)',
          opaqueBackend('opaque-partial', PARTIAL) as BackendDefinition<unknown>,
          opaqueMemory(true) as DeviceMemory<unknown>,
          null,
        ],
        gpuSetup?.ctx
          ? [
              'webgpu',
              webGpuBackend(gpuSetup.ctx) as BackendDefinition<unknown>,
              webGpuMemory(gpuSetup.ctx) as DeviceMemory<unknown>,
              WEBGPU_PROFILE,
            ]
          : ['webgpu', `no WebGPU adapter: ${gpuSetup?.reason}`, null, null],
      ];

describe.each(backends)('%s backend conforms to the reference kernels', (name, def) => {
  if (typeof def === 'string') {
    it.skip(`(skipped: ${def})`, () => {});
    return;
  }
  const registered = KERNEL_NAMES.filter((k) => def.kernels[k] !== undefined);
  it('registers at least one kernel', () => expect(registered.length).toBeGreaterThan(0));
  it.each(registered)('%s', (kernel) => {
    const reg = def.kernels[kernel] as Kernels[typeof kernel] | KernelEntry<typeof kernel>;
    const run = (typeof reg === 'function' ? reg : reg.kernel) as (...a: unknown[]) => void;
    const accepts = typeof reg === 'function' ? null : (reg.accepts as (...a: unknown[]) => boolean);
    const ref = jsBackend[kernel] as (...a: unknown[]) => void;
    let ran = 0;
    for (const c of cases[kernel]) {
      const mine = c.args();
      if (accepts !== null && !accepts(...mine)) continue;
      ran++;
      const theirs = c.args();
      run(...mine);
      ref(...theirs);
      for (const o of c.outputs) {
        const bad = mismatch(mine[o], theirs[o], c.tol ?? 0);
        expect(bad, `${name} ${kernel} ${c.label}, output argument ${o}`).toBeNull();
      }
    }
    expect(ran, `${name} ${kernel}: no case was accepted by its predicate`).toBeGreaterThan(0);
  });
});

describe.each(devices)('%s device conforms to the reference kernels', (name, def, memory, profile) => {
  if (typeof def === 'string' || memory === null) {
    it.skip(`(skipped: ${def})`, () => {});
    return;
  }
  const table = resolveBackend(def, jsBackend, 'conformance', memory) as unknown as Record<KernelName, (...a: unknown[]) => void>;
  const statsDType = memory.statsDType ?? 'float64';
  if (profile !== null) {
    it('declares why it leaves case kinds out', () => {
      for (const u of [...profile.unsupported, ...(profile.undefinedResults ?? [])]) expect(u.why.length, u.kind).toBeGreaterThan(20);
    });
  }
  it.each([...KERNEL_NAMES])('%s', async (kernel) => {
    const ref = jsBackend[kernel] as (...a: unknown[]) => void;
    const prepare = (args: unknown[]) => (profile?.flushesSubnormals ? flushSubnormals(args) : args);
    let ran = 0;
    for (const c of cases[kernel]) {
      const host = prepare(c.args());
      if (profile?.unsupported.some((u) => u.applies(kernel, host))) continue;
      ran++;
      const tol = profile?.tolerance ? profile.tolerance(kernel, c, host) : (c.tol ?? 0);
      const stats = new Set(STATS_ARGS[kernel]?.map((i) => host[i]) ?? []);
      // Each distinct host array becomes one device buffer (aliased arguments stay aliased).
      const uploaded = new Map<TypedArray, unknown>();
      const up = (a: TypedArray) => {
        let b = uploaded.get(a);
        if (b === undefined) {
          b = memory.upload(a, stats.has(a) ? statsDType : dtypeOfArray(a));
          uploaded.set(a, b);
        }
        return b;
      };
      const toDevice = (a: unknown): unknown => {
        if (ArrayBuffer.isView(a)) return up(a as TypedArray);
        if (typeof a === 'object' && a !== null && 'strides' in a) {
          const st = a as Strided;
          return { buf: up(st.buf), offset: st.offset, strides: st.strides };
        }
        return a;
      };
      // The optimizer steps take arrays of buffers, one per tensor of the group.
      const mine = host.map((a) => (Array.isArray(a) && a.some((e) => ArrayBuffer.isView(e)) ? a.map(toDevice) : toDevice(a)));
      const theirs = prepare(c.args());
      table[kernel](...mine);
      ref(...theirs);
      const check = async (dev: unknown, want: unknown, label: string, o: number) => {
        if (dev === null) return;
        const buf = typeof dev === 'object' && dev !== null && 'strides' in dev ? (dev as unknown as { buf: unknown }).buf : dev;
        const got = await memory.read(buf, 0, memory.length(buf));
        const excuses = (profile?.undefinedResults ?? []).map((u) => u.at(kernel, host, o)).filter((f) => f !== null);
        const excused = excuses.length === 0 ? undefined : (i: number) => excuses.some((f) => f(i));
        const bad = mismatch(
          got,
          ArrayBuffer.isView(want) ? want : (want as Strided).buf,
          tol,
          profile?.flushesSubnormals ?? false,
          excused,
        );
        expect(bad, `${name} ${kernel} ${c.label}, ${label}`).toBeNull();
      };
      for (const o of c.outputs) {
        const dev = mine[o];
        const want = theirs[o];
        if (Array.isArray(dev)) {
          for (let i = 0; i < dev.length; i++) await check(dev[i], (want as unknown[])[i], `output argument ${o}[${i}]`, o);
        } else await check(dev, want, `output argument ${o}`, o);
      }
    }
    expect(ran, `${name} ${kernel}: every case is of a kind the device leaves out`).toBeGreaterThan(0);
  });
});
