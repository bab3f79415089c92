-- Each session counts changes to its claims (a claim taken, a claim given up), so that
-- a screen told of one knows whether the claims it shows are older (pg_notify.rs).
ALTER TABLE sessions ADD COLUMN claims_version BIGINT NOT NULL DEFAULT 0;
