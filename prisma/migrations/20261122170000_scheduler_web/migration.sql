-- CreateTable
CREATE TABLE "SentTx" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chainId" INTEGER NOT NULL,
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "requestTxHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "txNonce" INTEGER NOT NULL,
    "to" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "rawTx" TEXT NOT NULL,
    "txHash" TEXT NOT NULL,
    "gas" TEXT NOT NULL,
    "maxFeePerGas" TEXT NOT NULL,
    "maxPriorityFeePerGas" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "replaces" INTEGER,
    "sentAtBlock" INTEGER NOT NULL,
    "error" TEXT,
    "blockNumber" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ActionLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupKey" TEXT NOT NULL,
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "txHash" TEXT,
    "blockNumber" INTEGER,
    "detail" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DeskLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "acquiredAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Note" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "links" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SiweSession" (
    "token" TEXT NOT NULL PRIMARY KEY,
    "nonce" TEXT NOT NULL,
    "address" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "SentTx_txHash_key" ON "SentTx"("txHash");

-- CreateIndex
CREATE INDEX "SentTx_account_txNonce_idx" ON "SentTx"("account", "txNonce");

-- CreateIndex
CREATE INDEX "SentTx_slasher_requestId_idx" ON "SentTx"("slasher", "requestId");

-- CreateIndex
CREATE INDEX "SentTx_status_idx" ON "SentTx"("status");

-- CreateIndex
CREATE UNIQUE INDEX "ActionLog_dedupKey_key" ON "ActionLog"("dedupKey");

-- CreateIndex
CREATE INDEX "ActionLog_slasher_requestId_idx" ON "ActionLog"("slasher", "requestId");

-- CreateIndex
CREATE INDEX "Note_slasher_requestId_idx" ON "Note"("slasher", "requestId");

-- CreateIndex
CREATE UNIQUE INDEX "SiweSession_nonce_key" ON "SiweSession"("nonce");

