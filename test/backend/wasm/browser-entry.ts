// Bundled by browser.test.ts and run in Chromium: the wasm backend's kernels on a page, their
// results handed back for comparison with the TypeScript kernels in Node, and the conformance
// cases of every wasm kernel checked on the page against the TypeScript reference kernels.
import { jsBackend } from '../../../src/backend/js/index.js';
import { KERNEL_NAMES, type KernelEntry, type KernelName } from '../../../src/backend/kernels.js';
import { wasmBackend } from '../../../src/backend/wasm/backend.js';
import { wasmRuntime } from '../../../src/backend/wasm/index.js';
import { backend, fallbacks, initWasmBackend, manualSeed, nn, randn, resetFallbacks, wasmInfo } from '../../../src/index.js';
import { cases, mismatch } from '../conformance-cases.js';

export async function run(threads?: number) {
  await initWasmBackend(threads === undefined ? {} : { threads });
  resetFallbacks();
  manualSeed(0);
  const a = randn([2, 64, 70]);
  const b = randn([2, 70, 66]);
  const c = a.matmul(b);
  const x = randn([2, 3, 16, 16], { requiresGrad: true });
  const w = randn([8, 3, 3, 3], { requiresGrad: true });
  const y = nn.F.conv2d(x, w, null, { padding: 1 });
  y.square().sum().backward();
  // 128×128 float32 (64 KiB): made in the kernels' memory on a cross-origin-isolated page.
  const p = randn([128, 128]);
  const big = p.matmul(randn([128, 128])).add(p);
  return {
    backend: backend().name,
    info: wasmInfo(),
    fallbacks: fallbacks().filter((f) => f.kernel === 'matmul' || f.kernel.startsWith('conv2d')),
    c: Array.from(c.data),
    y: Array.from(y.data),
    gx: Array.from(x.grad?.data ?? []),
    gw: Array.from(w.grad?.data ?? []),
    big: Array.from(big.data),
  };
}

/**
 * After {@link run}: every kernel the wasm backend registers, on each conformance case its
 * predicate accepts, against the TypeScript kernel on the same page. Returns per kernel the
 * cases run and the first mismatch (null when all agree).
 */
export function conformance(): { kernel: KernelName; ran: number; bad: string | null }[] {
  const rt = wasmRuntime();
  if (rt === null) throw new Error('conformance: run() first');
  const def = wasmBackend(rt);
  const out: { kernel: KernelName; ran: number; bad: string | null }[] = [];
  for (const kernel of KERNEL_NAMES) {
    const entry = def.kernels[kernel] as KernelEntry<typeof kernel> | undefined;
    if (entry === undefined) continue;
    const mine = entry.kernel as (...a: unknown[]) => void;
    const accepts = entry.accepts as (...a: unknown[]) => boolean;
    const ref = jsBackend[kernel] as (...a: unknown[]) => void;
    let ran = 0;
    let bad: string | null = null;
    for (const c of cases[kernel]) {
      const got = c.args();
      if (!accepts(...got)) continue;
      ran++;
      const want = c.args();
      mine(...got);
      ref(...want);
      for (const o of c.outputs) {
        const m = mismatch(got[o], want[o], c.tol ?? 0);
        if (m !== null && bad === null) bad = `${c.label}, output argument ${o}: ${m}`;
      }
    }
    out.push({ kernel, ran, bad });
  }
  return out;
}
