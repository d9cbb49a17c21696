/**
 * What a training run prints: a progress bar per epoch on a terminal (step, loss, running
 * accuracy, samples/s, ETA; redrawn in place), plain progress lines otherwise, and one summary
 * line per epoch.
 */

/** Where progress goes: a writable with an optional terminal width. */
export interface ProgressSink {
  write(text: string): void;
  /** True when this is a terminal (redraw the bar in place). */
  isTTY: boolean;
  /** Terminal width in characters, when known. */
  columns?: number;
}

/** `m:ss` or `h:mm:ss`; `--:--` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface StepInfo {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  acc: number;
  samplesPerSec: number;
  /** Seconds left in this epoch. */
  eta: number;
}

export interface Progress {
  /** A training step finished. */
  step(info: StepInfo): void;
  /** Clears the bar (before other output). */
  clear(): void;
  /** Prints a line (the epoch summary, a message), clearing the bar first. */
  line(text: string): void;
}

/**
 * Progress for `sink`: a bar redrawn at most every 100 ms on a terminal; otherwise a plain line
 * every `logEvery` steps, or (logEvery null) at most every 10 seconds, and none when logEvery is 0.
 */
export function createProgress(sink: ProgressSink, opts: { prefix?: string; logEvery?: number | null } = {}): Progress {
  const prefix = opts.prefix ? `${opts.prefix} ` : '';
  let drawn = false;
  let lastDraw = 0;
  let lastLine = performance.now();
  const text = (i: StepInfo) =>
    `loss ${i.loss.toFixed(4)} acc ${i.acc.toFixed(4)} ${Math.round(i.samplesPerSec)} samples/s ETA ${formatDuration(i.eta)}`;
  return {
    step(i) {
      const now = performance.now();
      if (sink.isTTY) {
        if (now - lastDraw < 100 && i.step < i.steps) return;
        lastDraw = now;
        const head = `${prefix}epoch ${i.epoch}/${i.epochs} `;
        const tail = ` ${String(i.step).padStart(String(i.steps).length)}/${i.steps} ${text(i)}`;
        const cols = sink.columns !== undefined && sink.columns > 0 ? sink.columns : 100;
        // The bar takes what the line leaves (up to 30 characters), and goes when nothing is left.
        const barWidth = Math.min(30, cols - 1 - head.length - tail.length - 2);
        let bar = '';
        if (barWidth >= 5) {
          const filled = Math.floor((barWidth * i.step) / i.steps);
          bar = `[${'='.repeat(filled)}${filled < barWidth ? '>' : ''}${' '.repeat(Math.max(0, barWidth - filled - 1))}]`;
        }
        sink.write(`\r\x1b[K${(head + bar + tail).slice(0, cols - 1)}`);
        drawn = true;
        return;
      }
      const every = opts.logEvery;
      const due = every === null || every === undefined ? now - lastLine >= 10_000 : every > 0 && i.step % every === 0;
      if (!due || i.step === i.steps) return;
      lastLine = now;
      sink.write(`${prefix}epoch ${i.epoch}/${i.epochs} step ${i.step}/${i.steps} ${text(i)}\n`);
    },
    clear() {
      if (drawn) sink.write('\r\x1b[K');
      drawn = false;
    },
    line(t) {
      this.clear();
      lastLine = performance.now();
      sink.write(`${prefix}${t}\n`);
    },
  };
}
