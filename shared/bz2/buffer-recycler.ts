/**
 * A few reusable ArrayBuffers for block-task input. Worker threads hand each task's input
 * back, so the main thread does not allocate (and the workers do not leave behind) a fresh
 * megabyte per block: V8 frees transferred buffers only on a GC that may come late, which
 * showed up as ~200 MB of extra RSS on a 1 GB file.
 */
export class BufferRecycler {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly keep: number) {}

  /** A zero-offset view of `size` bytes on a recycled or new buffer (contents undefined). */
  take(size: number): Uint8Array<ArrayBuffer> {
    const index = this.free.findIndex((b) => b.byteLength >= size);
    const buffer = index >= 0 ? this.free.splice(index, 1)[0]! : new ArrayBuffer(roundUp(size));
    return new Uint8Array(buffer, 0, size);
  }

  /** Returns a buffer for reuse; beyond `keep` buffers the smallest is dropped. */
  give(view: Uint8Array): void {
    if (view.buffer.byteLength === 0 || !(view.buffer instanceof ArrayBuffer)) return;
    this.free.push(view.buffer);
    if (this.free.length > this.keep) {
      this.free.sort((a, b) => b.byteLength - a.byteLength);
      this.free.pop();
    }
  }
}

function roundUp(size: number): number {
  const step = 256 * 1024;
  return Math.max(step, Math.ceil(size / step) * step);
}
