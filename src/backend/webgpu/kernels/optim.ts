// Optimizer steps on GPU arrays, one dispatch per parameter tensor. Float32 only; the update
// follows the reference's order of operations (src/backend/js/optim.ts), with WGSL's fma where
// the reference fuses (the GPU may or may not round a WGSL fma once, so results agree with the
// reference to float32 rounding, not always bit for bit).
import type { SgdStepOptions } from '../../backend.js';
import { type GpuArray, WebGpuContext } from '../context.js';
import { elementMain, groupsFor, paramsBinding } from '../wgsl.js';

function checkFloat(kernel: string, arrays: readonly GpuArray[]): void {
  for (const a of arrays) {
    if (a.dtype !== 'float32') throw new Error(`webgpu ${kernel}: parameters, gradients and state must be float32, got ${a.dtype}`);
  }
}

/** SGD (with momentum, dampening, weight decay, Nesterov, maximize) on every tensor of a group, in place. */
export function sgdStep(
  ctx: WebGpuContext,
  params: GpuArray[],
  grads: GpuArray[],
  momentumBuffers: GpuArray[] | null,
  initBuffers: boolean[],
  o: SgdStepOptions,
): void {
  checkFloat('sgdStep', [...params, ...grads, ...(momentumBuffers ?? [])]);
  const withBuf = momentumBuffers !== null;
  const pipe = ctx.pipeline('sgdStep', `sgdStep:${withBuf}`, () =>
    [
      paramsBinding(0),
      '@group(0) @binding(1) var<storage, read_write> w: array<f32>;',
      '@group(0) @binding(2) var<storage, read> g: array<f32>;',
      withBuf ? '@group(0) @binding(3) var<storage, read_write> b: array<f32>;' : '',
      elementMain(
        'p[0]',
        // p: [n, decay, init, nesterov, then floats wd, momentum, 1 - dampening, -lr, sign]
        `  var d = pf(8) * g[i];
  if (p[1] != 0) { d = fma(w[i], pf(4), d); }
${
  withBuf
    ? `  var v = d;
  if (p[2] == 0) { v = fma(d, pf(6), b[i] * pf(5)); }
  b[i] = v;
  if (p[3] != 0) { d = fma(v, pf(5), d); } else { d = v; }`
    : ''
}
  w[i] = fma(d, pf(7), w[i]);`,
      ),
    ].join('\n'),
  );
  for (let t = 0; t < params.length; t++) {
    const n = params[t].length;
    if (grads[t].length !== n || (withBuf && momentumBuffers[t].length !== n)) {
      throw new Error(`webgpu sgdStep: tensor ${t} has ${n} elements but its gradient or momentum buffer differs`);
    }
    if (n === 0) continue;
    const prm = ctx.params(
      [n, o.weightDecay !== 0 ? 1 : 0, initBuffers[t] === true ? 1 : 0, o.nesterov ? 1 : 0],
      [o.weightDecay, o.momentum, 1 - o.dampening, -o.lr, o.maximize ? -1 : 1],
    );
    const bindings = [{ array: prm }, { array: params[t], write: true }, { array: grads[t] }];
    if (withBuf) bindings.push({ array: momentumBuffers[t], write: true });
    ctx.dispatch(pipe, bindings, WebGpuContext.groups1d(groupsFor(n)));
  }
}
