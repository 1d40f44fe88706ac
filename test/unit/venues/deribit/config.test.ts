import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDeribitConfig, wsUrlOf } from '../../../../src/venues/deribit/config.ts';

const SECRET = 'S3cr3t-value-never-printed';

describe('deribit config', () => {
  it('defaults to testnet; URLs override it; the secret prints as [redacted]', () => {
    const cfg = parseDeribitConfig({ clientId: 'id', clientSecret: SECRET });
    expect(cfg.testnet).toBe(true);
    expect(wsUrlOf(cfg)).toBe('wss://test.deribit.com/ws/api/v2');
    expect(wsUrlOf(parseDeribitConfig({ clientId: 'id', clientSecret: SECRET, testnet: false }))).toBe('wss://www.deribit.com/ws/api/v2');
    expect(wsUrlOf(parseDeribitConfig({ clientId: 'id', clientSecret: SECRET, wsUrl: 'ws://127.0.0.1:9/ws/api/v2' }))).toBe('ws://127.0.0.1:9/ws/api/v2');
    for (const text of [JSON.stringify(cfg), inspect(cfg, { depth: 5 }), String(cfg.clientSecret), `${cfg.clientSecret.toString()}`]) {
      expect(text).not.toContain(SECRET);
    }
    expect(cfg.clientSecret.reveal()).toBe(SECRET);
  });

  it('names a bad field without quoting any value', () => {
    expect(() => parseDeribitConfig({ clientId: 'id', clientSecret: SECRET, timeoutMs: -1 })).toThrow(/timeoutMs/);
    const e = (() => { try { parseDeribitConfig({ clientId: 'id', clientSecret: SECRET, heartbeatSec: SECRET }); } catch (err) { return err as Error; } return null; })();
    expect(e?.message).toMatch(/heartbeatSec/);
    expect(e?.message).not.toContain(SECRET);
  });
});
