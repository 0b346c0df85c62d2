const LF = 0x0a;

/**
 * Packs `\n`-terminated lines into large Buffers so that consumers (a storage upload, a hash)
 * see few big writes rather than one small Buffer per line. A line larger than a batch is
 * passed on as its own Buffer.
 */
export class OutputBatcher {
  private batch: Buffer;
  private used = 0;
  private ready: Buffer[] = [];

  constructor(private readonly batchBytes: number) {
    this.batch = Buffer.allocUnsafe(batchBytes);
  }

  /** Appends `line` and a `\n`. */
  append(line: Buffer): void {
    const size = line.length + 1;
    if (size > this.batchBytes - this.used) this.flush();
    if (size > this.batchBytes) {
      this.ready.push(Buffer.concat([line, Buffer.of(LF)], size));
      return;
    }
    line.copy(this.batch, this.used);
    this.batch[this.used + line.length] = LF;
    this.used += size;
  }

  /** Batches that are complete; each is handed out once. */
  take(): Buffer[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  /** Closes the current partial batch so that the next `take` includes it. */
  flush(): void {
    if (this.used === 0) return;
    this.ready.push(this.batch.subarray(0, this.used));
    // The handed-out batch now belongs to the consumer, so later lines need fresh memory.
    this.batch = Buffer.allocUnsafe(this.batchBytes);
    this.used = 0;
  }
}
