/**
 * `autocast`: PyTorch's `torch.autocast(device_type='cpu', dtype=torch.bfloat16)` as a scope
 * around a synchronous callback. Inside it, conv2d and the matrix products (matmul, mm, bmm,
 * linear) of float32 cpu tensors compute in bfloat16 with float32 accumulation and give
 * bf16-rounded results; everything else (reductions, losses, batch norm, softmax, optimizers)
 * stays float32, and parameters stay float32 masters. Backward of an op recorded in the scope
 * runs in bf16 too, wherever backward is called. Semantics and differences from PyTorch: COMPAT.md.
 */
import { type Precision, precision, setPrecision } from './state.js';

/** The lower-precision dtypes autocast knows: bfloat16 (PyTorch's CPU autocast dtype). */
export type AutocastDType = 'bfloat16';

/** Options of {@link autocast}, as torch.autocast's keyword arguments. */
export interface AutocastOptions {
  /** 'cpu': nabla's autocast covers the cpu device (native, wasm or TypeScript kernels). */
  deviceType?: string;
  /** The lower precision; 'bfloat16' (the default, and the only one CPU autocast supports). */
  dtype?: AutocastDType;
  /** false runs the scope in float32 (e.g. to switch autocast off inside an autocast region). */
  enabled?: boolean;
}

const OPTION_KEYS = ['deviceType', 'dtype', 'enabled'];
const USAGE =
  "autocast({ deviceType: 'cpu', dtype?: 'bfloat16', enabled?: boolean }, fn), autocast('cpu', fn), autocast('cpu', 'bfloat16', fn), autocast('cpu', 'bfloat16', enabled, fn) or autocast('cpu', { dtype, enabled }, fn)";

function fail(msg: string): never {
  throw new TypeError(`autocast: ${msg} (usage: ${USAGE})`);
}

function checkOptions(o: unknown, what: string): AutocastOptions {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) fail(`${what} must be an options object, got ${JSON.stringify(o)}`);
  for (const k of Object.keys(o)) if (!OPTION_KEYS.includes(k)) fail(`unknown option '${k}' (valid: ${OPTION_KEYS.join(', ')})`);
  return o as AutocastOptions;
}

/** The options of any accepted call form, and its callback. */
function parse(args: readonly unknown[]): { opts: AutocastOptions; fn: () => unknown } {
  const fn = args[args.length - 1];
  if (typeof fn !== 'function') fail('the last argument must be the function to run in the scope');
  const rest = args.slice(0, -1);
  let opts: AutocastOptions;
  if (rest.length === 1 && typeof rest[0] === 'object') {
    opts = checkOptions(rest[0], 'the first argument');
    if (opts.deviceType === undefined) fail("deviceType is required (PyTorch's device_type), e.g. { deviceType: 'cpu' }");
  } else if (rest.length >= 1 && rest.length <= 3 && typeof rest[0] === 'string') {
    if (rest.length === 2 && typeof rest[1] === 'object') {
      const o = checkOptions(rest[1], 'the options');
      if (o.deviceType !== undefined) fail('deviceType is given positionally; do not repeat it in the options');
      opts = { ...o, deviceType: rest[0] };
    } else {
      if (rest.length === 3 && typeof rest[2] !== 'boolean') fail(`enabled must be a boolean, got ${JSON.stringify(rest[2])}`);
      opts = { deviceType: rest[0], dtype: rest[1] as AutocastDType | undefined, enabled: rest[2] as boolean | undefined };
    }
  } else {
    fail(`unexpected arguments (${args.length} given)`);
  }
  return { opts, fn: fn as () => unknown };
}

function precisionOf(opts: AutocastOptions): Precision {
  const { deviceType, dtype = 'bfloat16', enabled = true } = opts;
  if (deviceType !== 'cpu') {
    fail(
      `device type ${JSON.stringify(deviceType)} is not supported: nabla's autocast runs cpu tensors' convolutions and matmuls in bfloat16 (deviceType 'cpu')`,
    );
  }
  if (dtype !== 'bfloat16') {
    fail(`dtype ${JSON.stringify(dtype)} is not supported: CPU autocast runs in 'bfloat16' (as in PyTorch, where float16 is for CUDA)`);
  }
  if (typeof enabled !== 'boolean') fail(`enabled must be a boolean, got ${JSON.stringify(enabled)}`);
  return enabled ? 'bf16' : 'fp32';
}

/**
 * Runs `fn` in an autocast scope and returns its result; the previous state comes back after,
 * also when `fn` throws, so scopes nest. The callback must be synchronous: a returned Promise is
 * an error, since the scope would end before the awaited work runs.
 * @example
 * const loss = autocast({ deviceType: 'cpu', dtype: 'bfloat16' }, () => F.crossEntropy(model.forward(x), y));
 * loss.backward(); // the convolutions' and linears' backward run in bf16 too
 */
export function autocast<T>(opts: AutocastOptions, fn: () => T): T;
export function autocast<T>(deviceType: string, fn: () => T): T;
export function autocast<T>(deviceType: string, dtype: AutocastDType, fn: () => T): T;
export function autocast<T>(deviceType: string, dtype: AutocastDType, enabled: boolean, fn: () => T): T;
export function autocast<T>(deviceType: string, opts: Omit<AutocastOptions, 'deviceType'>, fn: () => T): T;
export function autocast(...args: unknown[]): unknown {
  const { opts, fn } = parse(args);
  const prev = setPrecision(precisionOf(opts));
  let result: unknown;
  try {
    result = fn();
  } finally {
    setPrecision(prev);
  }
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    throw new TypeError(
      'autocast: the callback returned a Promise; autocast scopes are synchronous (the scope ended before the awaited work ran). Run the forward pass synchronously inside the scope.',
    );
  }
  return result;
}

/** Whether autocast is on for `deviceType` now (torch.is_autocast_cpu_enabled); only 'cpu' has autocast. */
export function isAutocastEnabled(deviceType = 'cpu'): boolean {
  if (typeof deviceType !== 'string')
    throw new TypeError(`isAutocastEnabled: deviceType must be a string, got ${JSON.stringify(deviceType)}`);
  return deviceType === 'cpu' && precision() === 'bf16';
}
