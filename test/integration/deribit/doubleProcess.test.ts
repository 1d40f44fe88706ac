// The Deribit double runs as its own process (for part 2's crash tests): it prints its URLs,
// serves a session, answers control requests, and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import { parseDeribitConfig } from '../../../src/venues/deribit/config.ts';

describe('Deribit double process', () => {
  it('prints its URLs, serves JSON-RPC over WebSocket and control requests, stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/fixtures/deribit/main.ts', '--client-secret', 'proc-secret-1', '--min-heartbeat-sec', '0.1', '--index', '42000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        void exited.then((code) => reject(new Error(`double exited ${code}: ${stderr}`)));
      });
      const { url, wsUrl, clientId } = JSON.parse(line) as { url: string; wsUrl: string; clientId: string };
      expect(wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\/api\/v2$/);
      const session = await DeribitSession.connect(parseDeribitConfig({ clientId, clientSecret: 'proc-secret-1', wsUrl, apiUrl: url, heartbeatSec: 1, timeoutMs: 2_000 }));
      expect(await session.request('public/get_index_price', { index_name: 'btc_usd' }, 'read')).toEqual({ index_price: 42_000, estimated_delivery_price: 42_000 });
      await fetch(`${url}/control/index`, { method: 'POST', body: JSON.stringify({ priceUsd: 43_000 }) });
      const state = (await (await fetch(`${url}/control/state`)).json()) as { index: number; connections: unknown[] };
      expect(state).toMatchObject({ index: 43_000, connections: [{ authenticated: true, cod: true }] });
      await session.close();
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
