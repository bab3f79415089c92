-- The local store of one profile's gateway account. Money is integer minor units
-- beside its ISO currency code; times are Unix milliseconds (UTC).

-- What account this file holds, so a profile pointed elsewhere is not mixed in.
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- k orders charges newest-last: (created seconds << 20) | 20 bits of the id's hash,
-- probed upwards on a collision. Keyset pages walk it, and FTS5 rowids (= k) come
-- back in time order, so a free-text page needs no sort.
CREATE TABLE charge (
    k               INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    created         INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    captured        INTEGER NOT NULL,
    released        INTEGER NOT NULL,
    refunded        INTEGER NOT NULL,
    -- store::status_code: stable numbers, never the enum's order.
    status          INTEGER NOT NULL,
    refund_pending  INTEGER NOT NULL,
    captured_at     INTEGER,
    auth_expires    INTEGER,
    email           TEXT,
    description     TEXT,
    customer_id     TEXT,
    ip              TEXT,
    card_brand      TEXT,
    last4           TEXT,
    exp_month       INTEGER,
    exp_year        INTEGER,
    -- The metadata as a JSON object, and its values joined by newlines for search.
    metadata        TEXT NOT NULL DEFAULT '{}',
    meta_values     TEXT NOT NULL DEFAULT '',
    failure_code    TEXT,
    failure_message TEXT,
    tds_session     TEXT,
    -- When this row was last written from the gateway's answer.
    synced_at       INTEGER NOT NULL
);
-- Index entries end in the rowid k, so each is newest-first within its key.
CREATE INDEX charge_status ON charge(status);
CREATE INDEX charge_currency ON charge(currency);
CREATE INDEX charge_customer ON charge(customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX charge_amount ON charge(currency, amount);

-- Case-insensitive substring search over the fields the filter's free text covers.
CREATE VIRTUAL TABLE charge_fts USING fts5(
    id, email, description, customer_id, last4, meta_values,
    content = 'charge', content_rowid = 'k', tokenize = 'trigram'
);
CREATE TRIGGER charge_fts_insert AFTER INSERT ON charge BEGIN
    INSERT INTO charge_fts(rowid, id, email, description, customer_id, last4, meta_values)
    VALUES (new.k, new.id, new.email, new.description, new.customer_id, new.last4, new.meta_values);
END;
CREATE TRIGGER charge_fts_delete AFTER DELETE ON charge BEGIN
    INSERT INTO charge_fts(charge_fts, rowid, id, email, description, customer_id, last4, meta_values)
    VALUES ('delete', old.k, old.id, old.email, old.description, old.customer_id, old.last4, old.meta_values);
END;
-- Only a change to a searched field touches the index: a capture or refund does not.
CREATE TRIGGER charge_fts_update AFTER UPDATE OF email, description, customer_id, last4, meta_values ON charge
WHEN old.email IS NOT new.email OR old.description IS NOT new.description
  OR old.customer_id IS NOT new.customer_id OR old.last4 IS NOT new.last4
  OR old.meta_values IS NOT new.meta_values
BEGIN
    INSERT INTO charge_fts(charge_fts, rowid, id, email, description, customer_id, last4, meta_values)
    VALUES ('delete', old.k, old.id, old.email, old.description, old.customer_id, old.last4, old.meta_values);
    INSERT INTO charge_fts(rowid, id, email, description, customer_id, last4, meta_values)
    VALUES (new.k, new.id, new.email, new.description, new.customer_id, new.last4, new.meta_values);
END;

-- Totals per UTC day, status and currency, kept by delta in the same transaction as
-- every charge write, so a status/date/currency filter's totals never scan charges.
CREATE TABLE charge_rollup (
    day      INTEGER NOT NULL,   -- created / 86 400 000
    status   INTEGER NOT NULL,
    currency TEXT NOT NULL,
    n        INTEGER NOT NULL,
    amount   INTEGER NOT NULL,
    captured INTEGER NOT NULL,
    refunded INTEGER NOT NULL,
    PRIMARY KEY (day, status, currency)
) WITHOUT ROWID;

CREATE TABLE refund (
    id        TEXT PRIMARY KEY,
    charge_id TEXT NOT NULL,
    created   INTEGER NOT NULL,
    currency  TEXT NOT NULL,
    amount    INTEGER NOT NULL,
    status    TEXT NOT NULL,
    reason    TEXT,
    synced_at INTEGER NOT NULL
);
CREATE INDEX refund_charge ON refund(charge_id);

CREATE TABLE customer (
    id        TEXT PRIMARY KEY,
    created   INTEGER,
    email     TEXT,
    name      TEXT,
    synced_at INTEGER NOT NULL
);

CREATE TABLE payout (
    id         TEXT PRIMARY KEY,
    created    INTEGER NOT NULL,
    arrival    INTEGER,
    currency   TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    status     TEXT NOT NULL,
    bank_ref   TEXT,
    line_count INTEGER,
    synced_at  INTEGER NOT NULL
);
CREATE INDEX payout_created ON payout(created);

CREATE TABLE balance_line (
    id        TEXT PRIMARY KEY,
    payout_id TEXT,
    source_id TEXT,
    kind      TEXT NOT NULL,
    created   INTEGER NOT NULL,
    currency  TEXT NOT NULL,
    gross     INTEGER NOT NULL,
    fee       INTEGER NOT NULL,
    fee_tax   INTEGER NOT NULL,
    net       INTEGER NOT NULL,
    synced_at INTEGER NOT NULL
);
CREATE INDEX balance_line_payout ON balance_line(payout_id);
CREATE INDEX balance_line_source ON balance_line(source_id);

-- Where each sync of a resource stands. A page's rows and its cursor are committed in
-- one transaction, so a kill loses at most the page in flight and skips none.
CREATE TABLE sync_state (
    resource        TEXT NOT NULL,   -- 'charges', 'refunds', ...
    phase           TEXT NOT NULL,   -- 'recent' (new and changed), 'backfill'
    cursor          TEXT,            -- the gateway's own page cursor, opaque here
    oldest_created  INTEGER,
    newest_created  INTEGER,
    watermark       INTEGER,         -- changes seen up to (events time, updated_at)
    done            INTEGER NOT NULL DEFAULT 0,
    estimated_total INTEGER,
    fetched         INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (resource, phase)
) WITHOUT ROWID;

-- The gateway's JSON for an object, fetched on demand and kept deflated.
CREATE TABLE raw_cache (
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    z          BLOB NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
