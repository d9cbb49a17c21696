import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The core entry must bundle for browsers with no Node built-ins, and run where no Node globals
// exist (a bare VM context stands in for a browser page).
describe('browser bundle of the core', () => {
  it('bundles with platform=browser and runs without Node globals', async () => {
    const result = await build({
      entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'nabla',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0].text;
    expect(code).not.toMatch(/require\(["']node:/);
    const context = vm.createContext({});
    vm.runInContext(`${code}\nthis.out = String(nabla.tensor([[1, 2], [3, 4]]).float().matmul(nabla.eye(2)).sum());`, context);
    expect(context.out).toBe('tensor(10.)');
  });

  it('fails the build when a Node built-in leaks into the core', async () => {
    await expect(
      build({
        stdin: { contents: "import { readFileSync } from 'node:fs'; console.log(readFileSync);", loader: 'ts' },
        bundle: true,
        platform: 'browser',
        write: false,
        logLevel: 'silent',
      }),
    ).rejects.toThrow(/node:fs/);
  });
});
