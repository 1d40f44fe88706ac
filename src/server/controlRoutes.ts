// POST /control/{pause,resume,flatten,kill}. Control moves money, so it is never open: with
// no token configured every call is refused (503), and a missing or wrong bearer token is 401.
// Each call answers only after the engine has committed the journaled control events.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ControlCommand, EngineView } from './engineView.ts';
import { HttpError, readJsonObject, sendJson } from './httpJson.ts';
import type { Route } from './router.ts';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Throws the HttpError for a refused call; returns normally when the token matches. */
export function checkBearer(req: IncomingMessage, controlToken: string | undefined): void {
  if (controlToken === undefined || controlToken === '') {
    throw new HttpError(503, 'control disabled: no token configured', 'set a control token in the config or the environment');
  }
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (m === null) throw new HttpError(401, 'unauthorized', 'missing bearer token');
  // Compare fixed-length digests so the comparison time says nothing about the token.
  if (!timingSafeEqual(digest(m[1] as string), digest(controlToken))) {
    throw new HttpError(401, 'unauthorized', 'wrong bearer token');
  }
}

function parseVaultId(body: Record<string, unknown>, engine: EngineView): string | undefined {
  const v = body.vaultId;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw new HttpError(400, 'bad request', 'vaultId must be a non-empty string');
  if (!engine.vaults().some((x) => x.vaultId === v)) throw new HttpError(404, 'not found', `unknown vault ${v}`);
  return v;
}

export function controlRoutes(engine: EngineView, controlToken: string | undefined): Route[] {
  const make = (type: 'pause' | 'resume' | 'flatten' | 'kill'): Route => ({
    method: 'POST',
    path: `/control/${type}`,
    handler: async (req, res) => {
      checkBearer(req, controlToken);
      const body = await readJsonObject(req);
      let cmd: ControlCommand;
      if (type === 'kill') {
        cmd = { type: 'kill' };
      } else {
        const vaultId = parseVaultId(body, engine);
        cmd = vaultId === undefined ? { type } : { type, vaultId };
      }
      const { journaled } = await engine.control(cmd);
      sendJson(res, 200, { ok: true, command: cmd, journaled });
    },
  });
  return [make('pause'), make('resume'), make('flatten'), make('kill')];
}
