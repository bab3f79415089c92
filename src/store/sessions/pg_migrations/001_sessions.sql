-- Reconciliation sessions on PostgreSQL: the same tables as the SQLite backend's
-- (migrations/001 and 002 together), in native types: money in BIGINT minor units
-- with its ISO 4217 code, DATE, TIMESTAMPTZ, the event body as JSONB.

CREATE TABLE sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (period_from <= period_to)
);

CREATE TABLE session_profiles (
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    profile TEXT NOT NULL,
    PRIMARY KEY (session_id, profile)
);

-- Every mark, note, import, match, unmatch, flag, ignore, sign-off and reopen, with
-- who and when. Never updated or deleted (the trigger below refuses both).
CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL,
    body JSONB NOT NULL,
    by_user TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_by_session ON events(session_id, id);
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'session events are append-only';
END;
$$;
CREATE TRIGGER events_never_change BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_never_emptied BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

CREATE TABLE lines (
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    identity TEXT NOT NULL,
    event_id BIGINT NOT NULL REFERENCES events(id),
    booked DATE NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    text TEXT NOT NULL,
    reference TEXT NOT NULL,
    other_refs JSONB NOT NULL DEFAULT '[]',
    PRIMARY KEY (session_id, identity)
);

CREATE TABLE matches (
    id BIGINT PRIMARY KEY REFERENCES events(id),
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    tier SMALLINT NOT NULL CHECK (tier BETWEEN 0 AND 3),
    reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'matched')),
    adjustment_minor BIGINT,
    adjustment_currency TEXT,
    adjustment_reason TEXT
);

CREATE TABLE items (
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL CHECK (kind IN ('deposit', 'payout', 'payout_line', 'charge', 'exception')),
    profile TEXT NOT NULL,
    ref TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('matched', 'proposed', 'flagged', 'ignored', 'open')),
    match_id BIGINT REFERENCES matches(id),
    note TEXT,
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    changed_event BIGINT NOT NULL REFERENCES events(id),
    PRIMARY KEY (session_id, kind, profile, ref),
    CHECK ((state IN ('matched', 'proposed')) = (match_id IS NOT NULL))
);
CREATE INDEX items_by_match ON items(match_id) WHERE match_id IS NOT NULL;

CREATE TABLE notes (
    event_id BIGINT PRIMARY KEY REFERENCES events(id),
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL,
    profile TEXT NOT NULL,
    ref TEXT NOT NULL,
    text TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX notes_by_session ON notes(session_id, event_id);

CREATE TABLE signoffs (
    session_id BIGINT PRIMARY KEY REFERENCES sessions(id),
    event_id BIGINT NOT NULL REFERENCES events(id),
    by_user TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

CREATE TABLE frozen_totals (
    session_id BIGINT NOT NULL REFERENCES signoffs(session_id),
    currency TEXT NOT NULL,
    statement_minor BIGINT NOT NULL,
    matched_minor BIGINT NOT NULL,
    unmatched_minor BIGINT NOT NULL,
    difference_minor BIGINT NOT NULL,
    PRIMARY KEY (session_id, currency)
);
