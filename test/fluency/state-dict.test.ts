// State dicts move between nabla and PyTorch: a PyTorch-written safetensors file
// (tools/gen_fluency_fixtures.py) loads into the equivalent nabla module, written with
// camelCase fields, and nabla's stateDict() has exactly the keys and shapes PyTorch's strict
// load_state_dict checks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectClose, fx, load } from './fixture.js';
import { io, nn, type Tensor, zeros } from './imports.js';

const S = fx.state_dict;
const bytes = new Uint8Array(readFileSync(fileURLToPath(new URL('../fixtures/safetensors/torch_net_state.safetensors', import.meta.url))));

/** The PyTorch Net of the fixture, written as a nabla user writes it (camelCase fields). */
class Net extends nn.Module<[Tensor], Tensor> {
  conv1 = new nn.Conv2d(1, 4, 3, 1, 1);
  bn1 = new nn.BatchNorm2d(4);
  linearReluStack = new nn.Sequential(new nn.Linear(4 * 3 * 3, 8), new nn.ReLU(), new nn.Linear(8, 3));
  outNorm = new nn.LayerNorm(3);

  override forward(x: Tensor): Tensor {
    const y = nn.F.maxPool2d(this.bn1.call(this.conv1.call(x)).relu(), 2);
    return this.outNorm.call(this.linearReluStack.call(y.flatten(1)));
  }
}

describe('state dicts between nabla and PyTorch', () => {
  it('a PyTorch safetensors state dict loads strictly into the camelCase nabla module and computes the same', () => {
    const net = new Net();
    const res = net.loadStateDict(io.deserialize(bytes));
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(net.bn1.numBatchesTracked?.item()).toBe(2);
    net.eval();
    expectClose('forward after loading', net.call(load(S.probe)), S.probe_out, { rtol: 1e-4, atol: 1e-5 });
  });

  it("nabla's stateDict() has PyTorch's keys, order and shapes (what PyTorch's strict load checks), and survives safetensors", () => {
    const sd = new Net().stateDict();
    expect(Object.keys(sd)).toEqual(S.keys);
    expect(Object.values(sd).map((t) => [...t.shape])).toEqual(S.shapes);
    const back = io.deserialize(io.serialize(sd));
    expect(Object.keys(back).sort()).toEqual([...S.keys].sort());
  });

  it('old camelCase keys still load; unmatched keys are reported clearly', () => {
    const net = new Net();
    const camel: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(net.stateDict())) camel[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
    expect(Object.keys(camel)).toContain('bn1.runningMean');
    expect(net.loadStateDict(camel)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const renamed = { ...net.stateDict() } as Record<string, Tensor>;
    renamed['stack.0.weight'] = renamed['linear_relu_stack.0.weight'];
    delete renamed['linear_relu_stack.0.weight'];
    expect(() => net.loadStateDict(renamed)).toThrow(
      /Missing key\(s\) in state_dict: "linear_relu_stack.0.weight"\.\n\tUnexpected key\(s\) in state_dict: "stack.0.weight"\.\n\tPossible renames \(same name and shape, different module path\): "stack.0.weight" → "linear_relu_stack.0.weight"\?/,
    );
    expect(net.loadStateDict(renamed, { strict: false })).toEqual({
      missingKeys: ['linear_relu_stack.0.weight'],
      unexpectedKeys: ['stack.0.weight'],
    });
    expect(() => net.loadStateDict({ 'bn1.running_mean': zeros([4]), 'bn1.runningMean': zeros([4]) }, { strict: false })).toThrow(
      /keys "bn1.running_mean" and "bn1.runningMean" name the same entry/,
    );
    expect(() => net.loadStateDict({}, { strcit: false } as never)).toThrow(/loadStateDict: unknown option 'strcit'/);
  });
});
