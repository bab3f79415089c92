-- Reconciliation sessions: an append-only event table, and tables derived from it
-- (written in the same transaction as each event; `rebuild` replays the events).
-- Money is integer minor units plus an ISO 4217 code; dates are YYYY-MM-DD text,
-- times RFC 3339 UTC text.

-- What a session is, fixed at creation (not derived: events hang off it).
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (period_from <= period_to)
) STRICT;

CREATE TABLE session_profiles (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    profile TEXT NOT NULL,
    PRIMARY KEY (session_id, profile)
) STRICT, WITHOUT ROWID;

-- Every mark, note, import, match, unmatch, flag, ignore, sign-off and reopen, with
-- who and when. Never updated or deleted.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;
CREATE INDEX events_by_session ON events(session_id, id);
CREATE TRIGGER events_never_change BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'session events are append-only');
END;
CREATE TRIGGER events_never_go BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'session events are append-only');
END;

-- Derived: imported statement lines, one per identity (recon::import::dedupe).
CREATE TABLE lines (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    identity TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id),
    booked TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    text TEXT NOT NULL,
    reference TEXT NOT NULL,
    PRIMARY KEY (session_id, identity)
) STRICT, WITHOUT ROWID;

-- Derived: live matches and proposals; the id is the event that made it. An unmatch
-- deletes the row (the events keep the history).
CREATE TABLE matches (
    id INTEGER PRIMARY KEY REFERENCES events(id),
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    tier INTEGER NOT NULL CHECK (tier BETWEEN 0 AND 3),
    reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'matched'))
) STRICT;

-- Derived: every item an event touched; an item with no row is open.
CREATE TABLE items (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL CHECK (kind IN ('deposit', 'payout', 'payout_line', 'charge')),
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
CREATE INDEX items_by_match ON items(match_id) WHERE match_id IS NOT NULL;

-- Derived: every note, flag note and ignore reason, oldest first.
CREATE TABLE notes (
    event_id INTEGER PRIMARY KEY REFERENCES events(id),
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL,
    profile TEXT NOT NULL,
    ref TEXT NOT NULL,
    text TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;
CREATE INDEX notes_by_session ON notes(session_id, event_id);

-- Derived: a row while the session is signed off, with the totals it froze.
CREATE TABLE signoffs (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
    event_id INTEGER NOT NULL REFERENCES events(id),
    by_user TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;

CREATE TABLE frozen_totals (
    session_id INTEGER NOT NULL REFERENCES signoffs(session_id),
    currency TEXT NOT NULL,
    statement_minor INTEGER NOT NULL,
    matched_minor INTEGER NOT NULL,
    unmatched_minor INTEGER NOT NULL,
    difference_minor INTEGER NOT NULL,
    PRIMARY KEY (session_id, currency)
) STRICT, WITHOUT ROWID;
