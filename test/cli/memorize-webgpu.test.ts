// `nabla memorize --device webgpu` as a user runs it: a spawned CLI process training a tiny CNN on
// the WebGPU device (SwiftShader's CPU adapter here, about 1 GFLOP/s, so the run is tiny), its
// metrics against the same run on 'cpu', its files read back on the CPU, a resume from its own
// checkpoint, and the errors (unknown device, another device on resume, no adapter).
// The GPU tests skip, saying why, only when no adapter can be had and NABLA_REQUIRE_WEBGPU is not 1.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SWIFTSHADER_ICD } from '../../src/backend/webgpu/node-gpu.js';
import { loadWithMetadata } from '../../src/nodejs/checkpoint.js';
import { openGpu } from '../backend/webgpu/gpu.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-memorize-webgpu-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const runs = join(tmp, 'runs');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function nabla(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, NABLA_BACKEND: 'js', FORCE_COLOR: '0', ...env },
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

// The default preset's small CNN (Adam, random labels) with dropout, made tiny: 64 samples in
// batches of 32, 32 held out.
const TINY = ['--width', '0.125', '--dropout', '0.25', '--train-size', '64', '--held-out', '32', '--batch-size', '32', '--log-every', '1'];
const metrics = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);
const status = (dir: string) => JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as { status: string };
const relClose = (a: number, b: number, tol = 1e-3) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('nabla memorize --device: errors', () => {
  it('refuses an unknown device, naming the valid ones', async () => {
    const r = await nabla(['memorize', '--device', 'cuda', '--runs-dir', runs]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("nabla memorize: --device: expected one of cpu, webgpu, got 'cuda'");
  });
});

const gpu = await openGpu();
gpu.ctx?.destroy();
if (gpu.ctx === null) console.warn(`nabla memorize --device webgpu tests skipped: no WebGPU adapter (${gpu.reason})`);
const env = { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD };

describe.skipIf(gpu.ctx === null)('nabla memorize --device webgpu', () => {
  it('trains end to end like the cpu run, writes files the cpu loads, and resumes on the device', { timeout: 180_000 }, async () => {
    const [g, c] = await Promise.all([
      nabla(['memorize', ...TINY, '--epochs', '2', '--device', 'webgpu', '--runs-dir', runs, '--name', 'gpu'], env),
      nabla(['memorize', ...TINY, '--epochs', '3', '--runs-dir', runs, '--name', 'cpu']),
    ]);
    expect(g.code, g.stderr).toBe(0);
    expect(c.code, c.stderr).toBe(0);
    const gpuDir = join(runs, 'gpu');
    const cpuDir = join(runs, 'cpu');
    expect(g.stdout).toMatch(/\(webgpu device: .+\)/);
    expect(g.stdout).toMatch(/^\[webgpu\] epoch 1\/2 step 1\/2 loss /m);
    expect(status(gpuDir).status).toBe('finished');
    expect(JSON.parse(readFileSync(join(gpuDir, 'config.json'), 'utf8')).device).toBe('webgpu');

    // The model file loads on the CPU (its weights are compared with the cpu run's after the resume).
    const model = loadWithMetadata(join(gpuDir, 'model.safetensors'));
    expect(model.metadata?.backend).toBe('webgpu');
    const names = Object.keys(model.tensors).sort();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      expect(model.tensors[n].device).toBe('cpu');
      expect(model.tensors[n].data.every(Number.isFinite)).toBe(true);
    }

    // Resuming continues from the checkpoint the webgpu run wrote, on the same device.
    const r = await nabla(['memorize', '--resume', gpuDir, '--epochs', '3'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/resuming from the end of epoch 2/);
    expect(status(gpuDir).status).toBe('finished');

    const gm = metrics(gpuDir);
    const cm = metrics(cpuDir);
    expect(gm.map((m) => m.epoch)).toEqual([1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      for (const k of ['trainLoss', 'heldOutLoss'])
        expect(relClose(gm[i][k], cm[i][k]), `epoch ${i + 1} ${k}: ${gm[i][k]} vs ${cm[i][k]}`).toBe(true);
      for (const k of ['trainAcc', 'heldOutAcc']) expect(Math.abs(gm[i][k] - cm[i][k])).toBeLessThanOrEqual(1 / 32);
    }
    const gw = loadWithMetadata(join(gpuDir, 'model.safetensors')).tensors;
    const cw = loadWithMetadata(join(cpuDir, 'model.safetensors')).tensors;
    expect(Object.keys(gw).sort()).toEqual(Object.keys(cw).sort());
    for (const n of Object.keys(cw)) {
      expect(gw[n].shape).toEqual(cw[n].shape);
      const a = gw[n].data;
      const b = cw[n].data;
      let worst = 0;
      for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      expect(worst, n).toBeLessThan(1e-3);
    }

    // Another device on resume is refused, naming the run's own.
    const other = await nabla(['memorize', '--resume', gpuDir, '--device', 'cpu']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--device cpu: .* trains on webgpu \(its config\.json\); it resumes there/);
  });

  it('says why when there is no adapter, as one line, and writes nothing', async () => {
    const r = await nabla(['memorize', ...TINY, '--epochs', '1', '--device', 'webgpu', '--runs-dir', runs, '--name', 'none'], {
      VK_ICD_FILENAMES: join(tmp, 'no-such-icd.json'),
    });
    expect(r.code).toBe(1);
    const ours = r.stderr.split('\n').filter((l) => l.startsWith('nabla'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^nabla: memorize --device webgpu: .*no adapter.*VK_ICD_FILENAMES=/);
    expect(() => readFileSync(join(runs, 'none', 'config.json'))).toThrow();
  });
});
