import type { TypedArray } from '../../tensor/dtype.js';

const PAGE = 65536;
const ALIGN = 64;
const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** The element types a {@link WasmHeap} hands out views of. */
export type WasmArrayType = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/** A block of the memory shared by the live views on it; freed when the last one is collected. */
interface Block {
  readonly ptr: number;
  readonly bytes: number;
  views: number;
}

/** Float32 storages of at least this many bytes are resident (2¹⁴ elements: the size from which the elementwise kernels run in wasm at all). */
export const RESIDENT_MIN_BYTES = 1 << 16;
/** Default budget for resident storages (a sixteenth of what wasm32 can address). */
export const DEFAULT_RESIDENT_LIMIT = 256 * 1024 * 1024;

/**
 * A float32 view on the memory that keeps its block alive: every view derived from it with
 * `subarray` (a tensor's `.data`, a kernel's window, a user's slice of those) is one of these
 * too and holds the block, which is freed only when all of them are collected. `slice`, `map`
 * and `filter` make ordinary Float32Arrays (copies).
 */
export class ResidentFloat32Array extends Float32Array {
  static get [Symbol.species](): Float32ArrayConstructor {
    return Float32Array;
  }
  /** @internal */
  block!: Block;
  /** @internal */
  heap!: WasmHeap;

  // biome-ignore lint/suspicious/noExplicitAny: TypedArray.subarray's signature varies with the TypeScript lib
  override subarray(begin?: number, end?: number): any {
    const s = super.subarray(begin, end);
    return this.heap.adopt(new ResidentFloat32Array(s.buffer, s.byteOffset, s.length), this.block);
  }
}

