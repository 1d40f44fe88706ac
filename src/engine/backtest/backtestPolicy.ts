// Hedging policies a backtest can impose on every vault, overriding the configured bands and
// trigger: the same machine runs, only its VaultConfig differs. Parsing fails with a
// PolicyError naming the accepted forms, so the CLI can show it as one line.
import type { BandConfig, HedgeTrigger, VaultConfig, VaultInput } from '../../../machines/vault.types.ts';
import { LEAN_MODES, type LeanMode } from '../../domain/quoteBook.ts';

/** A hedging policy, and optionally the quote lean mode every vault uses under it (`+lean:MODE`). */
export type BacktestPolicy = HedgePolicyChoice & { leanMode?: LeanMode };

export type HedgePolicyChoice =
  /** Keep every vault's configured bands and trigger. */
  | { kind: 'config' }
  /** Hedge every `minutes` of event time (cooldown capped at the interval). */
  | { kind: 'time'; minutes: number }
  /** Fixed delta band; hedgeBtc absent = the config's fixed widths (or FIXED_DEFAULT). */
  | { kind: 'band'; hedgeBtc: number | null }
  /** Hedge when spot moved `pct` percent since the last hedge. */
  | { kind: 'move'; pct: number }
  /** Gamma-scaled Whalley-Wilmott / Zakamouline band; riskAversion absent = config or default. */
  | { kind: 'ww' | 'zakamouline'; riskAversion: number | null };

export type HedgeTargetFlag = 'zero' | 'edge';

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

export const POLICY_FORMS = 'config, time:<minutes>, band[:<hedgeBtc>], move:<pct>, ww[:<riskAversion>], zakamouline[:<riskAversion>], each optionally +lean:off|fixed|costBounded (or lean:<mode> alone: the config\'s policy)';

/** The demo's fixed band (BTC of delta) when the config has no fixed band to keep. */
export const FIXED_DEFAULT = { kind: 'fixed', quoteBtc: 1, hedgeBtc: 2.5, reentryBtc: 0.5, hardBtc: 5 } as const;
/** Risk aversion (1/USD) and band floor (BTC) of a gamma-scaled band when the config has none. */
export const GAMMA_BAND_DEFAULT = { riskAversion: 0.0005, quoteFraction: 0.5, reentryFraction: 0.25, hardMultiple: 2, minHedgeBtc: 0.25 } as const;

function positiveNumber(text: string, what: string, raw: string): number {
  const n = /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new PolicyError(`policy '${raw}': ${what} must be a number > 0, got '${text}'`);
  return n;
}

function parseLean(part: string, raw: string): LeanMode {
  const mode = part.slice(part.indexOf(':') + 1).trim();
  const found = LEAN_MODES.find((m) => m.toLowerCase() === mode.toLowerCase());
  if (!found) throw new PolicyError(`policy '${raw}': lean mode must be one of ${LEAN_MODES.join(', ')}, got '${mode}'`);
  return found;
}

/**
 * Parses one policy such as `time:60`, `band`, `band:0.5`, `move:1`, `ww`, `zakamouline:0.001`,
 * optionally with a lean mode: `ww+lean:off`, or `lean:fixed` alone (the config's policy).
 */
export function parsePolicy(raw: string): BacktestPolicy {
  const parts = raw.split('+').map((p) => p.trim());
  const leans = parts.filter((p) => /^lean(:|$)/i.test(p));
  const hedges = parts.filter((p) => !/^lean(:|$)/i.test(p));
  if (leans.length > 1 || hedges.length > 1) throw new PolicyError(`policy '${raw}': at most one hedging policy and one lean:<mode>`);
  const policy = hedges.length === 0 ? { kind: 'config' as const } : parseHedgePolicy(hedges[0] as string, raw);
  return leans.length === 0 ? policy : { ...policy, leanMode: parseLean(leans[0] as string, raw) };
}

function parseHedgePolicy(part: string, raw: string): HedgePolicyChoice {
  const text = part.trim();
  const colon = text.indexOf(':');
  const name = (colon < 0 ? text : text.slice(0, colon)).toLowerCase();
  const arg = colon < 0 ? null : text.slice(colon + 1).trim();
  switch (name) {
    case 'config':
      if (arg !== null) throw new PolicyError(`policy '${raw}': 'config' takes no argument`);
      return { kind: 'config' };
    case 'time': {
      if (arg === null) throw new PolicyError(`policy '${raw}': time needs minutes, e.g. time:60`);
      const minutes = positiveNumber(arg, 'minutes', raw);
      if (minutes * 60_000 < 1) throw new PolicyError(`policy '${raw}': interval below 1 ms`);
      return { kind: 'time', minutes };
    }
    case 'band':
      return { kind: 'band', hedgeBtc: arg === null ? null : positiveNumber(arg, 'hedge band (BTC)', raw) };
    case 'move': {
      if (arg === null) throw new PolicyError(`policy '${raw}': move needs a percentage, e.g. move:1 (1%)`);
      const pct = positiveNumber(arg, 'percentage', raw);
      if (pct > 100) throw new PolicyError(`policy '${raw}': percentage must be <= 100, got ${pct}`);
      return { kind: 'move', pct };
    }
    case 'ww':
    case 'whalley-wilmott':
      return { kind: 'ww', riskAversion: arg === null ? null : positiveNumber(arg, 'risk aversion (1/USD)', raw) };
    case 'zakamouline':
    case 'zak':
      return { kind: 'zakamouline', riskAversion: arg === null ? null : positiveNumber(arg, 'risk aversion (1/USD)', raw) };
    default:
      throw new PolicyError(`unknown policy '${raw}': use one of ${POLICY_FORMS}`);
  }
}

