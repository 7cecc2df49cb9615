-- CreateTable
CREATE TABLE "VetoProposal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "requestTxHash" TEXT NOT NULL,
    "chainId" INTEGER NOT NULL,
    "safe" TEXT NOT NULL,
    "nonce" INTEGER NOT NULL,
    "to" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "safeTxHash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT,
    "executionTxHash" TEXT,
    "superseded" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "VetoSignature" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "proposalId" INTEGER NOT NULL,
    "signer" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "staleReason" TEXT,
    "submittedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "VetoAction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "proposalId" INTEGER NOT NULL,
    "executor" TEXT NOT NULL,
    "txNonce" INTEGER NOT NULL,
    "rawTx" TEXT NOT NULL,
    "txHash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "revertReason" TEXT,
    "blockNumber" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "VetoProposal_slasher_requestId_idx" ON "VetoProposal"("slasher", "requestId");

-- CreateIndex
CREATE INDEX "VetoProposal_safe_safeTxHash_idx" ON "VetoProposal"("safe", "safeTxHash");

-- CreateIndex
CREATE UNIQUE INDEX "VetoSignature_proposalId_signer_key" ON "VetoSignature"("proposalId", "signer");

-- CreateIndex
CREATE INDEX "VetoAction_proposalId_idx" ON "VetoAction"("proposalId");

-- CreateIndex
CREATE INDEX "VetoAction_status_idx" ON "VetoAction"("status");

