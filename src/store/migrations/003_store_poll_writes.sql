-- What merging a poll writes: a poll of a hundred new charges must cost the same with
-- ten million held as with ten thousand.

-- FTS5's automatic merging makes every write also carry on merging the trigram index's
-- older segments, a share that grows with the number of levels and, on a large store,
-- reads pages of its biggest and coldest segments: at 10,000,000 charges it was most
-- of a poll's cost. With it off, a write only adds its own small segment; the crisis
-- merge (16 segments on one level, merged at once) still bounds how many segments a
-- search reads, and `Store::after_backfill` merges the whole index.
INSERT INTO charge_fts(charge_fts, rank) VALUES ('automerge', 0);

-- A new charge reaches the trigram index from the store's writer, one statement per
-- batch (`charges::index_text`), not from a trigger per row: FTS5 writes a segment at
-- every statement savepoint, so the trigger made a segment, and soon a merge, per charge.
-- Updates and deletes keep their triggers.
DROP TRIGGER charge_fts_insert;

-- No query reads charges by customer (the filter's customer is free text, which the
-- trigram index answers), while every new charge with a customer wrote a random leaf
-- of this index.
DROP INDEX charge_customer;
