-- CreateTable
CREATE TABLE "IngestCursor" (
    "slasher" TEXT NOT NULL,
    "chainId" INTEGER NOT NULL,
    "variant" TEXT,
    "startBlock" INTEGER NOT NULL,
    "indexedBlock" INTEGER NOT NULL,
    "indexedHash" TEXT,
    "windowKind" TEXT,
    "windowLength" INTEGER,
    "allocationManager" TEXT,
    "avs" TEXT,
    "vetoCommittee" TEXT,
    "slasherRole" TEXT,
    "deallocationDelay" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IngestCursor_pkey" PRIMARY KEY ("slasher")
);

-- CreateTable
CREATE TABLE "Block" (
    "slasher" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "parentHash" TEXT NOT NULL,
    "timestamp" INTEGER NOT NULL,

    CONSTRAINT "Block_pkey" PRIMARY KEY ("slasher","number")
);

-- CreateTable
CREATE TABLE "RequestEvent" (
    "id" SERIAL NOT NULL,
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "blockHash" TEXT NOT NULL,
    "txHash" TEXT NOT NULL,
    "logIndex" INTEGER NOT NULL,
    "data" TEXT NOT NULL,

    CONSTRAINT "RequestEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlashingRequest" (
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "operator" TEXT NOT NULL,
    "operatorSetId" INTEGER NOT NULL,
    "strategies" TEXT NOT NULL,
    "wadsToSlash" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "requestBlockOrTimestamp" INTEGER NOT NULL,
    "queuedAtBlock" INTEGER NOT NULL,
    "queuedBlockHash" TEXT NOT NULL,
    "queuedTxHash" TEXT NOT NULL,
    "queuedLogIndex" INTEGER NOT NULL,
    "onchainStatus" TEXT NOT NULL,
    "cancelledBlock" INTEGER,
    "cancelledTxHash" TEXT,
    "fulfilledBlock" INTEGER,
    "fulfilledTxHash" TEXT,
    "overwrote" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlashingRequest_pkey" PRIMARY KEY ("slasher","requestId")
);

-- CreateTable
CREATE TABLE "OperatorSetState" (
    "slasher" TEXT NOT NULL,
    "operator" TEXT NOT NULL,
    "operatorSetId" INTEGER NOT NULL,
    "registered" BOOLEAN NOT NULL,
    "deregisterBlock" INTEGER,
    "allocations" TEXT NOT NULL,
    "readAtBlock" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OperatorSetState_pkey" PRIMARY KEY ("slasher","operator","operatorSetId")
);

-- CreateIndex
CREATE INDEX "RequestEvent_slasher_requestId_idx" ON "RequestEvent"("slasher", "requestId");

-- CreateIndex
CREATE UNIQUE INDEX "RequestEvent_slasher_blockNumber_logIndex_kind_key" ON "RequestEvent"("slasher", "blockNumber", "logIndex", "kind");

-- CreateIndex
CREATE INDEX "SlashingRequest_slasher_onchainStatus_idx" ON "SlashingRequest"("slasher", "onchainStatus");

