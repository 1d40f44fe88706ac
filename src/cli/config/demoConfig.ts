// The embedded default behind `npm start`: two demo vaults on the shared BTC minute prices
// (copied into data/), replayed at 600x (a minute of market time every 100 ms), simulated
// takers, the simulated perp venue, SQLite at ./data/omm-hedger.db, dashboard on :8787.
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../packageRoot.ts';
import type { RunConfigInput } from './configSchema.ts';

/** The price file shipped with the project (BTC/USDT 1m, 2023-03-01 to 2023-03-21, Binance.US). */
export const DEMO_PRICES_PATH = join(PACKAGE_ROOT, 'data/btcusdt-binanceus-1m-2023-03-01_21.csv');

const expiries = ['10MAR23', '17MAR23', '31MAR23', '28APR23'];
const strikes = [20000, 22000, 24000, 26000];

/**
 * A BTC smile of March 2023 shape: vol by moneyness (strike / spot), puts' wing steeper than
 * calls', the short expiries more curved; the vault's flat vol sets the at-the-money level.
 */
function demoSmile(atmVol: number): Record<string, { moneyness: number[]; vol: number[] }> {
  const at = (skew: number[]): number[] => skew.map((s) => Number((atmVol + s).toFixed(3)));
  const near = { moneyness: [0.8, 0.9, 1, 1.1, 1.2], vol: at([0.16, 0.06, 0, 0.03, 0.09]) };
  const far = { moneyness: [0.8, 0.9, 1, 1.1, 1.2], vol: at([0.1, 0.04, 0, 0.02, 0.05]) };
  return { '10MAR23': near, '17MAR23': near, '31MAR23': far, '28APR23': far };
}

/** A seeded option book: every expiry x strike quoted; the vault starts short some of them. */
function demoBook(shortCalls: number, shortPuts: number): { instrument: string; qty: number }[] {
  const book: { instrument: string; qty: number }[] = [];
  for (const e of expiries) {
    for (const k of strikes) {
      const atm = k === 24000;
      book.push({ instrument: `BTC-${e}-${k}-C`, qty: atm ? -shortCalls : k === 26000 ? -shortCalls / 2 : 0 });
      book.push({ instrument: `BTC-${e}-${k}-P`, qty: k === 22000 ? -shortPuts : 0 });
    }
  }
  return book;
}

export function demoConfig(): RunConfigInput {
  return {
    seed: 7,
    prices: { kind: 'csv', path: DEMO_PRICES_PATH, priceField: 'close', speed: 600 },
    venue: { kind: 'sim' },
    takers: { arrivalsPerMinute: 0.2, buyShare: 0.5, meanSizeContracts: 0.5 },
    vaults: [
      {
        id: 'alpha',
        volPerYear: 0.6,
        smile: demoSmile(0.6),
        // The expiring delta moves onto the perp over the last two hours before each expiry.
        expiry: { mode: 'glide', minutes: 120, pinMinutes: 60 },
        book: demoBook(4, 4),
        bands: { kind: 'fixed', quoteBtc: 1, hedgeBtc: 2.5, reentryBtc: 0.5, hardBtc: 5 },
        cooldownMs: 15 * 60_000,
      },
      {
        id: 'beta',
        volPerYear: 0.65,
        smile: demoSmile(0.65),
        // The settlement hedges the delta it removes (in clips of maxOrderBtc); its gamma-scaled
        // bands see the expiring series' gamma capped at its value 4 hours before expiry.
        expiry: { mode: 'atSettlement', pinMinutes: 240 },
        book: demoBook(6, 2),
        bands: { kind: 'whalleyWilmott', costBps: 5, riskAversion: 0.0005, quoteFraction: 0.5, reentryFraction: 0.25, hardMultiple: 2, minHedgeBtc: 0.5 },
        hedgeTarget: 'bandEdge',
        cooldownMs: 10 * 60_000,
      },
    ],
  };
}
