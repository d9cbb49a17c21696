// conv2d's backward rule takes both gradients from one fused native call when the input and the
// weight both need one (the output gradient is then reordered, or converted to bf16, once). The
// results must be the bits the two separate kernels give: here the fused path (x and w requiring
// grad) against the single-gradient paths (only x, only w), in float32 and under bf16 autocast,
// on a convolution above the native backend's size threshold.
import { describe, expect, it, vi } from 'vitest';
import { bf16Kernels } from '../../../src/autocast/bf16.js';
import { getDevice } from '../../../src/backend/device.js';
import { fusedKernels } from '../../../src/backend/fused.js';
import { autocast, manualSeed, nn, randn, type Tensor } from '../../../src/index.js';

const dev = getDevice('cpu');
const fused = fusedKernels(dev);
const why = fused?.conv2dBackward === undefined ? `the '${dev.kernels.name}' backend has no fused conv2d backward` : null;

function grads(x: Tensor, w: Tensor, b: Tensor, g: Tensor, wantX: boolean, wantW: boolean, bf16: boolean) {
  const [xi, wi, bi] = [x.detach().requiresGrad_(wantX), w.detach().requiresGrad_(wantW), b.detach().requiresGrad_(true)];
  const run = () => nn.F.conv2d(xi, wi, bi, { stride: 1, padding: 1 }).mul(g).sum();
  (bf16 ? autocast('cpu', run) : run()).backward();
  return { x: xi.grad?.data, w: wi.grad?.data, b: bi.grad?.data };
}

describe.skipIf(why !== null)(
  `conv2d backward: one fused native call for both gradients${why === null ? '' : ` (skipped: ${why})`}`,
  () => {
    // 4×32×16×16 ⊛ 64×32×3×3: 19 M multiply-adds, above the native threshold (4 M).
    manualSeed(0);
    const x = randn([4, 32, 16, 16]);
    const w = randn([64, 32, 3, 3]).mul(0.1);
    const b = randn([64]);
    const g = randn([4, 64, 16, 16]);
    const cases: [string, boolean][] = [['float32', false]];
    if (bf16Kernels(dev)?.conv2dBackward !== undefined) cases.push(['bf16 autocast', true]);
    it.each(cases)('%s: the same bits as the separate kernels, and the fused kernel ran', (_, bf16) => {
      const target = bf16 ? (bf16Kernels(dev) as NonNullable<ReturnType<typeof bf16Kernels>>) : (fused as NonNullable<typeof fused>);
      const spy = vi.spyOn(target, 'conv2dBackward');
      const both = grads(x, w, b, g, true, true, bf16);
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      const onlyX = grads(x, w, b, g, true, false, bf16);
      const onlyW = grads(x, w, b, g, false, true, bf16);
      expect(both.x).toEqual(onlyX.x);
      expect(both.w).toEqual(onlyW.w);
      expect(both.b).toEqual(onlyW.b);
    });
  },
);
