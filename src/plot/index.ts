/**
 * Charts for nabla's examples and reports: Vega-Lite specifications rendered to SVG by Vega.
 * Import from `nabla/plot` (kept out of the core entry so the core bundle stays small); PNG files
 * come from `savePlot` in `nabla/node`.
 */
export { type LineChartOptions, lineChartSpec, type ScaleType, type Series } from './line-chart.js';
export { lineChartSvg } from './render.js';
