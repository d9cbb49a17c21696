/**
 * How optimizers hand a group's tensors to a backend's step kernel (`sgdStep`, `adamStep`, …): each
 * tensor as a contiguous array of exactly its elements. A tensor that is not laid out that way
 * (a strided view used as a parameter, a transposed gradient) goes through a contiguous copy that
 * is written back after the step.
 */
import type { Backend } from '../backend/backend.js';
import { type Device, sameDevice } from '../backend/device.js';
import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Collects a step's operands, all on one device (the first one's); `done()` writes staged
 * copies back and bumps version counters.
 */
export class StepOperands {
  private readonly written: Tensor[] = [];
  private readonly staged: [target: Tensor, copy: Tensor][] = [];
  private first: Tensor | null = null;

  constructor(private readonly op: string) {}

  /** The kernels of the operands' device (call after adding at least one operand). */
  get kernels(): Backend<unknown> {
    return (this.first as Tensor)._device.kernels as Backend<unknown>;
  }

  private check(t: Tensor): Device {
    this.first ??= t;
    return sameDevice(this.op, this.first, t);
  }

  /** A read-only operand (a gradient). */
  read(t: Tensor): unknown {
    this.check(t);
    return elements(t.isContiguous() ? t : t.contiguous()) ?? t.clone().storage.buffer;
  }

  /** An operand the kernel updates in place (a parameter or an optimizer state buffer). */
  write(t: Tensor): unknown {
    this.check(t);
    this.written.push(t);
    const own = t.isContiguous() ? elements(t) : null;
    if (own !== null) return own;
    const copy = t.clone();
    this.staged.push([t, copy]);
    return copy.storage.buffer;
  }

  /** After the kernel ran: in-place updates count as writes for autograd's saved-tensor checks. */
  done(): void {
    for (const [t, copy] of this.staged) t.copy_(copy);
    for (const t of this.written) t.storage.version++;
  }
}

/**
 * A contiguous tensor's buffer holding exactly its elements: its storage's buffer, or on host
 * memory the window of it the tensor covers. Null when only a copy can (another device's window).
 */
function elements(t: Tensor): unknown {
  const s = t.storage;
  const n = t.numel;
  if (t.offset === 0 && s.length === n) return s.buffer;
  return s.device.memory.hostMemory ? (s.buffer as TypedArray).subarray(t.offset, t.offset + n) : null;
}
