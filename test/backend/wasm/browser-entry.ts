// Bundled by browser.test.ts and run in Chromium: the wasm backend's kernels on a page, their
// results handed back for comparison with the TypeScript kernels in Node.
import { backend, fallbacks, initWasmBackend, manualSeed, nn, randn, resetFallbacks, wasmInfo } from '../../../src/index.js';

export async function run() {
  await initWasmBackend();
  resetFallbacks();
  manualSeed(0);
  const a = randn([2, 64, 70]);
  const b = randn([2, 70, 66]);
  const c = a.matmul(b);
  const x = randn([2, 3, 16, 16], { requiresGrad: true });
  const w = randn([8, 3, 3, 3], { requiresGrad: true });
  const y = nn.F.conv2d(x, w, null, { padding: 1 });
  y.square().sum().backward();
  return {
    backend: backend().name,
    info: wasmInfo(),
    fallbacks: fallbacks().filter((f) => f.kernel === 'matmul' || f.kernel.startsWith('conv2d')),
    c: Array.from(c.data),
    y: Array.from(y.data),
    gx: Array.from(x.grad?.data ?? []),
    gw: Array.from(w.grad?.data ?? []),
  };
}
