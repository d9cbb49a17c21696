// Errors a PyTorch user meets name the fix instead of leaking internals; printing and typing
// follow PyTorch (`${t.gradFn}`, x.size(0), seq.get(i)).
import { describe, expect, it } from 'vitest';
import { getDefaultDevice, listDevices, nn, noGrad, ones, optim, setDefaultDevice, type Tensor, tensor, zeros } from './imports.js';

describe('errors that used to expose internals', () => {
  it('unsupported dtypes are named, with the nabla spelling', () => {
    expect(() => tensor([1, 2], { dtype: 'int64' as never })).toThrow(
      "tensor: unsupported dtype 'int64' (PyTorch's int64/long maps to 'int32' in nabla); valid dtypes are 'float32', 'float64', 'int32' and 'bool'",
    );
    expect(() => ones([2]).to('float16' as never)).toThrow(
      /to: unsupported dtype 'float16' \(half precision is not supported; use 'float32'\)/,
    );
    expect(() => zeros([2], { dtype: 'double' as never })).toThrow(/unsupported dtype 'double' \(write 'float64'\)/);
  });

  it('assigning p.data names the noGrad idiom', () => {
    const p = new nn.Parameter(ones([2]));
    expect(() => {
      (p as unknown as { data: unknown }).data = ones([2]);
    }).toThrow(/noGrad\(\(\) => p\.add_\(x\)\)/);
    noGrad(() => p.add_(ones([2]), -0.5));
    expect(p.toArray()).toEqual([0.5, 0.5]);
  });

  it('integer tensors where floats are needed, and float tensors where indices are needed, name the fix', () => {
    expect(() => nn.F.crossEntropy(ones([2, 3]), tensor([0, 2]))).toThrow(
      /crossEntropy: target must be an int32 tensor of class indices, or class probabilities shaped like the input \[2, 3\] \(got float32 of shape \[2\]\)\. Numbers make float32 tensors in nabla; create labels with tensor\(\[\.\.\.\], \{ dtype: 'int32' \}\)/,
    );
    // float literals no longer make int32 tensors, so these PyTorch lines just work:
    const w = tensor([1.0, 2.0], { requiresGrad: true });
    w.matmul(tensor([3.0, 4.0])).backward();
    expect(w.grad?.toArray()).toEqual([3, 4]);
  });
});

describe('surplus arguments', () => {
  it('Tensor methods with fixed parameters reject extra arguments JS would drop', () => {
    const x = zeros([2, 3]);
    expect(() => (x.transpose as (...a: number[]) => Tensor)(0, 1, 2)).toThrow(
      'Tensor.transpose: takes at most 2 arguments (dim0, dim1) but got 3',
    );
    expect(() => (x.add as (...a: unknown[]) => Tensor)(x, 2, 3)).toThrow(
      'Tensor.add: takes at most 2 arguments (other, alpha?) but got 3',
    );
    expect(x.add(x, 2).shape).toEqual([2, 3]);
  });

  it('Tensor’s own readers and the device functions reject extra arguments too', async () => {
    const x = tensor([1.0]);
    const loose = (f: unknown) => f as (...a: unknown[]) => unknown;
    expect(() => loose(x.item).call(x, 0)).toThrow('item: takes at most 0 arguments but got 1');
    expect(() => loose(x.toArray).call(x, 1)).toThrow('toArray: takes at most 0 arguments but got 1');
    expect(() => loose(x.dataAsync).call(x, 1)).toThrow('dataAsync: takes at most 0 arguments but got 1');
    expect(() => loose(x.size).call(x, 0, 1)).toThrow('Tensor.size: takes at most 1 argument (dim?) but got 2');
    expect(() => loose(x.requiresGrad_).call(x, true, 1)).toThrow(
      'Tensor.requiresGrad_: takes at most 1 argument (requiresGrad?) but got 2',
    );
    expect(x.size(0)).toBe(1);
    expect(await x.itemAsync()).toBe(1);
    expect(() => loose(setDefaultDevice)('cpu', 1)).toThrow('setDefaultDevice: takes at most 1 argument (device) but got 2');
    expect(() => loose(getDefaultDevice)(1)).toThrow('getDefaultDevice: takes no arguments but got 1');
    expect(() => loose(listDevices)(1)).toThrow('listDevices: takes no arguments but got 1');
    expect(listDevices()[0]).toBe('cpu');
  });
});

describe('printing and typing like PyTorch', () => {
  it('a template string of t.gradFn prints <XBackward0>', () => {
    const y = tensor([1.0], { requiresGrad: true }).mul(2);
    expect(`${y.gradFn}`).toBe('<MulBackward0>');
    expect(String(y)).toBe('tensor([2.], grad_fn=<MulBackward0>)');
  });

  it('x.size(0) is a number, nelement() counts, type() names the tensor type, viewAs reshapes', () => {
    const x = zeros([3, 4]);
    const n: number = x.size(0); // typed number: no cast needed
    const s: readonly number[] = x.size();
    expect([n, s]).toEqual([3, [3, 4]]);
    expect(x.nelement()).toBe(12);
    expect(x.type()).toBe('torch.FloatTensor');
    expect(x.type('float64').dtype).toBe('float64');
    expect(x.type('torch.DoubleTensor' as never).dtype).toBe('float64');
    expect(zeros([12]).viewAs(x).shape).toEqual([3, 4]);
  });

  it('seq.get(i, Class) is typed and checked; seq.get<T>(i) is typed', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
    const w: Tensor = seq.get(0, nn.Linear).weight;
    expect(w.shape).toEqual([3, 2]);
    expect(seq.get<nn.Linear>(0).outFeatures).toBe(3);
    expect(() => seq.get(1, nn.Linear)).toThrow('Sequential.get: module 1 is a ReLU, not a Linear');
  });

  it("Module.zeroGrad() sets grads to null like the optimizer's zeroGrad (setToNone: false zeroes them)", () => {
    const m = new nn.Linear(2, 1);
    const opt = new optim.SGD(m.parameters(), 0.1);
    m.call(ones([1, 2]))
      .sum()
      .backward();
    m.zeroGrad({ setToNone: false });
    expect(m.weight.grad?.toArray()).toEqual([[0, 0]]);
    m.zeroGrad();
    expect(m.weight.grad).toBeNull();
    m.call(ones([1, 2]))
      .sum()
      .backward();
    opt.zeroGrad();
    expect(m.weight.grad).toBeNull();
  });
});

describe('modules register in assignment order, as PyTorch', () => {
  it('parameters() and stateDict() follow assignment, not field declaration, order', () => {
    class Net extends nn.Module<[Tensor], Tensor> {
      fc1: nn.Linear;
      fc2: nn.Linear;
      scale: nn.Parameter;
      constructor() {
        super();
        this.fc2 = new nn.Linear(3, 2);
        this.scale = new nn.Parameter(ones([1]));
        this.fc1 = new nn.Linear(4, 3);
      }
    }
    const net = new Net();
    expect(Object.keys(net.stateDict())).toEqual(['scale', 'fc2.weight', 'fc2.bias', 'fc1.weight', 'fc1.bias']);
    expect([...net.namedChildren()].map(([n]) => n)).toEqual(['fc2', 'fc1']);
  });
});
