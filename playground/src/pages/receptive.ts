import { analysis, Generator, nn, randn, type Tensor } from '../../../src/index.js';
import { byId, markReady, nav, numberInput, selectValue, showError } from '../common.js';

nav('04-receptive-field.html');

type Y = 'y1' | 'y2' | 'y3';
const LAYER: Record<Y, string> = { y1: 'conv1', y2: 'pool1', y3: 'pool2' };
/** How many of the network's modules compute y_l. */
const DEPTH: Record<Y, number> = { y1: 1, y2: 2, y3: 4 };
const GRID_PX = 448;
const COLORS = { background: '#e8ecf2', range: '#3b6fd8', selected: '#d0342c', autograd: '#f5a623', grid: '#ffffff' };

interface State {
  net: nn.Sequential;
  rf: analysis.ReceptiveField;
  n: number;
  sizes: Record<'x' | Y, number>;
  exercise: boolean;
  canvases: Record<'x' | Y, HTMLCanvasElement>;
}

let state: State | null = null;

function cellSize(size: number): number {
  return Math.max(1, Math.floor(GRID_PX / size));
}

function settings() {
  const v = (id: string) => numberInput(id);
  return {
    n: v('n'),
    conv1: { k: v('k1'), s: v('s1'), p: v('p1') },
    pool1: { k: v('pk1'), s: v('ps1') },
    conv2: { k: v('k2'), s: v('s2'), p: v('p2') },
    pool2: { k: v('pk2'), s: v('ps2') },
  };
}

function build(): void {
  const c = settings();
  const generator = new Generator(0);
  const net = new nn.Sequential({
    conv1: new nn.Conv2d(3, 6, c.conv1.k, { stride: c.conv1.s, padding: c.conv1.p, generator }),
    pool1: new nn.MaxPool2d(c.pool1.k, { stride: c.pool1.s }),
    conv2: new nn.Conv2d(6, 16, c.conv2.k, { stride: c.conv2.s, padding: c.conv2.p, generator }),
    pool2: new nn.MaxPool2d(c.pool2.k, { stride: c.pool2.s }),
  });
  const rf = analysis.receptiveField(net, [1, 3, c.n, c.n]);
  const side = (name: string) => {
    const shape = rf.layers.find((l) => l.name === name)?.outputShape;
    if (!shape) throw new Error(`receptive field: no output shape for ${name}`);
    return shape[2];
  };
  const sizes = { x: c.n, y1: side('conv1'), y2: side('pool1'), y3: side('pool2') };
  const exercise =
    c.n === 224 &&
    c.conv1.k === 5 &&
    c.conv1.s === 1 &&
    c.conv1.p === 2 &&
    c.pool1.k === 2 &&
    c.pool1.s === 2 &&
    c.conv2.k === 5 &&
    c.conv2.s === 1 &&
    c.conv2.p === 2 &&
    c.pool2.k === 2 &&
    c.pool2.s === 2;
  const grids = byId('grids');
  grids.replaceChildren();
  const canvases = {} as State['canvases'];
  for (const key of ['x', 'y1', 'y2', 'y3'] as const) {
    const size = sizes[key];
    const fig = document.createElement('figure');
    const canvas = document.createElement('canvas');
    canvas.id = `grid-${key}`;
    canvas.width = canvas.height = size * cellSize(size);
    canvas.dataset.size = String(size);
    canvas.dataset.cell = String(cellSize(size));
    const cap = document.createElement('figcaption');
    cap.textContent = key === 'x' ? `X: ${size}×${size} (3 channels)` : `${key}: ${size}×${size} (${LAYER[key]})`;
    if (key !== 'x') {
      canvas.tabIndex = 0;
      canvas.setAttribute('role', 'grid');
      canvas.setAttribute('aria-label', `${key}, ${size} by ${size} cells: arrow keys move the selected cell`);
      const pick = (ev: MouseEvent) => {
        const cs = cellSize(size);
        const j = Math.min(size, Math.floor(ev.offsetX / cs) + 1);
        const i = Math.min(size, Math.floor(ev.offsetY / cs) + 1);
        select(key, i, j);
      };
      canvas.addEventListener('click', pick);
      canvas.addEventListener('mousemove', pick);
      canvas.addEventListener('keydown', (ev) => {
        const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
        const m = moves[ev.key];
        if (!m) return;
        ev.preventDefault();
        const cur = selectValue('layer') === key ? [numberInput('i'), numberInput('j')] : [1, 1];
        const clamp = (v: number) => Math.max(1, Math.min(size, v));
        select(key, clamp(cur[0] + m[0]), clamp(cur[1] + m[1]));
      });
    }
    fig.append(canvas, cap);
    grids.append(fig);
    canvases[key] = canvas;
  }
  state = { net, rf, n: c.n, sizes, exercise, canvases };
  byId<HTMLInputElement>('i').max = '';
  byId<HTMLInputElement>('j').max = '';
}

function paint(canvas: HTMLCanvasElement, size: number, lit: (r: number, c: number) => string | null): void {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const cs = cellSize(size);
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const color = lit(r, c);
      if (color === null) continue;
      ctx.fillStyle = color;
      ctx.fillRect(c * cs, r * cs, cs, cs);
    }
  }
}

