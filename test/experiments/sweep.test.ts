// nabla sweep, in process: the grid (flags, JSON files, presets), option checks, Redis
// addresses and the unreachable-Redis error, the summary's randomization names, and Zhang et
// al.'s three figures from synthetic results.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/command.js';
import type { EpochMetrics } from '../../experiments/memorize/metrics.js';
import { renderFigures, type SweepResults } from '../../experiments/sweep/figures.js';
import { expand, overrideSpec, parseSpecJson, SWEEP_PRESETS } from '../../experiments/sweep/grid.js';
import { parseSweepArgs } from '../../experiments/sweep/options.js';
import { jobId } from '../../experiments/sweep/queue.js';
import { checkRedis, parseRedisUrl } from '../../experiments/sweep/redis.js';
import { runSweep } from '../../experiments/sweep/run.js';
import { type PointSummary, randomizationOf } from '../../experiments/sweep/summary.js';

const usage = async (f: () => unknown): Promise<string> => {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('no UsageError');
};
const sweep = (args: string[]) =>
  runSweep(parseSweepArgs(['--sweeps-dir', '/nonexistent/sweeps', ...args]), { say: () => {}, signal: { stop: false }, argv: [] });

describe('the grid', () => {
  it("zhang-small: six corruption levels and three pixel randomizations, Figure 1's nine points", () => {
    const points = expand(SWEEP_PRESETS['zhang-small'].spec);
    expect(points.map((p) => p.name)).toEqual([
      'corrupt-0_pixels-none',
      'corrupt-0.2_pixels-none',
      'corrupt-0.4_pixels-none',
      'corrupt-0.6_pixels-none',
      'corrupt-0.8_pixels-none',
      'corrupt-1_pixels-none',
      'corrupt-0_pixels-shuffled',
      'corrupt-0_pixels-random',
      'corrupt-0_pixels-gaussian',
    ]);
    expect(points[1].options).toMatchObject({ model: 'mlp', corrupt: '0.2', pixels: 'none', epochs: '50' });
  });

  it('flags replace the preset: one value for all points, several values an axis of every grid', () => {
    const spec = overrideSpec(SWEEP_PRESETS['zhang-small'].spec, { epochs: ['5'], seed: ['0', '1'], corrupt: ['0', '1'] });
    const points = expand(spec);
    expect(points).toHaveLength(2 * 2 + 3 * 2 * 2); // (corrupt × seed) + (pixels × corrupt × seed)
    expect(points[0]).toEqual({ name: 'corrupt-0_pixels-none_seed-0', options: expect.objectContaining({ epochs: '5', seed: '0' }) });
    expect(points.map((p) => p.name)).toContain('corrupt-0_pixels-gaussian_seed-1');
  });

  it('reads JSON files; the points of overlapping grids are counted once', () => {
    const spec = parseSpecJson(
      JSON.stringify({ base: { model: 'mlp', epochs: 2 }, grid: [{ corrupt: [0, 0.5] }, { corrupt: 0, lr: [0.01] }] }),
      'g.json',
    );
    expect(spec).toEqual({ base: { model: 'mlp', epochs: '2' }, grids: [{ corrupt: ['0', '0.5'] }, { corrupt: ['0'], lr: ['0.01'] }] });
    expect(expand(spec).map((p) => p.name)).toEqual(['corrupt-0_lr-default', 'corrupt-0.5_lr-default', 'corrupt-0_lr-0.01']);
    expect(expand(parseSpecJson('{"grid": {"seed": [1, 1]}}', 'g')).map((p) => p.name)).toEqual(['seed-1']);
  });

  it('rejects bad grids naming the file, the key or the point', async () => {
    expect(await usage(() => parseSpecJson('{', 'g.json'))).toMatch(/^g\.json: not valid JSON/);
    expect(await usage(() => parseSpecJson('{"base": {}}', 'g.json'))).toMatch(/no "grid"/);
    expect(await usage(() => parseSpecJson('{"grid": {"corrupt": []}}', 'g.json'))).toBe('g.json: grid.corrupt: an empty list of values');
    expect(await usage(() => parseSpecJson('{"grid": {"name": ["a"]}}', 'g.json'))).toBe(
      "g.json: grid: 'name' is set by nabla sweep for each point and cannot be part of a grid",
    );
    expect(await usage(() => parseSpecJson('{"grid": [{"lr": [0.1]}, {"lr": [true]}]}', 'g.json'))).toBe(
      'g.json: grid[1].lr[0]: expected a number or a non-empty string, got true',
    );
    expect(await usage(() => expand(parseSpecJson('{"grid": {"lr": [0.1, -1]}}', 'g')))).toBe(
      'point lr--1: --lr: must be positive, got -1',
    );
    expect(await usage(() => expand(parseSpecJson('{"grid": {"colour": ["red"]}}', 'g')))).toBe(
      "point colour-red: Unknown option '--colour'",
    );
  });
});

