// The run configuration (YAML or JSON), validated with zod. Every field has a sane default so
// a small file (or none: the embedded demo) runs. Units are in the names.
import { z } from 'zod';
import { parseExpiryCode } from '../../domain/instrument.ts';
import { LEAN_DEFAULTS, LEAN_MODES } from '../../domain/quoteBook.ts';
import { MAX_VOL_PER_YEAR, volPercent } from '../parseNumber.ts';
import { venueSchema } from './venueSchema.ts';

const pos = z.number().positive();
const nonNeg = z.number().nonnegative();
const frac = z.number().min(0).max(1);
/** Annualised vol, a decimal; above MAX_VOL_PER_YEAR it is refused (a percentage typed as a decimal, most likely). */
const volPerYear = pos.max(MAX_VOL_PER_YEAR, `at most ${MAX_VOL_PER_YEAR} (${volPercent(MAX_VOL_PER_YEAR)} a year): vol is a decimal, 0.6 = 60%`);

export const bandsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), quoteBtc: pos, hedgeBtc: pos, reentryBtc: nonNeg, hardBtc: pos }).strict(),
  z.object({ kind: z.literal('percentGross'), quotePct: pos, hedgePct: pos, reentryPct: nonNeg, hardPct: pos, minHedgeBtc: pos }).strict(),
  z.object({ kind: z.literal('whalleyWilmott'), costBps: pos, riskAversion: pos, quoteFraction: frac.default(0.5), reentryFraction: frac.default(0.25), hardMultiple: z.number().min(1).default(2), minHedgeBtc: pos }).strict(),
  z.object({ kind: z.literal('zakamouline'), costBps: pos, riskAversion: pos, quoteFraction: frac.default(0.5), reentryFraction: frac.default(0.25), hardMultiple: z.number().min(1).default(2), minHedgeBtc: pos }).strict(),
]).superRefine((b, ctx) => {
  const [q, h, r, hard] = b.kind === 'fixed' ? [b.quoteBtc, b.hedgeBtc, b.reentryBtc, b.hardBtc]
    : b.kind === 'percentGross' ? [b.quotePct, b.hedgePct, b.reentryPct, b.hardPct] : [b.quoteFraction, 1, b.reentryFraction, b.hardMultiple];
  if (!(r < q)) ctx.addIssue({ code: 'custom', message: `re-entry band (${r}) must be below the quote band (${q}) for hysteresis` });
  if (!(q <= h)) ctx.addIssue({ code: 'custom', message: `quote band (${q}) must not exceed the hedge band (${h})` });
  if (!(h <= hard)) ctx.addIssue({ code: 'custom', message: `hedge band (${h}) must not exceed the hard limit (${hard})` });
});

export const triggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('band') }).strict(),
  z.object({ kind: z.literal('time'), everyMs: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('move'), movePct: pos }).strict(),
]);

/** A smile: vol by moneyness (strike / spot), linear in between, flat beyond the ends. */
export const smileSchema = z.object({
  moneyness: z.array(pos).min(1),
  vol: z.array(volPerYear).min(1),
}).strict().superRefine((s, ctx) => {
  if (s.moneyness.length !== s.vol.length) ctx.addIssue({ code: 'custom', message: `needs one vol per moneyness point (${s.moneyness.length} points, ${s.vol.length} vols)` });
  s.moneyness.forEach((m, i) => {
    if (i > 0 && !(m > (s.moneyness[i - 1] as number))) ctx.addIssue({ code: 'custom', path: ['moneyness', i], message: `moneyness must be strictly increasing (${s.moneyness[i - 1]} then ${m})` });
  });
});

/** Expiry as a planned event (see src/domain/expiryTreatment.ts). */
export const expirySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('atSettlement'), pinMinutes: nonNeg.default(60) }).strict(),
  z.object({ mode: z.literal('glide'), minutes: pos, pinMinutes: nonNeg.default(60) }).strict(),
]);

