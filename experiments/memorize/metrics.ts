/**
 * Per-epoch metrics: the bookkeeping of loss and accuracy over an epoch's batches, the files they
 * go to (metrics.jsonl, metrics.csv), and the "epochs/steps to reach an accuracy" analysis of
 * `--compare`.
 */

/** One epoch's results (one line of metrics.jsonl). */
export interface EpochMetrics {
  epoch: number;
  /** Optimizer steps since the start, at the end of this epoch. */
  steps: number;
  /** Mean training loss over the epoch's samples (each batch weighted by its size). */
  trainLoss: number;
  /** Correct predictions over all of the epoch's samples (running, in training mode). */
  trainAcc: number;
  /** Held-out loss and accuracy against the true labels, in eval mode (null without held-out data). */
  heldOutLoss: number | null;
  heldOutAcc: number | null;
  lr: number;
  /** Wall-clock seconds of the epoch's training steps, and its throughput. */
  seconds: number;
  samplesPerSec: number;
  /** Seconds of training since the start of the run, at the end of this epoch. */
  elapsed: number;
}

/** Fields that a resumed run reproduces exactly (timings are not among them). */
export const DETERMINISTIC_FIELDS = ['epoch', 'steps', 'trainLoss', 'trainAcc', 'heldOutLoss', 'heldOutAcc', 'lr'] as const;

/**
 * Sums over an epoch's batches: loss as the sample-weighted mean (batch mean × batch size, so a
 * short last batch counts for its size), accuracy as correct predictions over all samples.
 */
export class EpochAccumulator {
  lossSum = 0;
  correct = 0;
  seen = 0;

  constructor(init?: { lossSum: number; correct: number; seen: number }) {
    if (init) {
      this.lossSum = init.lossSum;
      this.correct = init.correct;
      this.seen = init.seen;
    }
  }

  /** Adds one batch: its mean loss, its number of correct predictions and its size. */
  add(meanLoss: number, correct: number, size: number): void {
    this.lossSum += meanLoss * size;
    this.correct += correct;
    this.seen += size;
  }

  get loss(): number {
    return this.seen === 0 ? Number.NaN : this.lossSum / this.seen;
  }

  get accuracy(): number {
    return this.seen === 0 ? Number.NaN : this.correct / this.seen;
  }
}

/**
 * Correct predictions in a batch: row-wise argmax of `logits` ([B, C], row-major) equal to
 * `labels` (the first maximum wins, as in PyTorch's argmax).
 */
export function countCorrect(logits: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number {
  let correct = 0;
  for (let r = 0; r < labels.length; r++) {
    const o = r * numClasses;
    let best = 0;
    let bestV = logits[o];
    for (let c = 1; c < numClasses; c++) {
      const v = logits[o + c];
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    if (best === labels[r]) correct++;
  }
  return correct;
}

export const CSV_COLUMNS = [
  'epoch',
  'steps',
  'trainLoss',
  'trainAcc',
  'heldOutLoss',
  'heldOutAcc',
  'lr',
  'seconds',
  'samplesPerSec',
  'elapsed',
] as const;

/** metrics.jsonl: one JSON object per epoch. */
export function metricsJsonl(rows: readonly EpochMetrics[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** metrics.csv: a header and one row per epoch (empty cells for null). */
export function metricsCsv(rows: readonly EpochMetrics[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map((c) => (r[c] === null ? '' : String(r[c]))).join(','));
  return `${lines.join('\n')}\n`;
}

/** Parses metrics.jsonl, naming the file and line of a bad entry. */
export function parseMetricsJsonl(text: string, where: string): EpochMetrics[] {
  const rows: EpochMetrics[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      throw new Error(`${where}:${i + 1}: not valid JSON`);
    }
    const o = r as Partial<EpochMetrics>;
    if (typeof o !== 'object' || o === null || typeof o.epoch !== 'number' || typeof o.trainAcc !== 'number') {
      throw new Error(`${where}:${i + 1}: not a metrics row (needs epoch, trainAcc, …)`);
    }
    rows.push(o as EpochMetrics);
  });
  return rows;
}

/** When a run first reached a training accuracy. */
export interface Reached {
  threshold: number;
  /** First epoch whose training accuracy is ≥ threshold, or null if none did. */
  epoch: number | null;
  /** Optimizer steps at the end of that epoch. */
  steps: number | null;
}

export function firstReached(rows: readonly EpochMetrics[], threshold: number): Reached {
  const r = rows.find((m) => m.trainAcc >= threshold);
  return { threshold, epoch: r?.epoch ?? null, steps: r?.steps ?? null };
}

/** Zhang's headline figure: how much longer random labels take to fit than true ones. */
export interface Slowdown {
  threshold: number;
  random: Reached;
  true: Reached;
  /** random steps ÷ true steps (null when either run never reached the threshold). */
  ratio: number | null;
}

export function slowdown(randomRows: readonly EpochMetrics[], trueRows: readonly EpochMetrics[], thresholds = [0.5, 0.95]): Slowdown[] {
  return thresholds.map((t) => {
    const r = firstReached(randomRows, t);
    const u = firstReached(trueRows, t);
    const ratio = r.steps !== null && u.steps !== null && u.steps > 0 ? r.steps / u.steps : null;
    return { threshold: t, random: r, true: u, ratio };
  });
}

/** "epoch 12 (1,200 steps)" or "not reached in 40 epochs". */
export function describeReached(r: Reached, epochs: number): string {
  return r.epoch === null ? `not reached in ${epochs} epochs` : `epoch ${r.epoch} (${r.steps?.toLocaleString('en-US')} steps)`;
}
