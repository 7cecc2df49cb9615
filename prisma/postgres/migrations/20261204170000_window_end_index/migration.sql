-- Pruning a header looks for a request whose block window ends at it: without this index, every
-- request of the slasher was read for every header leaving the reorg window.
CREATE INDEX "SlashingRequest_slasher_requestBlockOrTimestamp_idx" ON "SlashingRequest"("slasher", "requestBlockOrTimestamp");