/** Smiles keyed by expiry code as in instrument names (31MAR23). */
const smilesSchema = z.record(z.string(), smileSchema).superRefine((smiles, ctx) => {
  for (const code of Object.keys(smiles)) {
    try {
      parseExpiryCode(code);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: [code], message: `not an expiry such as 31MAR23 (${err instanceof Error ? err.message : String(err)})` });
    }
  }
});

/**
 * How the vault's quotes rest on an options venue (Deribit): amend thresholds and market-maker
 * protection. Read by the quote publisher's composition (quotingOf.ts), never part of the
 * machine's config. Absent fields take quotingOf's defaults.
 */
const venueQuoteFields = {
  /** Amend a resting quote when its price moved by more than this many ticks (0: any tick). */
  amendTicks: z.number().int().nonnegative().optional(),
  /** Amend when its size changed by more than this share of the resting size. */
  amendSizeShare: frac.optional(),
  /** Market-maker protection (Deribit private/set_mmp_config, account-wide per index). */
  mmp: z.object({
    enabled: z.boolean().default(true),
    /** Contracts traded within the interval that freeze quoting. */
    quantityLimit: pos.optional(),
    /** Absolute delta traded within the interval that freezes quoting, BTC. */
    deltaLimit: pos.optional(),
    intervalSec: z.number().int().positive().default(5),
    /** How long quoting stays frozen after a trigger, seconds; 0: until an operator resets it. */
    frozenTimeSec: z.number().int().nonnegative().default(30),
  }).strict().optional(),
};

const instrumentName = z.string().regex(/^[A-Z]+-\d{1,2}[A-Z]{3}\d{2}-\d+(\.\d+)?-[CP]$/, 'a Deribit-style name such as BTC-31MAR23-25000-C');

export const vaultSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.]+$/, 'letters, digits, "_" or "." (no "-": it separates the hedge sequence in client order ids)'),
  underlying: z.literal('BTC').default('BTC'),
  /** Flat vol of every series whose expiry has no smile, unless a series names its own. */
  volPerYear: volPerYear.default(0.6),
  /** Per expiry (e.g. 17MAR23): vol by moneyness = strike / spot. A series' own volPerYear wins. */
  smile: smilesSchema.default({}),
  /** atSettlement (pin floor pinMinutes) or glide over the last `minutes` before each expiry. */
  expiry: expirySchema.default({ mode: 'atSettlement', pinMinutes: 60 }),
  /**
   * linear or inverse (a coin-margined account such as Deribit's: equity and option marks carry
   * delta, src/venues/deribit/INVERSE.md). Default: inverse on venue.kind deribit, else linear.
   */
  account: z.discriminatedUnion('kind', [z.object({ kind: z.literal('linear') }).strict(), z.object({ kind: z.literal('inverse') }).strict()]).optional(),
  book: z.array(z.object({
    instrument: instrumentName,
    /** Contracts of 1 BTC held (> 0 long, < 0 short, 0 = quoted only). */
    qty: z.number(),
    volPerYear: volPerYear.optional(),
  }).strict()).default([]),
  bands: bandsSchema.default({ kind: 'fixed', quoteBtc: 1, hedgeBtc: 3, reentryBtc: 0.5, hardBtc: 6 }),
  trigger: triggerSchema.default({ kind: 'band' }),
  hedgeTarget: z.enum(['zero', 'bandEdge']).default('zero'),
  cooldownMs: z.number().int().nonnegative().default(300_000),
  retryBaseMs: z.number().int().positive().default(5_000),
  retryMaxMs: z.number().int().positive().default(300_000),
  ratePerYear: z.number().min(-0.5).max(1).default(0),
  limits: z.object({
    maxOrderBtc: pos.default(25),
    minOrderBtc: pos.default(0.001),
    lotBtc: pos.default(0.0001),
    maxHedgeNotionalPerDayUsd: pos.default(50_000_000),
    slippageBps: pos.max(2_000).default(50),
    /** No valid price for this long (event time) makes the feed stale. */
    maxPriceAgeMs: z.number().int().positive().default(300_000),
    maxConsecutiveFailures: z.number().int().min(1).default(5),
  }).strict().default({ maxOrderBtc: 25, minOrderBtc: 0.001, lotBtc: 0.0001, maxHedgeNotionalPerDayUsd: 50_000_000, slippageBps: 50, maxPriceAgeMs: 300_000, maxConsecutiveFailures: 5 }),
  quote: z.object({
    halfSpreadBps: pos.default(150),
    minHalfSpreadUsd: nonNeg.default(5),
    maxLeanBps: nonNeg.default(100),
    baseSizeContracts: pos.default(2),
    /** off | fixed (maxLeanBps x band fraction) | costBounded (fixed, capped at the perp cost of the option's delta). */
    leanMode: z.enum(LEAN_MODES).default(LEAN_DEFAULTS.leanMode),
    /** The perp hedge cost a costBounded lean may pay: |delta| x spot x (fee + slippage), bps. */
    perpTakerFeeBps: nonNeg.default(LEAN_DEFAULTS.perpTakerFeeBps),
    perpSlippageBps: nonNeg.default(LEAN_DEFAULTS.perpSlippageBps),
    ...venueQuoteFields,
  }).strict().default({ halfSpreadBps: 150, minHalfSpreadUsd: 5, maxLeanBps: 100, baseSizeContracts: 2, ...LEAN_DEFAULTS }),
}).strict();