/**
 * The WebAssembly backend's memory and its allocator: first-fit over a free list kept sorted and
 * coalesced, 64-byte aligned blocks above the module's static data, growing the memory when full.
 *
 * Growing a shared memory keeps every existing view valid (its buffer object is replaced by a
 * longer one over the same bytes), so views handed out with {@link array} stay usable; those are
 * freed when the view is garbage-collected (FinalizationRegistry). Growing a plain (non-shared)
 * memory detaches every view, so a plain heap only serves scratch space for one kernel call,
 * re-deriving its views after each allocation, and never hands out long-lived views.
 */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  /** Every buffer object this memory has had: views made before a growth keep the old one. */
  private readonly buffers = new Set<ArrayBufferLike>();
  private readonly freeList: { start: number; size: number }[] = [];
  private top: number;
  private f32View: Float32Array;
  private readonly registry = new FinalizationRegistry<[number, number]>(([ptr, bytes]) => this.release(ptr, bytes));
  private readonly residentRegistry = new FinalizationRegistry<Block>((b) => this.dropView(b));
  /**
   * Bytes the resident storages may hold at most ({@link resident} returns null beyond it, and
   * the caller makes an ordinary array), so that a loop whose dead tensors cannot be freed (a
   * synchronous one: FinalizationRegistry callbacks wait for the job to end) never grows the
   * memory past it.
   */
  residentLimit = DEFAULT_RESIDENT_LIMIT;
  /** Bytes of the resident storages' blocks not yet freed (live, or dead and awaiting their finalizer). */
  residentBytes = 0;
  /** The most {@link residentBytes} has been. */
  residentPeak = 0;
  /** Storages made resident so far, and those made ordinary arrays because the budget was full. */
  residentCount = 0;
  overBudgetCount = 0;

  /** `base`: the first byte above the module's static data. */
  constructor(memory: WebAssembly.Memory, base: number, shared: boolean) {
    this.memory = memory;
    this.shared = shared;
    this.top = align(Math.max(base, 1024));
    this.f32View = new Float32Array(memory.buffer);
    this.buffers.add(memory.buffer);
  }

  /** Bytes in use or on the free list (the high-water mark above the static data). */
  get reserved(): number {
    return this.top;
  }

  /** A float32 view of the whole memory as it is now (re-derived after a growth). */
  get f32(): Float32Array {
    if (this.f32View.byteLength !== this.memory.buffer.byteLength) {
      this.f32View = new Float32Array(this.memory.buffer);
      this.buffers.add(this.memory.buffer);
    }
    return this.f32View;
  }

  /** Whether `a` is a view on this memory, so kernels can use its byteOffset directly. */
  owns(a: TypedArray): boolean {
    // A tensor's view knows its heap; V8 may also hand out a fresh buffer object for the same
    // shared memory, which the set of buffers would miss.
    if (a instanceof ResidentFloat32Array) return a.heap === this;
    return this.buffers.has(a.buffer);
  }

  /** A block of at least `bytes` bytes (64-byte aligned, contents undefined); release it when done. */
  alloc(bytes: number): number {
    const size = align(Math.max(bytes, 1));
    for (let i = 0; i < this.freeList.length; i++) {
      const f = this.freeList[i];
      if (f.size < size) continue;
      const ptr = f.start;
      if (f.size === size) this.freeList.splice(i, 1);
      else {
        f.start += size;
        f.size -= size;
      }
      return ptr;
    }
    const ptr = this.top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Grow geometrically so a sequence of allocations grows the memory a logarithmic number of times.
      const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 2));
      try {
        this.memory.grow(pages);
      } catch {
        try {
          this.memory.grow(Math.ceil((end - have) / PAGE));
        } catch (e) {
          throw new RangeError(
            `wasm backend: cannot grow WebAssembly memory to ${end} bytes for a ${bytes}-byte block (${(e as Error).message})`,
          );
        }
      }
      this.buffers.add(this.memory.buffer);
    }
    this.top = end;
    return ptr;
  }

  /** Returns a block from {@link alloc} (same size) to the free list, merging neighbours. */
  release(ptr: number, bytes: number): void {
    const size = align(Math.max(bytes, 1));
    const list = this.freeList;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start < ptr) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, { start: ptr, size });
    // Merge with the next block, then with the previous one.
    if (lo + 1 < list.length && list[lo].start + list[lo].size === list[lo + 1].start) {
      list[lo].size += list[lo + 1].size;
      list.splice(lo + 1, 1);
    }
    if (lo > 0 && list[lo - 1].start + list[lo - 1].size === list[lo].start) {
      list[lo - 1].size += list[lo].size;
      list.splice(lo, 1);
      lo--;
    }
    // A free block at the top goes back to the bump pointer.
    const last = list[list.length - 1];
    if (last !== undefined && last.start + last.size === this.top) {
      this.top = last.start;
      list.pop();
    }
  }

  /**
   * A zero-filled float32 array of `n` elements for a tensor's storage, living in this memory
   * (so kernels use it in place), or null where it must be an ordinary array: a plain memory
   * (growth would detach it), fewer than {@link RESIDENT_MIN_BYTES} bytes (copying is cheap
   * there and ordinary arrays are quicker to make), or a block that would take the resident
   * storages past {@link residentLimit}.
   */
  resident(n: number): Float32Array | null {
    const bytes = n * 4;
    if (!this.shared || bytes < RESIDENT_MIN_BYTES) return null;
    const size = align(bytes);
    if (this.residentBytes + size > this.residentLimit) {
      this.overBudgetCount++;
      return null;
    }
    let ptr: number;
    try {
      ptr = this.alloc(bytes);
    } catch {
      // The memory cannot grow (wasm32's 4 GiB, or the engine's limit): an ordinary array still works.
      this.overBudgetCount++;
      return null;
    }
    this.residentBytes += size;
    if (this.residentBytes > this.residentPeak) this.residentPeak = this.residentBytes;
    this.residentCount++;
    const view = new ResidentFloat32Array(this.memory.buffer, ptr, n);
    view.fill(0);
    return this.adopt(view, { ptr, bytes, views: 0 });
  }

  /** @internal Makes `view` hold `block` until it is collected. */
  adopt(view: ResidentFloat32Array, block: Block): ResidentFloat32Array {
    view.heap = this;
    view.block = block;
    block.views++;
    this.residentRegistry.register(view, block);
    return view;
  }

  private dropView(b: Block): void {
    if (--b.views > 0) return;
    this.residentBytes -= align(b.bytes);
    this.release(b.ptr, b.bytes);
  }

  /**
   * A zero-filled array of `n` elements living in this memory, freed when the array is
   * garbage-collected. Only a shared memory hands these out (a plain memory's growth would
   * detach them).
   */
  array<T extends WasmArrayType>(type: T, n: number): InstanceType<T> {
    if (!this.shared) throw new Error('wasm backend: arrays in a plain (non-shared) WebAssembly memory would detach when it grows');
    const bytes = n * type.BYTES_PER_ELEMENT;
    const ptr = this.alloc(bytes);
    const view = new type(this.memory.buffer, ptr, n) as InstanceType<T>;
    view.fill(0);
    this.registry.register(view, [ptr, bytes]);
    return view;
  }
}
