import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/command.js';
import { playground } from '../../cli/commands/playground.js';
import { serveStatic } from '../../cli/static-server.js';

/** A raw GET (no URL normalization, so ../ reaches the server as sent). */
function get(port: number, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('nabla playground: the static server', () => {
  const root = mkdtempSync(join(tmpdir(), 'nabla-static-'));
  const site = join(root, 'site');
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let port = 0;

  beforeAll(async () => {
    mkdirSync(join(site, 'sub'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<p>home</p>');
    writeFileSync(join(site, 'sub', 'index.html'), '<p>sub</p>');
    writeFileSync(join(site, 'app.js'), 'export {};');
    writeFileSync(join(root, 'secret.txt'), 'secret');
    server = await serveStatic(site, '127.0.0.1', 0);
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves files with their types and the cross-origin isolation headers', async () => {
    const home = await get(port, '/');
    expect(home.status).toBe(200);
    expect(home.body).toBe('<p>home</p>');
    expect(home.headers['content-type']).toMatch(/text\/html/);
    expect(home.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(home.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect((await get(port, '/sub/')).body).toBe('<p>sub</p>');
    expect((await get(port, '/app.js?v=1')).headers['content-type']).toMatch(/text\/javascript/);
  });

  it('never serves outside its folder, and only GET/HEAD', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub/../../secret.txt', '/%2e%2e%2fsecret.txt', '/nope.html', '/%zz']) {
      const r = await get(port, path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('secret');
    }
    expect((await get(port, '/', 'POST')).status).toBe(405);
    expect((await get(port, '/', 'HEAD')).status).toBe(200);
  });

  it('rejects bad options with a one-line usage error', async () => {
    await expect(playground.run(['--port', 'abc'])).rejects.toThrow(UsageError);
    await expect(playground.run(['--port', '70000'])).rejects.toThrow(/--port: expected a port number 0–65535, got '70000'/);
    await expect(playground.run(['--bogus'])).rejects.toThrow(/Unknown option '--bogus'/);
  });
});
