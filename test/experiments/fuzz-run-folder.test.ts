// Fuzz: seeded damage to the files of a finished `nabla memorize` run folder, then --resume (in
// process). Each damaged folder either resumes or is refused with an error naming the file;
// never an engine error (undefined is not iterable, …) and never a silent restart.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareData } from '../../experiments/memorize/data.js';
import { parseMemorizeArgs } from '../../experiments/memorize/options.js';
import { loadPool } from '../../experiments/memorize/pool.js';
import { resumeRun, startRun } from '../../experiments/memorize/run.js';
import { readMetrics } from '../../experiments/memorize/run-dir.js';
import { damage, ENGINE_ERROR, prng } from '../fuzz.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-fuzz-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const CASES = 60;
const FILES = ['config.json', 'labels.json', 'metrics.jsonl', 'status.json', 'checkpoint.safetensors', 'lock'];
const ctx = () => ({ out: { write: () => {}, isTTY: false }, signal: { stop: false }, logEvery: 0, argv: [], plotEvery: 1e9 });

describe('run folder fuzz', () => {
  const base = join(tmp, 'runs', 'base');
  beforeAll(async () => {
    const parsed = parseMemorizeArgs([
      ...['--model', 'mlp', '--width', '0.125', '--train-size', '64', '--held-out', '16', '--epochs', '2', '--batch-size', '32'],
      ...['--runs-dir', join(tmp, 'runs'), '--name', 'base'],
    ]);
    expect((await startRun(parsed, ctx())).status).toBe('finished');
    expect(prepareData(parsed.config, loadPool(null)).record.trainIndices).toHaveLength(64);
  }, 300_000);

  it(`${CASES} damaged run folders: resumed, or refused with an error naming the file`, async () => {
    const rand = prng(14);
    let refused = 0;
    for (let c = 0; c < CASES; c++) {
      const dir = join(tmp, `case-${c}`);
      cpSync(base, dir, { recursive: true });
      const file = FILES[Math.floor(rand() * FILES.length)];
      const path = join(dir, file);
      let how: string;
      if (file === 'lock') {
        const d = damage(new TextEncoder().encode('{"pid":999999999,"host":"here","startedAt":""}\n'), rand);
        writeFileSync(path, d.bytes);
        how = `lock: ${d.how}`;
      } else if (rand() < 0.1) {
        unlinkSync(path);
        how = `${file} deleted`;
      } else {
        const d = damage(new Uint8Array(readFileSync(path)), rand);
        writeFileSync(path, d.bytes);
        how = `${file}: ${d.how}`;
      }
      const before = readMetrics(base).length;
      try {
        const r = await resumeRun(dir, {}, ctx());
        // A resume that went through continued the run: it never started over.
        expect(['finished', 'diverged'], `case ${c} (${how})`).toContain(r.status);
        expect(readMetrics(dir).length, `case ${c} (${how})`).toBeGreaterThanOrEqual(before);
      } catch (e) {
        refused++;
        const msg = (e as Error).message;
        expect(msg, `case ${c} (${how})`).not.toMatch(ENGINE_ERROR);
        expect(msg, `case ${c} (${how}): ${msg}`).toMatch(
          /config\.json|labels\.json|metrics\.jsonl|status\.json|checkpoint\.safetensors|lock|--resume|--width|--threads|--data/,
        );
      }
      rmSync(dir, { recursive: true, force: true });
    }
    expect(refused).toBeGreaterThan(CASES / 4);
  }, 600_000);
});
