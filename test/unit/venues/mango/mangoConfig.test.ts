import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keypair } from '@solana/web3.js';
import { loadKeypair, parseMangoConfig } from '../../../../src/venues/mango/mangoConfig.ts';

describe('mango config and keypair loading', () => {
  let dir: string;
  const kp = Keypair.generate();
  const secretJson = JSON.stringify(Array.from(kp.secretKey));
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mango-cfg-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the defaults: mainnet.1, BTC-PERP, 30 s timeout', () => {
    const cfg = parseMangoConfig({ rpcUrl: 'http://127.0.0.1:8899', keypairPath: '/k.json' });
    expect(cfg).toMatchObject({ groupName: 'mainnet.1', perpMarket: 'BTC-PERP', timeoutMs: 30_000, prioritizationFee: 0, orderExpirySec: 60 });
    expect(() => parseMangoConfig({ rpcUrl: 'not a url', keypairPath: '/k.json' })).toThrow(/rpcUrl/);
  });

  it('loads a 0600 keypair file', () => {
    const p = join(dir, 'id.json');
    writeFileSync(p, secretJson, { mode: 0o600 });
    expect(loadKeypair(p).publicKey.equals(kp.publicKey)).toBe(true);
  });

  it.each(['644', '640', '604', '660'])('refuses mode %s (readable by group or others) without quoting the key', (octal) => {
    const mode = parseInt(octal, 8);
    const p = join(dir, 'id.json');
    writeFileSync(p, secretJson);
    chmodSync(p, mode);
    let msg = '';
    try { loadKeypair(p); } catch (e) { msg = (e as Error).message; }
    expect(msg).toMatch(/accessible by group or others .*chmod 600/);
    expect(msg).not.toContain(secretJson.slice(1, 20));
  });

  it('never echoes file contents in parse errors', () => {
    const p = join(dir, 'id.json');
    const garbage = `[${Array.from(kp.secretKey).join(',')}`; // truncated JSON holding the secret
    writeFileSync(p, garbage, { mode: 0o600 });
    let msg = '';
    try { loadKeypair(p); } catch (e) { msg = (e as Error).message; }
    expect(msg).toMatch(/not valid JSON/);
    expect(msg).not.toContain(String(kp.secretKey[0]) + ',' + String(kp.secretKey[1]));
    writeFileSync(p, JSON.stringify([1, 2, 3]), { mode: 0o600 });
    expect(() => loadKeypair(p)).toThrow(/64-byte/);
    expect(() => loadKeypair(join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });
});
