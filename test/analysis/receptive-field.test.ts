import { describe, expect, it } from 'vitest';
import { analysis, cat, nn, type Tensor } from '../../src/index.js';

const conv = (k: number | [number, number], opts: nn.Conv2dOptions = {}) => new nn.Conv2d(1, 1, k, opts);

/** x + body(x). */
class Residual extends nn.Module<[Tensor], Tensor> {
  constructor(
    readonly a: nn.AnyModule,
    readonly b: nn.AnyModule,
  ) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return (this.a.call(x) as Tensor).add(this.b.call(x) as Tensor);
  }
}

describe('receptiveField', () => {
  it('keeps dilation holes and reports them', () => {
    const rf = analysis.receptiveField(conv(3, { dilation: 2, padding: 2 }), [1, 1, 12, 12]);
    const r = rf.at([0, 0, 5, 0]);
    expect(r.dims[0]).toMatchObject({
      range: [3, 7],
      contiguous: false,
      holes: [
        [4, 4],
        [6, 6],
      ],
      unclipped: [3, 7],
    });
    expect(r.dims[1]).toMatchObject({ range: [0, 2], holes: [[1, 1]], padding: { before: [-2, -1], after: null } });
    expect(r.count).toBe(3 * 2);
    expect(rf.output.fields[0]).toEqual({ size: [5, 5], jump: [1, 1], start: [-2, -2], centre: [0, 0] });
  });

  it('finds the holes of strides larger than the kernel', () => {
    const net = new nn.Sequential(conv(1, { stride: 3 }), conv(2));
    const r = analysis.receptiveField(net, [1, 1, 10, 10]).at([0, 0, 1, 1]);
    expect(r.dims[0]).toMatchObject({ range: [3, 6], contiguous: false, holes: [[4, 5]] });
    expect(r.rectangular).toBe(true);
  });

  it('clips after every layer: input rows a floor-mode layer drops are unused, not in the range', () => {
    // 11 rows → conv k2 s2 reads rows 0..9 only; the next conv's padding reaches "row 10".
    const net = new nn.Sequential(conv([2, 1], { stride: [2, 1] }), conv([3, 1], { padding: [1, 0] }));
    const r = analysis.receptiveField(net, [1, 1, 11, 1]).at([0, 0, 4, 0]);
    expect(r.dims[0]).toMatchObject({ range: [6, 9], unclipped: [6, 11], padding: { before: null, after: [11, 11] }, unused: [[10, 10]] });
  });

  it("handles 'same' padding with an even kernel (asymmetric: one more row at the bottom)", () => {
    const rf = analysis.receptiveField(conv([4, 1], { padding: 'same' }), [1, 1, 8, 3]);
    expect(rf.output.fields[0]).toMatchObject({ size: [4, 1], start: [-1, 0], centre: [0.5, 0] });
    expect(rf.at([0, 0, 0, 0]).dims[0]).toMatchObject({ range: [0, 2], padding: { before: [-1, -1], after: null } });
    expect(rf.at([0, 0, 7, 0]).dims[0]).toMatchObject({ range: [6, 7], padding: { before: null, after: [8, 9] } });
    expect(rf.output.padding[0]).toEqual([1, 2]);
    expect(rf.output.paddedOutputs[0]).toEqual([1, 2]);
  });

  it('handles ceil mode: the last window hangs over the edge', () => {
    const rf = analysis.receptiveField(new nn.MaxPool2d(2, { ceilMode: true }), [1, 1, 5, 5]);
    expect(rf.outputShape).toEqual([1, 1, 3, 3]);
    expect(rf.at([0, 0, 2, 1]).dims[0]).toMatchObject({ range: [4, 4], unclipped: [4, 5], padding: { after: [5, 5] } });
    expect(rf.at([0, 0, 2, 1]).dims[1]).toMatchObject({ range: [2, 3] });
  });

  it('follows groups: a grouped conv reads only its group’s channels', () => {
    const rf = analysis.receptiveField(new nn.Conv2d(4, 6, 1, { groups: 2 }), [1, 4, 3, 3]);
    expect(rf.at([0, 1, 1, 1]).channels).toEqual([[0, 1]]);
    expect(rf.at([0, 4, 1, 1]).channels).toEqual([[2, 3]]);
  });

  it('takes the union of concatenated Inception branches and says whether they are aligned', () => {
    const rf = analysis.receptiveField(analysis.inceptionBottleneck({ inChannels: 4 }), [1, 4, 10, 10]);
    const top = rf.output;
    expect(top.fields.map((f) => f.size[0]).sort()).toEqual([1, 3, 5]);
    expect(top.aligned).toBe(true);
    expect(top.union).toMatchObject({ size: [5, 5], start: [-2, -2], jump: [1, 1] });
    // Channels 0..127 come from the 1×1 branch, 128..319 from the 3×3 one, 320..415 from the 5×5 one.
    expect(rf.at([0, 5, 5, 5]).dims[0].range).toEqual([5, 5]);
    expect(rf.at([0, 200, 5, 5]).dims[0].range).toEqual([4, 6]);
    expect(rf.at([0, 400, 5, 5]).dims[0].range).toEqual([3, 7]);
    expect(rf.at([0, 470, 5, 5]).dims[0].range).toEqual([4, 6]); // pool branch: 3×3 max-pool then 1×1
    expect(rf.at([0, 470, 0, 0]).dims[0]).toMatchObject({ range: [0, 1], padding: { before: [-1, -1] } });
    // The unclipped range and the padding follow the branch the channel comes from.
    expect(rf.at([0, 5, 0, 0]).dims[0]).toMatchObject({ range: [0, 0], unclipped: [0, 0], padding: { before: null } });
    expect(rf.at([0, 400, 0, 0]).dims[0]).toMatchObject({ range: [0, 2], unclipped: [-2, 2], padding: { before: [-2, -1] } });
  });

  it('flags unaligned branches and unions that are not boxes', () => {
    // Even and odd 'same' kernels: centres differ by half a pixel.
    const unaligned = new analysis.Inception({ a: conv(2, { padding: 'same' }), b: conv(3, { padding: 'same' }) });
    const rf = analysis.receptiveField(new nn.Sequential(unaligned, new nn.Conv2d(2, 1, 1)), [1, 1, 9, 9]);
    expect(rf.layers.find((l) => l.name === '0')?.aligned).toBe(false);
    expect(analysis.formatReceptiveField(rf)).toContain('NOT aligned');
    // 1×5 + 5×1 branches added: a cross, 9 pixels, not a box.
    const cross = new Residual(conv([1, 5], { padding: [0, 2] }), conv([5, 1], { padding: [2, 0] }));
    const r = analysis.receptiveField(cross, [1, 1, 9, 9]).at([0, 0, 4, 4]);
    expect(r.count).toBe(9);
    expect(r.rectangular).toBe(false);
    expect(r.dims.map((d) => d.range)).toEqual([
      [2, 6],
      [2, 6],
    ]);
    expect(analysis.formatRanges(r)).toMatch(/not a box: 9 elements in 2 boxes/);
  });

  it('is global after a flatten and a linear layer', () => {
    const rf = analysis.receptiveField(analysis.lenet(), [1, 1, 28, 28]);
    expect(rf.output.kind).toBe('global');
    expect(rf.layers.find((l) => l.name === '5')?.kind).toBe('field');
    const r = rf.at([0, 3]);
    expect(r.dims.map((d) => d.range)).toEqual([
      [0, 27],
      [0, 27],
    ]);
    expect(r.dims[0].unclipped).toBeNull();
    expect(r.count).toBe(28 * 28);
    expect(rf.warnings).toEqual([]);
    // The flatten's output element 0 is channel 0 at (0, 0) of the last pooling's output.
    // conv 5 (pad 2) → pool 2 → conv 5 → pool 2: a 16-pixel field starting at −2, clipped to 0..13.
    const f = rf.at([0, 0], { layer: '6' });
    expect(f.dims.map((d) => d.range)).toEqual([
      [0, 13],
      [0, 13],
    ]);
    expect(f.channels).toEqual([[0, 0]]);
    expect(f.dims[0].unclipped).toBeNull(); // a flattened tensor has no spatial field
    const g = rf.at([0, 0, 0], { layer: '5' });
    expect(g.dims[0]).toMatchObject({ range: [0, 13], unclipped: [-2, 13], padding: { before: [-2, -1], after: null } });
  });

  it('speaks 1-based on request and names bad queries', () => {
    const net = new nn.Sequential({ conv1: conv(3, { padding: 1 }) });
    const rf = analysis.receptiveField(net, [1, 1, 6, 6]);
    expect(rf.at([1, 1, 1], { layer: 'conv1', base: 1 }).dims[0]).toMatchObject({ range: [1, 2], padding: { before: [0, 0] } });
    expect(rf.at([0, 0, 0], { layer: 'conv1' }).dims[0]).toMatchObject({ range: [0, 1], padding: { before: [-1, -1] } });
    expect(() => rf.at([0, 6, 0])).toThrow(/outside the output of shape \[1, 1, 6, 6\] at dim 2/);
    expect(() => rf.at([0, 0, 0], { layer: 'conv9' })).toThrow(/no call 1 of a layer "conv9" \(layers: conv1\)/);
    expect(analysis.formatRanges(rf.at([1, 1, 1], { base: 1 }))).toBe(
      'c ∈ [1, 1], m ∈ [1, 2], n ∈ [1, 2]  (m: padding [0, 0]; n: padding [0, 0])',
    );
  });

  it('answers per call of a shared module, and for functional ops on the input', () => {
    const shared = conv(3, { padding: 1 });
    class Twice extends nn.Module<[Tensor], Tensor> {
      c = shared;
      override forward(x: Tensor): Tensor {
        return cat([this.c.call(this.c.call(x.relu())), x.mul(2)], 1);
      }
    }
    const rf = analysis.receptiveField(new Twice(), [1, 1, 8, 8]);
    expect(rf.at([0, 0, 4, 4], { layer: 'c', call: 1 }).dims[0].range).toEqual([3, 5]);
    expect(rf.at([0, 0, 4, 4], { layer: 'c', call: 2 }).dims[0].range).toEqual([2, 6]);
    expect(rf.at([0, 1, 4, 4]).dims[0].range).toEqual([4, 4]);
    expect(rf.output.aligned).toBe(true);
    expect(JSON.parse(JSON.stringify(rf)).layers.length).toBe(3);
  });
});
