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
  constructor(data: Tensor, requiresGrad = true, ...rest: never[]) {
    if (!(data instanceof Tensor)) throw new TypeError('Parameter: data must be a Tensor. Accepted forms: Parameter(data, requiresGrad?)');
    if (typeof requiresGrad !== 'boolean' || rest.some((r) => r !== undefined)) {
      throw new TypeError(
        'Parameter: requiresGrad must be a boolean, and nothing may follow it. Accepted forms: Parameter(data, requiresGrad?)',
      );
    }
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
