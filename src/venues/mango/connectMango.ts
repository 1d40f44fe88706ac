// Opens the connection and loads what the adapter trades with: group, account, perp market.
import { Connection, PublicKey, type Keypair } from '@solana/web3.js';
import { MangoClient, type MangoAccount, type MangoGroup, type PerpMarket } from '@blockworks-foundation/mango-client';
import { loadKeypair, type MangoConfig } from './mangoConfig.ts';
import { resolveMangoGroup } from './mangoGroupConfig.ts';
import { readFailure } from './mangoErrors.ts';
import type { LotSpec } from './mangoLots.ts';

export interface MangoHandles {
  connection: Connection;
  client: MangoClient;
  owner: Keypair;
  group: MangoGroup;
  account: MangoAccount;
  perpMarket: PerpMarket;
  marketIndex: number;
  spec: LotSpec;
}

/**
 * mango-client's sendTransaction re-sends the raw transaction every 2 s without awaiting or
 * catching (and once more after confirmation): while the RPC is unreachable each re-send is an
 * unhandled rejection, which ends a Node process. Marking every send promise as handled keeps
 * the rejection for callers who await it and stops the fire-and-forget ones from crashing us.
 */
class GuardedConnection extends Connection {
  override sendRawTransaction(...args: Parameters<Connection['sendRawTransaction']>): ReturnType<Connection['sendRawTransaction']> {
    const sent = super.sendRawTransaction(...args);
    sent.catch(() => undefined);
    return sent;
  }
}

interface RpcWebSocketLike { setAutoReconnect(reconnect: boolean): void; close(): void }

/**
 * web3.js 1.x has no public way to close a Connection's PubSub socket, which otherwise
 * reconnects forever once the node goes away. Reaches into its (stable, 1.x-frozen) private
 * `_rpcWebSocket` field; a no-op if that ever changes.
 */
export function closeConnection(connection: Connection): void {
  const ws = (connection as unknown as { _rpcWebSocket?: Partial<RpcWebSocketLike> })._rpcWebSocket;
  if (typeof ws?.setAutoReconnect === 'function') ws.setAutoReconnect(false);
  if (typeof ws?.close === 'function') ws.close();
}

export async function connectMango(cfg: MangoConfig): Promise<MangoHandles> {
  const { groupConfig, perpConfig } = resolveMangoGroup(cfg);
  const owner = loadKeypair(cfg.keypairPath);
  const connection = new GuardedConnection(cfg.rpcUrl, { commitment: 'processed', wsEndpoint: cfg.wsUrl, disableRetryOnRateLimit: true });
  const client = new MangoClient(connection, groupConfig.mangoProgramId, { timeout: cfg.timeoutMs, prioritizationFee: cfg.prioritizationFee });
  let group: MangoGroup;
  let accounts: MangoAccount[];
  let perpMarket: PerpMarket;
  try {
    group = await client.getMangoGroup(groupConfig.publicKey);
    accounts = cfg.mangoAccountPubkey
      ? [await client.getMangoAccount(new PublicKey(cfg.mangoAccountPubkey), group.dexProgramId)]
      : await client.getMangoAccountsForOwner(group, owner.publicKey, false);
    perpMarket = await group.loadPerpMarket(connection, perpConfig.marketIndex, perpConfig.baseDecimals, perpConfig.quoteDecimals);
  } catch (e) {
    throw readFailure(e, 'loading the mango group, account and perp market');
  }
  const account = accounts[0];
  if (accounts.length !== 1 || !account) throw new Error(`owner has ${accounts.length} mango accounts on ${groupConfig.name}: set mangoAccountPubkey`);
  if (!account.owner.equals(owner.publicKey)) throw new Error(`mango account ${account.publicKey.toBase58()} is not owned by the configured keypair`);
  const spec: LotSpec = {
    baseLotSize: perpMarket.baseLotSize.toNumber(), quoteLotSize: perpMarket.quoteLotSize.toNumber(),
    baseDecimals: perpConfig.baseDecimals, quoteDecimals: perpConfig.quoteDecimals,
  };
  return { connection, client, owner, group, account, perpMarket, marketIndex: perpConfig.marketIndex, spec };
}
