// A multi-row INSERT with every value written as an exact literal (see sqlLiteral.ts), for
// commits sent to the worker thread as one exec().
import type { SqlParam } from '../sqliteConnection.ts';
import { StorageError } from '../storageError.ts';
import type { InsertSpec } from './insertRows.ts';
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
      if (p === Number.POSITIVE_INFINITY || p === Number.NEGATIVE_INFINITY) {
        throw new StorageError('constraint', `non-finite number ${p} in a ${spec.table} row (a storage invariant was broken; nothing of this transaction was written)`);
      }
      vals[c] = sqlLiteral(p);
    }
    tuples[i] = `(${vals.join(',')})`;
  }
  out.push(`INSERT INTO ${spec.table} (${spec.columns.join(',')}) VALUES ${tuples.join(',')}${spec.suffix ?? ''};`);
}