describe('options', () => {
  it('parses the sweep options and the memorize options with their values', () => {
    const p = parseSweepArgs(['--preset', 'zhang-small', '--corrupt=0,1', '--seed', '3', '--workers', '2', '--name', 'x']);
    expect(p).toMatchObject({
      preset: 'zhang-small',
      flags: { corrupt: ['0', '1'], seed: ['3'] },
      workers: 2,
      name: 'x',
      queue: null,
      compare: null,
    });
    expect(parseSweepArgs(['--compare', 'a', 'b', '--out', 'o'])).toMatchObject({ compare: ['a', 'b'], out: 'o' });
  });

  it('rejects bad or conflicting options with one line', async () => {
    const cases: [string[], string | RegExp][] = [
      [['--workers', '0'], "--workers: expected a positive integer, got '0'"],
      [['--threads', '1.5'], "--threads: expected a positive integer, got '1.5'"],
      [['--corrupt', '0,,1'], "--corrupt: empty value in '0,,1'"],
      [['--corrupt', '0,0'], "--corrupt: '0,0' repeats a value"],
      [['--seed', '1', '--seed', '2'], '--seed is given twice'],
      [['--epochs'], '--epochs: missing value'],
      [['somewhere'], "unexpected argument 'somewhere' (sweep folders are given with --compare)"],
      [['--out', 'x'], '--out applies to --compare'],
      [['--compare'], '--compare: give the sweep folders to overlay'],
      [['--compare', 'a', '--seed', '1'], '--compare overlays finished sweeps; --seed does not apply'],
      [['--preset', 'zhang-small', '--grid', 'g.json'], '--preset and --grid both give the grid; give one of them'],
      [['--preset', 'big'], "--preset: expected one of zhang-small, zhang-cnn, got 'big'"],
      [
        ['--queue', 'redis://h:1', '--workers', '2'],
        /--workers sets local workers; with --queue the points run on `nabla worker` processes/,
      ],
      [['--name', '..'], "--name: '..' is not a valid folder name (no slashes)"],
    ];
    for (const [args, want] of cases) expect(await usage(() => parseSweepArgs(args)), args.join(' ')).toMatch(want);
  });

  it('checks every point before anything runs', async () => {
    expect(await usage(() => sweep(['--corrupt', '0,2']))).toBe('point corrupt-2: --corrupt: must be in [0, 1], got 2');
    expect(await usage(() => sweep(['--model', 'mlp']))).toMatch(
      /^nothing to sweep: give --preset NAME, --grid FILE, or an option with several values/,
    );
    expect(await usage(() => sweep(['--grid', '/nonexistent/g.json']))).toBe('--grid: /nonexistent/g.json: no such file');
    expect(await usage(() => sweep(['--corrupt', '0,1', '--resume', 'x']))).toMatch(/'resume' is set by nabla sweep for each point/);
  });
});

