/**
 * The embedded digits in the browser: the gzipped IDX files written at build time
 * (build/digits.ts), fetched from the site itself and decoded into an {@link MnistLike}.
 */
import { MnistLike } from '../../src/data/mnist.js';

export const DIGIT_FILES = { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' } as const;

async function gunzip(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`digits: ${url}: HTTP ${res.status} (was the playground built with its data?)`);
  return new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
}

/** Reads an unsigned-byte IDX array, checking its header against its size. */
export function parseIdxU8(bytes: Uint8Array, where: string): { dims: number[]; data: Uint8Array } {
  if (bytes.length < 4) throw new Error(`${where}: ${bytes.length} bytes is too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0 || bytes[2] !== 0x08)
    throw new Error(`${where}: not an unsigned-byte IDX file (magic ${view.getUint32(0).toString(16)})`);
  const rank = bytes[3];
  const head = 4 + 4 * rank;
  if (rank === 0 || bytes.length < head) throw new Error(`${where}: bad IDX rank ${rank}`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== head + size)
    throw new Error(`${where}: dims ${dims.join('×')} need ${head + size} bytes, the file has ${bytes.length}`);
  return { dims, data: bytes.subarray(head) };
}

/** Fetches and decodes the digits from `base` (the site's data/ folder URL). */
export async function loadDigits(base: string): Promise<MnistLike> {
  const [imgUrl, lblUrl] = [new URL(DIGIT_FILES.images, base).href, new URL(DIGIT_FILES.labels, base).href];
  const [img, lbl] = await Promise.all([gunzip(imgUrl), gunzip(lblUrl)]);
  const images = parseIdxU8(img, imgUrl);
  const labels = parseIdxU8(lbl, lblUrl);
  if (images.dims.length !== 3 || labels.dims.length !== 1 || images.dims[0] !== labels.dims[0]) {
    throw new Error(`digits: images ${images.dims.join('×')} and labels ${labels.dims.join('×')} do not match`);
  }
  return new MnistLike(images.data, labels.data, { height: images.dims[1], width: images.dims[2] });
}