/**
 * A live feed's ticks closer together than this (ms) are conflated to the latest: hedging
 * needs the newest price, not every one, and each tick is a journal row per vault. 0 = every tick.
 */
const conflateMs = z.number().int().min(0).max(60_000).default(100);

export const pricesSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('csv'), path: z.string().min(1),
    priceField: z.enum(['close', 'mid']).default('close'),
    /** 'max' (lockstep, as fast as possible) or N times real time. */
    speed: z.union([z.literal('max'), pos]).default(600),
  }).strict(),
  z.object({
    kind: z.literal('synthetic'), seed: z.number().int().default(1), s0: pos.default(23_000), volPerYear: pos.default(0.65),
    muPerYear: z.number().default(0), stepMs: z.number().int().positive().default(60_000), startMs: z.number().int().default(Date.UTC(2023, 2, 1)),
    count: z.number().int().positive().default(30_240), speed: z.union([z.literal('max'), pos]).default(600),
  }).strict(),
  /** Live: Pyth prices through Hermes (SSE), on the wall clock. */
  z.object({
    kind: z.literal('hermes'), endpoint: z.url(),
    feedId: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 32-byte hex Pyth feed id').optional(),
    conflateMs,
  }).strict(),
  /** Live: a Pyth on-chain price account over Solana JSON-RPC + WebSocket. */
  z.object({ kind: z.literal('pyth-account'), rpcUrl: z.url(), wsUrl: z.url().optional(), account: z.string().min(32).optional(), conflateMs }).strict(),
  /** Live: the hedge venue's own mark price (venue.kind ccxt): its websocket, REST polling while that is down. */
  z.object({
    kind: z.literal('venue'),
    /** REST polling interval while the websocket is down, ms. */
    pollMs: z.number().int().positive().default(2_000),
    /** How long to poll before trying the websocket again, ms. */
    wsRetryMs: z.number().int().positive().default(60_000),
    conflateMs,
  }).strict(),
  /** Live: Deribit's BTC index (deribit_price_index.btc_usd) on the account's session (venue.kind deribit). */
  z.object({ kind: z.literal('deribit-index'), conflateMs }).strict(),
  /** Live: the Mango v3 group's oracle price (its cache), through mango-client. */
  z.object({
    kind: z.literal('mango-oracle'), rpcUrl: z.url(), wsUrl: z.url().optional(),
    groupName: z.string().default('mainnet.1'), market: z.string().default('BTC-PERP'),
    group: z.record(z.string(), z.unknown()).optional(),
    conflateMs,
  }).strict(),
]);


