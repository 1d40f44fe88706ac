// Subscription channel names (docs.deribit.com, "Subscriptions"). `raw` channels are private
// and unaggregated; index names are lower case (btc_usd), currencies upper case (BTC).
export type InstrumentKind = 'option' | 'future';

export const channels = {
  userTrades: (kind: InstrumentKind, currency: string): string => `user.trades.${kind}.${currency}.raw`,
  userOrders: (kind: InstrumentKind, currency: string): string => `user.orders.${kind}.${currency}.raw`,
  markPriceOptions: (indexName: string): string => `markprice.options.${indexName}`,
  priceIndex: (indexName: string): string => `deribit_price_index.${indexName}`,
  /** Current docs key MMP triggers by index name (user.mmp_trigger.btc_usd); older docs used the currency (btc). */
  mmpTrigger: (indexName: string): string => `user.mmp_trigger.${indexName}`,
} as const;

/** Private channels need an authenticated connection (private/subscribe). */
export function isPrivateChannel(channel: string): boolean {
  return channel.startsWith('user.');
}
