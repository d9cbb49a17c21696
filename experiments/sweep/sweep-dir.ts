/**
 * The sweep folder (`sweeps/<name>/`, on a shared file system when workers run elsewhere):
 * ```
 * sweep.json               the grid and its points (a rerun must ask for the same points)
 * points/<point>/          one nabla memorize run folder per point
 * attempts/<point>.json    every attempt at the point: which worker, from where, how it ended
 * summary.json / .csv      one row per point (summary.ts)
 * loss-per-step.*, time-to-fit.*, test-error.*   Zhang et al.'s Figure 1 (a), (b), (c): SVG, PNG
 * report.html              the figures, the summary table and the grid
 * ```
 */
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { readJson, writeJson } from '../memorize/run-dir.js';
import { UsageError } from '../usage-error.js';
import type { SweepPoint, SweepSpec } from './grid.js';

export const SWEEP_FILES = {
  sweep: 'sweep.json',
  points: 'points',
  attempts: 'attempts',
  summaryJson: 'summary.json',
  summaryCsv: 'summary.csv',
  report: 'report.html',
} as const;

export interface SweepFile {
  version: 1;
  name: string;
  spec: SweepSpec;
  points: SweepPoint[];
  createdAt: string;
  argv: string[];
}

export function isSweepDir(dir: string): boolean {
  return existsSync(join(dir, SWEEP_FILES.sweep));
}

export function readSweep(dir: string): SweepFile {
  const o = readJson(join(dir, SWEEP_FILES.sweep)) as SweepFile;
  if (o?.version !== 1 || !Array.isArray(o.points)) throw new Error(`${dir}: ${SWEEP_FILES.sweep} is not a nabla sweep record`);
  return o;
}

/**
 * Creates the sweep folder, or reopens it when it holds the same points (finished ones are then
 * skipped, interrupted ones resumed). Returns the absolute folder.
 */
export function openSweep(dir: string, name: string, spec: SweepSpec, points: SweepPoint[], argv: string[]): string {
  const abs = resolve(dir);
  if (isSweepDir(abs)) {
    const old = readSweep(abs);
    const key = (ps: SweepPoint[]) => JSON.stringify(ps.map((p) => [p.name, p.options]));
    if (key(old.points) !== key(points)) {
      throw new UsageError(
        `${dir} holds a sweep with other points (${old.points.length}: ${old.points
          .slice(0, 3)
          .map((p) => p.name)
          .join(', ')}…); give another --name to start a new sweep`,
      );
    }
    return abs;
  }
  if (existsSync(abs)) throw new UsageError(`${dir} exists and is not a sweep folder (no ${SWEEP_FILES.sweep}); give another --name`);
  mkdirSync(join(abs, SWEEP_FILES.points), { recursive: true });
  mkdirSync(join(abs, SWEEP_FILES.attempts), { recursive: true });
  const file: SweepFile = { version: 1, name, spec, points, createdAt: new Date().toISOString(), argv };
  writeJson(join(abs, SWEEP_FILES.sweep), file);
  return abs;
}

/** One attempt at a point. `outcome` stays unset when the worker died during it. */
export interface Attempt {
  worker: string;
  startedAt: string;
  /** Where the point stood when the attempt began: new, partial (resumed), finished, diverged. */
  from: string;
  endedAt?: string;
  outcome?: string;
  message?: string;
}

const attemptsPath = (sweepDir: string, point: string) => join(sweepDir, SWEEP_FILES.attempts, `${point}.json`);

export function readAttempts(sweepDir: string, point: string): Attempt[] {
  const p = attemptsPath(sweepDir, point);
  return existsSync(p) ? (readJson(p) as Attempt[]) : [];
}

/** This process as a worker name: host:pid. */
export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}

/** Records the start of an attempt; returns a function that records its end. */
export function startAttempt(sweepDir: string, point: string, from: string): (outcome: string, message: string) => void {
  mkdirSync(join(sweepDir, SWEEP_FILES.attempts), { recursive: true });
  const list = readAttempts(sweepDir, point);
  const i = list.length;
  list.push({ worker: workerName(), startedAt: new Date().toISOString(), from });
  writeJson(attemptsPath(sweepDir, point), list);
  return (outcome, message) => {
    const now = readAttempts(sweepDir, point);
    if (now[i]) now[i] = { ...now[i], endedAt: new Date().toISOString(), outcome, message };
    writeJson(attemptsPath(sweepDir, point), now);
  };
}
