-- An exception of the queue is an item of its own (kind 'exception'), so that it can be
-- flagged, ignored or noted whatever the state of the deposit or payout it concerns
-- (a late deposit stays matched while its lateness is flagged). SQLite cannot change a
-- CHECK in place: the table is made again and its rows copied.
CREATE TABLE items_new (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL CHECK (kind IN ('deposit', 'payout', 'payout_line', 'charge', 'exception')),
    profile TEXT NOT NULL,
    ref TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('matched', 'proposed', 'flagged', 'ignored', 'open')),
    match_id INTEGER REFERENCES matches(id),
    note TEXT,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_event INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (session_id, kind, profile, ref),
    CHECK ((state IN ('matched', 'proposed')) = (match_id IS NOT NULL))
) STRICT, WITHOUT ROWID;
INSERT INTO items_new SELECT * FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
CREATE INDEX items_by_match ON items(match_id) WHERE match_id IS NOT NULL;

-- A match whose sides differ carries an adjustment line for the difference (a bank
-- fee, say), with the operator's reason: minor units of its currency, signed so that
-- deposits = payouts + adjustment.
ALTER TABLE matches ADD COLUMN adjustment_minor INTEGER;
ALTER TABLE matches ADD COLUMN adjustment_currency TEXT;
ALTER TABLE matches ADD COLUMN adjustment_reason TEXT;

-- The further references a line carries (OFX REFNUM, camt.053 NtryRef, EndToEndId and
-- a batch's references), as a JSON array, so that matching a saved session reads what
-- matching the file did.
ALTER TABLE lines ADD COLUMN other_refs TEXT NOT NULL DEFAULT '[]';
