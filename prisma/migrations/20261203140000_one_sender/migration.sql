-- One sender for everything the desk sends: the Safe executions (VetoAction) move into SentTx,
-- which now also records the block hash (reorgs), the proposal and the deadline.
ALTER TABLE "SentTx" ADD COLUMN "proposalId" INTEGER;
ALTER TABLE "SentTx" ADD COLUMN "deadlineBlock" INTEGER;
ALTER TABLE "SentTx" ADD COLUMN "blockHash" TEXT;
ALTER TABLE "SentTx" ADD COLUMN "reorgs" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "VetoProposal" ADD COLUMN "executionBlock" INTEGER;

-- CreateIndex
CREATE INDEX "SentTx_proposalId_idx" ON "SentTx"("proposalId");

-- Executions recorded before this version keep their history (and an in-flight one is settled or rebroadcast)
INSERT INTO "SentTx" ("chainId", "slasher", "requestId", "requestTxHash", "purpose", "proposalId", "account", "txNonce", "to", "data", "rawTx", "txHash", "gas", "maxFeePerGas", "maxPriorityFeePerGas", "status", "sentAtBlock", "error", "blockNumber", "createdAt", "updatedAt")
SELECT p."chainId", p."slasher", p."requestId", p."requestTxHash",
       CASE WHEN p."requestId" LIKE 'rejection:%' THEN 'safe_rejection' WHEN p."requestId" LIKE 'batch:%' THEN 'safe_batch' WHEN p."data" LIKE '0x1f05cc8e%' THEN 'safe_veto' ELSE 'safe_fulfil' END,
       a."proposalId", a."executor", a."txNonce", p."safe", '0x', a."rawTx", a."txHash", '0', '0', '0', a."status", 0, a."revertReason", a."blockNumber", a."createdAt", a."updatedAt"
FROM "VetoAction" a JOIN "VetoProposal" p ON p."id" = a."proposalId"
WHERE a."txHash" NOT IN (SELECT "txHash" FROM "SentTx");

-- DropTable
DROP TABLE "VetoAction";

-- CreateTable
CREATE TABLE "RequestLapse" (
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "requestTxHash" TEXT NOT NULL,
    "lapsedAtBlock" INTEGER NOT NULL,
    "slashableAgainAtBlock" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("slasher", "requestId", "requestTxHash")
);
