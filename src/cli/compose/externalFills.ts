// Fills from a real orderbook: the HTTP inbox (POST /fills) and a followed JSONL file. Each
// valid fill is booked through the engine's dedup (same fill id twice counts once) and
// acknowledged only after the commit that holds it; bad ones are stored with their reason.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { Subscription } from 'rxjs';
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../engine/engineTypes.ts';
import { validateFill, type FillValidationContext } from '../../streams/fillValidator.ts';
import { createFillInboxHandler } from '../../server/fillInbox.ts';
import type { FillInput, RejectedInput } from '../../streams/inputTypes.ts';
import { jsonlFillSource } from '../../streams/jsonlFillSource.ts';

/** Which vaults and series a fill may name (the series each vault quotes). */
export function fillContext(engine: Engine): FillValidationContext {
  const vaults = new Map<string, { instruments: Map<string, { expiryMs: number }> }>();
  for (const id of engine.vaultIds()) {
    const book = engine.vault(id)?.context.book ?? [];
    vaults.set(id, { instruments: new Map(book.map((l) => [l.instrument, { expiryMs: l.expiryMs }])) });
  }
  return { vaults };
}

function storeRejected(engine: Engine, rows: readonly RejectedInput[]): void {
  for (const r of rows) engine.reject({ source: r.source, reason: r.reason, detail: r.detail, payload: r.payload, at: r.at, sourceOffset: r.offset });
}

/** Books fills once each: ids already committed (even long ago) or booked in this batch are duplicates. */
export async function bookFills(engine: Engine, fills: readonly FillInput[]): Promise<{ accepted: string[]; duplicates: string[] }> {
  const accepted: string[] = [];
  const duplicates: string[] = [];
  const old = new Set<string>();
  for (const f of fills) if (await engine.isKnownFill(f.fillId)) old.add(f.fillId);
  for (const f of fills) {
    if (old.has(f.fillId)) { duplicates.push(f.fillId); continue; }
    const src = f.offset === null ? null : { source: f.source, offset: f.offset };
    const r = engine.dispatchFill({ type: 'fill.received', vaultId: f.vaultId, at: f.at, fillId: f.fillId, instrument: f.instrument, side: f.side, qty: f.qty, priceUsd: f.priceUsd }, src);
    (r === 'accepted' ? accepted : duplicates).push(f.fillId);
  }
  return { accepted, duplicates };
}

export function fillInboxRoute(engine: Engine, token: string): { method: 'POST'; path: string; handler: (req: IncomingMessage, res: ServerResponse) => void } {
  const handler = createFillInboxHandler({
    token,
    source: 'fills:http',
    // Offsets inside one request body mean nothing after a restart: HTTP fills carry none.
    validate: (raw) => validateFill(raw, fillContext(engine), 'fills:http', null),
    submit: async (fills) => {
      const result = await bookFills(engine, fills);
      await engine.commit();
      return result;
    },
    onRejected: (rows) => storeRejected(engine, rows),
  });
  return { method: 'POST', path: '/fills', handler };
}

/** Follows a JSONL fill file from the last committed offset; returns the subscription. */
export function followFillFile(engine: Engine, path: string, log: Logger): Subscription {
  const source = `fills:${basename(path)}`;
  const from = engine.offset(source);
  let chain: Promise<void> = Promise.resolve();
  return jsonlFillSource(path, { ctx: fillContext(engine), source, ...(from !== undefined ? { fromOffset: from } : {}) }).subscribe({
    next: (v) => {
      // One line at a time, in file order: the dedup look-up is async, the order must hold.
      chain = chain.then(async () => {
        if (v.ok) await bookFills(engine, [v.value]);
        else storeRejected(engine, [v.rejected]);
        await engine.commit();
      }).catch((err: unknown) => log.error({ err: String(err) }, 'fill file commit failed'));
    },
    error: (err: unknown) => log.error({ err: String(err), path }, 'fill file source failed'),
  });
}
