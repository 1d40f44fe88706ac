// Schema version 1. Units: times are unix ms (INTEGER), BTC sizes and USD prices REAL.
// NOT NULL on every number: a NaN binds as NULL, so a NaN delta or price fails the commit
// (SQLITE_CONSTRAINT) instead of being stored as a hole.
export const MIGRATION_001_INITIAL = `
-- One row per vault transition. A rowid table, not WITHOUT ROWID: rows are ~450 bytes
-- (event JSON ~300), above the ~200 bytes (1/20 of a 4 KiB page) where WITHOUT ROWID pays
-- off; measured here, inserts were ~40% faster this way. The PRIMARY KEY becomes a unique
-- index on (vault_id, seq) that serves the journal-tail query (vault_id = ? AND seq > ?
-- ORDER BY seq) as one range scan, and makes a duplicate (vault, seq) fail the commit.
CREATE TABLE journal (
  vault_id       TEXT    NOT NULL,
  seq            INTEGER NOT NULL CHECK (seq >= 1),
  at             INTEGER NOT NULL,
  event_type     TEXT    NOT NULL,
  event_json     TEXT    NOT NULL,
  from_state     TEXT    NOT NULL,
  to_state       TEXT    NOT NULL,
  delta_btc      REAL    NOT NULL,
  price_usd      REAL    NOT NULL,
  hedge_band_btc REAL    NOT NULL,
  reason         TEXT    NOT NULL,
  source         TEXT,
  source_offset  INTEGER,
  recorded_at    INTEGER NOT NULL,
  PRIMARY KEY (vault_id, seq)
);

CREATE TABLE snapshots (
  vault_id        TEXT    NOT NULL PRIMARY KEY,
  seq             INTEGER NOT NULL,
  machine_version INTEGER NOT NULL,
  snapshot_json   TEXT    NOT NULL
);

-- fill_id is the dedup key: a fill redelivered after a crash cannot be booked twice.
CREATE TABLE fills (
  fill_id    TEXT    NOT NULL PRIMARY KEY,
  vault_id   TEXT    NOT NULL,
  instrument TEXT    NOT NULL,
  side       TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  qty        REAL    NOT NULL,
  price_usd  REAL    NOT NULL,
  at         INTEGER NOT NULL,
  seq        INTEGER NOT NULL
);
CREATE INDEX fills_by_vault ON fills (vault_id, seq);

CREATE TABLE hedge_orders (
  client_order_id TEXT    NOT NULL PRIMARY KEY,
  vault_id        TEXT    NOT NULL,
  side            TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  size_btc        REAL    NOT NULL,
  limit_price_usd REAL    NOT NULL,
  created_at      INTEGER NOT NULL,
  status          TEXT    NOT NULL
    CHECK (status IN ('pending', 'open', 'filled', 'cancelled', 'rejected', 'failed')),
  filled_btc      REAL    NOT NULL,
  avg_price_usd   REAL    NOT NULL,
  fee_usd         REAL    NOT NULL,
  updated_at      INTEGER NOT NULL,
  reason          TEXT
);
CREATE INDEX hedge_orders_by_vault ON hedge_orders (vault_id, created_at);
-- Partial index: reconciliation asks for orders not final, a handful among thousands.
CREATE INDEX hedge_orders_open ON hedge_orders (created_at) WHERE status IN ('pending', 'open');

CREATE TABLE rejected_inputs (
  id            INTEGER PRIMARY KEY,
  source        TEXT    NOT NULL,
  reason        TEXT    NOT NULL,
  detail        TEXT    NOT NULL,
  payload       TEXT    NOT NULL,
  at            INTEGER,
  source_offset INTEGER,
  recorded_at   INTEGER NOT NULL
);

CREATE TABLE source_offsets (
  source   TEXT    NOT NULL PRIMARY KEY,
  "offset" INTEGER NOT NULL
);
`;
