import type { TypedArray } from '../../tensor/dtype.js';

const PAGE = 65536;
const ALIGN = 64;
const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** The element types a {@link WasmHeap} hands out views of. */
export type WasmArrayType = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

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
