/**
 * Reading a safetensors file with very many small tensors (like the report of 1.66 M tensors in 99.6 MB;
 * 1.4 M by default, which keeps the header under the 100 MB limit). Prints the time and the peak resident memory of one `deserialize`.
 *
 *   node --import tsx bench/safetensors-many.ts [tensors=1400000] [floats per tensor=1]
 */
import { deserialize } from '../src/io/safetensors.js';

const count = Number(process.argv[2] ?? 1_400_000);
const floats = Number(process.argv[3] ?? 1);
// The file is built directly (one JSON header, one data block) so that only reading is timed.
function build(): Uint8Array {
  const header: Record<string, unknown> = {};
  const per = 4 * floats;
  for (let i = 0; i < count; i++) header[`t${i}`] = { dtype: 'F32', shape: [floats], data_offsets: [i * per, (i + 1) * per] };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + padded + count * per);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  const data = new Float32Array(out.buffer, 8 + padded, count * floats);
  for (let i = 0; i < data.length; i++) data[i] = i;
  return out;
}
const bytes = build();
globalThis.gc?.();
const rss0 = process.memoryUsage().rss;
let peak = rss0;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const t0 = performance.now();
const out = deserialize(bytes);
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
let n = 0;
for (const _ in out) n++;
console.log(
  `nabla deserialize: ${n} tensors, ${(bytes.length / 1e6).toFixed(1)} MB: ${seconds.toFixed(2)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (${(rss0 / 2 ** 20).toFixed(0)} MiB before)`,
);
