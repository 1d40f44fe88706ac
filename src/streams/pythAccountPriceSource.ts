// Live Pyth prices from an on-chain price account: getAccountInfoAndContext once, then
// Connection.onAccountChange (WebSocket accountSubscribe). @solana/web3.js re-opens its
// WebSocket and re-subscribes by itself after a drop.
// Ticks: at = the account's timestamp (ms), offset = the aggregate's publish slot. Updates
// that repeat the last emitted timestamp (several slots per second) are skipped as not new;
// a non-Trading aggregate is rejected as 'not-trading'; the rest go through TickValidator.
import { Connection, PublicKey } from '@solana/web3.js';
import type { Commitment } from '@solana/web3.js';
import { Observable } from 'rxjs';
import { reject } from './inputTypes.ts';
import type { PriceTickInput, Validated } from './inputTypes.ts';
import { parsePythPriceAccount } from './pythAccountParse.ts';
import { TickValidator } from './tickValidator.ts';
import type { TickValidatorConfig } from './tickValidator.ts';

/** Pyth BTC/USD push account on Solana mainnet (served until 2024-06-30; on Pythnet after). */
export const PYTH_BTC_USD_ACCOUNT = 'GVXRSBjFk6e6J3NbVPXohDJetcTjaeeuykUpbQF8UoMU';

export interface PythAccountSourceOptions {
  rpcUrl: string;
  /** WebSocket URL (default: web3.js derives it from rpcUrl, port + 1 for explicit ports). */
  wsUrl?: string;
  account?: string;
  commitment?: Commitment;
  source?: string;
  validator?: Partial<TickValidatorConfig>;
}

export function pythAccountPriceSource(opts: PythAccountSourceOptions): Observable<Validated<PriceTickInput>> {
  const account = new PublicKey(opts.account ?? PYTH_BTC_USD_ACCOUNT);
  const source = opts.source ?? `pyth-account:${account.toBase58().slice(0, 8)}`;
  return new Observable<Validated<PriceTickInput>>((sub) => {
    const conn = new Connection(opts.rpcUrl, { commitment: opts.commitment ?? 'confirmed', ...(opts.wsUrl ? { wsEndpoint: opts.wsUrl } : {}) });
    const validator = new TickValidator(opts.validator);
    let lastAt = Number.NEGATIVE_INFINITY;
    let lastSlot = -1;
    let closed = false;

    const handle = (data: Buffer, slot: number): void => {
      if (closed) return;
      const p = parsePythPriceAccount(data, slot);
      if (!p.ok) {
        if (p.publishSlot !== null && p.publishSlot === lastSlot) return;
        sub.next(reject(source, p.reason, p.detail, data.toString('base64'), p.publishTimeMs, p.publishSlot));
        return;
      }
      const { priceUsd, confUsd, publishTimeMs, publishSlot } = p.price;
      if (publishSlot <= lastSlot || publishTimeMs === lastAt) return; // not new (or an older read racing the subscription)
      lastSlot = publishSlot;
      const v = validator.check({ at: publishTimeMs, priceUsd, confUsd, source, offset: publishSlot }, () => data.toString('base64'));
      if (v.ok) lastAt = publishTimeMs;
      sub.next(v);
    };

    const subId = conn.onAccountChange(account, (info, ctx) => handle(info.data, ctx.slot), { commitment: opts.commitment ?? 'confirmed', encoding: 'base64' });
    conn.getAccountInfoAndContext(account).then(
      (r) => {
        if (r.value === null) sub.error(new Error(`Pyth account ${account.toBase58()} not found`));
        else handle(r.value.data, r.context.slot);
      },
      (e: unknown) => { if (!closed) sub.error(e); },
    );
    return () => {
      closed = true;
      // Unsubscribing is best effort at teardown (the socket may already be gone).
      conn.removeAccountChangeListener(subId).catch(() => undefined);
    };
  });
}
