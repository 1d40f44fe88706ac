// How far each input source has been consumed (a price file's record index, a feed's
// sequence), as the engine will commit it: only ever forward, and marked dirty until the next
// commit takes the rows.
import type { SourceOffsetRow } from '../../storage/journalStore.ts';
import type { SourceRef } from './journalRows.ts';

export class SourceOffsets {
  private readonly bySource = new Map<string, number>();
  private dirty = false;

  /** Recovery: the committed offset of a source. */
  set(source: string, offset: number): void { this.bySource.set(source, offset); }
  get(source: string): number | undefined { return this.bySource.get(source); }
  get changed(): boolean { return this.dirty; }

  /** The input at `src` is consumed by every vault. */
  note(src: SourceRef): void {
    const prev = this.bySource.get(src.source);
    if (prev === undefined || src.offset > prev) this.bySource.set(src.source, src.offset);
    this.dirty = true;
  }

  /** Rows for a commit (every source), clearing the dirty mark. */
  take(): SourceOffsetRow[] {
    this.dirty = false;
    return [...this.bySource].map(([source, offset]) => ({ source, offset }));
  }
}
