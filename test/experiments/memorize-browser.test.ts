import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The playground trains with the same code as `nabla memorize`: these modules must bundle for
// browsers with no Node built-in (the run-folder parts, train.ts and friends, stay in Node).
const BROWSER_SAFE = ['loop.ts', 'config.ts', 'data.ts', 'checkpoint-codec.ts', 'chart-options.ts', 'metrics.ts', 'models.ts'];

describe('memorize: the browser-safe training core', () => {
  it.each(BROWSER_SAFE)('%s bundles with platform=browser', async (file) => {
    const result = await build({
      entryPoints: [new URL(`../../experiments/memorize/${file}`, import.meta.url).pathname],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0].text).not.toMatch(/from ["']node:/);
  });
});
