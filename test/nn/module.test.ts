// Module API: registration order, traversal, modes, hooks, zeroGrad, stateDict round trips and
// errors, conversion, and PyTorch's repr strings (test/fixtures/nn.json).
import { describe, expect, it } from 'vitest';
import { alexnet } from '../../src/analysis/models.js';
import { manualSeed, nn, noGrad, ones, randn, type Tensor, tensor, zeros } from '../../src/index.js';
import { torchKey } from '../../src/nn/module.js';
import { fixture } from './fixture.js';

const S = fixture.structure;

class Net extends nn.Module<[Tensor], Tensor> {
  conv = new nn.Conv2d(1, 4, 3, { padding: 1 });
  bn = new nn.BatchNorm2d(4);
  scale = new nn.Parameter(ones([1]));
  head = new nn.Sequential(new nn.Flatten(), new nn.Linear(4 * 4 * 4, 3));
  override forward(x: Tensor): Tensor {
    return this.head.call(this.bn.call(this.conv.call(x)).relu().mul(this.scale));
  }
}

class Tiny extends nn.Module<[Tensor], Tensor> {
  fc1 = new nn.Linear(3, 4);
  act = new nn.Tanh();
  fc2 = new nn.Linear(4, 2);
  override forward(x: Tensor): Tensor {
    return this.fc2.call(this.act.call(this.fc1.call(x)));
  }
}

