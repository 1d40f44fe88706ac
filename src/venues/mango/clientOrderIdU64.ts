// Derives Mango's u64 client order id from the engine's id (`<vaultId>-<hedgeSeq>`).
// Mechanism: SHA-256 of the UTF-8 id, first 8 bytes read big-endian as an unsigned 64-bit
// integer; 0 is mapped to 1 because Mango treats client id 0 as "none". Deterministic, so a
// restarted process finds its earlier orders (event queue `takerClientOrderId`, the account's
// `clientOrderIds`) without any local state. Collisions need ~2^32 ids for a 50% chance.
import { createHash } from 'node:crypto';
import BN from 'bn.js';

/** Decimal string of the u64 client order id for an engine id. */
export function clientOrderIdU64(engineId: string): string {
  if (engineId.length === 0) throw new Error('clientOrderId must not be empty');
  const digest = createHash('sha256').update(engineId, 'utf8').digest();
  const id = digest.readBigUInt64BE(0);
  return (id === 0n ? 1n : id).toString(10);
}

export function clientOrderIdBn(engineId: string): BN {
  return new BN(clientOrderIdU64(engineId), 10);
}
