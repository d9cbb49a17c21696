import { describe, expect, it } from 'vitest';

describe('public entry points', () => {
  it('nabla exports the data and io namespaces', async () => {
    const nabla = await import('../../src/index.js');
    expect(typeof nabla.data.DataLoader).toBe('function');
    expect(typeof nabla.data.TensorDataset).toBe('function');
    expect(typeof nabla.data.toTensor).toBe('function');
    expect(typeof nabla.data.withRandomLabels).toBe('function');
    expect(typeof nabla.io.serialize).toBe('function');
    expect(typeof nabla.io.deserialize).toBe('function');
  });

  it('nabla/node exports the file readers and checkpoints', async () => {
    const node = await import('../../src/nodejs/index.js');
    for (const name of ['loadMnist', 'readIdx', 'loadIdxDataset', 'save', 'load', 'loadWithMetadata'] as const) {
      expect(typeof node[name]).toBe('function');
    }
  });
});
