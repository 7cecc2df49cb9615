-- Every write another desk on the same database may show in its request views counts here, so a
-- desk keeping views knows they are stale without reading every table again.
ALTER TABLE "IngestCursor" ADD COLUMN "changes" INTEGER NOT NULL DEFAULT 0;
