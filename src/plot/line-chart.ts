import type { TopLevelSpec } from 'vega-lite';

/** One line of a chart. */
export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
}

export type ScaleType = 'linear' | 'log';

/** A line chart: several named series over shared axes. */
export interface LineChartOptions {
  series: readonly Series[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  xScale?: ScaleType;
  yScale?: ScaleType;
  /** Plot area size in pixels (default 480×300). */
  width?: number;
  height?: number;
  /** Mark each data point (default true). */
  points?: boolean;
  /** Fixed y-axis range [min, max] (default: fitted to the data). */
  yDomain?: readonly [number, number];
}

function checkSeries(opts: LineChartOptions): void {
  if (opts.series.length === 0) throw new RangeError('lineChart: at least one series is required');
  for (const s of opts.series) {
    if (s.x.length !== s.y.length) {
      throw new RangeError(`lineChart: series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values`);
    }
    for (const [axis, scale, values] of [
      ['x', opts.xScale, s.x],
      ['y', opts.yScale, s.y],
    ] as const) {
      if (scale !== 'log') continue;
      const bad = values.find((v) => Number.isFinite(v) && v <= 0);
      if (bad !== undefined) {
        throw new RangeError(`lineChart: series "${s.name}" has ${axis} = ${bad}, which a log-scale ${axis} axis cannot show`);
      }
    }
  }
}

// Linear axes fit the data rather than starting at zero; log axes never include zero, and Vega
// warns when told `zero` for them.
const scale = (type: ScaleType = 'linear') => (type === 'log' ? { type } : { type, zero: false });

/**
 * The Vega-Lite specification of a line chart. Non-finite points are dropped (a diverged loss
 * leaves a gap rather than breaking the chart).
 */
export function lineChartSpec(opts: LineChartOptions): TopLevelSpec {
  checkSeries(opts);
  const values = opts.series.flatMap((s) =>
    s.x.map((x, i) => ({ x, y: s.y[i], series: s.name })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 480,
    height: opts.height ?? 300,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: opts.points ?? true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xLabel ?? 'x', scale: scale(opts.xScale) },
      y: {
        field: 'y',
        type: 'quantitative',
        title: opts.yLabel ?? 'y',
        scale: { ...scale(opts.yScale), ...(opts.yDomain ? { domain: [...opts.yDomain] } : {}) },
      },
      color: { field: 'series', type: 'nominal', title: null, sort: opts.series.map((s) => s.name) },
    },
  };
}
