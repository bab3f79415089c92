-- Each session's claims changes are numbered, so that a screen told of one knows whether
-- the claims it shows are older. One number for all sessions (writers take turns in
-- SQLite): the watcher asks for sessions past the newest it has seen (sqlite_poll.rs).
ALTER TABLE sessions ADD COLUMN claims_version INTEGER NOT NULL DEFAULT 0;
