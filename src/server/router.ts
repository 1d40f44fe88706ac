// A tiny method + path router for node:http. Paths are literal segments or `:name`
// parameters (`/api/vaults/:id/history`); no wildcards, no regexes.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
) => void | Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
  path: string;
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: 'found'; handler: RouteHandler; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; allowed: string[] }
  | { kind: 'notFound' };

interface CompiledRoute { route: Route; segments: string[] }

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith(':')) {
      let decoded: string;
      try { decoded = decodeURIComponent(a); } catch { return null; }
      params[p.slice(1)] = decoded;
    } else if (p !== a) {
      return null;
    }
  }
  return params;
}

export function createRouter(routes: readonly Route[]): { match(method: string, pathname: string): RouteMatch } {
  const compiled: CompiledRoute[] = routes.map((route) => {
    if (!route.path.startsWith('/')) throw new Error(`route path must start with '/': ${route.path}`);
    return { route, segments: splitPath(route.path) };
  });
  const seen = new Set<string>();
  for (const { route } of compiled) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`duplicate route: ${key}`);
    seen.add(key);
  }
  return {
    match(method, pathname) {
      const actual = splitPath(pathname);
      const allowed: string[] = [];
      for (const { route, segments } of compiled) {
        const params = matchSegments(segments, actual);
        if (params === null) continue;
        // HEAD is served by GET handlers (node drops the body for HEAD).
        if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
          return { kind: 'found', handler: route.handler, params };
        }
        allowed.push(route.method);
      }
      return allowed.length > 0 ? { kind: 'methodNotAllowed', allowed } : { kind: 'notFound' };
    },
  };
}