const inRange = (v: number, r: [number, number] | null) => r !== null && v >= r[0] && v <= r[1];

/** The input cells (0-based, any channel) where ∂y_l[k, i, j]/∂X ≠ 0, for a random X. */
function autogradCells(s: State, y: Y, i: number, j: number): Set<number> {
  const x = randn([1, 3, s.n, s.n], { requiresGrad: true });
  let out: Tensor = x;
  const mods = [...s.net].slice(0, DEPTH[y]);
  for (const m of mods) out = m.call(out) as Tensor;
  out
    .select(0, 0)
    .select(0, 0)
    .select(0, i - 1)
    .select(0, j - 1)
    .backward();
  const g = (x.grad as Tensor).contiguous().data;
  const cells = new Set<number>();
  const plane = s.n * s.n;
  for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) if (g[c * plane + p] !== 0) cells.add(p);
  return cells;
}

function select(y: Y, i: number, j: number): void {
  showError(null);
  const s = state;
  if (!s) return;
  try {
    const size = s.sizes[y];
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 1 && j >= 1 && i <= size && j <= size)) {
      throw new Error(`${y} is ${size}×${size}: i and j must be whole numbers in 1…${size}, got (${i}, ${j})`);
    }
    byId<HTMLSelectElement>('layer').value = y;
    byId<HTMLInputElement>('i').value = String(i);
    byId<HTMLInputElement>('j').value = String(j);
    const r = s.rf.at([1, i, j], { layer: LAYER[y], base: 1 });
    const m = r.dims[0].range;
    const n = r.dims[1].range;
    const channels = r.channels.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ');
    const result = byId('rf-result');
    result.textContent = `${y}[1, ${i}, ${j}] depends on X[c ∈ {${channels}}, m ∈ [${m?.join(', ')}], n ∈ [${n?.join(', ')}]]: ${r.count} inputs`;
    const clipped = (['m', 'n'] as const)
      .map((axis, d) => {
        const u = r.dims[d].unclipped;
        const c = r.dims[d].range;
        return u && c && (u[0] !== c[0] || u[1] !== c[1]) ? `${axis}: the field [${u.join(', ')}] is clipped to [${c.join(', ')}]` : null;
      })
      .filter((t) => t !== null);
    if (clipped.length > 0) result.textContent += ` (at the border: ${clipped.join('; ')})`;
    result.dataset.m = m?.join(',') ?? '';
    result.dataset.n = n?.join(',') ?? '';
    const formula = byId('rf-formula');
    if (s.exercise) {
      const f = {
        y1: (v: number) => [Math.max(1, v - 2), Math.min(224, v + 2)],
        y2: (v: number) => [Math.max(1, 2 * v - 3), Math.min(224, 2 * v + 2)],
        y3: (v: number) => [Math.max(1, 4 * v - 9), Math.min(224, 4 * v + 6)],
      }[y];
      const [fm, fn] = [f(i), f(j)];
      const agrees = m !== null && n !== null && fm[0] === m[0] && fm[1] === m[1] && fn[0] === n[0] && fn[1] === n[1];
      formula.textContent = `exercise formula: m ∈ [${fm.join(', ')}], n ∈ [${fn.join(', ')}] ${agrees ? '✓ agrees' : '✗ differs'}`;
    } else formula.textContent = 'exercise formula: (only for the exercise’s settings)';
    let grad: Set<number> | null = null;
    const note = byId('rf-autograd');
    if (byId<HTMLInputElement>('autograd').checked) {
      grad = autogradCells(s, y, i, j);
      let outside = 0;
      for (const p of grad) if (!inRange(Math.floor(p / s.n) + 1, m) || !inRange((p % s.n) + 1, n)) outside++;
      note.textContent =
        `autograd (random X): the gradient of ${y}[1, ${i}, ${j}] reaches ${grad.size} cells of X, ` +
        `${outside === 0 ? 'all inside the computed range ✓' : `${outside} outside it ✗`}` +
        ' (max-pool passes the gradient to one input per window, so it marks a subset of the range)';
    } else note.textContent = '';
    paint(s.canvases.x, s.n, (row, col) => {
      if (grad?.has(row * s.n + col)) return COLORS.autograd;
      return inRange(row + 1, m) && inRange(col + 1, n) ? COLORS.range : null;
    });
    for (const key of ['y1', 'y2', 'y3'] as const) {
      paint(s.canvases[key], s.sizes[key], (row, col) => (key === y && row === i - 1 && col === j - 1 ? COLORS.selected : null));
    }
  } catch (e) {
    showError(e);
  }
}

function showFromInputs(): void {
  try {
    select(selectValue('layer') as Y, numberInput('i'), numberInput('j'));
  } catch (e) {
    showError(e);
  }
}

byId('form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  try {
    build();
    showFromInputs();
  } catch (e) {
    showError(e);
  }
});
byId('show').addEventListener('click', showFromInputs);
byId('autograd').addEventListener('change', showFromInputs);
try {
  build();
  select('y3', 1, 1);
} catch (e) {
  showError(e);
}
markReady();
