// `backtest --sweep POLICY:PARAM=A..B[:N]`: one policy run at N values of its parameter, to
// trace its cost/risk frontier. The values are spaced geometrically from A to B (both
// included): every swept parameter is a scale (minutes, BTC, percent, 1/USD), so equal ratios
// between neighbours spread the points evenly along the frontier. Values are rounded to 4
// significant digits so each point's policy label (`ww:0.0001233`) reads back to the same
// value. Several sweeps are separated by commas; `+lean:<mode>` applies to every point.
import { parsePolicy, policyLabel, PolicyError, type BacktestPolicy } from './backtestPolicy.ts';

/** The parameter each sweepable policy takes, by policy name. */
export const SWEEP_PARAMS = { time: 'minutes', band: 'hedgeBtc', move: 'pct', ww: 'riskAversion', zakamouline: 'riskAversion' } as const;
export type SweepPolicy = keyof typeof SWEEP_PARAMS;

export const SWEEP_FORMS = 'time:minutes=A..B[:N], band:hedgeBtc=A..B[:N], move:pct=A..B[:N], ww:riskAversion=A..B[:N], zakamouline:riskAversion=A..B[:N]';
const DEFAULT_POINTS = 10;
const MAX_POINTS = 200;

export interface SweepSpec {
  policy: SweepPolicy;
  param: string;
  from: number;
  to: number;
  /** The points in sweep order (from A to B), each a policy with its label and parameter value. */
  points: { value: number; policy: BacktestPolicy; label: string }[];
}

function num(text: string, raw: string, what: string): number {
  const n = /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new PolicyError(`--sweep '${raw}': ${what} must be a number > 0, got '${text}'`);
  return n;
}

/** N values from a to b (a, b > 0), geometrically spaced, 4 significant digits, a and b included. */
export function geometricPoints(a: number, b: number, n: number): number[] {
  if (n === 1) return [Number(a.toPrecision(4))];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((a * (b / a) ** (i / (n - 1))).toPrecision(4)));
  return out;
}

/** One sweep: `ww:riskAversion=1e-5..1e-3:20`, `band:hedgeBtc=0.5..5`, `time:minutes=5..240:8+lean:off`. */
export function parseSweep(raw: string): SweepSpec {
  const plus = raw.indexOf('+');
  const head = (plus < 0 ? raw : raw.slice(0, plus)).trim();
  const lean = plus < 0 ? '' : raw.slice(plus);
  const m = /^([a-z]+):([A-Za-z]+)=([^.]+(?:\.\d+)?(?:[eE][+-]?\d+)?)\.\.([^:]+)(?::(\d+))?$/.exec(head);
  if (!m) throw new PolicyError(`--sweep '${raw}': expected POLICY:PARAM=A..B[:N], one of ${SWEEP_FORMS}`);
  const [, name, param, aText, bText, nText] = m as unknown as [string, string, string, string, string, string | undefined];
  if (!(name in SWEEP_PARAMS)) throw new PolicyError(`--sweep '${raw}': policy '${name}' has no parameter to sweep; use one of ${SWEEP_FORMS}`);
  const policy = name as SweepPolicy;
  if (param !== SWEEP_PARAMS[policy]) throw new PolicyError(`--sweep '${raw}': ${policy} sweeps '${SWEEP_PARAMS[policy]}', not '${param}'`);
  const from = num(aText, raw, 'A');
  const to = num(bText, raw, 'B');
  const n = nText === undefined ? DEFAULT_POINTS : Number(nText);
  if (!(n >= 1 && n <= MAX_POINTS)) throw new PolicyError(`--sweep '${raw}': N must be 1..${MAX_POINTS}, got ${nText}`);
  const values = geometricPoints(from, to, n);
  if (new Set(values).size !== values.length) throw new PolicyError(`--sweep '${raw}': ${n} points between ${from} and ${to} do not differ in 4 significant digits; use fewer points or a wider range`);
  const points = values.map((value) => {
    const p = parsePolicy(`${policy}:${value}${lean}`);
    return { value, policy: p, label: policyLabel(p) };
  });
  return { policy, param, from, to, points };
}

/** Comma-separated sweeps; no point may appear twice (by label). */
export function parseSweepList(raw: string): SweepSpec[] {
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new PolicyError(`--sweep needs POLICY:PARAM=A..B[:N], e.g. ww:riskAversion=1e-5..1e-3:20; got '${raw}'`);
  const specs = parts.map(parseSweep);
  const seen = new Set<string>();
  for (const p of specs.flatMap((s) => s.points)) {
    if (seen.has(p.label)) throw new PolicyError(`--sweep runs policy '${p.label}' twice`);
    seen.add(p.label);
  }
  return specs;
}
