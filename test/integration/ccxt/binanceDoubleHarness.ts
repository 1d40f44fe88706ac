// Shared set-up of the Binance USDS-M double tests: a double plus the real ccxt binanceusdm
// pointed at it, and a helper that catches the ccxt error a call throws.
import type { binanceusdm } from 'ccxt';
import type { BinanceDoubleConfigInput } from '../../fixtures/ccxt/binance/binanceDoubleConfig.ts';
import { BinanceUsdmDouble } from '../../fixtures/ccxt/binance/binanceUsdmDouble.ts';
import { ccxtBinanceUsdm, type CcxtForDoubleOptions } from '../../fixtures/ccxt/binance/ccxtBinanceUsdm.ts';

export const SYMBOL = 'BTC/USDT:USDT';
export const REF_USD = 30_000;

export interface DoubleAndCcxt {
  double: BinanceUsdmDouble;
  ex: binanceusdm;
}

export async function startDoubleWithCcxt(config: BinanceDoubleConfigInput = {}, ccxtOptions: Partial<CcxtForDoubleOptions> = {}): Promise<DoubleAndCcxt> {
  const double = await BinanceUsdmDouble.start({ referencePriceUsd: REF_USD, ...config });
  const ex = ccxtBinanceUsdm(double.url, { apiKey: double.config.apiKey, secret: double.config.secret, ...ccxtOptions });
  return { double, ex };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<Error> {
  const outcome = await p.then((value) => ({ value }), (error: unknown) => ({ error }));
  if ('value' in outcome) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof Error)) throw new Error(`expected an Error, got ${String(outcome.error)}`);
  return outcome.error;
}
