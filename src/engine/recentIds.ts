// A bounded set of recent ids (insertion order; past `max` the oldest is evicted): the engine's
// in-memory memory of booked fill ids. Older ids are checked against storage instead.
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly max: number) {}

  has(id: string): boolean { return this.ids.has(id); }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }
}
