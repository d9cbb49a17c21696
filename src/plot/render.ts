import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { type LineChartOptions, lineChartSpec } from './line-chart.js';

/** Renders a line chart to an SVG document with Vega (no DOM or canvas needed). */
export async function lineChartSvg(opts: LineChartOptions): Promise<string> {
  const view = new View(parse(compile(lineChartSpec(opts)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
