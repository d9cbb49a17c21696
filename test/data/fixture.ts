// Loader for test/fixtures/data.json (written by tools/gen_data_fixtures.py from PyTorch 1.13).
import { readFileSync } from 'node:fs';

export interface SamplerCase {
  seed: number;
  n: number;
  noGenerator: number[];
  defaultAfter: number[];
  generatorEpoch1: number[];
  generatorEpoch2: number[];
}

export interface SplitCase {
  name: string;
  n: number;
  lengths: number[];
  seed: number;
  explicitGenerator: boolean;
  sizes: number[];
  indices?: number[][];
  heads?: number[][];
  checksums?: number[];
}

export interface DataFixture {
  command: string;
  sampler: SamplerCase[];
  samplerVariants: { replacement: number[]; numSamples25: number[]; numSamples4: number[]; numSamples4After: number[] };
  randomSplit: SplitCase[];
  loader: {
    shuffleDefault: {
      n: number;
      batchSize: number;
      length: number;
      firstBatch: number[];
      lastBatch: number[];
      epochChecksum: number;
      defaultAfterEpoch: number[];
      epoch2FirstBatch: number[];
    };
    shuffleGenerator: {
      n: number;
      batchSize: number;
      length: number;
      epoch1FirstBatch: number[];
      epoch1Checksum: number;
      epoch2FirstBatch: number[];
      epoch2Checksum: number;
      generatorAfter: number[];
    };
    sequentialDefaultAfterEpoch: number[];
    int64RandomSeeds: string[];
  };
  labels: {
    randomLabels: { seed: number; n: number; fraction: number; numClasses: number; indices: number[]; labels: number[] }[];
    fractionSubset: { n: number; fraction: number; seed: number; head: number[]; checksum: number };
  };
  transforms: {
    toTensor: number[];
    normalizeMnist: { mean: number[]; std: number[]; values: number[] };
    normalizeRgb: { mean: number[]; std: number[]; shape: number[]; values: number[] };
  };
  fashionMnist: Record<
    'train' | 'test',
    { shape: number[]; labelsHead: number[]; labelCounts: number[]; pixelSums: number[]; image0Row14: number[] }
  > | null;
}

export const fixture: DataFixture = JSON.parse(readFileSync(new URL('../fixtures/data.json', import.meta.url), 'utf8'));

/** sum((k + 1) * x_k), the fixture's order-sensitive checksum. */
export function checksum(xs: Iterable<number>): number {
  let k = 0;
  let s = 0;
  for (const x of xs) s += ++k * x;
  return s;
}
