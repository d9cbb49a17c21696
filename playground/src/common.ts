/** What every playground page shares: the navigation bar, form helpers and charts. */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { type LineChartOptions, lineChartSpec } from '../../src/plot/line-chart.js';
import './style.css';

export const PAGES: [file: string, title: string][] = [
  ['index.html', 'nabla playground'],
  ['01-backprop.html', '1 Backprop'],
  ['02-vanishing-gradients.html', '2 Vanishing gradients'],
  ['03-momentum-forms.html', '3 Momentum'],
  ['04-receptive-field.html', '4 Receptive fields'],
  ['05-inception.html', '5 Inception'],
  ['06-memorize.html', '6 Memorization'],
];

/** Adds the navigation bar above the page's <main>. */
export function nav(current: string): void {
  const header = document.createElement('header');
  const navEl = document.createElement('nav');
  navEl.setAttribute('aria-label', 'exercises');
  for (const [file, title] of PAGES) {
    const a = document.createElement('a');
    a.href = `./${file}`;
    a.textContent = title;
    if (file === current) a.setAttribute('aria-current', 'page');
    navEl.append(a);
  }
  header.append(navEl);
  document.body.prepend(header);
}

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: no element #${id}`);
  return el as T;
}

/** A number input's value, checked against its min/max/step attributes; throws a message naming the label. */
export function numberInput(id: string): number {
  const el = byId<HTMLInputElement>(id);
  const label = el.closest('label')?.firstChild?.textContent?.trim() ?? id;
  const v = Number(el.value);
  if (el.value.trim() === '' || !Number.isFinite(v)) throw new Error(`${label}: expected a number, got '${el.value}'`);
  if (el.min !== '' && v < Number(el.min)) throw new Error(`${label}: must be at least ${el.min}, got ${v}`);
  if (el.max !== '' && v > Number(el.max)) throw new Error(`${label}: must be at most ${el.max}, got ${v}`);
  if (el.step === '1' || el.step === '') {
    if (!Number.isInteger(v)) throw new Error(`${label}: expected a whole number, got ${v}`);
  }
  return v;
}

export function selectValue(id: string): string {
  return byId<HTMLSelectElement>(id).value;
}

/** Shows an error message in #error (or clears it). */
export function showError(e: unknown): void {
  const el = byId('error');
  el.textContent = e === null ? '' : e instanceof Error ? e.message : String(e);
}

/**
 * Draws a line chart into `el` with Vega: the same Vega-Lite spec (plot/line-chart.ts) as the
 * CLI's SVG and PNG plots. `el.dataset.points` records how many points it shows.
 */
export async function drawChart(el: HTMLElement, opts: LineChartOptions): Promise<void> {
  const host = el as HTMLElement & { _view?: View };
  host._view?.finalize();
  el.replaceChildren();
  const view = new View(parse(compile(lineChartSpec(opts)).spec), { renderer: 'svg', container: el, hover: false });
  host._view = view;
  await view.runAsync();
  el.dataset.points = String(
    opts.series.reduce((n, s) => n + s.x.filter((x, i) => Number.isFinite(x) && Number.isFinite(s.y[i])).length, 0),
  );
}

/** Runs `fn` after the browser has painted (so a "computing…" note shows first). */
export function afterPaint(fn: () => void | Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    requestAnimationFrame(() =>
      setTimeout(() => {
        Promise.resolve().then(fn).then(resolve, reject);
      }, 0),
    );
  });
}

/** Marks the page as done with its first computation (the browser tests wait for it). */
export function markReady(): void {
  document.body.dataset.ready = 'true';
}
