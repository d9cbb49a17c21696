import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../cli/command.js';
import { summaryCommand } from '../../cli/commands/summary.js';

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    const code = await summaryCommand.run(args);
    return { code, out: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('nabla summary', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the table of a built-in model', async () => {
    const { code, out } = await run(['--model', 'lenet']);
    expect(code).toBe(0);
    expect(out).toMatch(/Total\s+\[1, 10\]\s+61,706\s+416,520/);
    expect(out).toContain('Conventions:');
  });

  it('prints JSON with --json, for another input shape and batch', async () => {
    const { out } = await run(['--model', 'inception-naive', '--json']);
    const s = JSON.parse(out);
    expect(s.params.total).toBe(1_089_952);
    expect(s.total.mul).toBe(1_115_684_864);
    expect(s.total.act).toBe(425_984);
    const args = ['--model', 'inception-naive', '--input', '256,8,8', '--batch', '2', '--json', '--flops', '2*macs'];
    const b = JSON.parse((await run(args)).out);
    expect(b.inputShapes).toEqual([[2, 256, 8, 8]]);
    expect(b.total.mul).toBe((1_115_684_864 / (32 * 32)) * 2 * 8 * 8);
    expect(b.conventions.flops).toBe('2*macs');
    expect(b.flops).toBe(2 * b.total.macs);
  });

  it('knows the exercise-6 AlexNet', async () => {
    const s = JSON.parse((await run(['--model', 'alexnet', '--json'])).out);
    expect(s.params.total).toBe(8_925_738);
    expect(s.total.macs).toBe(749_668_672);
  });

  it('rejects bad command lines with a usage error', async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run(['--model', 'resnet'])).rejects.toThrow(/unknown model 'resnet' \(one of alexnet, lenet/);
    await expect(run(['--model', 'lenet', '--input', '1,x'])).rejects.toThrow(/--input must be positive integers/);
    await expect(run(['--model', 'lenet', '--input', '3,28,28'])).rejects.toThrow(/can't take input \[1, 3, 28, 28\]/);
    await expect(run(['--model', 'lenet', '--pooling', 'max'])).rejects.toThrow(/--pooling must be one of exact, window/);
    await expect(run(['--model', 'lenet', '--bogus'])).rejects.toThrow(/unknown option --bogus/);
  });
});
