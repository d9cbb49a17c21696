// `nabla memorize --precision bf16` as a user runs it: a spawned CLI process training a tiny CNN
// in bf16 autocast next to the same run in float32, the precision recorded in config.json and
// kept on resume, and the errors (unknown precision, bf16 off the cpu, another precision on resume).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-memorize-precision-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const runs = join(tmp, 'runs');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function nabla(args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// The default preset's small CNN (Adam, random labels), made tiny: 64 samples in batches of 32, 32 held out.
const TINY = ['--width', '0.25', '--train-size', '64', '--held-out', '32', '--batch-size', '32', '--log-every', '1'];
const metrics = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);
const config = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;

describe('nabla memorize --precision', () => {
  it('refuses an unknown precision, and bf16 off the cpu device', async () => {
    const [a, b] = await Promise.all([
      nabla(['memorize', '--precision', 'fp16', '--runs-dir', runs]),
      nabla(['memorize', '--precision', 'bf16', '--device', 'webgpu', '--runs-dir', runs]),
    ]);
    expect(a.code).toBe(2);
    expect(a.stderr.trim()).toBe("nabla memorize: --precision: expected one of fp32, bf16, got 'fp16'");
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--precision bf16 runs in autocast\('cpu', 'bfloat16'\), on the cpu device only \(got --device webgpu\)/);
  });

  it('trains in bf16 close to float32 but not equal, records it, and keeps it on resume', { timeout: 300_000 }, async () => {
    const [b, f] = await Promise.all([
      nabla(['memorize', ...TINY, '--epochs', '2', '--precision', 'bf16', '--runs-dir', runs, '--name', 'bf16']),
      nabla(['memorize', ...TINY, '--epochs', '3', '--runs-dir', runs, '--name', 'fp32']),
    ]);
    expect(b.code, b.stderr).toBe(0);
    expect(f.code, f.stderr).toBe(0);
    const bDir = join(runs, 'bf16');
    const fDir = join(runs, 'fp32');
    expect(config(bDir).precision).toBe('bf16');
    expect(config(fDir).precision).toBe('fp32');
    expect(b.stdout).toMatch(/bf16 autocast/);

    const other = await nabla(['memorize', '--resume', bDir, '--precision', 'fp32']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--precision fp32: .* trains in bf16 \(its config\.json\); it resumes so/);
    const r = await nabla(['memorize', '--resume', bDir, '--epochs', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(config(bDir).precision).toBe('bf16');

    const bm = metrics(bDir);
    const fm = metrics(fDir);
    expect(bm.map((m) => m.epoch)).toEqual([1, 2, 3]);
    // Same data, weights and shuffles: bf16 rounding moves the losses a little (relative 1e-4 to
    // a few percent over three epochs), never to equality with float32.
    for (let i = 0; i < 3; i++) {
      const [lb, lf] = [bm[i].trainLoss, fm[i].trainLoss];
      expect(Number.isFinite(lb)).toBe(true);
      expect(Math.abs(lb - lf) / lf, `epoch ${i + 1}: ${lb} vs ${lf}`).toBeLessThan(0.1);
    }
    expect(bm.some((m, i) => m.trainLoss !== fm[i].trainLoss)).toBe(true);
  });
});