describe('the queue', () => {
  it('reads redis:// addresses', async () => {
    expect(parseRedisUrl('redis://10.0.0.5:6380')).toMatchObject({ host: '10.0.0.5', port: 6380, db: 0, display: 'redis://10.0.0.5:6380' });
    expect(parseRedisUrl('redis://:s3cret@redis.example/2')).toMatchObject({
      host: 'redis.example',
      port: 6379,
      password: 's3cret',
      db: 2,
    });
    expect(parseRedisUrl('redis://:s3cret@redis.example/2').display).not.toContain('s3cret');
    expect(await usage(() => parseRedisUrl('localhost:6379'))).toMatch(/--queue: expected a redis:\/\/HOST:PORT URL/);
    expect(await usage(() => parseRedisUrl('redis://h:1/x'))).toBe("--queue: 'x' is not a Redis database number");
  });

  it('says where Redis was expected and what to start when nothing answers', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const msg = await usage(() => checkRedis(parseRedisUrl(`redis://127.0.0.1:${port}`)));
    expect(msg).toBe(
      `cannot reach Redis at 127.0.0.1:${port} (ECONNREFUSED). Start a Redis server there (Debian: apt-get install redis-server; or \`redis-server --port ${port}\`; Kubernetes: docs/scale.md), or leave out --queue to run the points on this machine`,
    );
    // Something listening that is not Redis.
    const other = createServer((c) => c.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherPort = (other.address() as { port: number }).port;
    expect(await usage(() => checkRedis(parseRedisUrl(`redis://127.0.0.1:${otherPort}`)))).toMatch(/something answered that is not Redis/);
    other.close();
  });

  it('one job per point of a sweep folder', () => {
    expect(jobId('/shared/sweeps/a', 'corrupt-0')).toBe(jobId('/shared/sweeps/a', 'corrupt-0'));
    expect(jobId('/shared/sweeps/a', 'corrupt-0')).not.toBe(jobId('/shared/sweeps/b', 'corrupt-0'));
    expect(jobId('/shared/sweeps/a', 'corrupt-0')).toMatch(/^[0-9a-f]{16}-corrupt-0$/);
  });
});

describe('summary and figures', () => {
  it('names randomizations as Zhang et al. do', () => {
    expect(randomizationOf(0, 'none')).toBe('true labels');
    expect(randomizationOf(1, 'none')).toBe('random labels');
    expect(randomizationOf(0.2, 'none')).toBe('20% random labels');
    expect(randomizationOf(0, 'shuffled')).toBe('shuffled pixels');
    expect(randomizationOf(0.5, 'gaussian')).toBe('gaussian pixels, 50% random labels');
    expect(randomizationOf(0.3, 'random')).toBe('random pixels, 30% random labels');
  });

  it('draws (a) loss per step by randomization, (b) epochs to fit and (c) test error against corruption', async () => {
    const row = (point: string, corrupt: number, pixels: string, fitEpoch: number | null, testError: number): PointSummary => ({
      point,
      options: { seed: '0' },
      randomization: randomizationOf(corrupt, pixels),
      corrupt,
      pixels,
      seed: 0,
      status: 'finished',
      message: '',
      attempts: 1,
      epochs: 3,
      epochsRun: 3,
      fitEpoch,
      fitSteps: fitEpoch === null ? null : fitEpoch * 10,
      fitSeconds: fitEpoch,
      finalTrainLoss: 0.1,
      finalTrainAcc: 1,
      heldOutAcc: 1 - testError,
      testError,
    });
    const rows = [
      row('t', 0, 'none', 11, 0.2),
      row('h', 0.5, 'none', 23, 0.55),
      row('r', 1, 'none', null, 0.9),
      row('g', 0, 'gaussian', 7, 0.9),
    ];
    const curve = (n: number): EpochMetrics[] =>
      [1, 2, 3].map((e) => ({
        epoch: e,
        steps: e * 10,
        trainLoss: n / e,
        trainAcc: 0.5,
        heldOutLoss: 1,
        heldOutAcc: 0.1,
        lr: 0.1,
        seconds: 1,
        samplesPerSec: 1,
        elapsed: e,
      }));
    const results: SweepResults = { label: '', rows, metrics: new Map(rows.map((r, i) => [r.point, curve(i + 2)])), otherAxes: [] };
    const f = await renderFigures([results]);
    expect(f.loss).toContain('(a) training loss per step');
    // (a): the randomizations, not the partly corrupted point.
    for (const name of ['true labels', 'random labels', 'gaussian pixels']) expect(f.loss).toContain(name);
    expect(f.loss).not.toContain('50% random labels');
    expect(f.fit).toContain('epochs to 100% training accuracy');
    expect(f.error).toContain('chance (90% error)');
    // Two sweeps overlaid: one series each, named after the sweep.
    const two = await renderFigures([
      { ...results, label: 'adam' },
      { ...results, label: 'sgd' },
    ]);
    expect(two.fit).toContain('adam');
    expect(two.fit).toContain('sgd');
    // Nothing reached 100%: no (b).
    const none = await renderFigures([{ ...results, rows: rows.map((r) => ({ ...r, fitEpoch: null })) }]);
    expect(none.fit).toBeUndefined();
    expect(none.error).toBeDefined();
  });
});
