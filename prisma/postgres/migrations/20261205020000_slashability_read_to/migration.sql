-- The indexed block at which the last whole ingest pass read the operator sets it had to: blocks
-- indexed beyond it by more than DEALLOCATION_DELAY may hide a lapse no pass has read yet, and
-- fulfils wait (on every desk sharing the database) until a pass has read them.
ALTER TABLE "IngestCursor" ADD COLUMN "slashabilityReadTo" INTEGER;
