// Schema version 2: the lane log. A hedge decision commits its rows here as one JSON entry (one
// row insert, no per-column work), so the order can leave the engine at once; the next group
// commit moves them into journal, snapshots, fills and hedge_orders and deletes the entry in
// the same transaction. An engine starting up moves what a crash left before reading anything;
// readers merge entries not yet moved (storage/queries/laneLog.ts).
export const MIGRATION_002_LANE_LOG = `
CREATE TABLE lane_log (
  id      INTEGER PRIMARY KEY,
  payload TEXT    NOT NULL
);
`;
