// Builds the ccxt exchange the adapter talks through: the profile's class with credentials,
// timeout and ccxt's rate limiter (always on); the exchange's testnet (ccxt sandbox mode, or
// Binance's demo trading) unless mainnet is configured; and, with `apiUrl`, every REST base URL pointed at that
// origin (a gateway or a loopback test double), keeping each endpoint group's path.
import type { Exchange } from 'ccxt';
import type { CcxtProfile } from './ccxtProfile.ts';
import type { CcxtConfig } from './config.ts';

type UrlTree = string | { [k: string]: UrlTree };

/**
 * Replaces the origin of every URL in ccxt's `urls.api` tree by apiUrl's (its path, if any,
 * prefixes each URL's own path). WebSocket URLs go to the same host over ws:// or wss://.
 */
export function replaceBaseUrls(tree: UrlTree, apiUrl: string, hostname = ''): UrlTree {
  const base = new URL(apiUrl);
  const prefix = base.pathname.replace(/\/$/, '');
  const walk = (t: UrlTree): UrlTree => {
    if (typeof t === 'string') {
      const u = new URL(t.replace('{hostname}', hostname));
      const ws = u.protocol === 'ws:' || u.protocol === 'wss:';
      const scheme = ws ? (base.protocol === 'https:' ? 'wss:' : 'ws:') : base.protocol;
      const path = u.pathname === '/' ? '' : u.pathname;
      return `${scheme}//${base.host}${prefix}${path}${u.search}`;
    }
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, walk(v)]));
  };
  return walk(tree);
}

/** Replaces every secret (and a 0x-less form) in a text with "[redacted]". */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = secrets.filter((s) => s.length >= 8).flatMap((s) => (s.startsWith('0x') ? [s, s.slice(2)] : [s]))
    .sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const f of forms) out = out.split(f).join('[redacted]');
    return out;
  };
}

export interface OpenedExchange {
  ex: Exchange;
  /** Scrubs the credentials out of any text that leaves the adapter. */
  redact: (text: string) => string;
}

export async function openExchange(cfg: CcxtConfig, credentials: Record<string, string>, profile: CcxtProfile): Promise<OpenedExchange> {
  const ex = profile.create(cfg, credentials);
  if (cfg.testnet) ex.setSandboxMode(true);
  if (cfg.apiUrl) {
    const hostname = (ex as unknown as { hostname?: string }).hostname ?? '';
    ex.urls.api = replaceBaseUrls(ex.urls.api, cfg.apiUrl, hostname) as typeof ex.urls.api;
    // ccxt opens ws:// (not wss://) sockets only through an agent it loads first.
    if (cfg.apiUrl.startsWith('http://')) await ex.loadHttpProxyAgent();
  }
  // Public addresses are not secrets; keys and signing secrets are.
  const secrets = Object.entries(credentials).filter(([k]) => k !== 'walletAddress').map(([, v]) => v);
  return { ex, redact: redactor(secrets) };
}
