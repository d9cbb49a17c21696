/**
 * Exercise 6's AlexNet training set-up that the Node AlexNet benchmarks share: batch 64 of 1×28×28
 * random inputs and labels, SGD with lr 0.01, cross-entropy, all drawn after `manualSeed(0)`.
 * (bench/wasm-browser-entry.ts repeats it over the sources it bundles.)
 */
import { alexnet } from '../dist/src/analysis/models.js';
import { manualSeed, nn, optim, rand, randint } from '../dist/src/index.js';

export function alexnetSetup(batch = 64) {
  manualSeed(0);
  const model = alexnet();
  return {
    batch,
    model,
    opt: new optim.SGD(model.parameters(), { lr: 0.01 }),
    lossFn: new nn.CrossEntropyLoss(),
    x: rand([batch, 1, 28, 28]),
    y: randint(0, 10, [batch]),
  };
}
