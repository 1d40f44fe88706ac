// The vault's book against the venue account's, for an options venue whose positions are
// account-wide (Deribit: one vault per account). Options compare exactly (contracts, signed);
// the inverse perp compares in USD (its native size: its BTC value moves with the price), equal
// when they differ by less than one contract. Pure.

export interface AccountBook {
  /** Option series and signed contracts (> 0 long); zero positions may be left out. */
  options: readonly { instrument: string; qty: number }[];
  /** Inverse perp, signed USD notional (> 0 long). */
  perpUsd: number;
}

export interface BookComparison {
  ok: boolean;
  /** Series whose contracts differ: [instrument, venue qty, vault qty]. */
  optionDiffs: [string, number, number][];
  perpDiffUsd: number;
}

/** Contracts move in decimal steps: sums are compared free of binary float dust. */
const roundQty = (q: number): number => Math.round(q * 1e8) / 1e8;

function byInstrument(legs: AccountBook['options']): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of legs) {
    const q = roundQty((m.get(l.instrument) ?? 0) + l.qty);
    if (q === 0) m.delete(l.instrument); else m.set(l.instrument, q);
  }
  return m;
}

export function compareAccountBooks(venue: AccountBook, vault: AccountBook, contractUsd: number): BookComparison {
  if (!(contractUsd > 0)) throw new Error(`contractUsd must be positive, got ${contractUsd}`);
  const v = byInstrument(venue.options);
  const w = byInstrument(vault.options);
  const optionDiffs: [string, number, number][] = [];
  for (const name of [...new Set([...v.keys(), ...w.keys()])].sort()) {
    const a = v.get(name) ?? 0;
    const b = w.get(name) ?? 0;
    if (a !== b) optionDiffs.push([name, a, b]);
  }
  const perpDiffUsd = venue.perpUsd - vault.perpUsd;
  return { ok: optionDiffs.length === 0 && Math.abs(perpDiffUsd) < contractUsd, optionDiffs, perpDiffUsd };
}

/** One line: `BTC-27JUN25-60000-C -2, BTC-27JUN25-50000-P 1; perp -1000 USD` (options sorted by name). */
export function describeAccountBook(b: AccountBook): string {
  const legs = [...byInstrument(b.options)].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([n, q]) => `${n} ${q}`);
  return `${legs.length ? legs.join(', ') : 'no options'}; perp ${Math.round(b.perpUsd * 100) / 100} USD`;
}

/** The halt reason: both books in full. */
export function bookMismatchReason(venue: AccountBook, vault: AccountBook): string {
  return `reconcile: venue book {${describeAccountBook(venue)}} vs vault book {${describeAccountBook(vault)}}`;
}
