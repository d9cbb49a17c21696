// Shared by the nabla sweep tests: the CLI as a user runs it (from the sources, TypeScript
// backend), a tiny grid, and what "the same run" means (model bytes, exact metric fields).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `nabla <args>`; `onOutput` sees stdout as it grows. */
export function start(
  args: string[],
  onOutput?: (stdout: string, child: ChildProcess) => void,
): { child: ChildProcess; done: Promise<Result> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NABLA_BACKEND: 'js', FORCE_COLOR: '0' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    onOutput?.(stdout, child);
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export const nabla = (args: string[], onOutput?: (stdout: string, child: ChildProcess) => void) => start(args, onOutput).done;

/**
 * Four points (true and random labels, true and shuffled pixels), each a small MLP on 300 digits
 * for 3 epochs: a few seconds each on the TypeScript backend.
 */
export const TINY_GRID = {
  base: { model: 'mlp', width: 0.25, 'train-size': 300, 'held-out': 100, epochs: 3, 'batch-size': 30 },
  grid: [
    { corrupt: [0, 1], pixels: ['none'] },
    { corrupt: [0], pixels: ['shuffled', 'gaussian'] },
  ],
};
export const TINY_POINTS = ['corrupt-0_pixels-none', 'corrupt-1_pixels-none', 'corrupt-0_pixels-shuffled', 'corrupt-0_pixels-gaussian'];

export function writeGrid(dir: string): string {
  const path = join(dir, 'tiny.json');
  writeFileSync(path, JSON.stringify(TINY_GRID));
  return path;
}

export const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

export const metrics = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

/** The fields a run reproduces exactly (not the timings). */
export const exact = (rows: Record<string, unknown>[]) =>
  rows.map(({ epoch, steps, trainLoss, trainAcc, heldOutLoss, heldOutAcc, lr }) => ({
    epoch,
    steps,
    trainLoss,
    trainAcc,
    heldOutLoss,
    heldOutAcc,
    lr,
  }));

/** Asserts that two run folders hold the same run: model bytes, exact metrics, samples and labels. */
export function expectSameRun(a: string, b: string): void {
  expect(readFileSync(join(a, 'model.safetensors')).equals(readFileSync(join(b, 'model.safetensors'))), `${a} vs ${b}: model`).toBe(true);
  expect(exact(metrics(a))).toEqual(exact(metrics(b)));
  expect(json(join(a, 'labels.json'))).toEqual(json(join(b, 'labels.json')));
}
