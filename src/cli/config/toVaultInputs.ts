// From validated config to the machine's VaultInput: instruments parsed, vols resolved, and
// the flat config shape the machine keeps in context.
import type { SmileSlice, VaultInput } from '../../../machines/vault.types.ts';
import { parseExpiryCode, parseInstrument } from '../../domain/instrument.ts';
import { CliError } from '../cliError.ts';
import type { RunConfig } from './configSchema.ts';

export function toVaultInputs(cfg: RunConfig): VaultInput[] {
  return cfg.vaults.map((v, i) => ({
    vaultId: v.id,
    config: {
      underlying: v.underlying,
      bands: v.bands,
      trigger: v.trigger,
      hedgeTarget: v.hedgeTarget,
      maxOrderBtc: v.limits.maxOrderBtc,
      minOrderBtc: v.limits.minOrderBtc,
      lotBtc: v.limits.lotBtc,
      slippageBps: v.limits.slippageBps,
      cooldownMs: v.cooldownMs,
      retryBaseMs: v.retryBaseMs,
      retryMaxMs: v.retryMaxMs,
      maxConsecutiveFailures: v.limits.maxConsecutiveFailures,
      maxHedgeNotionalPerDayUsd: v.limits.maxHedgeNotionalPerDayUsd,
      ratePerYear: v.ratePerYear,
      quote: machineQuote(v.quote),
      vol: { flatVolPerYear: v.volPerYear, smiles: smilesOf(v.smile) },
      expiry: v.expiry,
      account: v.account ?? (cfg.venue.kind === 'deribit' ? { kind: 'inverse' } : { kind: 'linear' }),
    },
    book: v.book.map((b, j) => {
      let inst;
      try {
        inst = parseInstrument(b.instrument);
      } catch (err) {
        throw new CliError(`invalid config: vaults[${i}].book[${j}].instrument: ${err instanceof Error ? err.message : String(err)}`);
      }
      // A series' own vol only if it names one: otherwise the surface (smile or flat vol) decides.
      return { instrument: b.instrument, kind: inst.kind, strikeUsd: inst.strikeUsd, expiryMs: inst.expiryMs, qty: b.qty, ...(b.volPerYear !== undefined ? { volPerYear: b.volPerYear } : {}) };
    }),
  }));
}

/** The configured smiles by expiry code (validated by the schema), as the surface's slices sorted by expiry. */
function smilesOf(smile: RunConfig['vaults'][number]['smile']): SmileSlice[] {
  return Object.entries(smile)
    .map(([code, s]) => ({ expiryMs: parseExpiryCode(code), moneyness: s.moneyness, volPerYear: s.vol }))
    .sort((a, b) => a.expiryMs - b.expiryMs);
}

/** The quote config without the venue-quoting fields (quotingOf.ts reads those): the machine's config stays as persisted. */
function machineQuote(q: RunConfig['vaults'][number]['quote']): VaultInput['config']['quote'] {
  const { amendTicks: _t, amendSizeShare: _s, mmp: _m, ...rest } = q;
  return rest;
}
