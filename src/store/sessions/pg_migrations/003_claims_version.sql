-- Each session counts changes to its claims (a claim taken, a claim given up), so that
-- a screen told of one knows whether the claims it shows are older (pg_notify.rs).
-- Bumping it locks the session's row first, as a mark does: two operators claiming
-- items of one session now take turns for that moment (002's SKIP LOCKED stays for
-- charges, and for items as a guard).
ALTER TABLE sessions ADD COLUMN claims_version BIGINT NOT NULL DEFAULT 0;
