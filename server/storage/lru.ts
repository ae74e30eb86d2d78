// A tiny least-recently-used map, used to cache parquet footers between inspections.

/**
 * Map with a size cap that evicts the least recently used entry.
 * Example: `const c = new Lru<string, number>(2); c.set("a", 1); c.get("a") // 1`
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      // re-insert to mark as most recently used (Map keeps insertion order)
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

