/**
 * A list that keeps only its newest items: at most so many, and at most so
 * many bytes of their JSON. It trims its one array in place, so whoever holds
 * that array (`receiver.events`, `receiver.requests`) sees it live.
 */
export class Retention<T> {
  readonly items: T[] = [];
  private readonly sizes: number[] = [];
  private bytes = 0;

  constructor(
    private readonly maxItems: number,
    private readonly maxBytes: number,
  ) {}

  /**
   * Adds an item at the end (`json` is its JSON, when the caller has made it
   * already), then drops the oldest until the bounds hold. The newest item
   * always stays, so a listener or `waitFor` can still find it.
   */
  push(item: T, json = JSON.stringify(item)): void {
    // The comma that joins it to the others in a JSON array counts too.
    const size = Buffer.byteLength(json) + 1;
    this.items.push(item);
    this.sizes.push(size);
    this.bytes += size;
    let drop = 0;
    while (this.items.length - drop > 1 && (this.items.length - drop > this.maxItems || this.bytes > this.maxBytes)) {
      this.bytes -= this.sizes[drop] ?? 0;
      drop++;
    }
    this.items.splice(0, drop);
    this.sizes.splice(0, drop);
  }

  clear(): void {
    this.items.length = 0;
    this.sizes.length = 0;
    this.bytes = 0;
  }
}
