import { describe, expect, it } from 'vitest';
import { analysis, nn, randn, softmax, tensor } from '../../src/index.js';
import { tracing } from '../../src/ops/trace.js';

function record(fn: () => void): analysis.OpEvent[] {
  const events: analysis.OpEvent[] = [];
  const stop = analysis.onOp((e) => events.push(e));
  try {
    fn();
  } finally {
    stop();
  }
  return events;
}

describe('op trace', () => {
  it('is off unless a listener is installed', () => {
    expect(tracing).toBe(false);
    const stop = analysis.onOp(() => {});
    expect(tracing).toBe(true);
    stop();
    expect(tracing).toBe(false);
  });

  it('reports each op once, not the ops it is built from', () => {
    const x = randn([2, 5]);
    const events = record(() => {
      softmax(x, 1);
      x.mean({ dim: 0 });
      x.relu().sum();
    });
    expect(events.map((e) => e.op)).toEqual(['softmax', 'mean', 'relu', 'sum']);
    expect(events[0].inputs[0]).toBe(x);
    expect(events[0].outputs[0].shape).toEqual([2, 5]);
    expect(events[1].attrs).toEqual({ dim: 0, keepdim: false });
  });

  it('reports functional ops, tensor methods, views and number operands', () => {
    const w = randn([3, 4]);
    const x = randn([2, 4]);
    const events = record(() => {
      const y = nn.F.linear(x, w);
      y.mul(2).reshape([6]);
    });
    expect(events.map((e) => e.op)).toEqual(['t', 'matmul', 'mul', 'reshape']);
    expect(events[2].inputs[1]).toBeNull(); // the number 2
  });

  it('resolves conv and pooling geometry into attrs', () => {
    const conv = new nn.Conv2d(2, 3, [4, 3], { padding: 'same', dilation: [1, 2] });
    const [e] = record(() => conv.call(randn([1, 2, 8, 8])));
    expect(e.op).toBe('conv2d');
    expect(e.attrs).toMatchObject({ padTop: 1, padBottom: 2, padLeft: 2, padRight: 2, dilationW: 2, kernelH: 4 });
    const [p] = record(() => nn.F.maxPool2d(randn([1, 1, 5, 5]), { kernelSize: 2, ceilMode: true }));
    expect(p.attrs).toMatchObject({ outH: 3, ceilMode: true });
  });

  it("doesn't report the listener's own ops, and recovers from an op that throws", () => {
    const seen: string[] = [];
    const stop = analysis.onOp((e) => {
      seen.push(e.op);
      e.outputs[0].add(1); // not reported
    });
    try {
      expect(() => tensor([1, 2]).add(tensor([1, 2, 3]))).toThrow(/add/);
      tensor([1, 2]).neg();
    } finally {
      stop();
    }
    expect(seen).toEqual(['neg']);
    expect(tracing).toBe(false);
  });
});