describe('registration and traversal (PyTorch order)', () => {
  it('exercise-6 AlexNet: namedParameters, stateDict keys, 8,925,738 parameters', () => {
    const m = alexnet();
    expect([...m.namedParameters()].map(([n, p]) => [n, [...p.shape]])).toEqual(S.alexnet.namedParameters);
    expect(Object.keys(m.stateDict())).toEqual(S.alexnet.stateDictKeys);
    expect(m.numParameters()).toBe(8925738);
    expect(S.alexnet.numParameters).toBe(8925738);
    expect(m.parameters()).toHaveLength(16);
  });

  it('a custom module: own parameters first, then children; buffers; modules', () => {
    const net = new Net();
    expect([...net.namedParameters()].map(([n, p]) => [n, [...p.shape]])).toEqual(S.net.namedParameters);
    expect([...net.namedBuffers()].map(([n]) => n)).toEqual(S.net.namedBuffers);
    // The fixture lists nabla's field names; stateDict() spells them as PyTorch does.
    expect(Object.keys(net.stateDict())).toEqual(S.net.stateDictKeys.map(torchKey));
    expect([...net.namedModules()].map(([n]) => n)).toEqual(S.net.namedModules);
    expect(net.numParameters()).toBe(S.net.numParameters);
    expect([...net.namedChildren()].map(([n]) => n)).toEqual(['conv', 'bn', 'head']);
    expect([...net.children()][2]).toBe(net.head);
    expect([...net.modules()]).toHaveLength(6);
    expect([...net.namedParameters({ recurse: false })].map(([n]) => n)).toEqual(['scale']);
  });

  it('explicit registration, null slots, reassignment and shared parameters', () => {
    const m = new nn.Module();
    const lin = new nn.Linear(2, 2);
    m.registerModule('a', lin);
    m.registerModule('b', lin); // shared: listed once
    m.registerParameter('p', new nn.Parameter(zeros([3])));
    m.registerParameter('absent', null);
    m.registerBuffer('buf', ones([2]));
    m.registerBuffer('temp', ones([1]), { persistent: false });
    expect([...m.namedParameters()].map(([n]) => n)).toEqual(['p', 'a.weight', 'a.bias']);
    expect([...m.namedBuffers()].map(([n]) => n)).toEqual(['buf', 'temp']);
    expect(Object.keys(m.stateDict())).toEqual(['p', 'buf', 'a.weight', 'a.bias', 'b.weight', 'b.bias']);
    expect(m.numParameters()).toBe(3 + 6);
    // Reassigning a registered field keeps its slot; a plain tensor in a parameter slot is an error.
    const rec = m as unknown as Record<string, unknown>;
    rec.p = new nn.Parameter(zeros([5]));
    expect(m.numParameters()).toBe(5 + 6);
    rec.p = zeros([5]);
    expect(() => m.parameters()).toThrow(/plain Tensor/);
    rec.p = null;
    expect(m.numParameters()).toBe(6);
    expect(() => m.registerParameter('x.y', null)).toThrow(/can't contain "\."/);
    expect(() => m.registerModule('forward', null)).toThrow(/already exists/);
    expect(() => m.registerBuffer('a', null)).toThrow(/already registered as a module/);
    expect(() => m.registerParameter('q', zeros([1]) as unknown as nn.Parameter)).toThrow(/must be a Parameter/);
  });

  it('fields added later are registered after the existing ones; _-prefixed fields never', () => {
    const t = new Tiny() as Tiny & { extra?: nn.Linear; _hidden?: nn.Linear };
    t._hidden = new nn.Linear(1, 1);
    t.extra = new nn.Linear(1, 1);
    expect([...t.namedChildren()].map(([n]) => n)).toEqual(['fc1', 'act', 'fc2', 'extra']);
  });

  it('Parameter shares storage with its data and prints like PyTorch', () => {
    const d = tensor([[1, 2]], { dtype: 'float32' });
    const p = new nn.Parameter(d);
    expect(p.storage).toBe(d.storage);
    expect(p.requiresGrad).toBe(true);
    expect(new nn.Parameter(d, false).requiresGrad).toBe(false);
    expect(String(p)).toBe('Parameter containing:\ntensor([[1., 2.]], requires_grad=True)');
  });
});

describe('modes, utilities and hooks', () => {
  it('train()/eval() reach every submodule; apply visits children first', () => {
    const net = new Net();
    expect(net.training).toBe(true);
    expect(net.eval()).toBe(net);
    expect([...net.modules()].every((m) => !m.training)).toBe(true);
    net.train();
    expect([...net.modules()].every((m) => m.training)).toBe(true);
    const order: string[] = [];
    net.apply((m) => order.push(m._getName()));
    expect(order).toEqual(['Conv2d', 'BatchNorm2d', 'Flatten', 'Linear', 'Sequential', 'Net']);
  });

  it('zeroGrad sets grads to null by default, or zeroes them in place', () => {
    const t = new Tiny();
    t.call(randn([5, 3]))
      .sum()
      .backward();
    expect(t.parameters().every((p) => p.grad !== null)).toBe(true);
    const g = t.fc1.weight.grad as Tensor;
    t.zeroGrad({ setToNone: false });
    expect(t.fc1.weight.grad).toBe(g);
    expect(Array.from(g.data).every((v) => v === 0)).toBe(true);
    t.zeroGrad();
    expect(t.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('requiresGrad_ freezes parameters; numParameters({ trainable })', () => {
    const t = new Tiny();
    t.fc1.requiresGrad_(false);
    expect(t.numParameters()).toBe(16 + 10);
    expect(t.numParameters({ trainable: true })).toBe(10);
    const y = t.call(randn([2, 3]));
    y.sum().backward();
    expect(t.fc1.weight.grad).toBeNull();
    expect(t.fc2.weight.grad).not.toBeNull();
  });

  it('forward pre-hooks and hooks run around forward, may replace args/output, and can be removed', () => {
    const t = new Tiny();
    const seen: string[] = [];
    const h1 = t.registerForwardPreHook((_m, args) => {
      seen.push(`pre ${args[0].shape}`);
      return (args[0] as Tensor).mul(0);
    });
    const h2 = t.registerForwardHook((m, args, out) => {
      seen.push(`post ${m._getName()} ${args[0].shape} ${out.shape}`);
      return (out as Tensor).add(1);
    });
    const x = randn([2, 3]);
    const y = t.call(x);
    expect(seen).toEqual(['pre 2,3', 'post Tiny 2,3 2,2']);
    const ref = noGrad(() => t.forward(zeros([2, 3])).add(1));
    expect(Array.from(y.data)).toEqual(Array.from(ref.data));
    h1.remove();
    h2.remove();
    seen.length = 0;
    const y2 = t.call(x);
    expect(seen).toEqual([]);
    expect(Array.from(y2.data)).toEqual(Array.from(t.forward(x).data));
    // A hook returning undefined leaves things alone; a non-array return becomes the single arg.
    t.registerForwardHook(() => undefined);
    expect(Array.from(t.call(x).data)).toEqual(Array.from(y2.data));
  });

  it('the base forward throws a clear error', () => {
    expect(() => new nn.Module().call()).toThrow(/missing the required "forward" function/);
  });

  it('double()/to() convert parameters and buffers', () => {
    const net = new Net().double();
    expect(net.parameters().every((p) => p.dtype === 'float64' && p.requiresGrad && p instanceof nn.Parameter)).toBe(true);
    expect(net.bn.runningMean?.dtype).toBe('float64');
    expect(net.bn.numBatchesTracked?.dtype).toBe('int32');
    expect(net.call(randn([2, 1, 4, 4], { dtype: 'float64' })).dtype).toBe('float64');
    expect(net.float().conv.weight.dtype).toBe('float32');
  });
});

describe('stateDict / loadStateDict', () => {
  it('round trip: tensors are detached, share memory, and load back into another model', () => {
    manualSeed(0);
    const a = new Net();
    manualSeed(1);
    const b = new Net();
    const sd = a.stateDict();
    expect(sd['conv.weight'].requiresGrad).toBe(false);
    expect(sd['conv.weight'].storage).toBe(a.conv.weight.storage);
    noGrad(() => a.bn.runningMean?.fill_(0.5));
    expect(sd['bn.running_mean'].data[0]).toBe(0.5);
    const res = b.loadStateDict(sd);
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const sb = b.stateDict();
    for (const k of Object.keys(sd)) expect(Array.from(sb[k].data)).toEqual(Array.from(sd[k].data));
    expect(sb['conv.weight'].storage).not.toBe(sd['conv.weight'].storage);
    const x = randn([2, 1, 4, 4]);
    a.eval();
    b.eval();
    expect(Array.from(b.call(x).data)).toEqual(Array.from(a.call(x).data));
  });

  it('strict mode names missing and unexpected keys; non-strict reports them', () => {
    const net = new Net();
    const sd = net.stateDict();
    delete sd['head.1.bias'];
    sd.extra = zeros([1]);
    expect(() => new Net().loadStateDict(sd)).toThrow(
      'Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: "head.1.bias".\n\tUnexpected key(s) in state_dict: "extra".',
    );
    const res = new Net().loadStateDict(sd, { strict: false });
    expect(res).toEqual({ missingKeys: ['head.1.bias'], unexpectedKeys: ['extra'] });
  });

  it('a shape mismatch is an error even when not strict', () => {
    const sd = new Net().stateDict();
    sd['head.1.weight'] = zeros([3, 60]);
    const msg =
      'size mismatch for head.1.weight: copying a param with shape [3, 60] from checkpoint, the shape in current model is [3, 64].';
    expect(() => new Net().loadStateDict(sd)).toThrow(msg);
    expect(() => new Net().loadStateDict(sd, { strict: false })).toThrow(msg);
  });

  it("accepts PyTorch's snake_case buffer names and int64-as-int32 counters", () => {
    const sd = new Net().stateDict();
    const torchStyle: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(sd)) torchStyle[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
    torchStyle['bn.num_batches_tracked'] = tensor(7, { dtype: 'int32' });
    const net = new Net();
    expect(net.loadStateDict(torchStyle)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(net.bn.numBatchesTracked?.item()).toBe(7);
  });

  it('loading does not record autograd history and keeps parameters leaves', () => {
    const net = new Tiny();
    net.loadStateDict(new Tiny().stateDict());
    expect(net.parameters().every((p) => p.isLeaf && p.requiresGrad)).toBe(true);
  });
});

describe('containers', () => {
  it('Sequential from modules and from named entries; get, slice, append, iterate', () => {
    const s = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
    expect(s.length).toBe(3);
    expect(s.get(-1)).toBeInstanceOf(nn.Linear);
    expect([...s].map((m) => m._getName())).toEqual(['Linear', 'ReLU', 'Linear']);
    expect([...s.slice(1).namedChildren()].map(([n]) => n)).toEqual(['1', '2']);
    s.append(new nn.Sigmoid());
    expect(s.call(randn([4, 2])).shape).toEqual([4, 1]);
    const named = new nn.Sequential({ fc: new nn.Linear(2, 2), act: new nn.Tanh() });
    expect([...named.namedParameters()].map(([n]) => n)).toEqual(['fc.weight', 'fc.bias']);
    expect(() => s.get(10)).toThrow(RangeError);
    // The same module twice runs twice (PyTorch iterates every slot).
    const relu = new nn.Identity();
    let calls = 0;
    relu.registerForwardHook(() => void calls++);
    new nn.Sequential(relu, relu).call(zeros([1]));
    expect(calls).toBe(2);
  });

  it('ModuleList and ModuleDict register their entries', () => {
    const l = new nn.ModuleList<nn.AnyModule>([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
    l.append(new nn.Linear(2, 1));
    l.insert(0, new nn.Identity());
    expect(l.length).toBe(4);
    expect([...l.namedParameters()].map(([n]) => n)).toEqual(['1.weight', '1.bias', '2.weight', '2.bias', '3.weight', '3.bias']);
    expect(l.pop(0)).toBeInstanceOf(nn.Identity);
    expect([...l.namedChildren()].map(([n]) => n)).toEqual(['0', '1', '2']);
    expect((l.get(-1) as nn.Linear).outFeatures).toBe(1);
    const d = new nn.ModuleDict({ enc: new nn.Linear(2, 2), dec: new nn.Linear(2, 2) });
    expect(d.keys()).toEqual(['enc', 'dec']);
    expect(d.get('dec')).toBeInstanceOf(nn.Linear);
    d.delete('enc');
    expect([...d.namedParameters()].map(([n]) => n)).toEqual(['dec.weight', 'dec.bias']);
    expect(d.has('enc')).toBe(false);
  });
});

describe("repr strings equal PyTorch's", () => {
  it('AlexNet, a custom module, named Sequential, ModuleList, ModuleDict, empty Sequential', () => {
    expect(String(alexnet())).toBe(S.reprs.alexnet);
    expect(String(new Net())).toBe(S.reprs.net);
    const named = new nn.Sequential({
      conv1: new nn.Conv2d(1, 20, 5),
      relu1: new nn.ReLU(),
      pool: new nn.MaxPool2d(2),
      bn: new nn.BatchNorm2d(20, { momentum: null }),
      fc: new nn.Sequential(new nn.Flatten(), new nn.Linear(10, 2, { bias: false })),
    });
    expect(String(named)).toBe(S.reprs.sequential_named);
    expect(String(new nn.ModuleList([new nn.Linear(2, 3), new nn.Tanh(), new nn.ModuleList([new nn.Sigmoid()])]))).toBe(
      S.reprs.module_list,
    );
    expect(String(new nn.ModuleDict({ act: new nn.LeakyReLU(0.2), gelu: new nn.GELU({ approximate: 'tanh' }) }))).toBe(S.reprs.module_dict);
    expect(String(new nn.Sequential())).toBe(S.reprs.empty_sequential);
  });

  it('every layer', () => {
    const layers = [
      new nn.Conv2d(2, 4, 3, { padding: 'same', groups: 2, bias: false }),
      new nn.Conv2d(2, 4, [2, 3], { stride: [2, 1], padding: 'valid', dilation: [1, 2] }),
      new nn.Conv2d(96, 256, 5, { padding: 2 }),
      new nn.MaxPool2d(3, { stride: 2 }),
      new nn.MaxPool2d([2, 3], { stride: 1, padding: 1, dilation: 2, ceilMode: true }),
      new nn.AvgPool2d(2),
      new nn.AvgPool2d(3, { stride: 2, padding: 1 }),
      new nn.AdaptiveAvgPool2d(1),
      new nn.AdaptiveAvgPool2d([2, 3]),
      new nn.BatchNorm1d(4, { momentum: null }),
      new nn.BatchNorm2d(8, { eps: 1e-3, momentum: 0.01, affine: false, trackRunningStats: false }),
      new nn.Dropout(),
      new nn.Dropout(0.25),
      new nn.Flatten(),
      new nn.Flatten(0, 2),
      new nn.Identity(),
      new nn.ReLU(),
      new nn.ReLU({ inplace: true }),
      new nn.LeakyReLU(),
      new nn.LeakyReLU(0.2),
      new nn.Sigmoid(),
      new nn.Tanh(),
      new nn.GELU(),
      new nn.GELU({ approximate: 'tanh' }),
      new nn.Softmax(),
      new nn.Softmax(1),
      new nn.LogSoftmax(-1),
      new nn.Linear(4, 4),
      new nn.Linear(3, 1, { bias: false }),
      new nn.MSELoss(),
      new nn.L1Loss(),
      new nn.CrossEntropyLoss(),
      new nn.NLLLoss(),
      new nn.BCELoss(),
      new nn.BCEWithLogitsLoss(),
    ];
    expect(layers.map(String)).toEqual(S.reprs.layers);
  });
});