export const configSchema = z.object({
  seed: z.number().int().default(1),
  db: z.object({
    path: z.string().min(1).default('./data/omm-hedger.db'),
    synchronous: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  }).strict().default({ path: './data/omm-hedger.db', synchronous: 'NORMAL' }),
  http: z.object({
    enabled: z.boolean().default(true),
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8787),
    /** Bearer token for the control API; OMM_CONTROL_TOKEN in the environment overrides it. */
    controlToken: z.string().min(8).optional(),
  }).strict().default({ enabled: true, host: '127.0.0.1', port: 8787 }),
  log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'), pretty: z.boolean().optional() }).strict()
    .default({ level: 'info' }),
  prices: pricesSchema,
  venue: venueSchema.default({ kind: 'sim', market: 'BTC-PERP', takerFeeBps: 5, latencyMs: 20, rejectProb: 0, timeoutProb: 0 }),
  takers: z.object({ arrivalsPerMinute: nonNeg, buyShare: frac, meanSizeContracts: pos }).strict().nullable()
    .default({ arrivalsPerMinute: 0.5, buyShare: 0.5, meanSizeContracts: 1 }),
  /** A JSONL file of fills from a real orderbook, followed as it grows (one fill object a line). */
  fillsFile: z.string().min(1).optional(),
  shutdownGraceMs: z.number().int().nonnegative().default(10_000),
  /** Live runs: the venue's position is compared with the vaults' this often (wall clock, ms); a difference halts every vault. */
  reconcileEveryMs: z.number().int().positive().default(30_000),
  vaults: z.array(vaultSchema).min(1).superRefine((vs, ctx) => {
    const seen = new Set<string>();
    vs.forEach((v, i) => {
      if (seen.has(v.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate vault id "${v.id}"` });
      seen.add(v.id);
    });
  }),
}).strict().superRefine((c, ctx) => {
  if (c.prices.kind === 'venue' && c.venue.kind !== 'ccxt') {
    ctx.addIssue({ code: 'custom', path: ['prices', 'kind'], message: `prices.kind "venue" reads the hedge venue's mark price: it needs venue.kind "ccxt" (venue.kind is "${c.venue.kind}")` });
  }
  if (c.prices.kind === 'deribit-index' && c.venue.kind !== 'deribit') {
    ctx.addIssue({ code: 'custom', path: ['prices', 'kind'], message: `prices.kind "deribit-index" reads Deribit's index on the account's session: it needs venue.kind "deribit" (venue.kind is "${c.venue.kind}")` });
  }
  if (c.venue.kind === 'deribit') {
    // Deribit positions are account-wide: one vault per account (or subaccount), whose book is imported from it.
    if (c.vaults.length !== 1) ctx.addIssue({ code: 'custom', path: ['vaults'], message: `venue.kind "deribit" takes exactly one vault per account (positions are account-wide); got ${c.vaults.length}` });
    c.vaults.forEach((v, i) => {
      if (v.account?.kind === 'linear') ctx.addIssue({ code: 'custom', path: ['vaults', i, 'account'], message: 'Deribit\'s BTC options and BTC-PERPETUAL are inverse (margined and settled in BTC): account.kind must be inverse (the default there)' });
    });
  } else {
    c.vaults.forEach((v, i) => {
      if (v.account?.kind === 'inverse') ctx.addIssue({ code: 'custom', path: ['vaults', i, 'account'], message: `account.kind inverse reads the account's equity and marks from an options venue: it needs venue.kind "deribit" (venue.kind is "${c.venue.kind}")` });
      if (v.book.length === 0) ctx.addIssue({ code: 'custom', path: ['vaults', i, 'book'], message: 'needs at least one series (only a venue.kind "deribit" vault may leave it out: its book is imported from the account)' });
    });
  }
});

export type RunConfig = z.infer<typeof configSchema>;
export type RunConfigInput = z.input<typeof configSchema>;
export type VaultConfigInput = z.infer<typeof vaultSchema>;