/** A comma-separated list for --compare: at least one, no duplicates (by label). */
export function parsePolicyList(raw: string): BacktestPolicy[] {
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new PolicyError(`--compare needs policies separated by commas, e.g. time:60,band,ww; got '${raw}'`);
  const out = parts.map(parsePolicy);
  const seen = new Set<string>();
  for (const p of out) {
    const l = policyLabel(p);
    if (seen.has(l)) throw new PolicyError(`--compare lists policy '${l}' twice`);
    seen.add(l);
  }
  return out;
}

/** Canonical label: `time:60`, `band`, `band:0.5`, `move:1`, `ww`, `zakamouline:0.001`, `config`, `ww+lean:off`, `lean:fixed`. */
export function policyLabel(p: BacktestPolicy): string {
  const hedge = hedgeLabel(p);
  if (p.leanMode === undefined) return hedge;
  return p.kind === 'config' ? `lean:${p.leanMode}` : `${hedge}+lean:${p.leanMode}`;
}

function hedgeLabel(p: HedgePolicyChoice): string {
  switch (p.kind) {
    case 'config': return 'config';
    case 'time': return `time:${p.minutes}`;
    case 'band': return p.hedgeBtc === null ? 'band' : `band:${p.hedgeBtc}`;
    case 'move': return `move:${p.pct}`;
    case 'ww':
    case 'zakamouline': return p.riskAversion === null ? p.kind : `${p.kind}:${p.riskAversion}`;
  }
}

function fixedBand(current: BandConfig, hedgeBtc: number | null): BandConfig {
  if (hedgeBtc !== null) return { kind: 'fixed', quoteBtc: hedgeBtc * 0.5, hedgeBtc, reentryBtc: hedgeBtc * 0.25, hardBtc: hedgeBtc * 2 };
  return current.kind === 'fixed' ? current : { ...FIXED_DEFAULT };
}

function gammaBand(kind: 'whalleyWilmott' | 'zakamouline', current: BandConfig, riskAversion: number | null, costBps: number): BandConfig {
  const base = current.kind === 'whalleyWilmott' || current.kind === 'zakamouline'
    ? { costBps: current.costBps, riskAversion: current.riskAversion, quoteFraction: current.quoteFraction, reentryFraction: current.reentryFraction, hardMultiple: current.hardMultiple, minHedgeBtc: current.minHedgeBtc }
    : { costBps, ...GAMMA_BAND_DEFAULT };
  return { kind, ...base, riskAversion: riskAversion ?? base.riskAversion };
}

/**
 * The vault config under a policy. `costBps` (the venue's one-way taker fee) feeds a
 * gamma-scaled band made from defaults. Time policies cap the cooldown at the interval so the
 * cooldown does not silently stretch it.
 */
export function applyPolicy(cfg: VaultConfig, p: BacktestPolicy, target: HedgeTargetFlag | null, costBps: number): VaultConfig {
  let bands: BandConfig = cfg.bands;
  let trigger: HedgeTrigger = cfg.trigger;
  let cooldownMs = cfg.cooldownMs;
  switch (p.kind) {
    case 'config':
      break;
    case 'time': {
      const everyMs = Math.round(p.minutes * 60_000);
      trigger = { kind: 'time', everyMs };
      cooldownMs = Math.min(cooldownMs, everyMs);
      break;
    }
    case 'band':
      bands = fixedBand(cfg.bands, p.hedgeBtc);
      trigger = { kind: 'band' };
      break;
    case 'move':
      trigger = { kind: 'move', movePct: p.pct / 100 };
      break;
    case 'ww':
      bands = gammaBand('whalleyWilmott', cfg.bands, p.riskAversion, costBps);
      trigger = { kind: 'band' };
      break;
    case 'zakamouline':
      bands = gammaBand('zakamouline', cfg.bands, p.riskAversion, costBps);
      trigger = { kind: 'band' };
      break;
  }
  const hedgeTarget = target === null ? cfg.hedgeTarget : target === 'edge' ? 'bandEdge' : 'zero';
  const quote = p.leanMode === undefined ? cfg.quote : { ...cfg.quote, leanMode: p.leanMode };
  return { ...cfg, bands, trigger, cooldownMs, hedgeTarget, quote };
}

export function applyPolicyToInputs(inputs: readonly VaultInput[], p: BacktestPolicy, target: HedgeTargetFlag | null, costBps: number): VaultInput[] {
  return inputs.map((v) => ({ ...v, config: applyPolicy(v.config, p, target, costBps), book: v.book.map((l) => ({ ...l })) }));
}
