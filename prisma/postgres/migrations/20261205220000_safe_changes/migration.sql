-- Counts what may have changed a watched Safe's owners, threshold or nonce (its events in an
-- ingested block, a backfill that did not read them, a reorg): every desk sharing the database
-- compares it on each pass and reads its Safes again when another desk's ingest moved it, since
-- only the desk that ingested a block saw that block's logs.
ALTER TABLE "IngestCursor" ADD COLUMN "safeChanges" INTEGER NOT NULL DEFAULT 0;
