/**
 * docs/exercises.md exercise 3: Form I (HeavyBall) and Form II (SGD momentum) give the same iterates on a
 * real network when α is constant, and differ once α changes mid-run, by exactly the term the
 * derivation in examples/03-momentum-forms.ts names.
 */
import { describe, expect, it } from 'vitest';
import { makeData, momentumFormsExample, train } from '../../examples/03-momentum-forms.js';
import { noGrad, type optim, type Tensor } from '../../src/index.js';

describe('exercise 3: two forms of momentum', () => {
  const result = momentumFormsExample();

  it('constant α: the same parameters after 100 steps (float64, ≤ 1e-12 relative)', () => {
    expect(result.constant.lrs.length).toBe(100);
    expect(result.constant.formI[0].dtype).toBe('float64');
    expect(result.constant.maxRelDiff).toBeLessThanOrEqual(1e-12);
    // Training happened: the loss fell.
    const l = result.constant.lossesII;
    expect(l[l.length - 1]).toBeLessThan(0.5 * l[0]);
  });

  it('α changed mid-run: the parameters differ', () => {
    expect(result.changed.maxRelDiff).toBeGreaterThan(1e-3);
    // Form II shrinks its first step after the drop by the full factor; Form I keeps the old momentum.
    expect(result.stepAfterChange.formII).toBeLessThan(0.5 * result.stepAfterChange.formI);
  });

  it('the first step after the change differs by −β(α_k − α_{k−1}) v_k', () => {
    const data = makeData();
    const k = 10;
    const beta = 0.9;
    const lrs = [...new Array(k).fill(0.05), 0.02, 0.02];
    const snap = (ps: Tensor[]) => ps.map((p) => p.detach().clone());
    const seen: Record<string, { before: Tensor[]; after: Tensor[]; v?: Tensor[] }> = {
      I: { before: [], after: [] },
      II: { before: [], after: [] },
    };
    for (const form of ['I', 'II'] as const) {
      train(form, data, lrs, beta, (step, ps, opt) => {
        if (step === k) {
          seen[form].before = snap(ps);
          if (form === 'II')
            seen[form].v = ps
              .map((p) => ((opt as optim.SGD).state.get(p) as optim.SGDState).momentumBuffer as Tensor)
              .map((v) => v.clone());
        }
        if (step === k + 1) seen[form].after = snap(ps);
      });
    }
    noGrad(() => {
      seen.I.before.forEach((b, j) => {
        const dI = seen.I.after[j].sub(b);
        const dII = seen.II.after[j].sub(seen.II.before[j]);
        const predicted = (seen.II.v as Tensor[])[j].mul(-beta * (0.02 - 0.05));
        const err = dII.sub(dI).sub(predicted).abs().max().item();
        expect(err).toBeLessThanOrEqual(1e-10 * predicted.abs().max().item());
      });
    });
  });
});
