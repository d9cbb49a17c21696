import { Resvg } from '@resvg/resvg-js';
import type { LineChartOptions } from '../plot/line-chart.js';
import { lineChartSvg } from '../plot/render.js';
import { writeFileAtomic } from './atomic.js';

/** Converts an SVG document to PNG bytes with resvg (2× scale for crisp text). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  return new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: scale } }).render().asPng();
}

/**
 * Renders a line chart and writes it atomically as SVG or PNG, chosen by the file extension.
 * @example await savePlot({ series: [{ name: 'loss', x, y }], yScale: 'log' }, 'runs/a/loss.png')
 */
export async function savePlot(opts: LineChartOptions, path: string): Promise<void> {
  const lower = path.toLowerCase();
  if (!lower.endsWith('.svg') && !lower.endsWith('.png')) {
    throw new RangeError(`savePlot: ${path} must end in .svg or .png`);
  }
  const svg = await lineChartSvg(opts);
  writeFileAtomic(path, lower.endsWith('.svg') ? svg : svgToPng(svg));
}
