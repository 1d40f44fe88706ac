// The dashboard's files: every file in ./public (index.html at '/', the rest under
// /assets/<name>) and uPlot from node_modules, resolved through the package, never a CDN:
// the dashboard works offline. Read once at start; they are small and never change at runtime.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendText } from './httpJson.ts';
import type { Route } from './router.ts';

const require = createRequire(import.meta.url);
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
};

/** The page loads nothing but our own files (inline style attributes are how the gauge is drawn). */
const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function assetList(): { path: string; file: string }[] {
  const own = readdirSync(PUBLIC_DIR)
    .filter((name) => extname(name) in TYPES)
    .map((name) => ({ path: name === 'index.html' ? '/' : `/assets/${name}`, file: join(PUBLIC_DIR, name) }));
  if (!own.some((a) => a.path === '/')) throw new Error(`dashboard page missing: ${join(PUBLIC_DIR, 'index.html')}`);
  return [
    ...own,
    { path: '/assets/uPlot.iife.min.js', file: require.resolve('uplot/dist/uPlot.iife.min.js') },
    { path: '/assets/uPlot.min.css', file: require.resolve('uplot/dist/uPlot.min.css') },
  ];
}

export function staticRoutes(): Route[] {
  return assetList().map((a) => {
    const body = readFileSync(a.file);
    const contentType = TYPES[extname(a.file)] as string;
    const headers = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', ...(a.path === '/' ? PAGE_HEADERS : {}) };
    return { method: 'GET' as const, path: a.path, handler: (_req, res) => sendText(res, 200, contentType, body, headers) };
  });
}
