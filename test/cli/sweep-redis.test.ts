// nabla sweep --queue on a real Redis (Debian's redis-server, started here on 127.0.0.1 on a free
// port and stopped by PID): a tiny sweep taken by two `nabla worker` processes, one SIGKILLed in
// the middle of a point. BullMQ's stalled-job check hands the point to the other worker, which
// resumes it from the run's checkpoint; every point ends bit-identical to the same sweep run by
// local workers without a queue.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameRun, json, nabla, type Result, start, TINY_POINTS, writeGrid } from './sweep-helpers.js';

// NABLA_REDIS_SERVER: another redis-server binary (or a missing one, to see the skip).
const REDIS = process.env.NABLA_REDIS_SERVER ?? 'redis-server';
const haveRedis = spawnSync(REDIS, ['--version'], { encoding: 'utf8' }).status === 0;
const SKIP_REASON = `${REDIS} cannot be started (Debian: apt-get install redis-server; .ci/run installs it)`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const exited = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve();
    else c.once('exit', () => resolve());
  });

if (!haveRedis) {
  describe('nabla sweep --queue (BullMQ on redis-server)', () => {
    // CI installs redis-server and sets NABLA_REQUIRE_REDIS=1: there a missing server is a failure.
    if (process.env.NABLA_REQUIRE_REDIS === '1') {
      it('needs redis-server', () => {
        throw new Error(`NABLA_REQUIRE_REDIS=1 but ${SKIP_REASON}`);
      });
    } else {
      console.warn(`nabla sweep --queue test skipped: ${SKIP_REASON}`);
      it.skip(`skipped: ${SKIP_REASON}`, () => {});
    }
  });
} else {
  describe('nabla sweep --queue (BullMQ on redis-server)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-sweep-redis-'));
    const sweeps = join(tmp, 'sweeps');
    let redis: ChildProcess;
    let url: string;
    let local: Result;
    let queued: Result;
    let survivor: { child: ChildProcess; done: Promise<Result> };
    let victim: Result;
    let killedPoint = '';

    beforeAll(async () => {
      const port = await freePort();
      url = `redis://127.0.0.1:${port}`;
      redis = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmp], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      await new Promise<void>((resolve, reject) => {
        let log = '';
        redis.stdout?.on('data', (d: Buffer) => {
          log += d.toString();
          if (log.includes('Ready to accept connections')) resolve();
        });
        redis.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}: ${log}`)));
      });
      const grid = writeGrid(tmp);
      const common = ['--grid', grid, '--sweeps-dir', sweeps, '--threads', '1'];
      // The reference: the same sweep on local workers, no queue.
      const localRun = nabla(['sweep', ...common, '--name', 'local', '--workers', '2']);
      const coordinator = nabla(['sweep', ...common, '--name', 'queued', '--queue', url]);
      const workerArgs = ['worker', '--queue', url, '--stalled-after', '2'];
      survivor = start(workerArgs);
      const doomed = start(workerArgs, (out, child) => {
        const m = /\[([\w.-]+)\] epoch 1\/3 /.exec(out);
        if (m && !child.killed) {
          killedPoint = m[1];
          child.kill('SIGKILL');
        }
      });
      [local, queued] = await Promise.all([localRun, coordinator]);
      // Had it never got a point, the first test says so (killedPoint stays empty).
      if (!doomed.child.killed) doomed.child.kill('SIGKILL');
      victim = await doomed.done;
    }, 400_000);

    afterAll(async () => {
      if (survivor && survivor.child.exitCode === null) {
        survivor.child.kill('SIGKILL');
        await exited(survivor.child);
      }
      if (redis && redis.exitCode === null) {
        redis.kill('SIGTERM');
        await exited(redis);
      }
      rmSync(tmp, { recursive: true, force: true });
    });

    it('every point finishes though a worker was SIGKILLed in the middle of one', () => {
      expect(local.code).toBe(0);
      expect(queued.stderr).toBe('');
      expect(queued.code).toBe(0);
      expect(queued.stdout).toContain(`queued 4 points on ${url} (queue nabla-sweep)`);
      expect(queued.stdout).toMatch(/\[4\/4 points done\]/);
      expect(victim.signal).toBe('SIGKILL');
      expect(TINY_POINTS).toContain(killedPoint);
      const rows = json(join(sweeps, 'queued', 'summary.json')).points;
      expect(rows.map((r: { status: string }) => r.status)).toEqual(['finished', 'finished', 'finished', 'finished']);
    });

    it("the killed worker's point was resumed by the other worker from its checkpoint", async () => {
      const attempts = json(join(sweeps, 'queued', 'attempts', `${killedPoint}.json`));
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(attempts[0]).toMatchObject({ from: 'new' });
      expect(attempts[0].outcome).toBeUndefined(); // its worker died during it
      expect(attempts.at(-1)).toMatchObject({ from: 'partial', outcome: 'finished' });
      expect(attempts.at(-1).worker).not.toBe(attempts[0].worker);
      survivor.child.kill('SIGTERM');
      const s = await survivor.done;
      expect(s.code).toBe(0);
      expect(s.stdout).toMatch(new RegExp(`\\[${killedPoint.replace(/\./g, '\\.')}\\] resuming from the end of epoch [12] `));
      expect(s.stdout).toMatch(/SIGTERM: stopping/);
    });

    it('each point is bit-identical to the same point run by local workers', () => {
      for (const p of TINY_POINTS) expectSameRun(join(sweeps, 'queued', 'points', p), join(sweeps, 'local', 'points', p));
    });

    it('a second run of the same command finds every point done', async () => {
      const grid = join(tmp, 'tiny.json');
      const again = await nabla(['sweep', '--grid', grid, '--sweeps-dir', sweeps, '--threads', '1', '--name', 'queued', '--queue', url]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/4 of 4 points already done; 0 to run/);
    });

    it('stops Redis by its PID', async () => {
      expect(redis.pid).toBeGreaterThan(0);
      redis.kill('SIGTERM');
      await exited(redis);
      expect(redis.exitCode === 0 || redis.signalCode === 'SIGTERM').toBe(true);
    });
  });
}
