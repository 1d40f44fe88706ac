// Chaos on live venues through ccxt: the real `omm-hedger run` hedging on a venue double that runs
// in its own process (its state in a file), with the venue's mark as the price feed, killed with
// SIGKILL again and again while the mark walks, some kills while a hedge is in flight and some
// while the double holds back an order's answer (booked, answer delayed), restarted each time on
// the same journal; then a last life on a still mark. At the end the venue's position equals the
// vaults' perp positions, every hedge order is final, `verify` passes, nothing was halted, and no
// client id was sent twice as a new order. The run itself is test/fixtures/ccxt/ccxtChaos.ts.
// Hyperliquid: 20 kills (the double counts order actions per cloid).
// Binance USDS-M: 20 kills too (about 70-90 s: a life is 3-4.5 s on two shared cores), and the
// double counts New Order attempts and bookings per newClientOrderId.
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { DEFAULT_API_KEY, DEFAULT_SECRET } from '../fixtures/ccxt/binance/binanceDoubleConfig.ts';
import { startBinanceDoubleProcess } from '../fixtures/ccxt/binance/binanceDoubleProcess.ts';
import { BINANCE_SYMBOL } from '../fixtures/ccxt/binance/binanceVenue.ts';
import { ccxtKillRestartChaos } from '../fixtures/ccxt/ccxtChaos.ts';
import { writeCcxtRunConfig } from '../fixtures/ccxt/ccxtRunConfig.ts';
import { startHlDoubleProcess } from '../fixtures/ccxt/hyperliquid/hlDoubleProcess.ts';
import { writeHlRunConfig } from '../fixtures/ccxt/hyperliquid/hlRunConfig.ts';

describe('chaos: SIGKILL the engine hedging on the Hyperliquid double', () => {
  it('ends with the venue position equal to the vaults\' and every client id placed at most once', async () => {
    await ccxtKillRestartChaos({
      kills: 20,
      start: async (dir, markUsd, over) => {
        const venue = await startHlDoubleProcess({ state: join(dir, 'venue.json'), mark: markUsd, depth: 50 });
        return {
          config: writeHlRunConfig(dir, venue.url, over).config,
          mark: (px) => venue.mark(px),
          setOrderAnswerDelay: (ms) => venue.faults({ answerDelayMs: ms }),
          stats: () => venue.stats(),
          // Hyperliquid's double counts the orders of each order action per cloid (what reached the venue).
          newOrders: async () => ({ attempts: (await venue.state()).state.attempts }),
          positionBtc: async () => (await venue.stats()).positionSzi,
          stop: () => venue.stop(),
        };
      },
    });
  }, 900_000);
});

describe('chaos: SIGKILL the engine hedging on the Binance USDS-M double', () => {
  it('ends with the venue position equal to the vaults\' and every newClientOrderId sent and booked once', async () => {
    await ccxtKillRestartChaos({
      kills: 20,
      start: async (dir, markUsd, over) => {
        const venue = await startBinanceDoubleProcess(['--state', join(dir, 'venue.json'), '--price', String(markUsd)]);
        const d = venue.controls;
        const credentials = { apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET };
        return {
          config: writeCcxtRunConfig(dir, { exchange: 'binanceusdm', symbol: BINANCE_SYMBOL, url: venue.url, credentials }, over).config,
          mark: (px) => d.setReferencePrice(px),
          setOrderAnswerDelay: (ms) => d.setAnswerDelay(ms, { method: 'POST', path: '/fapi/v1/order' }),
          stats: () => d.stats(),
          newOrders: async () => ({ attempts: await d.attempts(), booked: await d.booked() }),
          positionBtc: () => d.positionBtc(),
          stop: () => venue.stop(),
        };
      },
    });
  }, 900_000);
});
