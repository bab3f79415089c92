-- Claims (claims.rs): who works on which item of a session now, and who acts on which
-- charge. Who works on what is not what was decided: these rows are not derived from
-- the events, are never replayed, and go when released or lapsed.
CREATE TABLE item_claims (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL,
    profile TEXT NOT NULL,
    ref TEXT NOT NULL,
    holder TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    touched_at TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, profile, ref)
) STRICT, WITHOUT ROWID;

CREATE TABLE charge_claims (
    profile TEXT NOT NULL,
    charge_id TEXT NOT NULL,
    holder TEXT NOT NULL,
    action TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    PRIMARY KEY (profile, charge_id)
) STRICT, WITHOUT ROWID;
