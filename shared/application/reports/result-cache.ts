/**
 * Answers kept for a short while, so a dashboard polling the API (or paging back and forth) does
 * not run a billed query each time. Keys are built by the caller from the tenant and the whole
 * query, so one tenant's answer is never served to another.
 */
export class ResultCache<T> {
  readonly #entries = new Map<string, { value: T; expires: number }>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
    readonly now: () => number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T): void {
    this.#entries.delete(key);
    // Map order is insertion order: the first key is the oldest.
    while (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, { value, expires: this.now() + this.ttlMs });
  }
}
