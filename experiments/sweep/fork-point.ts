/**
 * Runs a sweep point in its own process (point-child.ts): each point gets a fresh process, so
 * points never share global state (generators, kernel threads), and a worker that is killed
 * takes its point's process with it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PointJob } from './point.js';
import type { ChildMessage } from './point-child.js';

export interface PointOutcome {
  /** finished / diverged / stopped (by a signal, checkpoint saved) / error (crashed or threw). */
  status: 'finished' | 'diverged' | 'stopped' | 'error';
  message: string;
  /** Where the point stood before this attempt (new, partial, finished, diverged). */
  from?: string;
}

export interface ForkedPoint {
  child: ChildProcess;
  done: Promise<PointOutcome>;
}

const here = fileURLToPath(import.meta.url);
// From the sources (tests, tsx) the child is point-child.ts and needs tsx's loader; from dist, .js.
const childPath = here.slice(0, -extname(here).length).replace(/fork-point$/, 'point-child') + extname(here);
const execArgv = (): string[] =>
  extname(here) === '.ts' && !process.execArgv.some((a) => a.includes('tsx')) ? [...process.execArgv, '--import', 'tsx'] : process.execArgv;

/** Starts the point's process; `onLine` receives its progress lines. */
export function forkPoint(job: PointJob, onLine: (line: string) => void): ForkedPoint {
  const child = fork(childPath, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: execArgv() });
  let pending = '';
  let stderr = '';
  let result: PointOutcome | null = null;
  child.on('message', (m: ChildMessage) => {
    if (m.type === 'out') {
      pending += m.text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) if (l.trim() !== '') onLine(l);
    } else if (m.type === 'result') {
      const status = m.status === 'finished' || m.status === 'diverged' || m.status === 'stopped' ? m.status : 'error';
      result = { status, message: m.message, from: m.from };
    } else if (m.type === 'error') result = { status: 'error', message: m.message };
  });
  child.stdout?.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n')) if (l.trim() !== '') onLine(l);
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const done = new Promise<PointOutcome>((resolve) => {
    child.on('error', (e) => resolve({ status: 'error', message: `could not start the point's process: ${e.message}` }));
    child.on('exit', (code, signal) => {
      if (result) return resolve(result);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const last = stderr.trim().split('\n').slice(-3).join(' | ');
      resolve({ status: 'error', message: `the point's process ${how}${last ? `: ${last}` : ''}` });
    });
  });
  child.send(job);
  return { child, done };
}
