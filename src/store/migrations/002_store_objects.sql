-- The fields of refunds, customers, payouts and balance lines that 001's tables had no
-- column for, so that each object reads back exactly as it was synced.

ALTER TABLE refund ADD COLUMN error_message TEXT;

ALTER TABLE customer ADD COLUMN first_name TEXT;
ALTER TABLE customer ADD COLUMN last_name TEXT;
ALTER TABLE customer ADD COLUMN phone TEXT;
ALTER TABLE customer ADD COLUMN company TEXT;
ALTER TABLE customer ADD COLUMN notes TEXT;
-- The primary card, masked as the gateway gives it (brand, last four, expiry).
ALTER TABLE customer ADD COLUMN card_id TEXT;
ALTER TABLE customer ADD COLUMN card_brand TEXT;
ALTER TABLE customer ADD COLUMN card_last4 TEXT;
ALTER TABLE customer ADD COLUMN card_exp_month INTEGER;
ALTER TABLE customer ADD COLUMN card_exp_year INTEGER;
ALTER TABLE customer ADD COLUMN card_name TEXT;
ALTER TABLE customer ADD COLUMN card_primary INTEGER;
ALTER TABLE customer ADD COLUMN card_customer_id TEXT;

-- arrival (001) holds the date as yyyymmdd.
ALTER TABLE payout ADD COLUMN statement_descriptor TEXT;
ALTER TABLE payout ADD COLUMN bank_name TEXT;
ALTER TABLE payout ADD COLUMN bank_last4 TEXT;
ALTER TABLE payout ADD COLUMN automatic INTEGER;

-- A payout's lines are stored whole, in the gateway's order; id is payout_id/position.
ALTER TABLE balance_line ADD COLUMN charge_id TEXT;
ALTER TABLE balance_line ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
CREATE INDEX balance_line_charge ON balance_line(charge_id) WHERE charge_id IS NOT NULL;

-- raw_cache evicts its oldest rows past a cap, found by this index.
CREATE INDEX raw_cache_fetched ON raw_cache(fetched_at);
