// A multi-row INSERT with every value written as an exact literal (see sqlLiteral.ts), for
// commits sent to the worker thread as one exec().
import type { SqlParam } from '../sqliteConnection.ts';
import { assertStorable, type InsertSpec } from './insertRows.ts';
import { sqlLiteral } from './sqlLiteral.ts';

/** Appends `INSERT ... VALUES (...),(...)<suffix>;` for `rows` to `out` (nothing if none). */
export function appendInlineInsert<T>(out: string[], spec: InsertSpec, rows: readonly T[], encode: (row: T, out: SqlParam[]) => void): void {
  if (rows.length === 0) return;
  const params: SqlParam[] = [];
  const width = spec.columns.length;
  const tuples: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    params.length = 0;
    encode(rows[i] as T, params);
    const vals = new Array<string>(width);
    for (let c = 0; c < width; c++) {
      const p = params[c] as SqlParam;
      assertStorable(p, spec);
      vals[c] = sqlLiteral(p);
    }
    tuples[i] = `(${vals.join(',')})`;
  }
  out.push(`INSERT INTO ${spec.table} (${spec.columns.join(',')}) VALUES ${tuples.join(',')}${spec.suffix ?? ''};`);
}
