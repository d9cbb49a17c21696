import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { savePlot } from '../../src/nodejs/plot-file.js';
import { lineChartSpec, lineChartSvg } from '../../src/plot/index.js';

const series = [
  { name: 'sigmoid', x: [1, 2, 3, 4], y: [1e-1, 1e-3, 1e-5, 1e-7] },
  { name: 'relu', x: [1, 2, 3, 4], y: [0.5, 0.4, 0.45, 0.5] },
];

describe('line charts', () => {
  it('builds a Vega-Lite spec with the requested scales and all finite points', () => {
    const spec = lineChartSpec({ series: [...series, { name: 'diverged', x: [1, 2], y: [1, Number.NaN] }], yScale: 'log', yLabel: 'norm' });
    const enc = (spec as { encoding: { y: { scale: { type: string }; title: string } } }).encoding;
    expect(enc.y.scale.type).toBe('log');
    expect(enc.y.title).toBe('norm');
    expect((spec as { data: { values: unknown[] } }).data.values).toHaveLength(9);
  });

  it('rejects data a log axis cannot show, and mismatched lengths', () => {
    expect(() => lineChartSpec({ series: [{ name: 'a', x: [1], y: [0] }], yScale: 'log' })).toThrow(
      'lineChart: series "a" has y = 0, which a log-scale y axis cannot show',
    );
    expect(() => lineChartSpec({ series: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(/2 x values but 1 y values/);
  });

  it('renders SVG with one line per series and a legend', async () => {
    const svg = await lineChartSvg({ series, yScale: 'log', title: 'gradient norm by layer' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('gradient norm by layer');
    expect(svg).toContain('sigmoid');
    expect(svg).toContain('relu');
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(2);
  });

  it('writes PNG and SVG files atomically, leaving no temp files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-plot-'));
    await savePlot({ series }, join(dir, 'a.png'));
    await savePlot({ series }, join(dir, 'a.svg'));
    const png = readFileSync(join(dir, 'a.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBeGreaterThan(480); // width from the IHDR chunk
    expect(readFileSync(join(dir, 'a.svg'), 'utf8').startsWith('<svg')).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['a.png', 'a.svg']);
    await expect(savePlot({ series }, join(dir, 'a.jpg'))).rejects.toThrow(/must end in .svg or .png/);
  });
});
