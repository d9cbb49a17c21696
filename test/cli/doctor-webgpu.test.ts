// `nabla doctor` lists the WebGPU adapters Dawn finds (vendor, architecture, fallback or not,
// features, limits), or says why there is none.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SWIFTSHADER_ICD } from '../../src/backend/webgpu/node-gpu.js';

function doctor(env: Record<string, string | undefined>, json = true) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'doctor', ...(json ? ['--json'] : [])], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return r;
}

const haveSwiftShader = existsSync(SWIFTSHADER_ICD);
let haveDawn = true;
try {
  await import('webgpu');
} catch {
  haveDawn = false;
}
const skip = !(haveSwiftShader && haveDawn) && process.env.NABLA_REQUIRE_WEBGPU !== '1';
if (skip)
  console.warn(
    `nabla doctor webgpu tests skipped: ${haveDawn ? `no ${SWIFTSHADER_ICD}` : "the optional npm package 'webgpu' is not installed"}`,
  );

describe.skipIf(skip)('nabla doctor: WebGPU adapters', () => {
  it('lists SwiftShader as a fallback adapter with its features and limits', () => {
    const r = doctor({ VK_ICD_FILENAMES: SWIFTSHADER_ICD });
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.webgpu.available).toBe(true);
    const a = info.webgpu.adapters[0];
    expect(a.architecture).toMatch(/swiftshader/i);
    expect(a.isFallbackAdapter).toBe(true);
    expect(a.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(Array.isArray(a.features)).toBe(true);
    const text = doctor({ VK_ICD_FILENAMES: SWIFTSHADER_ICD }, false);
    expect(text.stdout).toMatch(/webgpu adapter .*swiftshader.*\(fallback: software, slow\)/);
    expect(text.stdout).toMatch(/limits +maxBufferSize \d+/);
  });

  it('says why when Vulkan finds no driver', () => {
    const r = doctor({ VK_ICD_FILENAMES: '/nonexistent/icd.json' }, false);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/webgpu +unavailable: no adapter; .*VK_ICD_FILENAMES=\/nonexistent\/icd\.json/);
  });
});
