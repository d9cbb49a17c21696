import '../tensor/methods.js';
import { formatTensor } from '../tensor/format.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A tensor that is a module parameter (PyTorch's `nn.Parameter`): assigning one to a module
 * field registers it, so it shows up in `parameters()` and `stateDict()`. It shares `data`'s
 * storage (no copy) and requires grad unless told otherwise.
 * @example this.scale = new nn.Parameter(ones([4]))
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage, data.shape, data.strides, data.offset, data.dtype);
    this.requiresGrad_(requiresGrad);
  }

  /** PyTorch's repr: `Parameter containing:\ntensor([...], requires_grad=True)`. */
  override toString(): string {
    const body = formatTensor({
      shape: this.shape,
      dtype: this.dtype,
      data: this.storage.device.memory.readSync === undefined ? null : this.data,
      device: this.device,
      requiresGrad: this.requiresGrad,
      gradFn: null,
    });
    return `Parameter containing:\n${body}`;
  }
}
