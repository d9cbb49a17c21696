/** Backward rules of dtype and device conversion and clone (ops/convert.ts). */
import type { Device } from '../../backend/device.js';
import { to, toDevice } from '../../ops/convert.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Rules } from './rule.js';

export const convertRules = {
  ToCopyBackward0: (g: Tensor, { srcDtype }: { srcDtype: DType }) => [to(g, srcDtype)],
  'ToCopyBackward0#device': (g: Tensor, { from, fn }: { from: Device; fn: string }) => [toDevice(g, from, fn)],
  CloneBackward0: (g: Tensor, _: null) => [g],
} satisfies Rules;
