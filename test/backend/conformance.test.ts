// Backend conformance: every kernel each available backend registers, run against the TypeScript
// reference kernel on the same inputs — strided and broadcast operands, empty tensors, NaN, ±Inf
// and −0, float32 and float64, int32 edge values, and sizes on both sides of the native backend's
// thresholds. Cases a backend's predicate declines would run on the reference anyway; each
// registered kernel must accept at least one case, so none goes untested.
import { describe, expect, it } from 'vitest';
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
import { dtypeOfArray, type TypedArray } from '../../src/tensor/dtype.js';
import { cases, mismatch } from './conformance-cases.js';
import { opaqueBackend, opaqueMemory, PARTIAL } from './opaque-device.js';
import { partialBackend } from './partial-backend.js';

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

// Devices with their own memory: every kernel of the resolved dispatch table, so registered
// kernels and transfer fallbacks alike, on operands uploaded to the device and read back.
const devices: [string, BackendDefinition<unknown>, DeviceMemory<unknown>][] =
  nativeProject || wasmProject
    ? []
    : [
        ['opaque (every kernel)', opaqueBackend('opaque-all') as BackendDefinition<unknown>, opaqueMemory(false) as DeviceMemory<unknown>],
        [
          'opaque (3 kernels, the rest through transfers)',
          opaqueBackend('opaque-partial', PARTIAL) as BackendDefinition<unknown>,
          opaqueMemory(true) as DeviceMemory<unknown>,
        ],
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

describe.each(devices)('%s device conforms to the reference kernels', (name, def, memory) => {
  const table = resolveBackend(def, jsBackend, 'conformance', memory) as unknown as Record<KernelName, (...a: unknown[]) => void>;
  it.each([...KERNEL_NAMES])('%s', async (kernel) => {
    const ref = jsBackend[kernel] as (...a: unknown[]) => void;
    for (const c of cases[kernel]) {
      const host = c.args();
      // Each distinct host array becomes one device buffer (aliased arguments stay aliased).
      const uploaded = new Map<TypedArray, unknown>();
      const up = (a: TypedArray) => {
        let b = uploaded.get(a);
        if (b === undefined) {
          b = memory.upload(a, dtypeOfArray(a));
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
      const theirs = c.args();
      table[kernel](...mine);
      ref(...theirs);
      const check = async (dev: unknown, want: unknown, label: string) => {
        if (dev === null) return;
        const buf = typeof dev === 'object' && dev !== null && 'strides' in dev ? (dev as unknown as { buf: unknown }).buf : dev;
        const got = await memory.read(buf, 0, memory.length(buf));
        const bad = mismatch(got, ArrayBuffer.isView(want) ? want : (want as Strided).buf, c.tol ?? 0);
        expect(bad, `${name} ${kernel} ${c.label}, ${label}`).toBeNull();
      };
      for (const o of c.outputs) {
        const dev = mine[o];
        const want = theirs[o];
        if (Array.isArray(dev)) {
          for (let i = 0; i < dev.length; i++) await check(dev[i], (want as unknown[])[i], `output argument ${o}[${i}]`);
        } else await check(dev, want, `output argument ${o}`);
      }
    }
  });
});
