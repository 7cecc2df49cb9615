-- CreateTable
CREATE TABLE "SentTx" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SentTx_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionLog" (
    "id" SERIAL NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "txHash" TEXT,
    "blockNumber" INTEGER,
    "detail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActionLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeskLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "acquiredAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeskLease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "Note" (
    "id" SERIAL NOT NULL,
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "links" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SiweSession" (
    "token" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "address" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SiweSession_pkey" PRIMARY KEY ("token")
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

