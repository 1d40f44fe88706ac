// The JSON text of a vault actor's persisted snapshot (actor.getPersistedSnapshot()), built
// without XState's deep copy of the context, and reusing the text of the two big context parts
// that rarely change: `config` and `book` (~45% of the text). Snapshots are written on the
// commit path of every hedge decision, where XState's deep copy + JSON.stringify cost several
// times as much. Equal to JSON.stringify(actor.getPersistedSnapshot()) byte for byte
// (test/unit/engine/persistedJson.test.ts, test/property/vaultMachine.property.test.ts); any
// snapshot outside the plain shape below (children, output, error, a status other than
// 'active') takes XState's own path.

/** The fields of an XState machine snapshot this reads. */
export interface MachineSnapshotLike {
  status: string;
  value: unknown;
  historyValue: unknown;
  context: object;
  children: Record<string, unknown>;
  output?: unknown;
  error?: unknown;
}

/** Context keys whose values are memoised by identity (frozen first: then they cannot change under the memo). */
const MEMO_KEYS = new Set(['config', 'book']);
const memo = new WeakMap<object, string>();
const PLACEHOLDER: Record<string, string> = Object.fromEntries([...MEMO_KEYS].map((k) => [k, `\u0000omm-hedger:${k}\u0000`]));

export function persistedJson(snap: MachineSnapshotLike, slow: () => unknown): string {
  if (snap.status !== 'active' || snap.output !== undefined || snap.error !== undefined || hasKeys(snap.children)) {
    return JSON.stringify(slow());
  }
  // One JSON.stringify of a shallow copy with placeholders for the memoised parts, which are
  // then spliced in: one call is much cheaper than one per key.
  const copy: Record<string, unknown> = { ...(snap.context as Record<string, unknown>) };
  const parts: [string, string][] = [];
  for (const key of MEMO_KEYS) {
    const v = copy[key];
    if (typeof v !== 'object' || v === null) continue;
    const token = PLACEHOLDER[key] as string;
    copy[key] = token;
    parts.push([JSON.stringify(token), memoJson(v)]);
  }
  let ctx = JSON.stringify(copy);
  for (const [token, text] of parts) {
    const at = ctx.indexOf(token);
    // A context string that happened to contain the placeholder: no splice, XState's path.
    if (at < 0 || ctx.indexOf(token, at + 1) >= 0) return JSON.stringify(slow());
    ctx = ctx.slice(0, at) + text + ctx.slice(at + token.length);
  }
  return `{"status":"active","value":${JSON.stringify(snap.value)},"historyValue":${JSON.stringify(snap.historyValue)},"context":${ctx},"children":{}}`;
}

function memoJson(v: object): string {
  let text = memo.get(v);
  if (text === undefined) {
    // Frozen so that a reducer mutating it in place fails loudly instead of the memo going stale.
    deepFreeze(v);
    text = JSON.stringify(v);
    memo.set(v, text);
  }
  return text;
}

function deepFreeze(v: object): void {
  if (Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const child of Object.values(v) as unknown[]) if (typeof child === 'object' && child !== null) deepFreeze(child);
}

function hasKeys(o: Record<string, unknown>): boolean {
  for (const _ in o) return true;
  return false;
}
