/**
 * The playground: a static site with one page per exercise, built with Vite from playground/ into
 * playground/dist/. `nabla playground` builds it when needed and serves it; any static host can
 * serve the folder too (threaded WebAssembly will need the COOP/COEP headers `nabla playground`
 * sends).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { writeDigitsAsset } from './build/digits.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export const PAGES = [
  'index',
  '01-backprop',
  '02-vanishing-gradients',
  '03-momentum-forms',
  '04-receptive-field',
  '05-inception',
  '06-memorize',
];

/** Writes the embedded digits as gzipped IDX files under public/data/ before a build or dev server starts. */
function digits(): Plugin {
  return {
    name: 'nabla-digits',
    buildStart() {
      writeDigitsAsset(`${here}public/data`);
    },
  };
}

/** COOP/COEP on the dev and preview servers, as `nabla playground` sends them. */
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: here,
  base: './',
  publicDir: 'public',
  // The examples end with "run me when I am the script" guards that read process.argv.
  define: { 'process.argv': '[]' },
  plugins: [digits()],
  server: { headers: isolation },
  preview: { headers: isolation },
  // nabla names layers by their class (summaries, gradFlow, module printing): keep names when minifying.
  esbuild: { keepNames: true },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: Object.fromEntries(PAGES.map((p) => [p, `${here}${p}.html`])) },
  },
});
