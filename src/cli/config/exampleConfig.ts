// The commented example `omm-hedger config init` writes. Kept valid: a test checks it parses.
export const EXAMPLE_CONFIG_YAML = `# omm-hedger configuration (YAML; JSON works too). Units are in the names:
# BTC sizes, USD prices, bps = 1/100 of a percent, Ms = milliseconds, vol per year.
seed: 7                      # seeds simulated takers and the in-process venue

db:
  path: ./data/omm-hedger.db # the journal; run --create makes it if missing
  synchronous: NORMAL        # NORMAL (WAL, survives a process crash) or FULL (fsync every commit)

http:
  enabled: true
  host: 127.0.0.1            # loopback only by default
  port: 8787
  # controlToken: change-me-please   # or set OMM_CONTROL_TOKEN; without one control is refused

log:
  level: info                # trace | debug | info | warn | error | silent
  # pretty: true             # human-readable logs (default when stderr is a terminal)

prices:
  kind: csv                  # csv (Binance, Kraken, ccxt exports or a time,close header), synthetic, or a live feed (hermes, pyth-account, mango-oracle, venue, deribit-index)
  path: ./data/btcusdt-binanceus-1m-2023-03-01_21.csv
  priceField: close          # close, or mid of high/low
  speed: 600                 # N times real time, or max (lockstep, as fast as possible)

venue:
  kind: sim                  # sim (in-process), sim-http (url: http://127.0.0.1:7070), mango, ccxt or deribit
  market: BTC-PERP
  takerFeeBps: 5
  latencyMs: 20
# A live perp venue through ccxt (check it first: omm-hedger venue check --config FILE):
# venue:
#   kind: ccxt
#   exchange: hyperliquid      # or binanceusdm; other exchanges are refused
#   symbol: BTC/USDC:USDC      # binanceusdm: BTC/USDT:USDT
#   credentials: ./keys/venue.json   # chmod 600; hyperliquid {walletAddress, privateKey}, binanceusdm {apiKey, secret}
#   testnet: true              # the default; false (mainnet) also needs: run --live
#   timeoutMs: 10000
# prices: { kind: venue }      # the venue's own mark price as the feed
# reconcileEveryMs: 30000      # live runs compare the venue's position with the vaults' this often
# A Deribit account: BTC options book and BTC-PERPETUAL hedge on one session, one vault per account:
# venue:
#   kind: deribit
#   credentials: ./keys/deribit.json   # chmod 600; {clientId, clientSecret}
#   testnet: true              # the default; false (mainnet) also needs: run --live
#   perpInstrument: BTC-PERPETUAL
# prices: { kind: deribit-index }   # Deribit's BTC index on the same session
# (the vault's book may be left out: the account's positions are imported on its first start)

takers:                      # simulated option takers trading against the vault's quotes; null for none
  arrivalsPerMinute: 0.2
  buyShare: 0.5
  meanSizeContracts: 0.5

shutdownGraceMs: 10000       # on SIGINT/SIGTERM, time in-flight hedges get to resolve

vaults:
  - id: alpha                # letters, digits, _ or . (client order ids are <id>-<hedgeSeq>)
    volPerYear: 0.6          # flat vol of series whose expiry has no smile (unless a series sets its own)
    smile:                   # per expiry: vol by moneyness = strike / spot, linear in between, flat beyond
      31MAR23: { moneyness: [0.8, 0.9, 1.0, 1.1, 1.25], vol: [0.78, 0.66, 0.6, 0.61, 0.66] }
    expiry:                  # expiry as a planned event
      mode: atSettlement     # the settlement hedges the delta it removes (clips of maxOrderBtc), or
      pinMinutes: 60         #   { mode: glide, minutes: 120 }: the perp takes the delta over the last 120 min;
                             # both: greeks as if >= pinMinutes were left (caps the expiring gamma)
    book:                    # Deribit names; qty in contracts of 1 BTC, < 0 short, 0 = quoted only
      - { instrument: BTC-31MAR23-24000-C, qty: -4 }
      - { instrument: BTC-31MAR23-22000-P, qty: -4 }
      - { instrument: BTC-28APR23-26000-C, qty: 0, volPerYear: 0.65 }   # its own vol wins over the surface
    bands:                   # fixed | percentGross | whalleyWilmott | zakamouline
      kind: fixed
      quoteBtc: 1            # |delta| above this skews quotes
      hedgeBtc: 2.5          # |delta| at or above this hedges
      reentryBtc: 0.5        # back to neutral at or below this (hysteresis)
      hardBtc: 5             # hedge at once even during cooldown
    # bands: { kind: whalleyWilmott, costBps: 5, riskAversion: 0.0005, minHedgeBtc: 0.5 }
    trigger: { kind: band }  # band | { kind: time, everyMs: 3600000 } | { kind: move, movePct: 0.01 }
    hedgeTarget: zero        # zero, or bandEdge (trade back to the re-entry band)
    cooldownMs: 900000
    retryBaseMs: 5000        # backoff after a failed hedge: min(retryMaxMs, base * 2^(n-1))
    retryMaxMs: 300000
    ratePerYear: 0
    limits:
      maxOrderBtc: 25        # a larger hedge goes as consecutive clips of one episode
      minOrderBtc: 0.001
      lotBtc: 0.0001
      maxHedgeNotionalPerDayUsd: 50000000
      slippageBps: 50        # protective limit price distance from spot
      maxPriceAgeMs: 300000  # no valid price this long: feed stale, quotes pulled, no new hedges
      maxConsecutiveFailures: 5
    quote:
      halfSpreadBps: 150
      minHalfSpreadUsd: 5
      maxLeanBps: 100        # how far the delta-reducing side may lean through mid
      baseSizeContracts: 2
      leanMode: costBounded  # off | fixed (maxLeanBps) | costBounded (fixed, capped at the perp cost of the delta)
      perpTakerFeeBps: 5     # costBounded: a lean pays at most |option delta| x spot x (fee + slippage)
      perpSlippageBps: 1
`;
