-- A request whose strategies were read after its operator set was (a backfill stores them
-- unread): the set's history (deallocations to zero and back) is still to be read for it from
-- its own queueing block, and its slashability reads pending until then.
ALTER TABLE "SlashingRequest" ADD COLUMN "historyPending" BOOLEAN NOT NULL DEFAULT false;
-- Each pass asks whether an open one is left (another desk may have read their strategies): an
-- index, not a scan of every open request per block.
CREATE INDEX "SlashingRequest_slasher_onchainStatus_historyPending_idx" ON "SlashingRequest"("slasher", "onchainStatus", "historyPending");
