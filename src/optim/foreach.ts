/**
 * How optimizers hand a group's tensors to a backend's step kernel (`sgdStep`, `adamStep`, …): each
 * tensor as a contiguous array of exactly its elements. A tensor that is not laid out that way
 * (a strided view used as a parameter, a transposed gradient) goes through a contiguous copy that
 * is written back after the step.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** Collects a step's operands; `done()` writes staged copies back and bumps version counters. */
export class StepOperands {
  private readonly written: Tensor[] = [];
  private readonly staged: [target: Tensor, copy: Tensor][] = [];

  /** A read-only operand (a gradient). */
  read(t: Tensor): TypedArray {
    return elements(t.isContiguous() ? t : t.contiguous());
  }

  /** An operand the kernel updates in place (a parameter or an optimizer state buffer). */
  write(t: Tensor): TypedArray {
    this.written.push(t);
    if (t.isContiguous()) return elements(t);
    const copy = t.contiguous();
    this.staged.push([t, copy]);
    return elements(copy);
  }

  /** After the kernel ran: in-place updates count as writes for autograd's saved-tensor checks. */
  done(): void {
    for (const [t, copy] of this.staged) t.copy_(copy);
    for (const t of this.written) t.storage.version++;
  }
}

/** A contiguous tensor's elements: its storage array, or the window of it the tensor covers. */
function elements(t: Tensor): TypedArray {
  const data = t.storage.data;
  const n = t.numel;
  return t.offset === 0 && data.length === n ? data : data.subarray(t.offset, t.offset + n);
}
